/**
 * A new ticket's first article notes the agent who recorded it on someone's behalf (a phone call, a
 * walk-in), unless the agent is the requester. PostgreSQL's one-statement ticket applies the same rule
 * in SQL (insertNewTicketWithRequester in db/dialect.ts).
 */
export const recordedByMetadata = (recordedBy: string | null, requesterId: string): Record<string, unknown> =>
  recordedBy && recordedBy !== requesterId ? { recordedBy } : {}
