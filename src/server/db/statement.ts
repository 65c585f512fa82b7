import { CompiledQuery, PostgresAdapter } from 'kysely'
import type SQLite from 'better-sqlite3'
import type { Executor } from './schema.js'

/**
 * SQLite transactions that hold the connection for their whole length (the group commit's), with the
 * connection's prepared statements: a fixed statement on such a transaction runs on better-sqlite3 at
 * once, without Kysely's connection hand-over and result mapping around every call.
 */
export const directStatements = new WeakMap<Executor, Prepare>()

/** better-sqlite3's prepared statement for a SQL text, from a connection's statement cache. */
export type Prepare = (sql: string) => SQLite.Statement

/**
 * A statement of fixed shape, written once as SQL with `?` placeholders, for the few queries that run
 * on every request (authentication, ticket creation). Building a query with Kysely's builder and
 * compiling it costs about as much as SQLite takes to run it; a fixed statement is handed to the
 * connection as it is. The text must hold no other `?` than its placeholders.
 */
export class Statement<Row = unknown> {
  private readonly postgresText: string

  constructor(readonly text: string) {
    let n = 0
    this.postgresText = text.replace(/\?/g, () => `$${++n}`)
  }

  async rows(db: Executor, params: readonly unknown[]): Promise<Row[]> {
    const direct = directStatements.get(db)
    if (direct) return this.rowsNow(direct, params)
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? this.postgresText : this.text
    const result = await db.executeQuery<Row>(CompiledQuery.raw(text, params as unknown[]))
    return result.rows
  }

  async first(db: Executor, params: readonly unknown[]): Promise<Row | undefined> {
    return (await this.rows(db, params))[0]
  }

  /** Runs at once on a SQLite connection's own statements (a group-commit unit). */
  rowsNow(prepare: Prepare, params: readonly unknown[]): Row[] {
    const statement = prepare(this.text)
    if (statement.reader) return statement.all(params) as Row[]
    statement.run(params)
    return []
  }

  firstNow(prepare: Prepare, params: readonly unknown[]): Row | undefined {
    return this.rowsNow(prepare, params)[0]
  }
}
