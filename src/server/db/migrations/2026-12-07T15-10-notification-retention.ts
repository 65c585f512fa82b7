import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Notifications are kept for a while (LOKET_NOTIFICATION_RETENTION_DAYS) and then removed daily, oldest
// first, in batches: this index finds them without reading every user's rows.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('notification_created').on('notification').columns(['created_at', 'id']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notification_created').execute()
}
