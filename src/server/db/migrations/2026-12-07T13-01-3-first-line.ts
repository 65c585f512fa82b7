import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// First-line resolution (issue 16): recorded when a ticket is resolved or closed: 1 when it never went to a
// back office (no escalation), 0 when it did; null while it is not resolved (a reopened ticket clears it).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket').addColumn('first_line_resolution', 'integer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket').dropColumn('first_line_resolution').execute()
}
