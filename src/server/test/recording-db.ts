import {
  type CompiledQuery, type DatabaseConnection, type Driver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type QueryResult,
  SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler,
} from 'kysely'
import type { DbKind } from '../db/config.js'
import type { DB } from '../db/schema.js'

/** What a recording database answers to a query: rows chosen by the test, by the SQL text. */
export type Answer = (sql: string) => readonly unknown[]

/**
 * A Kysely of the given dialect that runs nothing: it records the SQL of every query it is handed and
 * answers with the rows `answer` picks. For the committed SQL snapshots (db/queries/): the statements
 * as the code compiles them, with no database to run them.
 */
export function recordingDb(kind: DbKind, answer: Answer = () => []): { db: Kysely<DB>; statements: string[] } {
  const statements: string[] = []
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      statements.push(query.sql)
      const rows = answer(query.sql) as R[]
      return { rows, numAffectedRows: BigInt(rows.length) }
    },
    streamQuery(): never {
      throw new Error('a recording database does not stream')
    },
  }
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => void statements.push('BEGIN'),
    commitTransaction: async () => void statements.push('COMMIT'),
    rollbackTransaction: async () => void statements.push('ROLLBACK'),
    releaseConnection: async () => {},
    destroy: async () => {},
  }
  const db = new Kysely<DB>({
    dialect:
      kind === 'sqlite'
        ? { createAdapter: () => new SqliteAdapter(), createDriver: () => driver, createIntrospector: (k) => new SqliteIntrospector(k), createQueryCompiler: () => new SqliteQueryCompiler() }
        : { createAdapter: () => new PostgresAdapter(), createDriver: () => driver, createIntrospector: (k) => new PostgresIntrospector(k), createQueryCompiler: () => new PostgresQueryCompiler() },
  })
  return { db, statements }
}
