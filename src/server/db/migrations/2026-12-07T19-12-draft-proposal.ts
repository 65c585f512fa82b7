import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// The proposal link kept in the server draft (issue 16): when the coordinator takes a back office's proposed
// reply into the composer ("Gebruik als antwoord"), the draft remembers which proposal it was made from, so
// that after a reload (or on another computer) sending it still records who wrote it and whether it changed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket_draft').addColumn('proposed_reply_id', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket_draft').dropColumn('proposed_reply_id').execute()
}
