import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Near and overdue handoffs told once (issue 16): per handoff and target (pick-up, return) the level already
// told, null, 'near' (the back-office group heard of it) or 'overdue' (the department's team leads heard).
// A periodic job (tickets/ticket-timers.ts) tells what has newly reached a level; the notifications carry
// their own idempotency key as well, so a job run twice tells no one twice.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('escalation').addColumn('pickup_alert', 'text').execute()
  await db.schema.alterTable('escalation').addColumn('return_alert', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('escalation').dropColumn('return_alert').execute()
  await db.schema.alterTable('escalation').dropColumn('pickup_alert').execute()
}
