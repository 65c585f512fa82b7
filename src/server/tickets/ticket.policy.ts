import { customerMayChangeStatus } from '../../shared/customer-tickets.js'
import { type Actor, isCustomer, isLocalAdminOf, isStaff } from '../accounts/actor.js'

/** Who may see and do what with a ticket: the one place these rules live. */
export const ticketPolicy = {
  /** Staff see every ticket; a customer their own; a local administrator also every ticket of their organisation. */
  canView: (actor: Actor, ticket: { requester_id: string; organisation_id: string | null }) =>
    isStaff(actor) || ticket.requester_id === actor.user.id || (isLocalAdminOf(actor, ticket.organisation_id)),
  canUpdate: (actor: Actor) => isStaff(actor),
  /** A customer changes only the status of their own ticket: closing it, or reopening it soon after it was resolved. */
  canSetOwnStatus: (actor: Actor, ticket: { requester_id: string; status: string; resolved_at: string | null }, to: string, nowMs: number) =>
    isCustomer(actor) && ticket.requester_id === actor.user.id && customerMayChangeStatus({ status: ticket.status, resolvedAt: ticket.resolved_at }, to, nowMs),
  /** A customer fills in the ticket fields open to customers on their own ticket while it is not closed (which fields: fields/). */
  canSetOwnFields: (actor: Actor, ticket: { requester_id: string; status: string }) =>
    isCustomer(actor) && ticket.requester_id === actor.user.id && ticket.status !== 'closed',
  canSeeInternal: (actor: Actor) => isStaff(actor),
  canWriteInternal: (actor: Actor) => isStaff(actor),
  /** Customers may only add to their own tickets, and only while they are not closed. */
  canAddPublicArticle: (actor: Actor, ticket: { requester_id: string; status: string }) =>
    isStaff(actor) || (ticket.requester_id === actor.user.id && ticket.status !== 'closed'),
  /**
   * The desk owns customer communication: members of a back office whose department does not allow
   * replies (and who are not also in a 1st-line group) propose answers as internal notes instead.
   */
  canReplyToCustomer: (actor: Actor, groups: { line: number; customerReplyAllowed: boolean }[]) => {
    if (!isStaff(actor)) return true
    if (actor.user.role !== 'agent' || groups.length === 0) return true
    return groups.some((g) => g.line === 1 || g.customerReplyAllowed)
  },
}
