import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: this file never imports application code.

/**
 * In how many entries of the knowledge index each term occurs (knowledge_term), so that the suggestions
 * for a ticket look for its telling words and leave out the ones most articles have. PostgreSQL counts
 * the lexemes of each entry's tsvector. SQLite counts the index's own tokens and keeps, per entry, its
 * FTS5 rowid and its terms (knowledge_entry): a change finds its row at once and knows what to count
 * down. Both are filled here from what is indexed already.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema
    .createTable('knowledge_term')
    .addColumn('term', 'text', (c) => c.primaryKey())
    .addColumn('docs', 'integer', (c) => c.notNull())
    .execute()
  if (pg) {
    await sql`INSERT INTO knowledge_term (term, docs)
      SELECT lexeme, count(*) FROM knowledge_search, unnest(tsvector_to_array(tsv)) AS lexeme GROUP BY lexeme`.execute(db)
    return
  }
  await db.schema
    .createTable('knowledge_entry')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('fts_rowid', 'integer', (c) => c.notNull())
    .addColumn('terms', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('knowledge_entry_pk', ['kind', 'ref_id'])
    .execute()
  await sql`CREATE VIRTUAL TABLE temp.knowledge_instances USING fts5vocab(main, knowledge_search, instance)`.execute(db)
  await sql`INSERT INTO knowledge_term (term, docs) SELECT term, count(DISTINCT doc) FROM temp.knowledge_instances GROUP BY term`.execute(db)
  await sql`INSERT INTO knowledge_entry (kind, ref_id, fts_rowid, terms)
    SELECT s.kind, s.ref_id, s.rowid, coalesce(t.terms, '')
    FROM knowledge_search AS s LEFT JOIN (SELECT doc, group_concat(DISTINCT term) AS terms FROM temp.knowledge_instances GROUP BY doc) AS t ON t.doc = s.rowid`.execute(db)
  await sql`DROP TABLE temp.knowledge_instances`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('knowledge_term').ifExists().execute()
  await db.schema.dropTable('knowledge_entry').ifExists().execute()
}
