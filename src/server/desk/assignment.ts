import { OPEN_STATUSES } from '../../shared/api/tickets.js'
import type { Executor } from '../db/schema.js'

/** A group as assignment needs it: how it assigns, and (round robin) whose turn it was last. */
export interface AssigningGroup {
  id: string
  assignment: string
}

/** An agent's availability; no row means available, without a limit. */
export interface Availability {
  available: boolean
  openTicketLimit: number | null
}

export const availabilityRepository = {
  of: async (db: Executor, userId: string): Promise<Availability> => {
    const row = await db.selectFrom('agent_availability').selectAll().where('user_id', '=', userId).executeTakeFirst()
    return { available: row ? row.available === 1 : true, openTicketLimit: row?.open_ticket_limit ?? null }
  },
  save: (db: Executor, userId: string, a: Availability, at: string) =>
    db
      .insertInto('agent_availability')
      .values({ user_id: userId, available: a.available ? 1 : 0, open_ticket_limit: a.openTicketLimit, updated_at: at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ available: a.available ? 1 : 0, open_ticket_limit: a.openTicketLimit, updated_at: at }))
      .execute(),
}

/**
 * Who a ticket that lands in a group (new, or escalated to it) goes to, inside the caller's transaction:
 * nobody when the group does not assign; otherwise, among its active members who are available and under
 * their limit of open tickets, the next in turn after the last one (round robin) or the one with the fewest
 * open tickets (ties: in turn). Null when no one qualifies: the ticket waits in the group's queue.
 */
export async function pickAssignee(db: Executor, group: AssigningGroup): Promise<string | null> {
  if (group.assignment !== 'round_robin' && group.assignment !== 'fewest_open') return null
  const eligible = await eligibleMembers(db, group.id)
  if (eligible.length === 0) return null
  // Two tickets arriving together go to two agents, not one: the turn is taken by a compare-and-set on the
  // group's cursor (the same inside a transaction or not, on both databases); who loses reads the turn again.
  for (let attempt = 0; attempt < 20; attempt++) {
    const row = await db.selectFrom('agent_group').select('assignment_cursor').where('id', '=', group.id).executeTakeFirst()
    if (!row) return null
    const chosen = nextInTurn(eligible, group.assignment, row.assignment_cursor)
    const taken = await db
      .updateTable('agent_group')
      .set({ assignment_cursor: chosen.id })
      .where('id', '=', group.id)
      .where('assignment_cursor', row.assignment_cursor === null ? 'is' : '=', row.assignment_cursor)
      .executeTakeFirst()
    if (Number(taken.numUpdatedRows) === 1) {
      chosen.open++ // a later turn of the same call would see it
      return chosen.id
    }
  }
  return null
}

interface Candidate { id: string; open: number }

/** The group's active members who are available and under their limit, by id, with their open tickets. */
async function eligibleMembers(db: Executor, groupId: string): Promise<Candidate[]> {
  const members = await db
    .selectFrom('group_member')
    .innerJoin('app_user', 'app_user.id', 'group_member.user_id')
    .leftJoin('agent_availability', 'agent_availability.user_id', 'group_member.user_id')
    .select(['group_member.user_id as id', 'agent_availability.available', 'agent_availability.open_ticket_limit'])
    .where('group_member.group_id', '=', groupId)
    .where('app_user.active', '=', 1)
    .where('app_user.role', '!=', 'customer')
    .orderBy('group_member.user_id')
    .execute()
  const available = members.filter((m) => m.available !== 0)
  if (available.length === 0) return []
  const open = new Map(
    (
      await db
        .selectFrom('ticket')
        .select((eb) => ['assignee_id', eb.fn.countAll<number>().as('n')])
        .where('assignee_id', 'in', available.map((c) => c.id))
        .where('status', 'in', [...OPEN_STATUSES])
        .groupBy('assignee_id')
        .execute()
    ).map((r) => [r.assignee_id, Number(r.n)]),
  )
  return available
    .map((m) => ({ id: m.id, open: open.get(m.id) ?? 0, limit: m.open_ticket_limit }))
    .filter((m) => m.limit === null || m.open < m.limit)
    .map(({ id, open }) => ({ id, open }))
}

/** In turn: the first after the last one chosen, in a fixed order, starting again at the top; fewest open: the least loaded, ties in turn. */
function nextInTurn(eligible: Candidate[], mode: string, cursor: string | null): Candidate {
  const after = cursor ?? ''
  const inTurn = [...eligible.filter((c) => c.id > after), ...eligible.filter((c) => c.id <= after)]
  let chosen = inTurn[0]
  if (mode === 'fewest_open') for (const c of inTurn) if (c.open < chosen.open) chosen = c
  return chosen
}
