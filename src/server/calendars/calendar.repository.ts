import type { Insertable, Updateable } from 'kysely'
import { countRows as count } from '../db/rows.js'
import type { BusinessCalendarTable, Executor } from '../db/schema.js'

export const calendarRepository = {
  list: (db: Executor) => db.selectFrom('business_calendar').selectAll().orderBy('is_default', 'desc').orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('business_calendar').selectAll().where('id', '=', id).executeTakeFirst(),
  findByName: (db: Executor, name: string) => db.selectFrom('business_calendar').selectAll().where('name', '=', name).executeTakeFirst(),
  findDefault: (db: Executor) => db.selectFrom('business_calendar').selectAll().where('is_default', '=', 1).orderBy('created_at').limit(1).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<BusinessCalendarTable>) => db.insertInto('business_calendar').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<BusinessCalendarTable>) => db.updateTable('business_calendar').set(patch).where('id', '=', id).execute(),
  /** Only one default: the others stop being it. */
  clearDefault: (db: Executor, exceptId: string) => db.updateTable('business_calendar').set({ is_default: 0 }).where('id', '!=', exceptId).where('is_default', '=', 1).execute(),
  remove: (db: Executor, id: string) => db.deleteFrom('business_calendar').where('id', '=', id).execute(),
  /** The groups and departments that name the calendar (a delete is refused while any do). */
  dependants: async (db: Executor, id: string) => ({
    groups: await count(db.selectFrom('agent_group').where('calendar_id', '=', id)),
    departments: await count(db.selectFrom('department').where('calendar_id', '=', id)),
  }),
}
