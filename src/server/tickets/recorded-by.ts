import type { NeutralMetadata } from '../../shared/api/article-metadata.js'

/**
 * A new ticket's first article notes the agent who recorded it on someone's behalf (a phone call, a
 * walk-in), unless the agent is the requester. Decided here only: openTicket applies it to the draft
 * before either database's TicketWriter stores it.
 */
export const recordedByMetadata = (recordedBy: string | null, requesterId: string): Pick<NeutralMetadata, 'recordedBy'> =>
  recordedBy && recordedBy !== requesterId ? { recordedBy } : {}
