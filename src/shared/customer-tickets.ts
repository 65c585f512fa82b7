/**
 * What a customer may do with the status of their own ticket, shared by the server's policy and the portal
 * (no imports, so the portal's small bundle can use it).
 */

/** How long after the desk resolved a ticket its customer may reopen it; later they ask a new question. */
export const CUSTOMER_REOPEN_DAYS = 14

/** Whether a customer may move their ticket from `from` to `to` (close it, or reopen it in time). */
export function customerMayChangeStatus(ticket: { status: string; resolvedAt: string | null }, to: string, nowMs: number): boolean {
  if (to === 'closed') return ticket.status !== 'closed'
  if (to === 'open') {
    return ticket.status === 'resolved' && ticket.resolvedAt !== null && nowMs - Date.parse(ticket.resolvedAt) <= CUSTOMER_REOPEN_DAYS * 86_400_000
  }
  return false
}
