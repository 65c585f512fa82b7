import type { Insertable, Updateable } from 'kysely'
import type { Executor, MailboxOAuthTable } from '../../../db/schema.js'

export const mailboxOAuthRepository = {
  find: (db: Executor, mailboxId: string) => db.selectFrom('mailbox_oauth').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst(),
  list: (db: Executor) => db.selectFrom('mailbox_oauth').selectAll().execute(),
  findByPendingState: (db: Executor, stateHash: string) => db.selectFrom('mailbox_oauth').selectAll().where('pending_state', '=', stateHash).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<MailboxOAuthTable>) => db.insertInto('mailbox_oauth').values(row).execute(),
  update: (db: Executor, mailboxId: string, patch: Updateable<MailboxOAuthTable>) => db.updateTable('mailbox_oauth').set(patch).where('mailbox_id', '=', mailboxId).execute(),
  delete: (db: Executor, mailboxId: string) => db.deleteFrom('mailbox_oauth').where('mailbox_id', '=', mailboxId).executeTakeFirst(),
}
