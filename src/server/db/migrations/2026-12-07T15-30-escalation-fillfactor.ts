import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: this file never imports application code.
//
// After a calendar or a handoff target changes, the due times of every open handoff are written again
// (tickets/handoff-clock.ts). Those columns are in no index, so with free room on each page PostgreSQL
// updates the rows in place (a HOT update) instead of adding an entry to each of the table's five indexes:
// in the bench, 100,000 handoffs took a third of the time. New pages keep 30 % free; SQLite has no such
// setting and needs none (it rewrites rows in place).

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`ALTER TABLE escalation SET (fillfactor = 70)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await sql`ALTER TABLE escalation RESET (fillfactor)`.execute(db)
}
