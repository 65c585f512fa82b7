import { type Actor, isStaff } from '../accounts/actor.js'

/** Who may see and do what with a ticket: the one place these rules live. */
export const ticketPolicy = {
  canView: (actor: Actor, ticket: { requester_id: string }) => isStaff(actor) || ticket.requester_id === actor.user.id,
  canUpdate: (actor: Actor) => isStaff(actor),
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
