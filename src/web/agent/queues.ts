import type { TicketQuery } from '../../shared/api/tickets.js'
import type { Group } from './api.js'

export const OPEN_STATUSES = 'new,open,waiting_for_customer,waiting_for_third_party'
/** A group's active queue: open work without the tickets waiting on a third party (they come back on their date). */
export const ACTIVE_STATUSES = 'new,open,waiting_for_customer'
export const PAGE_SIZE = 100

export interface QueueDef {
  id: string
  /** i18n key, or a literal name for groups */
  labelKey?: string
  label?: string
  query: TicketQuery
}

export function fixedQueues(): QueueDef[] {
  return [
    { id: 'mine', labelKey: 'queues.mine', query: { assigneeId: 'me', status: OPEN_STATUSES } },
    { id: 'unassigned', labelKey: 'queues.unassigned', query: { assigneeId: 'none', status: ACTIVE_STATUSES } },
    { id: 'waiting', labelKey: 'queues.waiting', query: { status: 'waiting_for_customer' } },
    { id: 'third-party', labelKey: 'queues.thirdParty', query: { status: 'waiting_for_third_party' } },
    { id: 'escalated', labelKey: 'queues.escalated', query: { escalatedBy: 'me', status: OPEN_STATUSES } },
    { id: 'open', labelKey: 'queues.open', query: { status: OPEN_STATUSES } },
    { id: 'closed', labelKey: 'queues.closed', query: { status: 'resolved,closed' } },
  ]
}

export function groupQueues(groups: Group[], myGroupIds: string[]): QueueDef[] {
  const mine = groups.filter((g) => myGroupIds.includes(g.id))
  const list = mine.length > 0 ? mine : groups
  return list.map((g) => ({ id: `group-${g.id}`, label: g.name, query: { groupId: g.id, status: ACTIVE_STATUSES } }))
}

export function queueById(id: string, groups: Group[], myGroupIds: string[], q?: string): QueueDef {
  if (id === 'search') return { id, labelKey: 'queues.search', query: { q: q ?? '' } }
  if (id.startsWith('person-')) return { id, labelKey: 'queues.person', query: { requesterId: id.slice(7) } }
  const found = [...fixedQueues(), ...groupQueues(groups, myGroupIds)].find((d) => d.id === id)
  if (found) return found
  if (id.startsWith('group-')) {
    const group = groups.find((g) => `group-${g.id}` === id)
    return { id, label: group?.name ?? '…', query: { groupId: id.slice(6), status: ACTIVE_STATUSES } }
  }
  return fixedQueues()[0]
}
