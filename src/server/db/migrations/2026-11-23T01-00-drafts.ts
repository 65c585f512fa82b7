import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.

/** Reply drafts: one per ticket per user, removed with the ticket or the user. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ticket_draft')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('status', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_draft_pk', ['ticket_id', 'user_id'])
    .execute()
  await db.schema.createIndex('ticket_draft_user').on('ticket_draft').column('user_id').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_draft').execute()
}
