import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// The portal's ticket lists (a customer's own, a local administrator's organisation's) are ordered by
// updated_at and then id, newest first. The indexes by requester and by organisation ended at updated_at,
// so PostgreSQL sorted what they gave: all of a requester's tickets when it used a generic plan (which
// guesses one row), before taking the first page. With id in the index both databases read the page
// straight from it, however many tickets the requester or organisation has.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ticket_requester_page').on('ticket').columns(['requester_id', 'updated_at', 'id']).execute()
  await db.schema.dropIndex('ticket_requester').execute()
  await db.schema.createIndex('ticket_organisation_page').on('ticket').columns(['organisation_id', 'updated_at', 'id']).execute()
  await db.schema.dropIndex('ticket_organisation').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('ticket_organisation').on('ticket').columns(['organisation_id', 'updated_at']).execute()
  await db.schema.dropIndex('ticket_organisation_page').execute()
  await db.schema.createIndex('ticket_requester').on('ticket').columns(['requester_id', 'updated_at']).execute()
  await db.schema.dropIndex('ticket_requester_page').execute()
}
