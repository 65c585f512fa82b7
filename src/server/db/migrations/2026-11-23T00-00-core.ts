import { type Kysely, PostgresAdapter, sql } from 'kysely'

// Frozen in time: this file never imports application code. Timestamps are ISO-8601 text and
// booleans 0/1 integers on both dialects, so the same queries run on SQLite and PostgreSQL.

const isPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db)

  await db.schema
    .createTable('organisation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('organisation_domain')
    .addColumn('domain', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisation.id').onDelete('cascade'))
    .execute()
  await db.schema.createIndex('organisation_domain_org').on('organisation_domain').column('organisation_id').execute()

  await db.schema
    .createTable('app_user')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('organisation_id', 'text', (c) => c.references('organisation.id').onDelete('set null'))
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('phone', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('app_user_org').on('app_user').column('organisation_id').execute()
  await db.schema.createIndex('app_user_role').on('app_user').columns(['role', 'name']).execute()

  await db.schema
    .createTable('session')
    .addColumn('id', 'text', (c) => c.primaryKey()) // sha-256 of the cookie value; the cookie itself is never stored
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('session_user').on('session').column('user_id').execute()

  await db.schema
    .createTable('api_token')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute()

  await db.schema
    .createTable('department')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('customer_reply_allowed', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('agent_group')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('department_id', 'text', (c) => c.notNull().references('department.id'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('group_member')
    .addColumn('group_id', 'text', (c) => c.notNull().references('agent_group.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_member_pk', ['group_id', 'user_id'])
    .execute()
  await db.schema.createIndex('group_member_user').on('group_member').column('user_id').execute()

  await db.schema
    .createTable('ticket_counter')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('value', 'integer', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('ticket')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('requester_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('organisation_id', 'text', (c) => c.references('organisation.id').onDelete('set null'))
    .addColumn('department_id', 'text', (c) => c.references('department.id'))
    .addColumn('group_id', 'text', (c) => c.references('agent_group.id'))
    .addColumn('assignee_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('first_response_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('closed_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute()
  // The agent queues: filter by group/assignee/status, newest activity first; id breaks ties for cursors.
  await db.schema.createIndex('ticket_group_queue').on('ticket').columns(['group_id', 'status', 'updated_at', 'id']).execute()
  await db.schema.createIndex('ticket_assignee_queue').on('ticket').columns(['assignee_id', 'status', 'updated_at', 'id']).execute()
  await db.schema.createIndex('ticket_status_queue').on('ticket').columns(['status', 'updated_at', 'id']).execute()
  await db.schema.createIndex('ticket_updated').on('ticket').columns(['updated_at', 'id']).execute()
  await db.schema.createIndex('ticket_requester').on('ticket').columns(['requester_id', 'updated_at']).execute()
  await db.schema.createIndex('ticket_organisation').on('ticket').columns(['organisation_id', 'updated_at']).execute()

  await db.schema
    .createTable('article')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('source_id', 'text')
    .addColumn('metadata', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('article_ticket').on('article').columns(['ticket_id', 'created_at']).execute()
  // Idempotent ingest: a channel's own message id (e.g. a mail's Message-ID) is stored once per channel.
  await db.schema
    .createIndex('article_source')
    .on('article')
    .columns(['channel', 'source_id'])
    .unique()
    .where(sql.ref('source_id'), 'is not', null)
    .execute()

  await db.schema
    .createTable('attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('article_id', 'text', (c) => c.references('article.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('content_id', 'text')
    .addColumn('uploaded_by', 'text', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('attachment_article').on('attachment').column('article_id').execute()
  await db.schema.createIndex('attachment_ticket').on('attachment').column('ticket_id').execute()

  await db.schema
    .createTable('ticket_tag')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('tag', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_tag_pk', ['ticket_id', 'tag'])
    .execute()
  await db.schema.createIndex('ticket_tag_tag').on('ticket_tag').columns(['tag', 'ticket_id']).execute()

  await db.schema
    .createTable('ticket_history')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('actor_id', 'text', (c) => c.references('app_user.id'))
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('ticket_history_ticket').on('ticket_history').columns(['ticket_id', 'created_at']).execute()

  await db.schema
    .createTable('job')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('queue', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_error', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('job_due').on('job').columns(['status', 'run_at']).execute()

  // Full-text search: one entry per subject and per article. Text is normalised in app code
  // (accents folded); stemming is done by the database on PostgreSQL and in app code on SQLite.
  if (pg) {
    await db.schema
      .createTable('search_entry')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
      .addColumn('tsv', sql`tsvector`, (c) => c.notNull())
      .execute()
    await sql`CREATE INDEX search_entry_tsv ON search_entry USING gin (tsv)`.execute(db)
    await db.schema.createIndex('search_entry_ticket').on('search_entry').column('ticket_id').execute()
  } else {
    await sql`CREATE VIRTUAL TABLE search_entry USING fts5(ticket_id UNINDEXED, content, tokenize = 'unicode61 remove_diacritics 2')`.execute(db)
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'search_entry', 'job', 'ticket_history', 'ticket_tag', 'attachment', 'article', 'ticket', 'ticket_counter',
    'group_member', 'agent_group', 'department', 'api_token', 'session', 'app_user', 'organisation_domain', 'organisation',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
