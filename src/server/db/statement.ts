import { CompiledQuery, PostgresAdapter } from 'kysely'
import type { Executor } from './schema.js'

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
    const text = db.getExecutor().adapter instanceof PostgresAdapter ? this.postgresText : this.text
    const result = await db.executeQuery<Row>(CompiledQuery.raw(text, params as unknown[]))
    return result.rows
  }

  async first(db: Executor, params: readonly unknown[]): Promise<Row | undefined> {
    return (await this.rows(db, params))[0]
  }
}
