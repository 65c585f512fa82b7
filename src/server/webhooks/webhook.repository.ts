import { type Insertable, sql, type Updateable } from 'kysely'
import type { Executor, WebhookDeliveryTable, WebhookTable } from '../db/schema.js'

export const webhookRepository = {
  list: (db: Executor) => db.selectFrom('webhook').selectAll().orderBy('created_at').orderBy('id').execute(),

  findById: (db: Executor, id: string) => db.selectFrom('webhook').selectAll().where('id', '=', id).executeTakeFirst(),

  /** What the outbox handler needs to choose receivers: the switched-on webhooks and their event types. */
  listActive: (db: Executor) => db.selectFrom('webhook').select(['id', 'event_types']).where('active', '=', 1).execute(),

  insert: (db: Executor, row: Insertable<WebhookTable>) => db.insertInto('webhook').values(row).execute(),

  update: (db: Executor, id: string, patch: Updateable<WebhookTable>) => db.updateTable('webhook').set(patch).where('id', '=', id).execute(),

  remove: (db: Executor, id: string) => db.deleteFrom('webhook').where('id', '=', id).execute(),

  insertDelivery: (db: Executor, row: Insertable<WebhookDeliveryTable>) => db.insertInto('webhook_delivery').values(row).execute(),

  /** Keeps the newest `keep` tries of a webhook (the log would otherwise grow with every event). */
  trimDeliveries: (db: Executor, webhookId: string, keep: number) =>
    sql`DELETE FROM webhook_delivery WHERE webhook_id = ${webhookId} AND id < (
      SELECT id FROM webhook_delivery WHERE webhook_id = ${webhookId} ORDER BY id DESC LIMIT 1 OFFSET ${keep - 1})`.execute(db),

  /** Newest first (ids are UUIDv7, so in order of the tries). */
  listDeliveries: (db: Executor, webhookId: string, limit: number) =>
    db.selectFrom('webhook_delivery').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(limit).execute(),
}
