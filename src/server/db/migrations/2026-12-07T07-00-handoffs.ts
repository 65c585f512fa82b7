import { type Kysely, sql } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Escalation as a step of its own (src/server/tickets/escalate-ticket.ts, return-ticket.ts): a ticket's
// coordinator (the desk agent who keeps the customer contact while a back office works on it), and one
// row per handoff with the moments the handoff clock needs (escalated, picked up, returned, done).
// The queues "Mijn escalaties" (by coordinator) and "Voor ons" (by back-office group, oldest first)
// read partial indexes that hold only the handoffs still under way.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ticket').addColumn('coordinator_id', 'text', (c) => c.references('app_user.id')).execute()
  await db.schema
    .createTable('escalation')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('ticket.id').onDelete('cascade'))
    .addColumn('from_group_id', 'text')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text')
    .addColumn('coordinator_id', 'text')
    .addColumn('escalated_by', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('handoff_note_id', 'text', (c) => c.notNull())
    .addColumn('escalated_at', 'text', (c) => c.notNull())
    .addColumn('picked_up_at', 'text')
    .addColumn('picked_up_by', 'text')
    .addColumn('returned_at', 'text')
    .addColumn('returned_by', 'text')
    .addColumn('return_note_id', 'text')
    .addColumn('proposed_reply_id', 'text')
    .addColumn('done_at', 'text')
    .execute()
  await db.schema.createIndex('escalation_ticket').on('escalation').columns(['ticket_id', 'escalated_at']).execute()
  // At most one handoff under way per ticket: two agents escalating at once cannot both succeed.
  await sql`CREATE UNIQUE INDEX escalation_active_ticket ON escalation (ticket_id) WHERE done_at IS NULL`.execute(db)
  await sql`CREATE INDEX escalation_active_coordinator ON escalation (coordinator_id, escalated_at, id) WHERE done_at IS NULL`.execute(db)
  await sql`CREATE INDEX escalation_waiting_group ON escalation (group_id, escalated_at, id) WHERE state IN ('escalated', 'picked_up')`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('escalation').ifExists().execute()
  await db.schema.alterTable('ticket').dropColumn('coordinator_id').execute()
}
