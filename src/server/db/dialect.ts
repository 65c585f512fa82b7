import { type Expression, type SqlBool, sql } from 'kysely'
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
  ticketMatches(query: string): Expression<SqlBool> | null
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
    return sql<SqlBool>`ticket.id IN (SELECT ticket_id FROM search_entry WHERE search_entry MATCH ${match})`
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
    return sql<SqlBool>`ticket.id IN (SELECT ticket_id FROM search_entry WHERE tsv @@ ${q})`
  },
}

export const dialectFor = (kind: DbConfig['kind']): Dialect => (kind === 'sqlite' ? sqliteDialect : postgresDialect)
