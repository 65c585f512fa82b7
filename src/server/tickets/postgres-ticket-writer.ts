import { newId } from '../clock.js'
import { sql } from 'kysely'
import { POSTGRES_SEARCH_VECTOR } from '../db/dialect.js'
import type { Executor } from '../db/schema.js'
import { Statement } from '../db/statement.js'
import type { TransactionRunner } from '../db/transactions.js'
import type { OutboxWriter } from '../outbox/outbox.js'
import { ARTICLE_COLUMNS, CREATED_HISTORY_COLUMNS, type NewTicket, TICKET_COLUMNS, type TicketWriter, valuesOf } from './ticket-writer.js'

// The number: the year's prefix and the sequence's next value (lpad would cut numbers past 99999).
const NUMBER_VALUE = "(SELECT ? || (CASE WHEN n.seq < 100000 THEN lpad(n.seq::text, 5, '0') ELSE n.seq::text END) FROM n)"
const placeholders = (columns: readonly string[], special: Record<string, string> = {}) => columns.map((c) => special[c] ?? '?').join(', ')

// A new ticket in one statement, one round trip: data-modifying CTEs, whose foreign keys are checked at
// the end of the statement, when the ticket row exists. Generated from the writer's column lists.
const statementText = (indexed: boolean) => `
    WITH n AS (SELECT nextval(?::regclass) AS seq),
    t AS (
      INSERT INTO ticket (${TICKET_COLUMNS.join(', ')}) VALUES (${placeholders(TICKET_COLUMNS, { number: NUMBER_VALUE })})
      RETURNING id, number),
    h AS (
      INSERT INTO ticket_history (${CREATED_HISTORY_COLUMNS.join(', ')})
      SELECT ${placeholders(CREATED_HISTORY_COLUMNS, { ticket_id: 't.id', field: "'created'", old_value: 'NULL', new_value: 't.number' })} FROM t),
    a AS (INSERT INTO article (${ARTICLE_COLUMNS.join(', ')}) VALUES (${placeholders(ARTICLE_COLUMNS)})),
    g AS (INSERT INTO ticket_tag (ticket_id, tag) SELECT t.id, unnest(?::text[]) FROM t)
    ${indexed ? `, s AS (INSERT INTO search_entry (id, ticket_id, tsv) SELECT ?, t.id, ${POSTGRES_SEARCH_VECTOR} FROM t, (SELECT ?::text AS c) AS content)` : ''}
    SELECT number FROM t`
const statements = { indexed: new Statement<{ number: string }>(statementText(true)), plain: new Statement<{ number: string }>(statementText(false)) }

function paramsOf(t: NewTicket, sequence: string, content: string): unknown[] {
  return [
    sequence,
    ...valuesOf(TICKET_COLUMNS, { ...t.row, number: `${t.year}-` }),
    ...[t.history.id, t.history.actorId, t.row.created_at], // the history row's own values, in CREATED_HISTORY_COLUMNS' order
    ...valuesOf(ARTICLE_COLUMNS, t.article),
    [...t.tags],
    ...(content ? [newId(), content] : []),
  ]
}

// A counter row would be locked by each creating transaction until its commit, making every ticket
// creation on every process wait in line; a sequence never blocks. The price: a failed creation leaves
// a gap in the numbers.
const sequenceOf = (year: number) => `ticket_number_${Math.trunc(year)}`
const sequenceExists = async (db: Executor, name: string) =>
  (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_class WHERE relkind = 'S' AND relname = ${name}`.execute(db)).rows[0].n > 0

/** Creates the year's sequence when it does not exist yet; remembers which years it has seen. */
function ticketNumbers() {
  const preparedYears = new Set<number>()
  return async (db: Executor, year: number) => {
    if (preparedYears.has(year)) return
    const name = sequenceOf(year)
    if (!(await sequenceExists(db, name))) {
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
        if (!(await sequenceExists(db, name))) throw err
      }
    }
    preparedYears.add(year)
  }
}

/**
 * New tickets on PostgreSQL: one statement for the ticket's rows, in a transaction with its events in
 * the outbox. The requester and routing are settled before it (`decide` runs on the pool, outside the
 * transaction), so the transaction holds its connection for two statements only. Numbers come from the
 * year's sequence, which never makes two creations wait for each other.
 */
export function postgresTicketWriter(db: Executor, transaction: TransactionRunner, outbox: OutboxWriter): TicketWriter {
  const prepare = ticketNumbers()
  const writer: TicketWriter = {
    prepare,
    async open(decide, eventsOf) {
      const decided = await decide(db)
      await prepare(db, decided.ticket.year)
      return transaction(async (trx) => {
        const number = await writer.write(trx, decided.ticket)
        await outbox.append(trx, eventsOf(decided, number))
        return { ...decided, number }
      })
    },
    async write(trx, t) {
      const content = t.searchText
      const [row] = await (content ? statements.indexed : statements.plain).rows(trx, paramsOf(t, sequenceOf(t.year), content))
      // Ticket fields an administrator added: a second statement, only for a ticket that has values.
      if (t.fieldValues?.length) await trx.insertInto('ticket_field_value').values([...t.fieldValues]).execute()
      return row.number
    },
  }
  return writer
}
