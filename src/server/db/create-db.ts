import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import type { DbConfig } from '../config.js'
import { startBackgroundCheckpointer } from './checkpointer.js'
import { openSqlite, withStatementCache } from './sqlite-connection.js'
import { SqliteWriter, takingTurns } from './sqlite-writer.js'
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
  /** SQLite files, when asked for: the writer thread that runs writer procedures (sqlite-writer.ts). */
  writer?: SqliteWriter
  close(): Promise<void>
}

// Keep counts and sums as JS numbers (they never exceed 2^53 here).
pg.types.setTypeParser(20, (v) => Number(v))

export interface CreateDbOptions {
  /** An idle PostgreSQL connection was dropped (it is replaced on the next query). */
  onIdleError?: (err: Error) => void
  /** SQLite files: checkpoint the write-ahead log on a worker thread rather than in a committing request (serve). */
  backgroundCheckpoints?: boolean
  onCheckpointFailed?: (message: string) => void
  /** SQLite files: a writer thread for these procedures (the module's `procedures` export). */
  writerProcedures?: URL
}

export function createDb(config: DbConfig, opts: CreateDbOptions = {}): Database {
  if (config.kind === 'sqlite') {
    if (config.file !== ':memory:') mkdirSync(dirname(config.file), { recursive: true })
    const background = !!opts.backgroundCheckpoints && config.file !== ':memory:'
    // 40 MB of WAL between checkpoints: fewer, larger writes. With a background checkpointer the writer
    // still checkpoints once the log passes 160 MB: under sustained writes the background checkpoint
    // never quite catches up with the last commit, and only a checkpoint between two transactions lets
    // the log start again from its beginning. By then little is left to copy.
    const autocheckpointPages = background ? 40_000 : 10_000
    // With a writer thread (24 MB of page cache of its own) this connection mostly reads: 32 MB.
    const file = openSqlite(config.file, { autocheckpointPages, cacheMb: opts.writerProcedures ? 32 : 64 })
    const checkpointer = background
      ? startBackgroundCheckpointer(config.file, { onResult: (r) => r.type === 'failed' && opts.onCheckpointFailed?.(r.message) })
      : undefined
    const statements = withStatementCache(file)
    const writer =
      opts.writerProcedures && config.file !== ':memory:'
        ? new SqliteWriter(config.file, { procedures: opts.writerProcedures, autocheckpointPages })
        : undefined
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements, onCreateConnection: writer && takingTurns(writer.turns) }) })
    return {
      db,
      kind: 'sqlite',
      config,
      sqliteStatement: (sql) => statements.prepare(sql),
      writer,
      close: async () => {
        await writer?.stop()
        await checkpointer?.stop()
        await db.destroy()
      },
    }
  }
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize, Client: PreparingClient })
  // An idle connection that the server drops (restart, failover, an administrator) is replaced on the
  // next query; without a listener its error would end the process.
  pool.on('error', (err) => opts.onIdleError?.(err))
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) })
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
