import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code. Issue 14, nothing lost coming in:
// every fetched message counted by what became of it, the messages that became no article of their
// own (machine mail, refused, duplicates) listed per mailbox, and the VERP return path switch.

const COUNTERS = ['filed_count', 'duplicate_count', 'headers_only_count', 'refused_count', 'machine_count'] as const

export async function up(db: Kysely<any>): Promise<void> {
  for (const column of COUNTERS) {
    await db.schema.alterTable('mailbox').addColumn(column, 'integer', (c) => c.notNull().defaultTo(0)).execute()
  }
  // Before the counters, everything fetched was counted as taken in.
  await db.updateTable('mailbox').set((eb) => ({ filed_count: eb.ref('fetched_count') })).execute()
  await db.schema.alterTable('mailbox').addColumn('verp', 'integer', (c) => c.notNull().defaultTo(1)).execute()

  await db.schema
    .createTable('mailbox_message')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailbox.id').onDelete('cascade'))
    // duplicate | refused | machine
    .addColumn('outcome', 'text', (c) => c.notNull())
    // dmarc-report | abuse-report | delivery-status | auto-reply (machine mail); null otherwise
    .addColumn('kind', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('content_key', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    // The article this message is a duplicate of.
    .addColumn('article_id', 'text')
    .addColumn('ticket_id', 'text')
    // The raw message in the blob store (machine mail and refused mail are kept, not discarded).
    .addColumn('raw_sha256', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .execute()
  // A message read again after a crash is listed once.
  await db.schema.createIndex('mailbox_message_once').on('mailbox_message').columns(['mailbox_id', 'outcome', 'content_key']).unique().execute()
  await db.schema.createIndex('mailbox_message_recent').on('mailbox_message').columns(['mailbox_id', 'outcome', 'received_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mailbox_message').ifExists().execute()
  for (const column of [...COUNTERS, 'verp']) await db.schema.alterTable('mailbox').dropColumn(column).execute()
}
