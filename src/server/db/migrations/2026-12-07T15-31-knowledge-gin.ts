import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: this file never imports application code.
//
// PostgreSQL: the knowledge index's GIN index without its pending list (fastupdate off). With it on,
// new entries wait in an unsorted list that every search reads from start to end until a vacuum
// merges it: after a few thousand articles or templates were written, 7 ms per search and two searches
// per ticket's suggestions. Articles and templates are written rarely and read on every ticket, so they
// go into the index at once. What waits in the list now is merged here. SQLite: nothing to do.

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`ALTER INDEX knowledge_search_tsv SET (fastupdate = off)`.execute(db)
  await sql`SELECT gin_clean_pending_list('knowledge_search_tsv'::regclass)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return
  await sql`ALTER INDEX knowledge_search_tsv SET (fastupdate = on)`.execute(db)
}
