import { type Kysely, sql } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Waiting on a third party (issue 16): "wacht op derde tot <datum>" with the supplier and their reference
// number, as fields on the ticket. While the ticket's status is waiting_for_third_party it is out of its
// group's active queue; once third_party_until has passed, a periodic job puts it back (status open) and
// sets third_party_back_at, the marker the queue and the ticket show until an agent moves it on.
// The job reads a partial index holding only the tickets waiting on a third party.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket').addColumn('third_party_until', 'text').execute()
  await db.schema.alterTable('ticket').addColumn('third_party_supplier', 'text').execute()
  await db.schema.alterTable('ticket').addColumn('third_party_reference', 'text').execute()
  await db.schema.alterTable('ticket').addColumn('third_party_back_at', 'text').execute()
  await sql`CREATE INDEX ticket_third_party_due ON ticket (third_party_until) WHERE status = 'waiting_for_third_party'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS ticket_third_party_due`.execute(db)
  for (const column of ['third_party_back_at', 'third_party_reference', 'third_party_supplier', 'third_party_until']) {
    await db.schema.alterTable('ticket').dropColumn(column).execute()
  }
}
