import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Accountability and access (issue 13): the append-only audit log, an expiry on API tokens, one-time
// links (password reset, confirming a new e-mail address) and the counters of failed sign-ins.

export async function up(db: Kysely<any>): Promise<void> {
  // No foreign keys: an entry outlives the account it names.
  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_user_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute()
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'at']).execute()
  await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_user_id', 'at']).execute()
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'at']).execute()

  await db.schema.alterTable('api_token').addColumn('expires_at', 'text').execute()
  await db.schema.createIndex('api_token_user').on('api_token').column('user_id').execute()

  // id: the SHA-256 of the link's secret; the secret itself is only in the mail.
  await db.schema
    .createTable('account_link')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('new_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()
  await db.schema.createIndex('account_link_user').on('account_link').column('user_id').execute()

  // key: 'account:<e-mail>' or 'account:<e-mail>|<address>'.
  await db.schema
    .createTable('sign_in_failure')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'text', (c) => c.notNull())
    .addColumn('blocked_until', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_failure').execute()
  await db.schema.dropTable('account_link').execute()
  await db.schema.dropIndex('api_token_user').execute()
  await db.schema.alterTable('api_token').dropColumn('expires_at').execute()
  await db.schema.dropTable('audit_log').execute()
}
