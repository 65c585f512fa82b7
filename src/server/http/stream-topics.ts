import { type Actor, isStaff } from '../accounts/actor.js'
import type { DomainEvent } from '../events.js'
import { ticketPolicy } from '../tickets/ticket.policy.js'

/**
 * What a stream socket can subscribe to:
 * - `queue:all`: every ticket the reader may see (staff: the whole desk; a customer: their own requests);
 * - `queue:<groupId>`: the tickets of one group's queue (staff);
 * - `ticket:<ticketId>`: one ticket's events, and for staff who else is viewing or typing on it;
 * - `own`: the reader's own tickets (assigned to them, or requested by them).
 */
export type Topic = 'queue:all' | 'own' | `queue:${string}` | `ticket:${string}`

const ID = /^[A-Za-z0-9_-]{1,64}$/
export const MAX_TOPICS = 100

/** A topic as a client wrote it, or undefined when it is not one. */
export function parseTopic(text: unknown): Topic | undefined {
  if (typeof text !== 'string') return undefined
  if (text === 'queue:all' || text === 'own') return text
  const [kind, id, ...rest] = text.split(':')
  if (rest.length > 0 || !ID.test(id ?? '')) return undefined
  return kind === 'queue' || kind === 'ticket' ? (text as Topic) : undefined
}

/**
 * Who an event is written out for. Everyone in one audience gets the same bytes, so an event is
 * filtered and serialised once per audience and then only copied to sockets. Staff read every ticket
 * and its internal notes (ticketPolicy.canSeeInternal); a customer reads the public activity of the
 * tickets they requested.
 */
export type Audience = 'staff' | 'customer'
export const audienceOf = (actor: Actor): Audience => (isStaff(actor) && ticketPolicy.canSeeInternal(actor) ? 'staff' : 'customer')

/** Whether a reader of this audience may subscribe to this topic at all (the events are filtered again). */
export const mayWatch = (audience: Audience, topic: Topic) => audience === 'staff' || !topic.startsWith('queue:') || topic === 'queue:all'

/**
 * The keys a socket is filed under for one of its topics. A customer's topics are scoped to them:
 * their `queue:all` and `own` are the same thing, the tickets they requested.
 */
export function routeKey(audience: Audience, userId: string, topic: Topic): string {
  if (audience === 'staff') return topic === 'own' ? `own:${userId}` : topic
  if (topic === 'queue:all' || topic === 'own') return `requester:${userId}`
  return `requester:${userId}:${topic}`
}

/**
 * The keys of a topic for a local administrator of an organisation: besides their own tickets, their
 * `queue:all` is every ticket of the organisation, and a `ticket:` topic follows any ticket of it.
 */
export function routeKeys(audience: Audience, userId: string, topic: Topic, localAdminOf?: string): string[] {
  const own = routeKey(audience, userId, topic)
  if (audience !== 'customer' || !localAdminOf || topic === 'own') return [own]
  return [own, topic === 'queue:all' ? `organisation:${localAdminOf}` : `organisation:${localAdminOf}:${topic}`]
}

/** The keys an event is delivered to, per audience that may read it; and what that audience reads. */
export function routesOf(event: DomainEvent): { audience: Audience; keys: string[]; view: object }[] {
  if (event.type === 'presence') return [{ audience: 'staff', keys: [`ticket:${event.ticketId}`], view: event }]
  if (
    event.type === 'account.access-changed' ||
    event.type === 'article.resend-requested' ||
    event.type === 'routing.rules-changed' ||
    event.type === 'ticket-fields.changed' ||
    // Told through notifications (notification.created on each member's own topic).
    event.type === 'knowledge.review-due' ||
    event.type === 'ticket.third-party-back' ||
    event.type === 'handoff.alert'
  ) {
    return []
  }
  // The author's own news (their reply did not arrive): only to them, on their `own` topic.
  if (event.type === 'article.delivery-failed') return [{ audience: 'staff', keys: [`own:${event.authorId}`], view: event }]
  // A notification is its user's alone: their `own` topic (staff only; customers get none).
  if (event.type === 'notification.created') return [{ audience: 'staff', keys: [`own:${event.userId}`], view: event }]
  const staffKeys = ['queue:all', `ticket:${event.ticketId}`, `own:${event.requesterId}`]
  for (const group of [event.groupId, 'previousGroupId' in event ? event.previousGroupId : undefined]) if (group) staffKeys.push(`queue:${group}`)
  for (const assignee of [event.assigneeId, 'previousAssigneeId' in event ? event.previousAssigneeId : undefined]) if (assignee) staffKeys.push(`own:${assignee}`)
  if (event.coordinatorId && event.coordinatorId !== event.assigneeId) staffKeys.push(`own:${event.coordinatorId}`)
  const routes: { audience: Audience; keys: string[]; view: object }[] = [{ audience: 'staff', keys: staffKeys, view: event }]
  // How a reply is getting to the customer is the desk's business, like the rest of its metadata.
  if (event.type === 'article.delivery') return routes
  // So is a handoff between the desk and a back office: the customer keeps talking to the desk.
  if (event.type === 'ticket.escalated' || event.type === 'ticket.returned') return routes
  if (event.type !== 'article.created' || event.visibility === 'public') {
    const keys = [`requester:${event.requesterId}`, `requester:${event.requesterId}:ticket:${event.ticketId}`]
    // The organisation's local administrators follow its tickets (stream-fanout files them under these keys).
    if (event.organisationId) keys.push(`organisation:${event.organisationId}`, `organisation:${event.organisationId}:ticket:${event.ticketId}`)
    routes.push({ audience: 'customer', keys, view: customerView(event) })
  }
  return routes
}

/** A customer reads what happened to their ticket, not how the desk routes it. */
function customerView(event: Exclude<DomainEvent, { type: 'presence' | 'account.access-changed' | 'article.delivery-failed' | 'article.resend-requested' | 'routing.rules-changed' | 'notification.created' | 'ticket-fields.changed' | 'knowledge.review-due' | 'ticket.third-party-back' | 'handoff.alert' }>) {
  const view: Record<string, unknown> = { ...event }
  for (const internal of ['groupId', 'previousGroupId', 'assigneeId', 'previousAssigneeId', 'coordinatorId']) delete view[internal]
  return view
}
