import type { HandoffClockView } from '../../shared/api/escalations.js'
import type { CalendarService } from '../calendars/calendar.service.js'
import type { BusinessCalendar } from '../calendars/business-time.js'
import type { EscalationRow, Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { escalationRepository } from './escalation.repository.js'

export interface HandoffClockPeers {
  desk: Pick<DeskService, 'handoffSettingsOf'>
  calendars: Pick<CalendarService, 'calendarFor'>
}

/** A handoff is near its target when no more than this share of the target's business time is left. */
export const NEAR_SHARE = 0.25
/** Open handoffs read and written per round of a recomputation (5,000 × 3 values stays under SQLite's 32,766 parameters). */
const BATCH = 5000

interface GroupClock { calendar: BusinessCalendar; pickup: number | null; ret: number | null }

/**
 * The handoff clock (OLA), separate from any customer deadline: per back-office group a target to pick an
 * escalated ticket up and one to return it to the desk, both in business minutes from the escalation on
 * the group's calendar (its own, else its department's, else the default). The due moments are stored on
 * the handoff when it is escalated and computed again for every open handoff when a calendar or a target
 * changes; how long a handoff has taken and how much is left are worked out when it is read.
 */
export class HandoffClock {
  constructor(
    private readonly deps: Pick<Deps, 'db' | 'transaction' | 'dialect'>,
    private readonly peers: HandoffClockPeers,
  ) {}

  private async clocksOf(db: Executor, groupIds: readonly string[] | null): Promise<Map<string, GroupClock>> {
    const settings = await this.peers.desk.handoffSettingsOf(db, groupIds)
    const calendars = new Map<string | null, BusinessCalendar>()
    const clocks = new Map<string, GroupClock>()
    for (const [groupId, s] of settings) {
      let calendar = calendars.get(s.calendarId)
      if (!calendar) calendars.set(s.calendarId, (calendar = (await this.peers.calendars.calendarFor(db, s.calendarId)).calendar))
      clocks.set(groupId, { calendar, pickup: s.pickupTargetMinutes, ret: s.returnTargetMinutes })
    }
    return clocks
  }

  private static due(clock: GroupClock | undefined, escalatedAt: string) {
    const from = new Date(escalatedAt)
    const at = (minutes: number | null | undefined) => (minutes ? (clock!.calendar.addMinutes(from, minutes)?.toISOString() ?? null) : null)
    return { pickup_due_at: at(clock?.pickup), return_due_at: at(clock?.ret) }
  }

  /** The due moments of a handoff to this group escalated at this moment. */
  async dueTimes(db: Executor, groupId: string, escalatedAt: string) {
    return HandoffClock.due((await this.clocksOf(db, [groupId])).get(groupId), escalatedAt)
  }

  /**
   * The due moments of every open handoff (escalated or picked up) in these groups (null: all), computed
   * again after a calendar or target changed; read and written five thousand at a time, each round its own
   * short transaction. Answers how many were computed.
   */
  async recompute(groupIds: readonly string[] | null): Promise<number> {
    const clocks = await this.clocksOf(this.deps.db, groupIds)
    let after = ''
    let done = 0
    for (;;) {
      const rows = await escalationRepository.openForClock(this.deps.db, groupIds, after, BATCH)
      if (rows.length === 0) return done
      const due = rows.map((r) => ({ id: r.id, ...HandoffClock.due(clocks.get(r.group_id), r.escalated_at) }))
      await this.deps.transaction((trx) => escalationRepository.setDueTimes(trx, this.deps.dialect.kind, due))
      done += rows.length
      after = rows[rows.length - 1].id
      if (rows.length < BATCH) return done
    }
  }

  /** Where each handoff stands against its targets, in business time, at `now`. */
  async standing(db: Executor, rows: readonly EscalationRow[], now: Date): Promise<Map<string, HandoffClockView>> {
    const clocks = await this.clocksOf(db, [...new Set(rows.map((r) => r.group_id))])
    return new Map(rows.map((r) => [r.id, HandoffClock.view(r, clocks.get(r.group_id), now)]))
  }

  static view(r: EscalationRow, clock: GroupClock | undefined, now: Date): HandoffClockView {
    const base = { pickupDueAt: r.pickup_due_at, returnDueAt: r.return_due_at }
    if (!clock) return { ...base, running: null, dueAt: null, businessMinutes: 0, minutesLeft: null, state: 'none' }
    const stoppedAt = r.returned_at ?? r.done_at
    const end = stoppedAt ? new Date(stoppedAt) : now
    const businessMinutes = clock.calendar.minutesBetween(new Date(r.escalated_at), end)
    if (stoppedAt) {
      // Back at the desk (or over): the clock has stopped; whether it came back in time is what is left to say.
      const late = r.return_due_at !== null && (r.returned_at ?? r.done_at!) > r.return_due_at
      return { ...base, running: null, dueAt: r.return_due_at, businessMinutes, minutesLeft: null, state: r.return_due_at === null ? 'none' : late ? 'overdue' : 'ok' }
    }
    // Waiting to be picked up, the pick-up target runs (if the group has one); once picked up, the return target.
    const running = r.state === 'escalated' && r.pickup_due_at ? 'pickup' : r.return_due_at ? 'return' : null
    if (!running) return { ...base, running: null, dueAt: null, businessMinutes, minutesLeft: null, state: 'none' }
    const dueAt = running === 'pickup' ? r.pickup_due_at! : r.return_due_at!
    const due = new Date(dueAt)
    const minutesLeft = now < due ? clock.calendar.minutesBetween(now, due) : -clock.calendar.minutesBetween(due, now)
    const target = (running === 'pickup' ? clock.pickup : clock.ret) ?? 0
    const state = now >= due ? 'overdue' : minutesLeft <= Math.ceil(target * NEAR_SHARE) ? 'near' : 'ok'
    return { ...base, running, dueAt, businessMinutes, minutesLeft, state }
  }
}
