import type { ExpressionBuilder, Insertable, Updateable } from 'kysely'
import type { DB, Executor, MailboxMessageTable, MailboxTable } from '../../db/schema.js'

export const mailboxRepository = {
  list: (db: Executor) => db.selectFrom('mailbox').selectAll().orderBy('name').orderBy('id').execute(),
  listActive: (db: Executor) => db.selectFrom('mailbox').selectAll().where('active', '=', 1).orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('mailbox').selectAll().where('id', '=', id).executeTakeFirst(),
  findByAddress: (db: Executor, address: string) => db.selectFrom('mailbox').selectAll().where('address', '=', address).executeTakeFirst(),
  findByGroup: (db: Executor, groupId: string) =>
    db.selectFrom('mailbox').selectAll().where('group_id', '=', groupId).where('active', '=', 1).orderBy('created_at').executeTakeFirst(),
  /** An active mailbox of one of the department's groups. */
  findByDepartment: (db: Executor, departmentId: string) =>
    db
      .selectFrom('mailbox')
      .innerJoin('agent_group', 'agent_group.id', 'mailbox.group_id')
      .selectAll('mailbox')
      .where('agent_group.department_id', '=', departmentId)
      .where('mailbox.active', '=', 1)
      .orderBy('mailbox.created_at')
      .orderBy('mailbox.id')
      .executeTakeFirst(),
  /** The default sending mailbox: it sends even with fetching switched off (a sending-only mailbox, as the demo's). */
  defaultSender: (db: Executor) => db.selectFrom('mailbox').selectAll().where('default_sender', '=', 1).orderBy('created_at').executeTakeFirst(),
  clearDefaultSender: (db: Executor) => db.updateTable('mailbox').set({ default_sender: 0 }).where('default_sender', '=', 1).execute(),
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
  /** Counts a batch of fetched messages by what became of them; fetched_count is their sum. */
  addFetched: (db: Executor, id: string, n: IntakeCounts) =>
    db
      .updateTable('mailbox')
      .set((eb) => ({
        fetched_count: eb('fetched_count', '+', n.filed + n.duplicate + n.headersOnly + n.refused + n.machine),
        filed_count: eb('filed_count', '+', n.filed),
        duplicate_count: eb('duplicate_count', '+', n.duplicate),
        headers_only_count: eb('headers_only_count', '+', n.headersOnly),
        refused_count: eb('refused_count', '+', n.refused),
        machine_count: eb('machine_count', '+', n.machine),
      }))
      .where('id', '=', id)
      .execute(),
}

/** What became of the messages of one batch. */
export interface IntakeCounts {
  filed: number
  duplicate: number
  headersOnly: number
  refused: number
  machine: number
}

/** The messages of a mailbox that became no article of their own (machine mail, refused, duplicates). */
export const mailboxMessageRepository = {
  /** Once per mailbox, outcome and content: a message read again after a crash is listed once. */
  record: (db: Executor, row: MailboxMessageTable) =>
    db
      .insertInto('mailbox_message')
      .values(row)
      .onConflict((oc) => oc.columns(['mailbox_id', 'outcome', 'content_key']).doNothing())
      .execute(),
  list: (db: Executor, mailboxId: string, outcome: string | undefined, limit: number) =>
    db
      .selectFrom('mailbox_message')
      .selectAll()
      .where('mailbox_id', '=', mailboxId)
      .$if(outcome !== undefined, (q) => q.where('outcome', '=', outcome!))
      .orderBy('received_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute(),
  findById: (db: Executor, mailboxId: string, id: string) =>
    db.selectFrom('mailbox_message').selectAll().where('mailbox_id', '=', mailboxId).where('id', '=', id).executeTakeFirst(),
  /** Forgets a person's messages (an erasure): from their address or about their tickets. Returns the raw messages' SHA-256 for the blob store. */
  forget: async (db: Executor, address: string, ticketIds: readonly string[]) => {
    const theirs = (eb: ExpressionBuilder<DB, 'mailbox_message'>) =>
      eb.or([eb('from_address', '=', address), ...(ticketIds.length ? [eb('ticket_id', 'in', [...ticketIds])] : [])])
    const rows = await db.selectFrom('mailbox_message').select('raw_sha256').where(theirs).execute()
    await db.deleteFrom('mailbox_message').where(theirs).execute()
    return rows.flatMap((r) => (r.raw_sha256 ? [r.raw_sha256] : []))
  },
  /** Which of these files a listed message still holds. */
  hashesInUse: async (db: Executor, hashes: readonly string[]) =>
    hashes.length
      ? new Set((await db.selectFrom('mailbox_message').select('raw_sha256').where('raw_sha256', 'in', [...hashes]).execute()).map((r) => r.raw_sha256!))
      : new Set<string>(),
}

export const autoReplyRepository = {
  /** Forgets an address (a person's erasure): the acknowledgements counted for it. */
  forget: (db: Executor, address: string) => db.deleteFrom('mailbox_auto_reply').where('address', '=', address).execute(),
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
