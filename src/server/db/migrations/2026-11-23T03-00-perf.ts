import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Full-text search at a million tickets: a search for a common word matches hundreds of thousands of
// entries, and sorting all their tickets to show the newest 50 is too slow. Instead the newest tickets
// of the queue are tested one by one, which needs a fast "does ticket X match" on both databases.
// PostgreSQL has it (search_entry_ticket index + tsv @@ q on a handful of rows). On SQLite the FTS5
// table's ticket_id was UNINDEXED; here it becomes an indexed column holding the id as one token
// (tokenchars '-'), so `"<ticket id>" AND (<words>)` is answered from the index. Indexed text is
// written as plain words without hyphens (expandForIndex), so its tokens are unchanged.

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    // JIT compilation pays off for long analytical queries, not for these: the planner cannot estimate
    // how rare a searched word is (tsvector statistics know only frequent ones), so a search costs
    // 10-50 ms of compiling for a query that runs in 10. Off for this database, where we may.
    await sql`DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'could not turn JIT off for this database; consider jit = off in postgresql.conf';
    END $$`.execute(db)
    return
  }
  await sql`CREATE VIRTUAL TABLE search_entry_v2 USING fts5(ticket_id, content, tokenize = "unicode61 remove_diacritics 2 tokenchars '-'")`.execute(db)
  await sql`INSERT INTO search_entry_v2 (rowid, ticket_id, content) SELECT rowid, ticket_id, content FROM search_entry`.execute(db)
  await sql`DROP TABLE search_entry`.execute(db)
  await sql`ALTER TABLE search_entry_v2 RENAME TO search_entry`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`DO $$ BEGIN
      EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END $$`.execute(db)
    return
  }
  await sql`CREATE VIRTUAL TABLE search_entry_v1 USING fts5(ticket_id UNINDEXED, content, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  await sql`INSERT INTO search_entry_v1 (rowid, ticket_id, content) SELECT rowid, ticket_id, content FROM search_entry`.execute(db)
  await sql`DROP TABLE search_entry`.execute(db)
  await sql`ALTER TABLE search_entry_v1 RENAME TO search_entry`.execute(db)
}
