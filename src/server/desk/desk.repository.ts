import type { Insertable, Updateable } from 'kysely'
import { countRows as count, groupBy } from '../db/rows.js'
import type { AgentGroupTable, DepartmentTable, Executor } from '../db/schema.js'

export const departmentRepository = {
  list: (db: Executor) => db.selectFrom('department').selectAll().orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('department').selectAll().where('id', '=', id).executeTakeFirst(),
  findByName: (db: Executor, name: string) => db.selectFrom('department').selectAll().where('name', '=', name).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<DepartmentTable>) => db.insertInto('department').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<DepartmentTable>) => db.updateTable('department').set(patch).where('id', '=', id).execute(),
  remove: (db: Executor, id: string) => db.deleteFrom('department').where('id', '=', id).execute(),
  /**
   * What would break or vanish with the department: its groups, the tickets that name it and the
   * templates shared with it. Read-only counts over the tables that point here (a delete is refused
   * while any is above zero).
   */
  dependants: async (db: Executor, id: string) => ({
    groups: await count(db.selectFrom('agent_group').where('department_id', '=', id)),
    tickets: await count(db.selectFrom('ticket').where('department_id', '=', id)),
    templates: await count(db.selectFrom('template').where('department_id', '=', id)),
    // A routing rule's actions are JSON: its department and its group, by id (ids hold no LIKE wildcards).
    routingRules: await count(db.selectFrom('routing_rule').where('actions', 'like', `%"departmentId":"${id}"%`)),
  }),
}

export const groupRepository = {
  list: (db: Executor) => db.selectFrom('agent_group').selectAll().orderBy('line').orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('agent_group').selectAll().where('id', '=', id).executeTakeFirst(),
  findByName: (db: Executor, name: string) => db.selectFrom('agent_group').selectAll().where('name', '=', name).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<AgentGroupTable>) => db.insertInto('agent_group').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<AgentGroupTable>) => db.updateTable('agent_group').set(patch).where('id', '=', id).execute(),
  /** The first group of a line, in order of creation (the service desk: line 1). */
  firstOfLine: (db: Executor, line: number) =>
    db.selectFrom('agent_group').select(['id', 'department_id', 'assignment']).where('line', '=', line).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst(),
  /** A department's way in: its group on the lowest line, the oldest of those. */
  entryOfDepartment: (db: Executor, departmentId: string) =>
    db.selectFrom('agent_group').select(['id', 'department_id']).where('department_id', '=', departmentId).orderBy('line').orderBy('created_at').orderBy('id').limit(1).executeTakeFirst(),
  /** A group with its department's name and how many members it has: what an escalation to it needs. */
  findForHandoff: (db: Executor, id: string) =>
    db
      .selectFrom('agent_group')
      .innerJoin('department', 'department.id', 'agent_group.department_id')
      .select((eb) => [
        'agent_group.id',
        'agent_group.name',
        'agent_group.line',
        'agent_group.department_id',
        'agent_group.assignment',
        'department.name as department_name',
        eb.selectFrom('group_member').select((m) => m.fn.countAll<number>().as('n')).whereRef('group_member.group_id', '=', 'agent_group.id').as('member_count'),
      ])
      .where('agent_group.id', '=', id)
      .executeTakeFirst(),
  /** Each group's handoff targets with its own calendar and its department's. */
  handoffSettings: (db: Executor, groupIds: readonly string[] | null) =>
    db
      .selectFrom('agent_group')
      .innerJoin('department', 'department.id', 'agent_group.department_id')
      .select(['agent_group.id', 'agent_group.calendar_id', 'department.calendar_id as department_calendar_id', 'agent_group.pickup_target_minutes', 'agent_group.return_target_minutes'])
      .$if(groupIds !== null, (qb) => qb.where('agent_group.id', 'in', groupIds!))
      .execute(),
  groupIdsOfDepartmentsOfMember: async (db: Executor, userId: string) =>
    (
      await db
        .selectFrom('agent_group')
        .select('id')
        .where('department_id', 'in', (eb) =>
          eb.selectFrom('group_member').innerJoin('agent_group as g', 'g.id', 'group_member.group_id').select('g.department_id').where('group_member.user_id', '=', userId),
        )
        .execute()
    ).map((r) => r.id),
  /** Team leads (supervisors) with a group in this department: who hears of its overdue handoffs. */
  teamLeadsOfDepartment: async (db: Executor, departmentId: string) =>
    (
      await db
        .selectFrom('group_member')
        .innerJoin('agent_group as g', 'g.id', 'group_member.group_id')
        .innerJoin('app_user as u', 'u.id', 'group_member.user_id')
        .select('u.id')
        .distinct()
        .where('g.department_id', '=', departmentId)
        .where('u.role', '=', 'supervisor')
        .where('u.active', '=', 1)
        .execute()
    ).map((r) => r.id),
  groupIdsOfMember: async (db: Executor, userId: string) =>
    (await db.selectFrom('group_member').select('group_id').where('user_id', '=', userId).execute()).map((r) => r.group_id),
  linesOfMember: (db: Executor, userId: string) =>
    db
      .selectFrom('group_member')
      .innerJoin('agent_group', 'agent_group.id', 'group_member.group_id')
      .innerJoin('department', 'department.id', 'agent_group.department_id')
      .select(['agent_group.line', 'department.customer_reply_allowed'])
      .where('group_member.user_id', '=', userId)
      .execute(),
  membersOf: async (db: Executor, groupIds: readonly string[]) => {
    if (groupIds.length === 0) return new Map<string, string[]>()
    const rows = await db.selectFrom('group_member').selectAll().where('group_id', 'in', groupIds).execute()
    return groupBy(rows, (r) => r.group_id, (r) => r.user_id)
  },
  remove: (db: Executor, id: string) => db.deleteFrom('agent_group').where('id', '=', id).execute(),
  /** What points at the group: its tickets, members, the templates shared with it and the mailboxes that file into it. */
  dependants: async (db: Executor, id: string) => ({
    tickets: await count(db.selectFrom('ticket').where('group_id', '=', id)),
    members: await count(db.selectFrom('group_member').where('group_id', '=', id)),
    templates: await count(db.selectFrom('template').where('group_id', '=', id)),
    mailboxes: await count(db.selectFrom('mailbox').where('group_id', '=', id)),
    routingRules: await count(db.selectFrom('routing_rule').where('actions', 'like', `%"groupId":"${id}"%`)),
  }),
  setMembers: async (db: Executor, groupId: string, userIds: readonly string[]) => {
    await db.deleteFrom('group_member').where('group_id', '=', groupId).execute()
    if (userIds.length) await db.insertInto('group_member').values(userIds.map((user_id) => ({ group_id: groupId, user_id }))).execute()
  },
}
