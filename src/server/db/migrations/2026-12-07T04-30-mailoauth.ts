import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code. OAuth 2.0 for mailboxes (Microsoft 365,
// Google Workspace): the app registration and the tokens Loket holds for one mailbox. A mailbox with
// a row here signs in to IMAP and SMTP with XOAUTH2 instead of its password.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mailbox_oauth')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().references('mailbox.id').onDelete('cascade'))
    .addColumn('provider', 'text', (c) => c.notNull()) // microsoft | google | custom
    .addColumn('tenant', 'text') // Microsoft: the directory (tenant) ID or domain
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text') // AES-256-GCM with LOKET_SECRET
    .addColumn('authorize_url', 'text') // custom provider only
    .addColumn('token_url', 'text') // custom provider only
    .addColumn('scopes', 'text') // custom provider only; space-separated
    .addColumn('refresh_token', 'text') // AES-256-GCM with LOKET_SECRET
    .addColumn('access_token', 'text') // AES-256-GCM with LOKET_SECRET
    .addColumn('access_expires_at', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // not_connected | connected | reconnect_needed
    .addColumn('last_error', 'text')
    .addColumn('connected_at', 'text')
    .addColumn('pending_state', 'text') // SHA-256 of the state of a sign-in under way
    .addColumn('pending_verifier', 'text') // its PKCE verifier, AES-256-GCM with LOKET_SECRET
    .addColumn('pending_until', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('mailbox_oauth_pending_state').on('mailbox_oauth').column('pending_state').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mailbox_oauth').ifExists().execute()
}
