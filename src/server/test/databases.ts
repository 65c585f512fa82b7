import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe } from 'vitest'
import type { DbConfig } from '../db/config.js'
import { createDb, type Database } from '../db/create-db.js'
import { migrateToLatest } from '../db/migrate.js'

export interface TestDatabase {
  name: 'sqlite' | 'postgres'
  /** A fresh, empty database for one test file (or one test). */
  create(): Promise<{ config: DbConfig; drop(): Promise<void> }>
}

const sqlite: TestDatabase = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'loket-test-'))
    return { config: { kind: 'sqlite', file: join(dir, 'loket.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  },
}

const postgres = (url: string): TestDatabase => ({
  name: 'postgres',
  async create() {
    const name = `loket_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`CREATE DATABASE ${name}`)
    await admin.end()
    const dbUrl = new URL(url)
    dbUrl.pathname = `/${name}`
    return {
      config: { kind: 'postgres', url: dbUrl.toString(), poolSize: 5 },
      async drop() {
        const c = new pg.Client({ connectionString: url })
        await c.connect()
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        await c.end()
      },
    }
  },
})

const pgUrl = process.env.TEST_DATABASE_URL

/**
 * Runs a suite once per database, Kysely-style: always on SQLite, and on PostgreSQL when
 * TEST_DATABASE_URL is set. Without it the PostgreSQL run shows as skipped, with the reason in its name.
 */
export function describeEachDatabase(title: string, suite: (db: TestDatabase) => void) {
  describe(`${title} [sqlite]`, () => suite(sqlite))
  if (pgUrl) describe(`${title} [postgres]`, () => suite(postgres(pgUrl)))
  else describe.skip(`${title} [postgres] — NOT RUN: TEST_DATABASE_URL is not set`, () => suite(postgres('postgres://unset')))
}

export const testDatabases = { sqlite, postgres: pgUrl ? postgres(pgUrl) : undefined }

/**
 * A fresh, migrated database for the tests of one suite, closed and dropped after them. Call it in the
 * suite's body; the returned function gives the open database inside the tests.
 */
export function useMigratedDatabase(database: TestDatabase): () => Database {
  let db: Database | undefined
  let drop: (() => Promise<void>) | undefined
  beforeAll(async () => {
    const created = await database.create()
    drop = created.drop
    db = createDb(created.config)
    await migrateToLatest(db)
  })
  afterAll(async () => {
    await db?.close()
    await drop?.()
  })
  return () => db!
}
