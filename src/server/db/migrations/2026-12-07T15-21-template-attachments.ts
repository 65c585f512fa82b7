import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Files a template carries (issue 17): when an agent uses the template on a ticket, each becomes an
// attachment of the reply being written. The bytes live in the blob store (content-addressed, so a
// file sent with a reply is the same file, stored once); this table holds which template has which.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('template_attachment')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('template_id', 'text', (c) => c.notNull().references('template.id').onDelete('cascade'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('template_attachment_template').on('template_attachment').columns(['template_id', 'created_at']).execute()
  await db.schema.createIndex('template_attachment_sha256').on('template_attachment').column('sha256').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('template_attachment').ifExists().execute()
}
