import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Notifications (issue 15): what concerns one member of staff (assigned to them, a customer replied, a
// handoff, a mention, a ticket taken over, a failed delivery), made by an outbox reaction. One row per
// user and source (the outbox event's id and the kind), so an event handled twice makes one notification.
// Their mail choices per kind, and per user and ticket when they last opened it (queue rows with a newer
// customer message show as unread).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notification')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source_key', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'text')
    .addColumn('ticket_number', 'text')
    .addColumn('ticket_subject', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('group_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    /** 1 while it waits for the user's next notification mail (only kinds they chose by mail), else 0. */
    .addColumn('mail_pending', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('notification_source').on('notification').columns(['user_id', 'source_key']).unique().execute()
  await db.schema.createIndex('notification_user_page').on('notification').columns(['user_id', 'created_at', 'id']).execute()
  await db.schema.createIndex('notification_user_unread').on('notification').columns(['user_id', 'read_at']).execute()
  await db.schema
    .createTable('notification_setting')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    /** JSON array of the kinds that also come by mail. */
    .addColumn('mail_kinds', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('ticket_seen')
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_seen_pk', ['user_id', 'ticket_id'])
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_seen').ifExists().execute()
  await db.schema.dropTable('notification_setting').ifExists().execute()
  await db.schema.dropTable('notification').ifExists().execute()
}
