import { type Expression, type OperationNode, type RawBuilder, type SqlBool, sql } from 'kysely'
import type { DbConfig, DbKind } from './config.js'
import { newId } from '../clock.js'
import type { Executor } from './schema.js'
import { Statement } from './statement.js'
import { atEndOfTransaction } from './end-of-transaction.js'
import { distinctParts, fts5Query, indexableText, MAX_INDEXED_TEXT, queryTerms } from './text-search.js'
import { runTextJob } from './text-worker.js'

/** The only place where SQLite and PostgreSQL differ at run time. */
export interface Dialect {
  kind: DbConfig['kind']
  locks: RowLocks
  /**
   * Makes a text (a subject, an article body) ready for the search index: SQLite's words with their
   * stems, on the text thread when the text is long (text-worker.ts); PostgreSQL's folded text. Call it
   * before the transaction that writes it: a SQLite transaction that waited for it would hold up every
   * other query on the event loop's connection.
   */
  searchText(text: string): Promise<SearchText>
  /** Adds text made ready by `searchText` to a ticket's search entries. */
  indexText(db: Executor, ticketId: string, text: SearchText): Promise<void>
  /** A WHERE condition on `ticket.id` for a full-text query, or null when the query has no words. */
  ticketMatches(query: string): TicketTextMatch | null
}

/** A text as the search index takes it (Dialect.searchText); '' when it has no words. */
export type SearchText = string & { readonly searchText: unique symbol }

/**
 * Row locks. PostgreSQL locks the rows a transaction reads to decide; SQLite has one writer, so a
 * writing transaction already excludes every other and needs none.
 */
export interface RowLocks {
  /** The selected rows stay locked until the transaction ends (`FOR UPDATE`). */
  forUpdate<QB extends { forUpdate(): QB }>(qb: QB): QB
  /** Ends a subquery that claims one row among competing workers: rows others have locked are passed over. */
  skipLocked: RawBuilder<unknown>
}

export const rowLocks = (kind: DbKind): RowLocks =>
  kind === 'postgres'
    ? { forUpdate: (qb) => qb.forUpdate(), skipLocked: sql`FOR UPDATE SKIP LOCKED` }
    : { forUpdate: (qb) => qb, skipLocked: sql`` }

// Error codes: better-sqlite3's (SQLITE_…) and PostgreSQL's SQLSTATE, which never overlap.
const codeOf = (err: unknown) => (err as { code?: unknown } | undefined)?.code
const UNIQUE_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505'])
const FOREIGN_KEY_VIOLATIONS = new Set(['SQLITE_CONSTRAINT_FOREIGNKEY', '23503'])
// PostgreSQL's deadlock and serialization failures: the transaction lost a race and may simply run again.
const TRANSACTION_CONFLICTS = new Set(['40P01', '40001'])

/** A unique key or primary key was already taken. */
export const isUniqueViolation = (err: unknown) => UNIQUE_VIOLATIONS.has(codeOf(err) as string)
/** A foreign key points at a row that does not exist (any more). */
export const isForeignKeyViolation = (err: unknown) => FOREIGN_KEY_VIOLATIONS.has(codeOf(err) as string)
/** Two transactions met (a unique key, a deadlock, a serialization failure): worth an immediate retry. */
export const isRetryableConflict = (err: unknown) => isUniqueViolation(err) || TRANSACTION_CONFLICTS.has(codeOf(err) as string)

/**
 * A full-text condition on `ticket`, usable as a plain WHERE expression (the set form: the ticket is
 * among all tickets with a matching entry), that also offers what the query planning in
 * ticket.repository needs when a common word matches a large part of the desk: a cheap count of
 * matching entries (stopping at a limit), and a test of a batch of given tickets.
 */
