import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Branding (issue 15): the name and logo of the organisation that runs Loket, shown on the sign-in screen
// and in the mails Loket sends. One row; the logo is small (at most 256 KB) and kept as base64 text, the
// same on both databases, with a hash that names its version in URLs and ETags.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('branding')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('logo_type', 'text')
    .addColumn('logo_data', 'text')
    .addColumn('logo_hash', 'text')
    .addColumn('updated_by', 'text', (c) => c.references('app_user.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('branding').execute()
}
