import SQLite from 'better-sqlite3'
import type { Prepare } from '../statement.js'

/**
 * Opens a SQLite database file the way the server uses it: WAL, foreign keys, a 48 MB page cache (within
 * the server's 300 MB with the rest of the process), and a wait rather than an error while another
 * connection (the CLI, a checkpoint) writes.
 */
export function openSqlite(file: string, opts: { autocheckpointPages: number }): SQLite.Database {
  const db = new SQLite(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL') // durable across process crashes; WAL fsyncs at checkpoints
  db.pragma('foreign_keys = ON')
  db.pragma('busy_timeout = 5000')
  db.pragma(`cache_size = -${48 * 1024}`)
  db.pragma(`wal_autocheckpoint = ${opts.autocheckpointPages}`)
  return db
}

/**
 * Kysely prepares every query anew; on SQLite preparing costs as much as running a small query.
 * Statements are reused per SQL text (one query runs at a time on a connection).
 */
export function withStatementCache(file: SQLite.Database, size = 500): { prepare: Prepare; close(): void } {
  const cache = new Map<string, SQLite.Statement>()
  return {
    close: () => file.close(),
    prepare(sql: string) {
      let statement = cache.get(sql)
      if (statement) {
        cache.delete(sql) // re-insert: Map order doubles as least-recently-used order
      } else {
        statement = file.prepare(sql)
        if (cache.size >= size) cache.delete(cache.keys().next().value!)
      }
      cache.set(sql, statement)
      return statement
    },
  }
}