export class TicketTextMatch implements Expression<SqlBool> {
  constructor(
    private readonly set: Expression<SqlBool>,
    /** How many search entries match, counting no further than `limit`. */
    readonly countUpTo: (db: Executor, limit: number) => Promise<number>,
    /** Which of these tickets have a matching entry. */
    readonly matchingTickets: (db: Executor, ticketIds: readonly string[]) => Promise<Set<string>>,
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

const insertSqliteSearchEntry = new Statement('INSERT INTO search_entry (ticket_id, content) VALUES (?, ?)')

const sqliteDialect: Dialect = {
  kind: 'sqlite',
  locks: rowLocks('sqlite'),
  async searchText(text) {
    const part = text.slice(0, MAX_INDEXED_TEXT)
    return (await runTextJob('indexContent', part, part.length)) as SearchText
  },
  async indexText(db, ticketId, content) {
    if (!content) return
    await atEndOfTransaction(db, (trx) => insertSqliteSearchEntry.rows(trx, [ticketId, content]))
  },
  ticketMatches(query) {
    const match = fts5Query(query)
    if (!match) return null
    // ticket_id is indexed as one token (migration 2026-11-23T03-00-perf), so the entries of given
    // tickets are found from the index: ("<id>" OR "<id>" …) AND (<words>).
    return new TicketTextMatch(
      sql<SqlBool>`ticket.id IN (SELECT ticket_id FROM search_entry WHERE search_entry MATCH ${match})`,
      countQuery(sql`SELECT 1 FROM search_entry WHERE search_entry MATCH ${match}`),
      async (db, ticketIds) => {
        if (ticketIds.length === 0) return new Set()
        const ids = ticketIds.map((id) => `"${id.replace(/"/g, '""')}"`).join(' OR ')
        const { rows } = await sql<{ ticket_id: string }>`SELECT DISTINCT ticket_id FROM search_entry WHERE search_entry MATCH ${`(${ids}) AND (${match})`}`.execute(db)
        return new Set(rows.map((r) => r.ticket_id))
      },
    )
  },
}

// Dutch and English stemming by PostgreSQL itself, plus 'simple' so names and codes match exactly: a
// search vector of one parameter, sent once (`content.c`).
export const POSTGRES_SEARCH_VECTOR = `to_tsvector('dutch', c) || to_tsvector('english', c) || to_tsvector('simple', c)`
const insertPostgresSearchEntry = new Statement(`INSERT INTO search_entry (id, ticket_id, tsv) SELECT ?, ?, ${POSTGRES_SEARCH_VECTOR} FROM (SELECT ?::text AS c) AS content`)

const postgresDialect: Dialect = {
  kind: 'postgres',
  locks: rowLocks('postgres'),
  async searchText(text) {
    return distinctParts(indexableText(text)) as SearchText
  },
  async indexText(db, ticketId, content) {
    if (!content) return
    await insertPostgresSearchEntry.rows(db, [newId(), ticketId, content])
  },
  ticketMatches(query) {
    const words = queryTerms(query)
    if (words.length === 0) return null
    const text = words.join(' ')
    const q = sql`(plainto_tsquery('dutch', ${text}) || plainto_tsquery('english', ${text}) || plainto_tsquery('simple', ${text}))`
    // The set form as an array computed once: as a semi-join, PostgreSQL's estimate for a rare word
    // (tsvector statistics know only frequent ones) makes it walk the whole ticket table instead.
    return new TicketTextMatch(
      sql<SqlBool>`ticket.id = ANY(ARRAY(SELECT ticket_id FROM search_entry WHERE tsv @@ ${q}))`,
      countQuery(sql`SELECT 1 FROM search_entry WHERE tsv @@ ${q}`),
      async (db, ticketIds) => {
        if (ticketIds.length === 0) return new Set()
        const { rows } = await sql<{ ticket_id: string }>`
          SELECT DISTINCT ticket_id FROM search_entry WHERE ticket_id = ANY(${[...ticketIds]}::text[]) AND tsv @@ ${q}`.execute(db)
        return new Set(rows.map((r) => r.ticket_id))
      },
    )
  },
}

export const dialectFor = (kind: DbConfig['kind']): Dialect => (kind === 'sqlite' ? sqliteDialect : postgresDialect)
