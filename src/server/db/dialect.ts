import { type Expression, type OperationNode, type SqlBool, sql } from 'kysely'
import type { DbConfig } from '../config.js'
import { newId } from '../clock.js'
import type { Insertable } from 'kysely'
import type { ArticleTable, Executor, TicketRow } from './schema.js'
import type { WriterConnection } from './sqlite-writer.js'
import { directStatements, Statement } from './statement.js'
import { atEndOfTransaction } from './transactions.js'
import { foldText, fts5Query, searchTerms, stemVariants } from './text-search.js'

/** The only place where SQLite and PostgreSQL differ at run time. */
export interface Dialect {
  kind: DbConfig['kind']
  /** Adds text (a subject or an article body) to a ticket's search entries. */
  indexText(db: Executor, ticketId: string, text: string): Promise<void>
  /** A WHERE condition on `ticket.id` for a full-text query, or null when the query has no words. */
  ticketMatches(query: string): TicketTextMatch | null
  /**
   * Makes sure the year's ticket numbers can be drawn. Call with the database handle, outside any
   * transaction (PostgreSQL may create a sequence); cheap after the first call per year.
   */
  prepareTicketNumbers(db: Executor, year: number): Promise<void>
  /**
   * Writes a new ticket as one unit: numbers it, and inserts the ticket, its "created" history row,
   * its first article and that article's search entry. Returns the number. On PostgreSQL this is one
   * statement (one round trip instead of five); on SQLite, where a statement costs no round trip, the
   * same rows are written one by one.
   */
  insertNewTicket(trx: Executor, ticket: NewTicket): Promise<string>
  /**
   * PostgreSQL: a new ticket and its requester, looked up or added, in one statement, atomic by itself,
   * so it needs no transaction: one round trip. The requester comes from `requester`'s CTEs; the row
   * they select is returned. Undefined when the statement wrote nothing (a concurrent one added the
   * same new address first): the caller then writes the ticket in a transaction. SQLite has none (its
   * writer thread runs the same unit, tickets/open-ticket.procedure.ts).
   */
  insertNewTicketWithRequester?<R>(db: Executor, ticket: NewTicket, requester: RequesterSource, recordedBy: string | null): Promise<{ number: string; requester: R } | undefined>
}

export interface NewTicket {
  /** The ticket row; its number is drawn by insertNewTicket. */
  row: Omit<TicketRow, 'number'>
  year: number
  history: { id: string; actorId: string | null }
  article: Insertable<ArticleTable>
  /** Plain text for the search index: the subject and the first article's text. */
  searchText: string
}

/** "2026-00042": the year and at least five digits. */
export const formatTicketNumber = (year: number, seq: number) => `${year}-${String(seq).padStart(5, '0')}`

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

/**
 * expandForIndex (text-search.ts) with each word's stems remembered: stemming every word twice (Dutch
 * and English) was a tenth of the CPU time of creating a ticket, and a desk's vocabulary is small.
 * Bounded: the memory is dropped when it holds 50,000 words.
 */
const stemmed = new Map<string, string>()
function expandForIndexMemo(text: string): string {
  return searchTerms(text)
    .map((word) => {
      let variants = stemmed.get(word)
      if (variants === undefined) {
        if (stemmed.size >= 50_000) stemmed.clear()
        stemmed.set(word, (variants = stemVariants(word).join(' ')))
      }
      return variants
    })
    .join(' ')
}

// SQLite has one writer, so numbers from a counter row have no gaps.
const nextCounterValue = new Statement<{ value: number }>(
  'INSERT INTO ticket_counter (year, value) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET value = ticket_counter.value + 1 RETURNING value',
)
const TICKET_COLUMNS = ['id', 'number', 'subject', 'status', 'priority', 'type', 'channel', 'requester_id', 'organisation_id', 'department_id',
  'group_id', 'assignee_id', 'created_at', 'updated_at', 'first_response_at', 'resolved_at', 'closed_at', 'version'] as const satisfies readonly (keyof TicketRow)[]
const ARTICLE_COLUMNS = ['id', 'ticket_id', 'channel', 'direction', 'visibility', 'author_id', 'body', 'content_type', 'source_id', 'metadata',
  'created_at'] as const satisfies readonly (keyof Insertable<ArticleTable>)[]
