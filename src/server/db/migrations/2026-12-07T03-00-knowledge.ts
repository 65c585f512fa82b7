import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: this file never imports application code.

/**
 * Templates (sjablonen) and the knowledge base (kennisbank): articles with their versions and
 * categories, what was used on which ticket, and one full-text index over both (title and body apart,
 * so a word in a title weighs more).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  await db.schema
    .createTable('template')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('shortcut', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('variants', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'text', (c) => c.references('app_user.id').onDelete('cascade'))
    .addColumn('group_id', 'text', (c) => c.references('agent_group.id').onDelete('cascade'))
    .addColumn('department_id', 'text', (c) => c.references('department.id').onDelete('cascade'))
    .addColumn('usage_count', 'integer', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('template_title').on('template').column('title').execute()

  await db.schema
    .createTable('kb_category')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('department_id', 'text', (c) => c.references('department.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('kb_article')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text', (c) => c.references('kb_category.id').onDelete('set null'))
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_group_id', 'text', (c) => c.references('agent_group.id').onDelete('set null'))
    .addColumn('review_at', 'text')
    .addColumn('source_ticket_id', 'text', (c) => c.references('ticket.id').onDelete('set null'))
    .addColumn('created_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('updated_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('kb_article_status_visibility').on('kb_article').columns(['status', 'visibility', 'updated_at']).execute()
  await db.schema.createIndex('kb_article_review').on('kb_article').columns(['owner_group_id', 'review_at']).execute()

  await db.schema
    .createTable('kb_article_version')
    .addColumn('article_id', 'text', (c) => c.notNull().references('kb_article.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('category_id', 'text')
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('owner_group_id', 'text')
    .addColumn('review_at', 'text')
    .addColumn('changed_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('kb_article_version_pk', ['article_id', 'version'])
    .execute()

  // One row per (template or article, ticket): "used on 12 tickets" counts tickets, not clicks.
  await db.schema
    .createTable('knowledge_use')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('knowledge_use_pk', ['kind', 'ref_id', 'ticket_id'])
    .execute()
  await db.schema.createIndex('knowledge_use_ticket').on('knowledge_use').column('ticket_id').execute()

  if (pg) {
    await db.schema
      .createTable('knowledge_search')
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ref_id', 'text', (c) => c.notNull())
      .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
      .addPrimaryKeyConstraint('knowledge_search_pk', ['kind', 'ref_id'])
      .execute()
    await sql`CREATE INDEX knowledge_search_tsv ON knowledge_search USING gin (tsv)`.execute(db)
  } else {
    await sql`CREATE VIRTUAL TABLE knowledge_search USING fts5(kind UNINDEXED, ref_id UNINDEXED, title, content, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['knowledge_search', 'knowledge_use', 'kb_article_version', 'kb_article', 'kb_category', 'template']) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
