import { type Insertable, sql, type Updateable } from 'kysely'
import type { EscalationRow, EscalationTable, Executor } from '../db/schema.js'

/**
 * The handoffs still waiting for the back office, written as the partial index escalation_waiting_group
 * says it: a planner only uses that index for the same predicate with literal values, not parameters.
 */
const waitingForBackOffice = sql<boolean>`state IN ('escalated', 'picked_up')`

export const escalationRepository = {
  /** Open handoffs (escalated or picked up) by id, for computing their due times again. */
  openForClock: (db: Executor, groupIds: readonly string[] | null, afterId: string, limit: number) =>
    db
      .selectFrom('escalation')
      .select(['id', 'group_id', 'escalated_at'])
      .where(waitingForBackOffice)
      .$if(groupIds !== null, (qb) => qb.where('group_id', 'in', groupIds!))
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute(),
  /**
   * New due times for many handoffs in one statement. PostgreSQL takes three arrays (three parameters,
   * whatever the number of rows: less to send and plan than a VALUES list); SQLite, without arrays, a VALUES list.
   */
  setDueTimes: async (db: Executor, kind: 'sqlite' | 'postgres', rows: readonly { id: string; pickup_due_at: string | null; return_due_at: string | null }[]) => {
    if (rows.length === 0) return
    if (kind === 'postgres') {
      await sql`UPDATE escalation SET pickup_due_at = v.p, return_due_at = v.r
        FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.pickup_due_at)}::text[], ${rows.map((r) => r.return_due_at)}::text[]) AS v(id, p, r)
        WHERE escalation.id = v.id`.execute(db)
      return
    }
    const values = sql.join(rows.map((r) => sql`(${r.id}, ${r.pickup_due_at}, ${r.return_due_at})`))
    await sql`WITH v(id, p, r) AS (VALUES ${values}) UPDATE escalation SET pickup_due_at = v.p, return_due_at = v.r FROM v WHERE escalation.id = v.id`.execute(db)
  },
  /** Handoffs past a target in these groups, oldest first: waiting past pick-up, or not back by the return due time. */
  overdueIn: async (db: Executor, groupIds: readonly string[] | null, now: string, opts: { after?: { at: string; id: string }; limit: number }) =>
    db
      .selectFrom('escalation')
      .selectAll()
      .$if(groupIds !== null, (qb) => qb.where('group_id', 'in', groupIds!))
      .where(waitingForBackOffice)
      .where((eb) => eb.or([eb.and([eb('state', '=', 'escalated'), eb('pickup_due_at', '<=', now)]), eb('return_due_at', '<=', now)]))
      .$if(!!opts.after, (qb) =>
        qb.where((eb) => eb.or([eb('escalated_at', '>', opts.after!.at), eb.and([eb('escalated_at', '=', opts.after!.at), eb('id', '>', opts.after!.id)])])),
      )
      .orderBy('escalated_at', 'asc')
      .orderBy('id', 'asc')
      .limit(opts.limit)
      .execute(),
  /**
   * Open handoffs whose running target may still reach a level not yet told (near, overdue), by id: what
   * the periodic check reads (ticket-timers.ts), a batch at a time.
   */
  alertCandidates: (db: Executor, afterId: string, limit: number) =>
    db
      .selectFrom('escalation')
      .selectAll()
      .where(waitingForBackOffice)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', '=', 'escalated'), eb('pickup_due_at', 'is not', null), eb.or([eb('pickup_alert', 'is', null), eb('pickup_alert', '!=', 'overdue')])]),
          eb.and([eb('return_due_at', 'is not', null), eb.or([eb('return_alert', 'is', null), eb('return_alert', '!=', 'overdue')])]),
        ]),
      )
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute(),
  /** Records that a level was told for a target; false when it (or a later one) was told already (another worker). */
  markAlert: async (db: Executor, id: string, target: 'pickup' | 'return', level: 'near' | 'overdue') => {
    const column = target === 'pickup' ? 'pickup_alert' : 'return_alert'
    const result = await db
      .updateTable('escalation')
      .set({ [column]: level })
      .where('id', '=', id)
      .where(waitingForBackOffice)
      .where((eb) => (level === 'near' ? eb(column, 'is', null) : eb.or([eb(column, 'is', null), eb(column, '=', 'near')])))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },
  insert: (db: Executor, row: Insertable<EscalationTable>) => db.insertInto('escalation').values(row).execute(),
  /** The handoff under way on a ticket (at most one: escalation_active_ticket). */
  findActive: (db: Executor, ticketId: string) =>
    db.selectFrom('escalation').selectAll().where('ticket_id', '=', ticketId).where('done_at', 'is', null).executeTakeFirst(),
  activeOf: async (db: Executor, ticketIds: readonly string[]) => {
    if (ticketIds.length === 0) return new Map<string, EscalationRow>()
    const rows = await db.selectFrom('escalation').selectAll().where('ticket_id', 'in', ticketIds).where('done_at', 'is', null).execute()
    return new Map(rows.map((r) => [r.ticket_id, r]))
  },
  listForTicket: (db: Executor, ticketId: string) =>
    db.selectFrom('escalation').selectAll().where('ticket_id', '=', ticketId).orderBy('escalated_at').orderBy('id').execute(),
  update: (db: Executor, id: string, patch: Updateable<EscalationTable>) => db.updateTable('escalation').set(patch).where('id', '=', id).execute(),
  /** A back-office member took the ticket or wrote on it: the handoff is picked up (once). */
  markPickedUp: (db: Executor, ticketId: string, userId: string | null, at: string) =>
    db
      .updateTable('escalation')
      .set({ state: 'picked_up', picked_up_at: at, picked_up_by: userId })
      .where('ticket_id', '=', ticketId)
      .where('done_at', 'is', null)
      .where('state', '=', 'escalated')
      .execute(),
  /** The desk answered the customer or the ticket was resolved: the handoff under way is over. */
  finish: (db: Executor, ticketId: string, at: string, states: readonly string[]) =>
    db
      .updateTable('escalation')
      .set({ state: 'done', done_at: at })
      .where('ticket_id', '=', ticketId)
      .where('done_at', 'is', null)
      .where('state', 'in', states)
      .execute(),
  ticketSummaries: (db: Executor, ids: readonly string[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : db.selectFrom('ticket').select(['id', 'number', 'subject', 'status', 'priority', 'requester_id', 'version']).where('id', 'in', ids).execute(),
  /** The proposed replies of handoffs (internal articles). */
  articles: (db: Executor, ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve([]) : db.selectFrom('article').select(['id', 'body', 'author_id', 'metadata']).where('id', 'in', ids).execute(),
  setCoordinator: (db: Executor, ticketId: string, coordinatorId: string | null) =>
    db.updateTable('escalation').set({ coordinator_id: coordinatorId }).where('ticket_id', '=', ticketId).where('done_at', 'is', null).execute(),
  /** "Mijn escalaties" (and "Terug van backoffice" with onlyReturned): newest handoff first. */
  coordinatedBy: (db: Executor, userId: string, opts: { onlyReturned: boolean; after?: { at: string; id: string }; limit: number }) =>
    db
      .selectFrom('escalation')
      .selectAll()
      .where('coordinator_id', '=', userId)
      .where('done_at', 'is', null)
      .$if(opts.onlyReturned, (qb) => qb.where('state', '=', 'returned'))
      .$if(!!opts.after, (qb) =>
        qb.where((eb) => eb.or([eb('escalated_at', '<', opts.after!.at), eb.and([eb('escalated_at', '=', opts.after!.at), eb('id', '<', opts.after!.id)])])),
      )
      .orderBy('escalated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(opts.limit)
      .execute(),
  /**
   * "Voor ons": the handoffs waiting in these back-office groups, oldest first. Each group's oldest from
   * its own range of the partial index, then merged: with `group_id IN (…)` PostgreSQL read the whole
   * table and sorted it (10 ms for 13,000 handoffs, growing with every handoff under way).
   */
  waitingIn: async (db: Executor, groupIds: readonly string[], opts: { after?: { at: string; id: string }; limit: number }) => {
    if (groupIds.length === 0) return []
    const oldestIn = (groupId: string) =>
      db
        .selectFrom((eb) =>
          eb
            .selectFrom('escalation')
            .selectAll()
            .where('group_id', '=', groupId)
            .where(waitingForBackOffice)
            .$if(!!opts.after, (qb) =>
              qb.where((w) => w.or([w('escalated_at', '>', opts.after!.at), w.and([w('escalated_at', '=', opts.after!.at), w('id', '>', opts.after!.id)])])),
            )
            .orderBy('escalated_at', 'asc')
            .orderBy('id', 'asc')
            .limit(opts.limit)
            .as('oldest'),
        )
        .selectAll()
    const [first, ...rest] = [...new Set(groupIds)].map(oldestIn)
    return rest
      .reduce((all, next) => all.unionAll(next), first)
      .orderBy('escalated_at', 'asc')
      .orderBy('id', 'asc')
      .limit(opts.limit)
      .execute() as Promise<EscalationRow[]>
  },
}
