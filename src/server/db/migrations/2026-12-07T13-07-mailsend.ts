import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code. Issue 14, a reply always has a way: the
// mailbox an administrator chooses to send replies from when a ticket's department has none of its own
// (at most one; replies on tickets opened through the API, the portal or by phone go out through it).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mailbox').addColumn('default_sender', 'integer', (c) => c.notNull().defaultTo(0)).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('mailbox').dropColumn('default_sender').execute()
}
