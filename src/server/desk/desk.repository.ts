import type { Insertable, Updateable } from 'kysely'
import { groupBy } from '../db/rows.js'
import type { AgentGroupTable, DepartmentTable, Executor } from '../db/schema.js'

export const departmentRepository = {
  list: (db: Executor) => db.selectFrom('department').selectAll().orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('department').selectAll().where('id', '=', id).executeTakeFirst(),
  findByName: (db: Executor, name: string) => db.selectFrom('department').selectAll().where('name', '=', name).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<DepartmentTable>) => db.insertInto('department').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<DepartmentTable>) => db.updateTable('department').set(patch).where('id', '=', id).execute(),
}

export const groupRepository = {
  list: (db: Executor) => db.selectFrom('agent_group').selectAll().orderBy('line').orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('agent_group').selectAll().where('id', '=', id).executeTakeFirst(),
  findByName: (db: Executor, name: string) => db.selectFrom('agent_group').selectAll().where('name', '=', name).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<AgentGroupTable>) => db.insertInto('agent_group').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<AgentGroupTable>) => db.updateTable('agent_group').set(patch).where('id', '=', id).execute(),
  membersOf: async (db: Executor, groupIds: readonly string[]) => {
    if (groupIds.length === 0) return new Map<string, string[]>()
    const rows = await db.selectFrom('group_member').selectAll().where('group_id', 'in', groupIds).execute()
    return groupBy(rows, (r) => r.group_id, (r) => r.user_id)
  },
  setMembers: async (db: Executor, groupId: string, userIds: readonly string[]) => {
    await db.deleteFrom('group_member').where('group_id', '=', groupId).execute()
    if (userIds.length) await db.insertInto('group_member').values(userIds.map((user_id) => ({ group_id: groupId, user_id }))).execute()
  },
}
