import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code. The e-mail channel's mailboxes,
// and the log of automatic replies that rate-limits them per sender.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mailbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('sender_name', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('imap_host', 'text', (c) => c.notNull())
    .addColumn('imap_port', 'integer', (c) => c.notNull())
    .addColumn('imap_tls', 'text', (c) => c.notNull())
    .addColumn('imap_user', 'text', (c) => c.notNull())
    .addColumn('imap_password', 'text', (c) => c.notNull()) // AES-256-GCM with LOKET_SECRET
    .addColumn('imap_folder', 'text', (c) => c.notNull())
    .addColumn('imap_processed_folder', 'text')
    .addColumn('smtp_host', 'text', (c) => c.notNull())
    .addColumn('smtp_port', 'integer', (c) => c.notNull())
    .addColumn('smtp_tls', 'text', (c) => c.notNull())
    .addColumn('smtp_user', 'text')
    .addColumn('smtp_password', 'text') // AES-256-GCM with LOKET_SECRET
    .addColumn('tls_verify', 'integer', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.references('agent_group.id').onDelete('set null'))
    .addColumn('ack_enabled', 'integer', (c) => c.notNull())
    .addColumn('ack_templates', 'text', (c) => c.notNull()) // JSON {nl:{subject,body}, en:{subject,body}}
    .addColumn('block_list', 'text', (c) => c.notNull()) // JSON array
    .addColumn('poll_seconds', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('uses_idle', 'integer')
    .addColumn('last_fetch_at', 'text')
    .addColumn('last_success_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'text')
    .addColumn('fetched_count', 'integer', (c) => c.notNull())
    // One fetcher per mailbox across worker processes: a lease renewed while it runs.
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('mailbox_auto_reply')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailbox.id').onDelete('cascade'))
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('mailbox_auto_reply_sender').on('mailbox_auto_reply').columns(['address', 'sent_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mailbox_auto_reply').ifExists().execute()
  await db.schema.dropTable('mailbox').ifExists().execute()
}
