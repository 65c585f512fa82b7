import { type CustomerCandidate, findOrAddCustomerNow, type RequesterRow, requesterByIdNow } from '../accounts/account.repository.js'
import { type NewTicket, writeNewSqliteTicket } from '../db/dialect.js'
import type { Procedure } from '../db/sqlite-writer.js'
import { AppError } from '../errors.js'
import { recordedByMetadata } from './recorded-by.js'

export interface OpenTicketArgs {
  /** A known user (a customer opening their own ticket), or an address that becomes a customer when new. */
  requester: { id: string } | { candidate: CustomerCandidate }
  /** The ticket with everything but its requester: requester_id, organisation_id and the article's author are filled in here. */
  ticket: NewTicket
  /** The agent who records the ticket on someone's behalf; noted on the first article unless it is the requester. */
  recordedBy: string | null
}

export interface OpenTicketResult {
  requester: RequesterRow
  number: string
}

/**
 * A new ticket with its requester settled in the same transaction, on the SQLite writer thread
 * (db/sqlite-writer.ts): TicketService.create hands it over whole, so the event loop runs no SQL for it.
 */
export const openTicketProcedure: Procedure<OpenTicketArgs, OpenTicketResult> = (conn, { requester: who, ticket, recordedBy }) => {
  const requester = 'id' in who ? requesterByIdNow(conn.prepare, who.id) : findOrAddCustomerNow(conn.prepare, who.candidate)
  if (!requester) throw AppError.unauthenticated()
  const number = writeNewSqliteTicket(conn, {
    ...ticket,
    row: { ...ticket.row, requester_id: requester.id, organisation_id: requester.organisation_id },
    article: { ...ticket.article, author_id: requester.id, metadata: JSON.stringify(recordedByMetadata(recordedBy, requester.id)) },
  })
  return { requester, number }
}
