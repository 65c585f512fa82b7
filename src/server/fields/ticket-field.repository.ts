import type { Insertable, Updateable } from 'kysely'
import type { Executor, TicketFieldTable, TicketFieldValueTable } from '../db/schema.js'

/** All Kysely code for ticket fields (definitions) and their values. */
export const ticketFieldRepository = {
  list: (db: Executor) => db.selectFrom('ticket_field').selectAll().orderBy('position').orderBy('id').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('ticket_field').selectAll().where('id', '=', id).executeTakeFirst(),
  keyTaken: async (db: Executor, key: string) => !!(await db.selectFrom('ticket_field').select('id').where('key', '=', key).executeTakeFirst()),
  lastPosition: async (db: Executor) => Number((await db.selectFrom('ticket_field').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst())?.p ?? 0),
  insert: (db: Executor, row: Insertable<TicketFieldTable>) => db.insertInto('ticket_field').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<TicketFieldTable>) => db.updateTable('ticket_field').set(patch).where('id', '=', id).executeTakeFirst(),
  delete: (db: Executor, id: string) => db.deleteFrom('ticket_field').where('id', '=', id).execute(),
  valueCount: async (db: Executor, fieldId: string) =>
    Number((await db.selectFrom('ticket_field_value').select((eb) => eb.fn.countAll<number>().as('n')).where('field_id', '=', fieldId).executeTakeFirst())?.n ?? 0),

  valuesOf: (db: Executor, ticketIds: readonly string[]) =>
    ticketIds.length === 0
      ? Promise.resolve([] as TicketFieldValueTable[])
      : db.selectFrom('ticket_field_value').selectAll().where('ticket_id', 'in', ticketIds).orderBy('ticket_id').orderBy('field_id').orderBy('position').execute(),
  /** Replaces one field's values on one ticket (none: the field is emptied). */
  async replace(db: Executor, ticketId: string, fieldId: string, rows: readonly TicketFieldValueTable[]) {
    await db.deleteFrom('ticket_field_value').where('ticket_id', '=', ticketId).where('field_id', '=', fieldId).execute()
    if (rows.length) await db.insertInto('ticket_field_value').values([...rows]).execute()
  },
  insertMany: (db: Executor, rows: readonly TicketFieldValueTable[]) =>
    rows.length ? db.insertInto('ticket_field_value').values([...rows]).execute() : Promise.resolve(),
  /**
   * Anonymising tickets (privacy/: erasure, retention): the values of free-text fields, and their earlier
   * values in the history, become `replacement`; choices, numbers, dates and yes/no stay for statistics.
   */
  async anonymiseFreeText(db: Executor, ticketIds: readonly string[], replacement: string): Promise<void> {
    const fields = await db.selectFrom('ticket_field').select(['id', 'key']).where('type', '=', 'text').execute()
    if (fields.length === 0 || ticketIds.length === 0) return
    const ids = [...ticketIds]
    await db
      .updateTable('ticket_field_value')
      .set({ value_text: replacement })
      .where('ticket_id', 'in', ids)
      .where('field_id', 'in', fields.map((f) => f.id))
      .where('value_text', 'is not', null)
      .execute()
    await db
      .updateTable('ticket_history')
      .set((eb) => ({
        old_value: eb.case().when('old_value', 'is', null).then(null).else(replacement).end(),
        new_value: eb.case().when('new_value', 'is', null).then(null).else(replacement).end(),
      }))
      .where('ticket_id', 'in', ids)
      .where('field', 'in', fields.map((f) => `customFields.${f.key}`))
      .execute()
  },
}
