import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, it } from 'vitest'
import type { Clock } from '../clock.js'
import { createDb } from '../db/create-db.js'
import { migrateToLatest } from '../db/migrate.js'
import { createTransactionRunner } from '../db/transactions.js'
import type { DomainEvent } from '../events.js'
import { JobQueue } from '../jobs/queue.js'
import { LocalWakeups, PostgresWakeups, type Wakeups } from '../jobs/wakeups.js'
import { describeEachDatabase, testDatabases, useMigratedDatabase } from '../test/databases.js'
import { Outbox } from './outbox.js'

class TestClock implements Clock {
  constructor(public at = Date.parse('2026-12-07T08:00:00Z')) {}
  now = () => new Date(this.at)
  iso = () => new Date(this.at).toISOString()
}

const created = (n: number): DomainEvent => ({
  type: 'ticket.created',
  ticketId: `t${n}`,
  number: `2026-${String(n).padStart(5, '0')}`,
  requesterId: 'r',
  organisationId: null,
  groupId: null,
  at: '2026-12-07T08:00:00.000Z',
})

async function waitUntil<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

describeEachDatabase('transactional outbox', (database) => {
  const db = useMigratedDatabase(database)
  const wakeupsFor = async (): Promise<Wakeups> => {
    const wakeups = database.name === 'postgres' ? await PostgresWakeups.start((db().config as { url: string }).url) : new LocalWakeups()
    closers.push(() => wakeups.close())
    return wakeups
  }
  const outboxWith = async (opts: ConstructorParameters<typeof Outbox>[1] = {}) => {
    const wakeups = await wakeupsFor()
    const transaction = createTransactionRunner(db())
    const outbox = new Outbox({ db: db().db, transaction, kind: db().kind, wakeups }, { pollMs: 60_000, ...opts })
    closers.push(() => outbox.stop())
    return { outbox, transaction, wakeups }
  }

  it('hands committed events to every handler at once after commit, and never those of a rolled-back change', async () => {
    const { outbox, transaction } = await outboxWith()
    const seen: string[] = []
    const jobs: string[] = []
    outbox.handle('first', async (_trx, events) => void seen.push(...events.map((e) => (e.event as { ticketId: string }).ticketId)))
    outbox.handle('second', async (trx, events) => {
      // What a handler writes with the dispatch transaction is committed with the events' removal.
      for (const e of events) jobs.push(e.id)
      await trx.selectFrom('outbox').select('id').execute()
    })
    outbox.start()
    await transaction(async (trx) => outbox.append(trx, [created(1), created(2)]))
    await expect(transaction(async (trx) => {
      await outbox.append(trx, [created(3)])
      throw new Error('the change fails')
    })).rejects.toThrow('the change fails')
    await transaction(async (trx) => outbox.append(trx, [created(4)]))
    // Woken by the commit, not by the poll (a minute away).
    await waitUntil('events handled', () => seen.length >= 3)
    await outbox.drain()
    expect(seen).toEqual(['t1', 't2', 't4'])
    expect(jobs).toHaveLength(3)
    expect(await db().db.selectFrom('outbox').selectAll().execute()).toEqual([])
  })

  it('lets an event whose handler fails wait and come back with back-off, without holding up the others', async () => {
    const clock = new TestClock()
    const { outbox, transaction } = await outboxWith({ clock, maxAttempts: 2 })
    const handled: string[] = []
    outbox.handle('picky', async (_trx, events) => {
      for (const { event } of events) if ((event as { ticketId: string }).ticketId === 't6') throw new Error('receiver says no')
      handled.push(...events.map((e) => (e.event as { ticketId: string }).ticketId))
    })
    await transaction(async (trx) => outbox.append(trx, [created(5), created(6), created(7)]))
    await outbox.drain()
    expect(handled).toEqual(['t5', 't7'])
    const waiting = await db().db.selectFrom('outbox').selectAll().execute()
    expect(waiting).toHaveLength(1)
    expect(waiting[0]).toMatchObject({ status: 'pending', attempts: 1 })
    expect(waiting[0].last_error).toContain('receiver says no')
    clock.at += 3_600_000
    await outbox.drain()
    const failed = await db().db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow()
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 })
    await db().db.deleteFrom('outbox').execute()
  })

  it('wakes a job queue when a job is committed, not before', async () => {
    const wakeups = await wakeupsFor()
    const queue = new JobQueue(db().db, db().kind, { wakeups, pollMs: 60_000 })
    closers.push(() => queue.stop())
    const done: number[] = []
    queue.register('wake-test', async (payload: { n: number }) => void done.push(payload.n))
    queue.start(1)
    await new Promise((r) => setTimeout(r, 50)) // the poller has looked once and sleeps for a minute
    const started = Date.now()
    await createTransactionRunner(db())(async (trx) => queue.enqueue(trx, 'wake-test', { n: 1 }))
    await waitUntil('the job to run', () => done.length === 1)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

it.skipIf(!testDatabases.postgres)('PostgreSQL: the job pollers of two processes both wake on a job one of them committed', async () => {
  const database = testDatabases.postgres!
  const made = await database.create()
  closers.push(() => made.drop())
  const url = (made.config as { url: string }).url
  const here = createDb(made.config)
  closers.push(() => here.close())
  await migrateToLatest(here)
  const wakeups = await PostgresWakeups.start(url)
  closers.push(() => wakeups.close())
  let wokenHere = 0
  wakeups.on('jobs', () => wokenHere++)
  const queue = new JobQueue(here.db, 'postgres', { wakeups })

  // The other process: a worker that polls once a minute.
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./test/job-waker.ts', import.meta.url)), JSON.stringify({ url })], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  closers.push(async () => void child.kill('SIGKILL'))
  let out = ''
  child.stdout!.on('data', (d) => (out += d))
  child.stderr!.on('data', (d) => (out += d))
  await waitUntil('the other process to be ready', () => out.includes('ready'), 60_000)

  await here.db.transaction().execute(async (trx) => {
    await queue.enqueue(trx, 'wake-test', { n: 1 })
    await new Promise((r) => setTimeout(r, 300))
    expect(wokenHere).toBe(0) // nothing is announced before the commit
    expect(out).not.toContain('ran 1')
  })
  const committed = Date.now()
  await waitUntil('the other process to run the job', () => out.includes('ran 1'))
  expect(Date.now() - committed).toBeLessThan(10_000) // a wake-up, not its poll a minute later
  expect(wokenHere).toBeGreaterThanOrEqual(1)
}, 90_000)
