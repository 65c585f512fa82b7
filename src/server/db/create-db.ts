import { closeSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { DbConfig } from './config.js'
import { EmptyInListPlugin } from './empty-in-list.js'
import { startBackgroundCheckpointer } from './sqlite/checkpointer.js'
import { openSqlite, withStatementCache } from './sqlite/connection.js'
import type { DB } from './schema.js'
import type { Prepare } from './statement.js'

export interface Database {
  db: Kysely<DB>
  kind: DbConfig['kind']
  config: DbConfig
  /**
   * SQLite: the connection's cached prepared statement for a SQL text, to run directly inside a
   * transaction that holds the connection (the group commit's; see db/statement.ts).
   */
  sqliteStatement?: Prepare
  close(): Promise<void>
}

// Keep counts and sums as JS numbers (they never exceed 2^53 here).
pg.types.setTypeParser(20, (v) => Number(v))

export interface CreateDbOptions {
  /** An idle PostgreSQL connection was dropped (it is replaced on the next query). */
  onIdleError?: (err: Error) => void
  /** A PostgreSQL connection in use was dropped: the query on it failed, the connection is replaced. */
  onConnectionLost?: (err: Error) => void
  /** SQLite files: checkpoint the write-ahead log on a worker thread rather than in a committing request (serve). */
  backgroundCheckpoints?: boolean
  onCheckpointFailed?: (message: string) => void
}

export function createDb(config: DbConfig, opts: CreateDbOptions = {}): Database {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') {
      // The database is for Loket's own user only: a new folder 0700, a new file 0600 (its -wal and -shm
      // files take the file's permissions).
      mkdirSync(dirname(config.file), { recursive: true, mode: 0o700 })
      closeSync(openSync(config.file, 'a', 0o600))
    }
    const background = !!opts.backgroundCheckpoints && config.file !== ':memory:'
    // 40 MB of WAL between checkpoints: fewer, larger writes. With a background checkpointer the writer
    // still checkpoints once the log passes 160 MB: under sustained writes the background checkpoint
    // never quite catches up with the last commit, and only a checkpoint between two transactions lets
    // the log start again from its beginning. By then little is left to copy.
    const autocheckpointPages = background ? 40_000 : 10_000
    const file = openSqlite(config.file, { autocheckpointPages })
    const checkpointer = background
      ? startBackgroundCheckpointer(config.file, { onResult: (r) => r.type === 'failed' && opts.onCheckpointFailed?.(r.message) })
      : undefined
    const statements = withStatementCache(file)
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }), plugins: [new EmptyInListPlugin()] })
    return {
      db,
      kind: 'sqlite',
      config,
      sqliteStatement: (sql) => statements.prepare(sql),
      close: async () => {
        await checkpointer?.stop()
        await db.destroy()
      },
    }
  }
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize, Client: PreparingClient })
  // An idle connection that the server drops (restart, failover, an administrator) is replaced on the
  // next query; without a listener its error would end the process.
  pool.on('error', (err) => opts.onIdleError?.(err))
  // pg-pool listens for errors only on idle connections: one that drops while a query runs on it would
  // otherwise end the process. The query fails (its request answers 503) and the pool replaces the connection.
  pool.on('connect', (client) => client.on('error', (err) => opts.onConnectionLost?.(err)))
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new EmptyInListPlugin()] })
  return { db, kind: 'postgres', config, close: () => db.destroy() }
}

/**
 * A PostgreSQL connection that prepares the statements it runs, the first 200 distinct ones: later runs
 * send only the parameters, and the server neither parses nor (after five runs, when a generic plan is
 * as good) plans them again. Queries over the search index are left unprepared: a generic plan cannot
 * know how rare a word is.
 */
class PreparingClient extends pg.Client {
  private readonly names = new Map<string, string>()

  // pg's query() has many overloads; Kysely calls query(text, values).
  override query(...args: unknown[]): never {
    const [text, values] = args
    if (typeof text === 'string' && Array.isArray(values) && args.length === 2 && !text.includes('@@')) {
      let name = this.names.get(text)
      if (name === undefined && this.names.size < 200) this.names.set(text, (name = `loket_${this.names.size}`))
      if (name !== undefined) return (super.query as unknown as (config: pg.QueryConfig) => never)({ name, text, values })
    }
    return (super.query as unknown as (...a: unknown[]) => never)(...args)
  }
}
