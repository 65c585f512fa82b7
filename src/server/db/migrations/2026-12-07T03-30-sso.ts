import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code. Single sign-on for staff (OpenID Connect):
// the provider's settings (one row), and which provider account (issuer + subject) is which user.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sso_settings')
    .addColumn('id', 'text', (c) => c.primaryKey()) // 'oidc': one provider
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('issuer_url', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text') // AES-256-GCM with LOKET_SECRET; null for a public client
    .addColumn('scopes', 'text', (c) => c.notNull()) // space-separated
    .addColumn('claim', 'text', (c) => c.notNull())
    .addColumn('email_claim', 'text', (c) => c.notNull())
    .addColumn('mappings', 'text', (c) => c.notNull()) // JSON [{value, role?, groupIds?}]
    .addColumn('create_users', 'integer', (c) => c.notNull())
    .addColumn('local_passwords_for_staff', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('user_sso_identity')
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_sso_identity_pk', ['issuer', 'subject'])
    .addUniqueConstraint('user_sso_identity_user', ['user_id', 'issuer'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('user_sso_identity').ifExists().execute()
  await db.schema.dropTable('sso_settings').ifExists().execute()
}
