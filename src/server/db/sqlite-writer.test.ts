import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { testDatabases } from '../test/databases.js'
import { createDb, type Database } from './create-db.js'
import { migrateToLatest } from './migrate.js'
import { createWriteRunners, type WriteRunners } from './transactions.js'

describe('SQLite writer thread', () => {
  let database: Database
  let drop: () => Promise<void>
  let runners: WriteRunners
  beforeAll(async () => {
    const created = await testDatabases.sqlite.create()
    drop = created.drop
    database = createDb(created.config, { writerProcedures: new URL('../test/writer-test-procedures.js', import.meta.url) })
    await migrateToLatest(database)
    runners = createWriteRunners(database)
  })
  afterAll(async () => {
    await database?.close()
    await drop?.()
  })

  const departments = async (prefix: string) =>
    (await database.db.selectFrom('department').select('name').where('name', 'like', `${prefix}%`).orderBy('name').execute()).map((r) => r.name)
  const add = (args: { name: string; fail?: 'conflict' | 'plain'; atEnd?: boolean }) => runners.procedure!('addDepartment', args)

  it('runs procedures on its own connection: each unit of a batch succeeds or fails alone, end-of-transaction work only for the ones that succeed', async () => {
    const before = database.writer!.batches
    const results = await Promise.allSettled([
      add({ name: 'a1', atEnd: true }),
      add({ name: 'a2', atEnd: true, fail: 'conflict' }),
      add({ name: 'a3', atEnd: true }),
      add({ name: 'a4', fail: 'plain' }),
    ])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual(['A1', 'a2 conflicts', 'A3', 'a4 fails'])
    // A domain error crosses the thread as itself (so the API answers 409, not 500).
    const conflict = (results[1] as PromiseRejectedResult).reason
    expect(conflict).toBeInstanceOf(AppError)
    expect((conflict as AppError).status).toBe(409)
    expect(await departments('a')).toEqual(['a1', 'a1-end', 'a3', 'a3-end'])
    expect(database.writer!.batches).toBe(before + 1)
  })

  it('takes turns with units of work on the event loop connection, without either waiting for a lock', async () => {
    const onLoop = (name: string) =>
      runners.transaction((trx) => trx.insertInto('department').values({ id: name, name, customer_reply_allowed: 1, created_at: 'x', updated_at: 'x' }).execute())
    const names = Array.from({ length: 20 }, (_, i) => `b${String(i).padStart(2, '0')}`)
    await Promise.all(names.map((name, i) => (i % 2 ? onLoop(name) : add({ name }))))
    expect(await departments('b')).toEqual(names)
  })

  it("the event loop's connection waits for its turn to write without blocking the event loop, also outside a transaction", async () => {
    const order: string[] = []
    const held = runners.procedure!('hold', { ms: 300 }).then(() => order.push('writer committed'))
    await new Promise((resolve) => setTimeout(resolve, 50)) // the thread now holds the write lock
    const write = database.db
      .insertInto('department')
      .values({ id: 'd1', name: 'd1', customer_reply_allowed: 1, created_at: 'x', updated_at: 'x' })
      .execute()
      .then(() => order.push('loop wrote'))
    // Had the connection waited for SQLite's lock (busy_timeout), the event loop would have stood still until the thread committed.
    setImmediate(() => order.push('event loop ran'))
    await Promise.all([held, write])
    expect(order).toEqual(['event loop ran', 'writer committed', 'loop wrote'])
    expect(await departments('d')).toEqual(['d1'])
  })

  it('a thread that dies fails only the batch it held, and the next unit starts a new one', async () => {
    await expect(runners.procedure!('crash', {})).rejects.toThrow('the SQLite writer thread stopped (exit code 3)')
    await expect(add({ name: 'c1' })).resolves.toBe('C1')
    expect(await departments('c')).toEqual(['c1'])
  })
})
