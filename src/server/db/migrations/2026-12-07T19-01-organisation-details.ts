import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// The organisation page for staff (issue 18): how to reach the organisation (a general e-mail address,
// a phone number, a postal or visiting address) and the desk's own notes about it. All optional.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organisation').addColumn('contact_email', 'text').execute()
  await db.schema.alterTable('organisation').addColumn('contact_phone', 'text').execute()
  await db.schema.alterTable('organisation').addColumn('address', 'text').execute()
  await db.schema.alterTable('organisation').addColumn('notes', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['notes', 'address', 'contact_phone', 'contact_email']) await db.schema.alterTable('organisation').dropColumn(column).execute()
}
