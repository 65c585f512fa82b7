import type { Dialect } from '../db/dialect.js'
import type { TicketRow } from '../db/schema.js'
import { Statement } from '../db/statement.js'
import type { TransactionRunner } from '../db/transactions.js'
import type { OutboxWriter } from '../outbox/outbox.js'
import { ARTICLE_COLUMNS, formatTicketNumber, TICKET_COLUMNS, type TicketWriter, valuesOf } from './ticket-writer.js'

// SQLite has one writer, so numbers from a counter row have no gaps and cost no concurrency.
const nextCounterValue = new Statement<{ value: number }>(
  'INSERT INTO ticket_counter (year, value) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET value = ticket_counter.value + 1 RETURNING value',
)
const insertStatement = (table: string, columns: readonly string[]) =>
  new Statement(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`)
const insertTicket = insertStatement('ticket', TICKET_COLUMNS)
const insertArticle = insertStatement('article', ARTICLE_COLUMNS)
const FIELD_VALUE_COLUMNS = ['ticket_id', 'field_id', 'position', 'value_text', 'value_number', 'value_date', 'value_bool', 'value_ref'] as const
const insertFieldValue = insertStatement('ticket_field_value', FIELD_VALUE_COLUMNS)
const insertTag = new Statement('INSERT INTO ticket_tag (ticket_id, tag) VALUES (?, ?)')
const insertCreatedHistory = new Statement(
  "INSERT INTO ticket_history (id, ticket_id, actor_id, field, old_value, new_value, created_at) VALUES (?, ?, ?, 'created', NULL, ?, ?)",
)

/**
 * New tickets on SQLite: fixed statements, row by row (a statement costs no round trip), inside a unit
 * of the group commit, which shares one COMMIT among the tickets that arrive together.
 */
export function sqliteTicketWriter(transaction: TransactionRunner, dialect: Pick<Dialect, 'indexText'>, outbox: OutboxWriter): TicketWriter {
  const writer: TicketWriter = {
    prepare: async () => {},
    open: (decide, eventsOf) =>
      transaction(async (trx) => {
        const decided = await decide(trx)
        const number = await writer.write(trx, decided.ticket)
        await outbox.append(trx, eventsOf(decided, number))
        return { ...decided, number }
      }),
    async write(trx, t) {
      const counter = await nextCounterValue.first(trx, [t.year])
      const number = formatTicketNumber(t.year, Number(counter!.value))
      const ticket: TicketRow = { ...t.row, number }
      await insertTicket.rows(trx, valuesOf(TICKET_COLUMNS, ticket))
      await insertCreatedHistory.rows(trx, [t.history.id, t.row.id, t.history.actorId, number, t.row.created_at])
      await insertArticle.rows(trx, valuesOf(ARTICLE_COLUMNS, t.article))
      for (const tag of t.tags) await insertTag.rows(trx, [t.row.id, tag])
      await dialect.indexText(trx, t.row.id, t.searchText)
      for (const v of t.fieldValues ?? []) await insertFieldValue.rows(trx, valuesOf(FIELD_VALUE_COLUMNS, v))
      return number
    },
  }
  return writer
}
