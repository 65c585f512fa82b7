import { Migrator } from 'kysely'
import pg from 'pg'
import type { Database } from './create-db.js'
import { migrationProvider } from './migrations/index.js'

// Any fixed 64-bit number: the advisory lock that serialises migrations across processes.
const MIGRATION_LOCK_KEY = 7_263_001

/** Brings the schema up to date. Safe on every start and from several processes at once. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  // Migrations of work landed side by side are named by helper (…T13-01-…, …T13-03-…) and may land in
  // any order: a database that has run a later name still runs an earlier one it has not seen.
  const migrator = new Migrator({ db: database.db, provider: migrationProvider, allowUnorderedMigrations: true })
  // Kysely locks its own table, but creating that table can race between fresh processes on
  // PostgreSQL; a session-level advisory lock around the whole run closes that gap.
  let lockClient: pg.Client | undefined
  if (database.config.kind === 'postgres') {
    lockClient = new pg.Client({ connectionString: database.config.url })
    await lockClient.connect()
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
  }
  try {
    const { error, results } = await migrator.migrateToLatest()
    if (error) throw error instanceof Error ? error : new Error(String(error))
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
  } finally {
    if (lockClient) {
      await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {})
      await lockClient.end()
    }
  }
}