const insertStatement = (table: string, columns: readonly string[]) =>
  new Statement(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
const insertTicket = insertStatement('ticket', TICKET_COLUMNS)
const insertCreatedHistory = new Statement(
  "INSERT INTO ticket_history (id, ticket_id, actor_id, field, old_value, new_value, created_at) VALUES (?, ?, ?, 'created', NULL, ?, ?)",
)
const insertArticle = insertStatement('article', ARTICLE_COLUMNS)
const insertSqliteSearchEntry = new Statement('INSERT INTO search_entry (ticket_id, content) VALUES (?, ?)')

/**
 * A new ticket on SQLite, synchronously on a connection's own statements: a group-commit unit's, or the
 * writer thread's (sqlite-writer.ts). SQLite has one writer, so the counter row costs no concurrency.
 */
export function writeNewSqliteTicket(conn: WriterConnection, t: NewTicket): string {
  const counter = nextCounterValue.firstNow(conn.prepare, [t.year])
  const number = formatTicketNumber(t.year, Number(counter!.value))
  const ticket: TicketRow = { ...t.row, number }
  insertTicket.rowsNow(conn.prepare, TICKET_COLUMNS.map((c) => ticket[c]))
  insertCreatedHistory.rowsNow(conn.prepare, [t.history.id, t.row.id, t.history.actorId, number, t.row.created_at])
  insertArticle.rowsNow(conn.prepare, ARTICLE_COLUMNS.map((c) => t.article[c] ?? null))
  const content = expandForIndexMemo(t.searchText)
  if (content) conn.atEndOfTransaction(() => insertSqliteSearchEntry.rowsNow(conn.prepare, [t.row.id, content]))
  return number
}

const sqliteDialect: Dialect = {
  kind: 'sqlite',
  prepareTicketNumbers: async () => {},
  async insertNewTicket(trx, t) {
    const prepare = directStatements.get(trx)
    if (!prepare) throw new Error('a new SQLite ticket is written inside a group-commit unit')
    const atEnd: (() => void)[] = []
    const number = writeNewSqliteTicket({ prepare, atEndOfTransaction: (work) => atEnd.push(work) }, t)
    for (const work of atEnd) await atEndOfTransaction(trx, async () => work())
    return number
  },
  async indexText(db, ticketId, text) {
    const content = expandForIndexMemo(text)
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
const SEARCH_VECTOR_OF_CONTENT = `to_tsvector('dutch', c) || to_tsvector('english', c) || to_tsvector('simple', c)`
const insertPostgresSearchEntry = new Statement(`INSERT INTO search_entry (id, ticket_id, tsv) SELECT ?, ?, ${SEARCH_VECTOR_OF_CONTENT} FROM (SELECT ?::text AS c) AS content`)

/** Folded text to index, or '' when there is none; tsvector has a 1 MB limit, and three stemmings of the first 100,000 characters stay well within it. */
function searchContent(text: string): string {
  const folded = foldText(text)
  if (!folded.trim()) return ''
  return folded.length > 100_000 ? folded.slice(0, 100_000) : folded
}

// A counter row would be locked by each creating transaction until its commit, making every ticket
// creation on every process wait in line; a sequence never blocks. The price: a rolled-back creation
// leaves a gap in the numbers.
const sequenceOf = (year: number) => `ticket_number_${Math.trunc(year)}`

/**
 * CTEs that end in one named `requester` (at least its id and organisation_id), and their parameters:
 * where a new ticket's requester comes from in PostgreSQL's one-statement ticket. The accounts
 * repository makes the ones that look the requester up, or add them, in the same statement.
 */
export interface RequesterSource {
  ctes: string
  params: readonly unknown[]
}
const givenRequester = (id: string, organisationId: string | null): RequesterSource => ({
  ctes: 'requester AS (SELECT ?::text AS id, ?::text AS organisation_id)',
  params: [id, organisationId],
})

// A new ticket in one statement: data-modifying CTEs, whose foreign keys are checked at the end of
// the statement, when the ticket row (and a requester added by it) exists. Every insert selects from
// `requester`: when it is empty (a concurrent statement added the same new address first), the
// statement writes nothing, draws no number and returns no row. lpad would cut numbers past 99999, hence the CASE.
// The first article's metadata is an SQL expression over `requester` (see insertNewTicketWithRequester).
const newTicketStatementText = (requesterCtes: string, metadataSql: string, indexed: boolean) => `
    WITH ${requesterCtes},
    n AS (SELECT nextval(?::regclass) AS seq FROM requester),
    t AS (
      INSERT INTO ticket (id, number, subject, status, priority, type, channel, requester_id, organisation_id, department_id,
        group_id, assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at, version)
      SELECT ?, ? || (CASE WHEN n.seq < 100000 THEN lpad(n.seq::text, 5, '0') ELSE n.seq::text END),
        ?, ?, ?, ?, ?, requester.id, requester.organisation_id, ?, ?, ?, ?, ?, ?, ?, ?, ?::int
      FROM requester, n
      RETURNING id, number),
    h AS (
      INSERT INTO ticket_history (id, ticket_id, actor_id, field, old_value, new_value, created_at)
      SELECT ?, t.id, ?, 'created', NULL, t.number, ? FROM t),
    a AS (
      INSERT INTO article (id, ticket_id, channel, direction, visibility, author_id, body, content_type, source_id, metadata, created_at)
      SELECT ?, t.id, ?, ?, ?, requester.id, ?, ?, ?, ${metadataSql}, ? FROM t, requester)
    ${indexed ? `, s AS (INSERT INTO search_entry (id, ticket_id, tsv) SELECT ?, t.id, ${SEARCH_VECTOR_OF_CONTENT} FROM t, (SELECT ?::text AS c) AS content)` : ''}
    SELECT t.number AS ticket_number, requester.* FROM t, requester`

const newTicketStatements = new Map<string, Statement<{ ticket_number: string }>>()
function newTicketStatement(requesterCtes: string, metadataSql: string, indexed: boolean) {
  const key = `${indexed}|${metadataSql}|${requesterCtes}`
  let statement = newTicketStatements.get(key)
  if (!statement) newTicketStatements.set(key, (statement = new Statement(newTicketStatementText(requesterCtes, metadataSql, indexed))))
  return statement
}

/** PostgreSQL's one statement for a new ticket: its number, and the requester's row as `requester` selected it. */
async function insertPostgresTicket<R>(db: Executor, t: NewTicket, requester: RequesterSource, metadata: { sql: string; params: readonly unknown[] }) {
  const r = t.row
  const a = t.article
  const content = searchContent(t.searchText)
  const params = [
    ...requester.params,
    sequenceOf(t.year), r.id, `${t.year}-`, r.subject, r.status, r.priority, r.type, r.channel,
    r.department_id, r.group_id, r.assignee_id, r.created_at, r.updated_at, r.first_response_at, r.resolved_at, r.closed_at, r.version,
    t.history.id, t.history.actorId, r.created_at,
    a.id, a.channel, a.direction, a.visibility, a.body, a.content_type, a.source_id ?? null, ...metadata.params, a.created_at,
    ...(content ? [newId(), content] : []),
  ]
  const rows = await newTicketStatement(requester.ctes, metadata.sql, content !== '').rows(db, params)
  return rows[0] as ({ ticket_number: string } & R) | undefined
}

/** One per database handle: it remembers which years' sequences it has seen. */
const createPostgresDialect = (): Dialect => {
  const preparedYears = new Set<number>()
  return {
  kind: 'postgres',
  async prepareTicketNumbers(db, year) {
    const name = sequenceOf(year)
    if (preparedYears.has(year)) return
    const exists = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'S' AND relname = ${name}`.execute(db)
    if (exists.rows[0].n === 0) {
      // Continue after numbers handed out before (the counter of older versions, imported tickets).
      const counted = await sql<{ n: number }>`
        SELECT greatest(
          coalesce((SELECT value FROM ticket_counter WHERE year = ${year}), 0),
          coalesce((SELECT max(split_part(number, '-', 2)::int) FROM ticket WHERE number LIKE ${`${year}-%`}), 0)
        ) AS n`.execute(db)
      try {
        await sql`CREATE SEQUENCE IF NOT EXISTS ${sql.id(name)} START WITH ${sql.lit(Number(counted.rows[0].n) + 1)}`.execute(db)
      } catch (err) {
        // Another process created it at the same moment: that is all we wanted.
        const again = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'S' AND relname = ${name}`.execute(db)
        if (again.rows[0].n === 0) throw err
      }
    }
    preparedYears.add(year)
  },
  async insertNewTicket(trx, t) {
    const written = await insertPostgresTicket(trx, t, givenRequester(t.row.requester_id, t.row.organisation_id), { sql: '?', params: [t.article.metadata] })
    return written!.ticket_number
  },
  async insertNewTicketWithRequester<R>(db: Executor, t: NewTicket, requester: RequesterSource, recordedBy: string | null) {
    // The first article notes the agent who recorded the ticket, unless that is the requester (tickets/recorded-by.ts).
    const metadata = { sql: "CASE WHEN ?::text IS NULL OR ?::text = requester.id THEN '{}' ELSE ? END", params: [recordedBy, recordedBy, JSON.stringify({ recordedBy })] }
    const written = await insertPostgresTicket<R>(db, t, requester, metadata)
    if (!written) return undefined
    const { ticket_number: number, ...row } = written
    return { number, requester: row as unknown as R }
  },
  async indexText(db, ticketId, text) {
    const content = searchContent(text)
    if (!content) return
    await insertPostgresSearchEntry.rows(db, [newId(), ticketId, content])
  },
  ticketMatches(query) {
    const words = searchTerms(query).slice(0, 16)
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
}

/** A fresh dialect object per database handle (the PostgreSQL one keeps per-database state). */
export const dialectFor = (kind: DbConfig['kind']): Dialect => (kind === 'sqlite' ? sqliteDialect : createPostgresDialect())
