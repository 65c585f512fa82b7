import { type Expression, type OperationNode, type SqlBool, sql } from 'kysely'
import type { DbConfig } from '../config.js'
import { newId } from '../clock.js'
import type { Executor } from './schema.js'
import { expandForIndex, foldText, fts5Query, searchTerms } from './text-search.js'

/** The only place where SQLite and PostgreSQL differ at run time. */
export interface Dialect {
  kind: DbConfig['kind']
  /** Adds text (a subject or an article body) to a ticket's search entries. */
  indexText(db: Executor, ticketId: string, text: string): Promise<void>
  /** A WHERE condition on `ticket.id` for a full-text query, or null when the query has no words. */
  ticketMatches(query: string): TicketTextMatch | null
}

/**
 * A full-text condition on `ticket`, usable as a plain WHERE expression (the set form: the ticket is
 * among all tickets with a matching entry), that also knows a second way to say the same thing for
 * the query planner in ticket.repository: `perTicket` tests one ticket row at a time, which is what a
 * page of the newest tickets needs when a common word matches a large part of the desk.
 */
export class TicketTextMatch implements Expression<SqlBool> {
  constructor(
    private readonly set: Expression<SqlBool>,
    /** The same condition, correlated on `ticket.id`, cheap to evaluate for one ticket. */
    readonly perTicket: Expression<SqlBool>,
    /** How many search entries match, counting no further than `limit`. */
    readonly countUpTo: (db: Executor, limit: number) => Promise<number>,
  ) {}
  get expressionType(): SqlBool | undefined {
    return undefined
  }
  toOperationNode(): OperationNode {
    return this.set.toOperationNode()
  }
}

const countQuery = (entries: Expression<unknown>) => async (db: Executor, limit: number) => {
  const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (${entries} LIMIT ${limit}) AS hits`.execute(db)
  return Number(rows[0]?.n ?? 0)
}

const sqliteDialect: Dialect = {
  kind: 'sqlite',
  async indexText(db, ticketId, text) {
    const content = expandForIndex(text)
    if (!content) return
    await sql`INSERT INTO search_entry (ticket_id, content) VALUES (${ticketId}, ${content})`.execute(db)
  },
  ticketMatches(query) {
    const match = fts5Query(query)
    if (!match) return null
    // ticket_id is indexed as one token (migration 2026-11-23T03-00-perf), so a ticket's own entries are
    // found from the index: "<id>" AND (<words>).
    return new TicketTextMatch(
      sql<SqlBool>`ticket.id IN (SELECT ticket_id FROM search_entry WHERE search_entry MATCH ${match})`,
      sql<SqlBool>`EXISTS (SELECT 1 FROM search_entry WHERE search_entry MATCH ('ticket_id : "' || ticket.id || '" AND (' || ${match} || ')'))`,
      countQuery(sql`SELECT 1 FROM search_entry WHERE search_entry MATCH ${match}`),
    )
  },
}

// Dutch and English stemming by PostgreSQL itself, plus 'simple' so names and codes match exactly.
const TSV = (text: string) =>
  sql`to_tsvector('dutch', ${text}) || to_tsvector('english', ${text}) || to_tsvector('simple', ${text})`

const postgresDialect: Dialect = {
  kind: 'postgres',
  async indexText(db, ticketId, text) {
    const folded = foldText(text)
    if (!folded.trim()) return
    // tsvector has a 1 MB limit; three stemmings of the first 100,000 characters stay well within it.
    const content = folded.length > 100_000 ? folded.slice(0, 100_000) : folded
    await sql`INSERT INTO search_entry (id, ticket_id, tsv) VALUES (${newId()}, ${ticketId}, ${TSV(content)})`.execute(db)
  },
  ticketMatches(query) {
    const words = searchTerms(query).slice(0, 16)
    if (words.length === 0) return null
    const text = words.join(' ')
    const q = sql`(plainto_tsquery('dutch', ${text}) || plainto_tsquery('english', ${text}) || plainto_tsquery('simple', ${text}))`
    return new TicketTextMatch(
      sql<SqlBool>`ticket.id IN (SELECT ticket_id FROM search_entry WHERE tsv @@ ${q})`,
      sql<SqlBool>`EXISTS (SELECT 1 FROM search_entry WHERE search_entry.ticket_id = ticket.id AND search_entry.tsv @@ ${q})`,
      countQuery(sql`SELECT 1 FROM search_entry WHERE tsv @@ ${q}`),
    )
  },
}

export const dialectFor = (kind: DbConfig['kind']): Dialect => (kind === 'sqlite' ? sqliteDialect : postgresDialect)
