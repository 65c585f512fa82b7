import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// The transactional outbox (src/server/outbox): domain events written in the same transaction as the
// change they describe, and taken out by whichever process handles them. A row lives from its commit
// until its handlers have run; one whose handlers keep failing waits (available_at) and is finally
// kept as 'failed' with the error, for an operator to see.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('available_at', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['status', 'available_at']).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox').ifExists().execute()
}
