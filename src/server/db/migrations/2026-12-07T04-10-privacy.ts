import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Privacy (src/server/privacy): the people erased (anonymised in place) with their sequence number
// ("Geanonimiseerde klant #n"), the tickets whose content was anonymised (by an erasure or a
// department's retention rule), and those retention rules.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_erasure')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id'))
    .addColumn('number', 'integer', (c) => c.notNull().unique())
    .addColumn('erased_by', 'text')
    .addColumn('erased_at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('anonymised_ticket')
    .addColumn('ticket_id', 'text', (c) => c.primaryKey().references('ticket.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('anonymised_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('retention_rule')
    .addColumn('department_id', 'text', (c) => c.primaryKey().references('department.id').onDelete('cascade'))
    .addColumn('months', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('retention_rule').ifExists().execute()
  await db.schema.dropTable('anonymised_ticket').ifExists().execute()
  await db.schema.dropTable('person_erasure').ifExists().execute()
}
