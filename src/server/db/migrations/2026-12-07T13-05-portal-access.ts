import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// The portal's front door (issue 18): a member may be local administrator of their organisation, an
// organisation may let people with an address in its domains register themselves, and staff put banners
// (announcements, known outages) on every portal page.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('local_admin', 'integer', (c) => c.notNull().defaultTo(0)).execute()
  // Few members of an organisation are its local administrators: found by organisation.
  await db.schema.createIndex('app_user_org_local_admin').on('app_user').columns(['organisation_id', 'local_admin']).execute()
  await db.schema.alterTable('organisation').addColumn('self_registration', 'integer', (c) => c.notNull().defaultTo(0)).execute()

  await db.schema
    .createTable('banner')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text_nl', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('ends_at', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('banner_starts').on('banner').column('starts_at').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('banner').execute()
  await db.schema.alterTable('organisation').dropColumn('self_registration').execute()
  await db.schema.dropIndex('app_user_org_local_admin').execute()
  await db.schema.alterTable('app_user').dropColumn('local_admin').execute()
}
