import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Signatures (issue 15): a group's signature template (with placeholders such as {{agent.naam}} and
// {{groep.naam}}), set in Beheer → Groepen, and each person's own part of it, set on their profile page.
// Both empty by default: then a reply's mail gets the sending mailbox's signature, as before.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agent_group').addColumn('signature_template', 'text', (c) => c.notNull().defaultTo('')).execute()
  await db.schema.alterTable('app_user').addColumn('signature', 'text', (c) => c.notNull().defaultTo('')).execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('signature').execute()
  await db.schema.alterTable('agent_group').dropColumn('signature_template').execute()
}
