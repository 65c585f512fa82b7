import type { Kysely } from 'kysely'
import { parsePhoneNumber } from 'awesome-phonenumber'

// Frozen in time: this file never imports application code.
//
// Finding things (issue 15): a person by phone number in any notation, through the number in E.164
// (+31612345678) beside the text as typed, indexed.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('phone_e164', 'text').execute()
  await db.schema.createIndex('app_user_phone_e164').on('app_user').column('phone_e164').execute()
  const people = await db.selectFrom('app_user').select(['id', 'phone']).where('phone', 'is not', null).execute()
  for (const person of people as { id: string; phone: string }[]) {
    const e164 = parsePhoneNumber(person.phone, { regionCode: 'NL' }).number?.e164
    if (e164) await db.updateTable('app_user').set({ phone_e164: e164 }).where('id', '=', person.id).execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('app_user_phone_e164').ifExists().execute()
  await db.schema.alterTable('app_user').dropColumn('phone_e164').execute()
}
