import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { escalationRepository } from './escalation.repository.js'
import type { HandoffClock } from './handoff-clock.js'
import { applyPatch } from './ticket-patch.js'
import { ticketRepository } from './ticket.repository.js'
import { statusTimestamps } from './ticket.state.js'

export const TIMERS_QUEUE = 'tickets.timers'
const MINUTE_MS = 60_000
/** Tickets or handoffs read per round of a check. */
const BATCH = 200

/**
 * What the clock does to tickets, checked once a minute by a job (whichever worker takes it; each step is
 * idempotent, so two workers or a run repeated after a crash tell no one twice):
 * - a ticket waiting on a third party whose date has passed comes back on its group's queue (status open,
 *   with the "back from the third party" marker), and its assignee (or else its group) is told;
 * - a handoff whose running target (pick-up or return) is near is told to its back-office group, an overdue
 *   one to the department's team leads, once per handoff, target and level (escalation.pickup_alert/return_alert,
 *   and the notifications' own source key).
 */
export class TicketTimers {
  constructor(
    private readonly deps: Deps,
    private readonly handoffClock: Pick<HandoffClock, 'standing'>,
  ) {}

  /**
   * Registers the job with the runtime's queue (runtime.ts), explicitly rather than in the constructor: the
   * demo builds services of its own (with its own clock and a silent outbox) on the same queue, and those
   * must not take the job over.
   */
  registerJob() {
    this.deps.jobs.register(TIMERS_QUEUE, async (payload: { every?: boolean }) => {
      await this.run()
      if (payload.every) await this.schedule(new Date((Math.floor(this.deps.clock.now().getTime() / MINUTE_MS) + 1) * MINUTE_MS))
    })
  }

  /** Queues the next check (now when absent), once per minute however many workers start. */
  async schedule(at: Date = this.deps.clock.now()) {
    await this.deps.jobs.enqueue(this.deps.db, TIMERS_QUEUE, { every: true }, { runAt: at, dedupeKey: `${TIMERS_QUEUE}:${at.toISOString().slice(0, 16)}` })
  }

  /** One check: how many tickets came back from a third party, and how many handoff levels were told. */
  async run(): Promise<{ back: number; alerts: number }> {
    return { back: await this.backFromThirdParty(), alerts: await this.tellHandoffAlerts() }
  }

  /** Tickets whose wait on a third party ran out go back on their group's queue, each in its own transaction. */
  async backFromThirdParty(): Promise<number> {
    let back = 0
    for (;;) {
      const now = this.deps.clock.iso()
      const due = await ticketRepository.thirdPartyDue(this.deps.db, now, BATCH)
      let moved = 0
      for (const { id } of due) {
        try {
          moved += await this.deps.transaction(async (trx) => {
            const current = await ticketRepository.findById(trx, id)
            if (!current || current.status !== 'waiting_for_third_party' || !current.third_party_until || current.third_party_until > now) return 0
            const events: DomainEvent[] = []
            const next = await applyPatch(this.deps, trx, current, { status: 'open', ...statusTimestamps('open', now), third_party_back_at: now }, null, events)
            events.push({ type: 'ticket.third-party-back', ticketId: next.id, groupId: next.group_id, assigneeId: next.assignee_id, until: current.third_party_until, at: now })
            await this.deps.outbox.append(trx, events)
            return 1
          })
        } catch (err) {
          // An agent changed the ticket at the same moment: theirs wins; the next check sees it as it is now.
          if (!(err instanceof AppError && err.code === 'precondition_failed')) throw err
        }
      }
      back += moved
      if (due.length < BATCH || moved === 0) return back
    }
  }

  /** Handoffs that newly reached near or overdue on their running target are told, once per level. */
  async tellHandoffAlerts(): Promise<number> {
    let told = 0
    let after = ''
    for (;;) {
      const rows = await escalationRepository.alertCandidates(this.deps.db, after, BATCH)
      if (rows.length === 0) return told
      const now = this.deps.clock.now()
      const standing = await this.handoffClock.standing(this.deps.db, rows, now)
      for (const row of rows) {
        const clock = standing.get(row.id)
        if (!clock?.running || (clock.state !== 'near' && clock.state !== 'overdue')) continue
        const target = clock.running
        const level = clock.state
        const already = target === 'pickup' ? row.pickup_alert : row.return_alert
        if (already === level || already === 'overdue') continue
        told += await this.deps.transaction(async (trx) => {
          if (!(await escalationRepository.markAlert(trx, row.id, target, level))) return 0
          await this.deps.outbox.append(trx, [
            { type: 'handoff.alert', ticketId: row.ticket_id, escalationId: row.id, groupId: row.group_id, departmentId: row.department_id, target, level, dueAt: clock.dueAt!, at: now.toISOString() },
          ])
          return 1
        })
      }
      after = rows[rows.length - 1].id
      if (rows.length < BATCH) return told
    }
  }
}
