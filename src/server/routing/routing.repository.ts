import type { Insertable, Updateable } from 'kysely'
import type { Executor, RoutingRuleTable } from '../db/schema.js'

export const routingRuleRepository = {
  list: (db: Executor) => db.selectFrom('routing_rule').selectAll().orderBy('position').orderBy('created_at').orderBy('id').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('routing_rule').selectAll().where('id', '=', id).executeTakeFirst(),
  lastPosition: async (db: Executor) =>
    Number((await db.selectFrom('routing_rule').select((eb) => eb.fn.max<number>('position').as('last')).executeTakeFirst())?.last ?? 0),
  insert: (db: Executor, row: Insertable<RoutingRuleTable>) => db.insertInto('routing_rule').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<RoutingRuleTable>) => db.updateTable('routing_rule').set(patch).where('id', '=', id).executeTakeFirst(),
  delete: (db: Executor, id: string) => db.deleteFrom('routing_rule').where('id', '=', id).executeTakeFirst(),
  setPosition: (db: Executor, id: string, position: number, at: string) =>
    db.updateTable('routing_rule').set({ position, updated_at: at }).where('id', '=', id).execute(),
}
