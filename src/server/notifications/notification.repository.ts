import type { Insertable } from 'kysely'
import type { Executor, NotificationTable } from '../db/schema.js'

export const notificationRepository = {
  /** Inserts what is new; a row with the same user and source is left alone. Returns the rows it inserted. */
  insertNew: async (db: Executor, rows: Insertable<NotificationTable>[]) => {
    if (rows.length === 0) return []
    return db
      .insertInto('notification')
      .values(rows)
      .onConflict((oc) => oc.columns(['user_id', 'source_key']).doNothing())
      .returning(['id', 'user_id', 'kind', 'ticket_id', 'mail_pending'])
      .execute()
  },
  /** A user's notifications, newest first, keyset-paged on (created_at, id). */
  page: (db: Executor, userId: string, opts: { unread?: boolean; limit: number; after?: { createdAt: string; id: string } }) =>
    db
      .selectFrom('notification')
      .selectAll()
      .where('user_id', '=', userId)
      .$if(!!opts.unread, (qb) => qb.where('read_at', 'is', null))
      .$if(!!opts.after, (qb) =>
        qb.where((eb) =>
          eb.or([eb('created_at', '<', opts.after!.createdAt), eb.and([eb('created_at', '=', opts.after!.createdAt), eb('id', '<', opts.after!.id)])]),
        ),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit + 1)
      .execute(),
  unreadCount: async (db: Executor, userId: string) =>
    Number(
      (await db.selectFrom('notification').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst())?.n ??
        0,
    ),
  find: (db: Executor, userId: string, id: string) => db.selectFrom('notification').selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst(),
  markRead: (db: Executor, userId: string, id: string, at: string) =>
    db.updateTable('notification').set({ read_at: at }).where('user_id', '=', userId).where('id', '=', id).where('read_at', 'is', null).execute(),
  markAllRead: async (db: Executor, userId: string, at: string) =>
    Number((await db.updateTable('notification').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst()).numUpdatedRows),
  /** What waits for the user's next mail: taken out (marked as mailed) in the same transaction. */
  takeMailPending: async (db: Executor, userId: string) => {
    const rows = await db.selectFrom('notification').selectAll().where('user_id', '=', userId).where('mail_pending', '=', 1).orderBy('created_at').orderBy('id').execute()
    if (rows.length > 0) await db.updateTable('notification').set({ mail_pending: 0 }).where('user_id', '=', userId).where('mail_pending', '=', 1).execute()
    return rows
  },
  /** Removes up to `batch` notifications made before the cutoff; returns how many went. */
  deleteOlderThan: async (db: Executor, cutoff: string, batch: number) => {
    const old = db.selectFrom('notification').select('id').where('created_at', '<', cutoff).orderBy('created_at').limit(batch)
    return Number((await db.deleteFrom('notification').where('id', 'in', old).executeTakeFirst()).numDeletedRows)
  },
  settings: (db: Executor, userIds: readonly string[]) =>
    userIds.length === 0 ? Promise.resolve([]) : db.selectFrom('notification_setting').selectAll().where('user_id', 'in', userIds).execute(),
  saveSettings: (db: Executor, userId: string, mailKinds: string, at: string) =>
    db
      .insertInto('notification_setting')
      .values({ user_id: userId, mail_kinds: mailKinds, updated_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ mail_kinds: mailKinds, updated_at: at }))
      .execute(),
}
