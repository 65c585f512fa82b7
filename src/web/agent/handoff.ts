import type { TFunction } from 'i18next'
import { ESCALATION_VIEWS, type EscalationView } from '../../shared/api/escalations.js'
import type { Group, User } from './api.js'

/** Queue ids of the handoff views in the sidebar and the address bar: /queues/esc-mine, esc-returned, … */
export const ESCALATION_QUEUE_PREFIX = 'esc-'

/** The escalation view a queue id names ("esc-returned"), if it is one. */
export function escalationViewOf(queueId: string): EscalationView | null {
  const view = queueId.startsWith(ESCALATION_QUEUE_PREFIX) ? queueId.slice(ESCALATION_QUEUE_PREFIX.length) : ''
  return (ESCALATION_VIEWS as readonly string[]).includes(view) ? (view as EscalationView) : null
}

/** Whether this user works in the group (as its member, or by their own group list). */
export const inGroup = (user: Pick<User, 'id' | 'groupIds'>, g: Group | undefined): boolean => !!g && (g.memberIds.includes(user.id) || user.groupIds.includes(g.id))

/**
 * Which handoff queues a person sees in the sidebar: everyone their own escalations and those back from the
 * back office; members of a back-office group (line 2 or 3) "Voor ons"; team leads and administrators the
 * late ones (the API refuses that view to anyone else).
 */
export function escalationViewsFor(user: Pick<User, 'id' | 'groupIds' | 'role'>, groups: Group[]): EscalationView[] {
  const backOffice = groups.some((g) => g.line > 1 && inGroup(user, g))
  return ESCALATION_VIEWS.filter((v) => (v === 'ours' ? backOffice : v === 'overdue' ? user.role === 'supervisor' || user.role === 'admin' : true))
}

/** Business minutes as the desk reads them: "45 min", "2 u 15 min". */
export function businessDuration(minutes: number, t: TFunction): string {
  const m = Math.max(0, Math.round(minutes))
  return m < 60 ? t('handoff.duration.minutes', { m }) : t('handoff.duration.hours', { h: Math.floor(m / 60), m: m % 60 })
}
