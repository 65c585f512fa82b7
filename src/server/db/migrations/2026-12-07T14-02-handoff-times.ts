import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Handoff times (OLA) and assignment within a group (issue 16):
// - business_calendar: weekly hours per weekday (JSON), which Dutch public holidays close it (JSON),
//   closing days (JSON), a time zone; one may be the default (is_default = 1).
// - a department and a group may name their calendar; a group has a target to pick up and a target to
//   return an escalated ticket (business minutes) and an assignment rule (off, round_robin, fewest_open)
//   with the last member it gave a ticket to (for round robin).
// - agent_availability: an agent's switch (beschikbaar / afwezig) and optional limit of open tickets.
// - escalation: the due moments of the handoff clock, computed when a ticket is escalated or picked up,
//   and again for every open handoff after a calendar or target changes.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('business_calendar')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('holidays', 'text', (c) => c.notNull())
    .addColumn('closing_days', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.alterTable('department').addColumn('calendar_id', 'text', (c) => c.references('business_calendar.id')).execute()
  await db.schema.alterTable('agent_group').addColumn('calendar_id', 'text', (c) => c.references('business_calendar.id')).execute()
  await db.schema.alterTable('agent_group').addColumn('pickup_target_minutes', 'integer').execute()
  await db.schema.alterTable('agent_group').addColumn('return_target_minutes', 'integer').execute()
  await db.schema.alterTable('agent_group').addColumn('assignment', 'text', (c) => c.notNull().defaultTo('off')).execute()
  await db.schema.alterTable('agent_group').addColumn('assignment_cursor', 'text').execute()
  await db.schema
    .createTable('agent_availability')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('app_user.id').onDelete('cascade'))
    .addColumn('available', 'integer', (c) => c.notNull())
    .addColumn('open_ticket_limit', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.alterTable('escalation').addColumn('pickup_due_at', 'text').execute()
  await db.schema.alterTable('escalation').addColumn('return_due_at', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('escalation').dropColumn('return_due_at').execute()
  await db.schema.alterTable('escalation').dropColumn('pickup_due_at').execute()
  await db.schema.dropTable('agent_availability').ifExists().execute()
  for (const column of ['assignment_cursor', 'assignment', 'return_target_minutes', 'pickup_target_minutes', 'calendar_id']) {
    await db.schema.alterTable('agent_group').dropColumn(column).execute()
  }
  await db.schema.alterTable('department').dropColumn('calendar_id').execute()
  await db.schema.dropTable('business_calendar').ifExists().execute()
}
