import type { Insertable, Updateable } from 'kysely'
import type { Executor, MailboxTable } from '../../db/schema.js'

export const mailboxRepository = {
  list: (db: Executor) => db.selectFrom('mailbox').selectAll().orderBy('name').orderBy('id').execute(),
  listActive: (db: Executor) => db.selectFrom('mailbox').selectAll().where('active', '=', 1).orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('mailbox').selectAll().where('id', '=', id).executeTakeFirst(),
  findByAddress: (db: Executor, address: string) => db.selectFrom('mailbox').selectAll().where('address', '=', address).executeTakeFirst(),
  findByGroup: (db: Executor, groupId: string) =>
    db.selectFrom('mailbox').selectAll().where('group_id', '=', groupId).where('active', '=', 1).orderBy('created_at').executeTakeFirst(),
  first: (db: Executor) => db.selectFrom('mailbox').selectAll().where('active', '=', 1).orderBy('created_at').orderBy('id').executeTakeFirst(),
  insert: (db: Executor, row: Insertable<MailboxTable>) => db.insertInto('mailbox').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<MailboxTable>) => db.updateTable('mailbox').set(patch).where('id', '=', id).execute(),
  delete: (db: Executor, id: string) => db.deleteFrom('mailbox').where('id', '=', id).executeTakeFirst(),
  /** Takes (or renews) the fetch lease when it is free, expired or already ours; returns whether we hold it. */
  claimLease: async (db: Executor, id: string, owner: string, now: string, until: string) => {
    const result = await db
      .updateTable('mailbox')
      .set({ lease_owner: owner, lease_until: until })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('lease_owner', 'is', null), eb('lease_owner', '=', owner), eb('lease_until', '<', now)]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },
  releaseLease: (db: Executor, id: string, owner: string) =>
    db.updateTable('mailbox').set({ lease_owner: null, lease_until: null }).where('id', '=', id).where('lease_owner', '=', owner).execute(),
  /** Status fields only: never touches updated_at, which tells fetchers that the settings changed. */
  setStatus: (db: Executor, id: string, patch: Pick<Updateable<MailboxTable>, 'state' | 'uses_idle' | 'last_fetch_at' | 'last_success_at' | 'last_error' | 'last_error_at'>) =>
    db.updateTable('mailbox').set(patch).where('id', '=', id).execute(),
  addFetched: (db: Executor, id: string, n: number) =>
    db.updateTable('mailbox').set((eb) => ({ fetched_count: eb('fetched_count', '+', n) })).where('id', '=', id).execute(),
}

export const autoReplyRepository = {
  countSince: async (db: Executor, address: string, since: string) => {
    const row = await db
      .selectFrom('mailbox_auto_reply')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('address', '=', address)
      .where('sent_at', '>=', since)
      .executeTakeFirst()
    return Number(row?.n ?? 0)
  },
  insert: (db: Executor, row: { id: string; mailbox_id: string; address: string; sent_at: string }) => db.insertInto('mailbox_auto_reply').values(row).execute(),
}
