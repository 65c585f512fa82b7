import type { Insertable } from 'kysely'
import type { Executor, TicketDraftTable } from '../db/schema.js'

export const draftRepository = {
  find: (db: Executor, ticketId: string, userId: string) =>
    db.selectFrom('ticket_draft').selectAll().where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst(),
  upsert: (db: Executor, row: Insertable<TicketDraftTable>) =>
    db
      .insertInto('ticket_draft')
      .values(row)
      .onConflict((oc) => oc.columns(['ticket_id', 'user_id']).doUpdateSet({ body: row.body, visibility: row.visibility, status: row.status, proposed_reply_id: row.proposed_reply_id ?? null, updated_at: row.updated_at }))
      .execute(),
  remove: (db: Executor, ticketId: string, userId: string) =>
    db.deleteFrom('ticket_draft').where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst(),
}
