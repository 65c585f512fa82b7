import { type Kysely, sql } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Merge, link and split (src/server/tickets/merge-ticket.ts, link-tickets.ts, split-ticket.ts): a merged
// ticket points at the ticket it went into; links between related tickets are stored once per direction,
// so each side lists its own with one index read; a merge that brings a second requester records them on
// the ticket it went into (they see it in the portal and get the desk's replies).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket').addColumn('merged_into_id', 'text', (c) => c.references('ticket.id')).execute()
  await db.schema
    .createTable('ticket_link')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('linked_ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_link_pk', ['ticket_id', 'linked_ticket_id'])
    .execute()
  await db.schema
    .createTable('ticket_co_requester')
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('app_user.id'))
    .addColumn('via_ticket_id', 'text')
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_co_requester_pk', ['ticket_id', 'user_id'])
    .execute()
  await db.schema.createIndex('ticket_co_requester_user').on('ticket_co_requester').columns(['user_id', 'ticket_id']).execute()
  await sql`CREATE INDEX ticket_merged_into ON ticket (merged_into_id) WHERE merged_into_id IS NOT NULL`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ticket_co_requester').ifExists().execute()
  await db.schema.dropTable('ticket_link').ifExists().execute()
  await sql`DROP INDEX IF EXISTS ticket_merged_into`.execute(db)
  await db.schema.alterTable('ticket').dropColumn('merged_into_id').execute()
}
