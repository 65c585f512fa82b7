import type { Transaction } from 'kysely'
import type { Database } from './create-db.js'
import type { DB } from './schema.js'
import { SqliteGroupCommit } from './sqlite/group-commit.js'

/** Runs a unit of work in a transaction; resolves only after it is committed. */
export type TransactionRunner = <T>(work: (trx: Transaction<DB>) => Promise<T>) => Promise<T>

/** The database's runner for every write that spans statements: group commit on SQLite, a plain transaction on PostgreSQL. */
export function createTransactionRunner(database: Pick<Database, 'db' | 'kind' | 'sqliteStatement'>): TransactionRunner {
  const { db } = database
  if (database.kind === 'postgres') return (work) => db.transaction().execute(work)
  return new SqliteGroupCommit(db, database.sqliteStatement).run
}
