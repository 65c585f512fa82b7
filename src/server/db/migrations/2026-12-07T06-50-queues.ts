import { type Kysely, sql } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Queues (issue 15): sorted by priority at a million tickets from an index on both databases. The
// expression is the one ticket.repository sorts by, character for character (SQLite uses an index on an
// expression only for that same expression). And the overviews administrators define beside the built-in
// queues: a filter, columns and a sort, shown to some roles or groups.

const PRIORITY_RANK = `(CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END)`

export async function up(db: Kysely<any>): Promise<void> {
  await sql.raw(`CREATE INDEX ticket_group_priority ON ticket (group_id, status, ${PRIORITY_RANK}, updated_at, id)`).execute(db)
  await sql.raw(`CREATE INDEX ticket_status_priority ON ticket (status, ${PRIORITY_RANK}, updated_at, id)`).execute(db)
  await db.schema
    .createTable('queue_overview')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    /** The ticket list's filters as JSON (status, priority, type, channel, groupIds, assigneeId). */
    .addColumn('filters', 'text', (c) => c.notNull())
    .addColumn('columns', 'text', (c) => c.notNull())
    .addColumn('sort', 'text', (c) => c.notNull())
    /** JSON arrays; empty: every staff role, every group. */
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('group_ids', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('queue_overview').ifExists().execute()
  await db.schema.dropIndex('ticket_status_priority').ifExists().execute()
  await db.schema.dropIndex('ticket_group_priority').ifExists().execute()
}
