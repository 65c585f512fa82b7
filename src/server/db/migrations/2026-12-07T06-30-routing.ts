import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Routing rules (src/server/routing): ordered by position, conditions and actions as JSON objects,
// read by one engine that runs on every new ticket.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('routing_rule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('routing_rule').ifExists().execute()
}
