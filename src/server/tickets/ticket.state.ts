import type { TicketStatus } from '../../shared/api/tickets.js'
import { AppError } from '../errors.js'

/**
 * The ticket life cycle. Nothing returns to `new`; `closed` is final (a customer who writes again
 * about a closed ticket starts a follow-up). Waiting states are pauses of an open ticket.
 */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ['open', 'waiting_for_customer', 'waiting_for_third_party', 'resolved', 'closed'],
  open: ['waiting_for_customer', 'waiting_for_third_party', 'resolved', 'closed'],
  waiting_for_customer: ['open', 'waiting_for_third_party', 'resolved', 'closed'],
  waiting_for_third_party: ['open', 'waiting_for_customer', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: [],
}

export const canTransition = (from: TicketStatus, to: TicketStatus) => from === to || TRANSITIONS[from].includes(to)

export function assertTransition(from: TicketStatus, to: TicketStatus) {
  if (!canTransition(from, to)) {
    throw new AppError('invalid_transition', `A ticket cannot go from ${from} to ${to}.`, {
      from,
      to,
      allowed: TRANSITIONS[from],
    })
  }
}

/** The timestamps a status change sets or clears. */
export function statusTimestamps(to: TicketStatus, now: string) {
  switch (to) {
    case 'resolved':
      return { resolved_at: now }
    case 'closed':
      return { closed_at: now }
    case 'open':
      return { resolved_at: null, closed_at: null }
    default:
      return {}
  }
}

/** Where a ticket goes when its customer writes again: waiting and resolved tickets reopen. */
export function statusAfterCustomerReply(current: TicketStatus): TicketStatus {
  return current === 'waiting_for_customer' || current === 'resolved' ? 'open' : current
}
