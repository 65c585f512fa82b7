import type { Insertable } from 'kysely'
import type { SearchText } from '../db/dialect.js'
import type { ArticleTable, Executor, TicketFieldValueTable, TicketRow } from '../db/schema.js'
import type { DomainEvent } from '../events.js'

/** A new ticket's rows, complete (its requester settled, its group chosen): what a TicketWriter numbers and writes. */
export interface NewTicket {
  /** The ticket row; its number is drawn by the writer. */
  row: Omit<TicketRow, 'number'>
  year: number
  history: { id: string; actorId: string | null }
  article: Insertable<ArticleTable>
  /** Labels for the desk, distinct. */
  tags: readonly string[]
  /** For the search index (Dialect.searchText): the subject and the first article's text. */
  searchText: SearchText
  /** Values of ticket fields an administrator added (fields/), usually none. */
  fieldValues?: readonly TicketFieldValueTable[]
}

/**
 * The one place a new ticket is stored: its number, the ticket, its "created" history row, its first
 * article and that article's search entry. One implementation per database (sqlite-ticket-writer.ts,
 * postgres-ticket-writer.ts), chosen once at start-up; both write the columns listed here.
 */
export interface TicketWriter {
  /**
   * Settles what to write with `decide` (the requester, the routing: openTicket's steps), then numbers
   * and writes it with its events (`eventsOf`, into the outbox), in one transaction. Resolves once committed.
   */
  open<T extends { ticket: NewTicket }>(decide: (db: Executor) => Promise<T>, eventsOf: (decided: T, number: string) => DomainEvent[]): Promise<T & { number: string }>
  /** Numbers and writes a ticket inside the caller's transaction (ingest), which writes its events; call `prepare` before it starts. */
  write(trx: Executor, ticket: NewTicket): Promise<string>
  /** Makes sure the year's numbers can be drawn; outside any transaction, cheap after the first call per year. */
  prepare(db: Executor, year: number): Promise<void>
}

export const TICKET_COLUMNS = ['id', 'number', 'subject', 'status', 'priority', 'type', 'channel', 'requester_id', 'organisation_id', 'department_id',
  'group_id', 'assignee_id', 'created_at', 'updated_at', 'first_response_at', 'resolved_at', 'closed_at', 'version'] as const satisfies readonly (keyof TicketRow)[]
export const ARTICLE_COLUMNS = ['id', 'ticket_id', 'channel', 'direction', 'visibility', 'author_id', 'body', 'content_type', 'source_id', 'metadata',
  'created_at'] as const satisfies readonly (keyof Insertable<ArticleTable>)[]
/** The "created" history row's columns; its ticket_id and new_value (the number) come from the ticket. */
export const CREATED_HISTORY_COLUMNS = ['id', 'ticket_id', 'actor_id', 'field', 'old_value', 'new_value', 'created_at'] as const

/** A row's values in the order of `columns`. */
export const valuesOf = <C extends string>(columns: readonly C[], row: { [K in C]?: unknown }) => columns.map((c) => row[c] ?? null)

/** "2026-00042": the year and at least five digits. */
export const formatTicketNumber = (year: number, seq: number) => `${year}-${String(seq).padStart(5, '0')}`
