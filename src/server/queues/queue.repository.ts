import type { Insertable, Updateable } from 'kysely'
import type { Executor, QueueOverviewTable } from '../db/schema.js'

export const overviewRepository = {
  list: (db: Executor) => db.selectFrom('queue_overview').selectAll().orderBy('position').orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('queue_overview').selectAll().where('id', '=', id).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<QueueOverviewTable>) => db.insertInto('queue_overview').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<QueueOverviewTable>) => db.updateTable('queue_overview').set(patch).where('id', '=', id).execute(),
  remove: async (db: Executor, id: string) => Number((await db.deleteFrom('queue_overview').where('id', '=', id).executeTakeFirst()).numDeletedRows),
}
