import { sql } from 'kysely'
import type { Executor, OutboxRow } from '../db/schema.js'
import { Statement } from '../db/statement.js'

/** A row to write: the event as JSON, pending from the moment its transaction commits. */
export interface NewOutboxRow {
  id: string
  type: string
  payload: string
  created_at: string
}

const COLUMNS = "(id, type, payload, status, attempts, available_at, last_error, created_at)"
const VALUES = "(?, ?, ?, 'pending', 0, ?, NULL, ?)"
const params = (rows: readonly NewOutboxRow[]) => rows.flatMap((r) => [r.id, r.type, r.payload, r.created_at, r.created_at])

// Fixed statements per number of rows (a transaction writes one to a few events), as for a new ticket.
const inserts = new Map<string, Statement>()
function insertStatement(rows: number, notifyTopic: string | undefined) {
  const key = `${rows}|${notifyTopic ?? ''}`
  let statement = inserts.get(key)
  if (!statement) {
    const insert = `INSERT INTO outbox ${COLUMNS} VALUES ${Array.from({ length: rows }, () => VALUES).join(', ')}`
    // PostgreSQL: the wake-up is sent on commit, from the same statement (jobs/wakeups.ts).
    const text = notifyTopic ? `WITH written AS (${insert}) SELECT pg_notify('loket_wake', '${notifyTopic}')` : insert
    inserts.set(key, (statement = new Statement(text)))
  }
  return statement
}

export const outboxRepository = {
  async insert(db: Executor, rows: readonly NewOutboxRow[], notifyTopic?: string): Promise<void> {
    if (rows.length > 0) await insertStatement(rows.length, notifyTopic).rows(db, params(rows))
  },

  /**
   * The oldest due rows, locked for this transaction on PostgreSQL: another process's dispatcher skips
   * them and takes the next ones. A process that dies mid-way leaves them to the next, unhandled.
   */
  async claim(db: Executor, kind: 'sqlite' | 'postgres', now: string, limit: number, id?: string): Promise<OutboxRow[]> {
    const lock = kind === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``
    const only = id === undefined ? sql`` : sql`AND id = ${id}`
    const { rows } = await sql<OutboxRow>`
      SELECT * FROM outbox WHERE status = 'pending' AND available_at <= ${now} ${only}
      ORDER BY id LIMIT ${limit} ${lock}`.execute(db)
    return rows
  },

  async dueIds(db: Executor, now: string, limit: number): Promise<string[]> {
    const rows = await db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('available_at', '<=', now)
      .orderBy('id')
      .limit(limit)
      .execute()
    return rows.map((r) => r.id)
  },

  async remove(db: Executor, ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await db.deleteFrom('outbox').where('id', 'in', ids).execute()
  },

  async setBack(db: Executor, id: string, fields: { status: string; attempts: number; available_at: string; last_error: string }): Promise<void> {
    await db.updateTable('outbox').set(fields).where('id', '=', id).execute()
  },

  async countPending(db: Executor): Promise<number> {
    const row = await db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()
    return Number(row.n)
  },
}
