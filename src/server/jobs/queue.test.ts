import { expect, it } from 'vitest'
import { describeEachDatabase, useMigratedDatabase } from '../test/databases.js'
import type { Clock } from '../clock.js'
import { JobQueue, retryDelayMs } from './queue.js'

class TestClock implements Clock {
  constructor(public at = Date.parse('2026-11-23T08:00:00Z')) {}
  now = () => new Date(this.at)
  iso = () => new Date(this.at).toISOString()
}

describeEachDatabase('durable job queue', (database) => {
  const db = useMigratedDatabase(database)

  it('retries a failing job with back-off, then marks it failed after its attempts', async () => {
    const clock = new TestClock()
    const queue = new JobQueue(db().db, db().kind, { clock })
    let calls = 0
    queue.register('flaky', async () => {
      calls++
      throw new Error('SMTP down')
    })
    const id = await queue.enqueue(db().db, 'flaky', { n: 1 }, { maxAttempts: 3 })
    expect(await queue.runOnce()).toBe(true)
    expect(await queue.runOnce()).toBe(false) // not due yet: back-off
    clock.at += 3_600_000
    expect(await queue.runOnce()).toBe(true)
    clock.at += 3_600_000
    expect(await queue.runOnce()).toBe(true)
    clock.at += 3_600_000
    expect(await queue.runOnce()).toBe(false)
    const row = await db().db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(calls).toBe(3)
    expect(row.status).toBe('failed')
    expect(row.last_error).toContain('SMTP down')
  })

  it('survives a crash: a job whose worker died is taken again after its lease', async () => {
    const clock = new TestClock()
    const crashed = new JobQueue(db().db, db().kind, { clock, leaseMs: 30_000 })
    crashed.register('mail', async () => {})
    await crashed.enqueue(db().db, 'mail', { to: 'a' }, { dedupeKey: 'crash-test' })
    const claimed = await crashed.claim() // claimed, then the process "dies" before finishing
    expect(claimed?.queue).toBe('mail')

    const restarted = new JobQueue(db().db, db().kind, { clock, leaseMs: 30_000 })
    const done: string[] = []
    restarted.register('mail', async (payload) => void done.push(payload.to))
    expect(await restarted.runOnce()).toBe(false) // lease still held
    clock.at += 31_000
    expect(await restarted.runOnce()).toBe(true)
    expect(done).toEqual(['a'])
  })

  it('ignores a second enqueue with the same dedupe key', async () => {
    const queue = new JobQueue(db().db, db().kind)
    await queue.enqueue(db().db, 'dedupe', {}, { dedupeKey: 'k1' })
    await queue.enqueue(db().db, 'dedupe', {}, { dedupeKey: 'k1' })
    const rows = await db().db.selectFrom('job').select('id').where('dedupe_key', '=', 'k1').execute()
    expect(rows).toHaveLength(1)
  })

  it('never gives one job to two concurrent workers', async () => {
    const total = 60
    for (let i = 0; i < total; i++) await new JobQueue(db().db, db().kind).enqueue(db().db, 'race', { i })
    const seen: number[] = []
    const workers = [0, 1, 2, 3].map(() => {
      const q = new JobQueue(db().db, db().kind, { pollMs: 20 })
      q.register('race', async (payload) => {
        seen.push(payload.i)
        await new Promise((r) => setTimeout(r, 2))
      })
      return q
    })
    for (const w of workers) w.start(2)
    const deadline = Date.now() + 20_000
    while (seen.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    await Promise.all(workers.map((w) => w.stop()))
    expect(seen.length).toBe(total)
    expect(new Set(seen).size).toBe(total)
  })
})

it('backs off exponentially with jitter, capped at an hour', () => {
  expect(retryDelayMs(1, () => 0.5)).toBe(2000)
  expect(retryDelayMs(3, () => 0.5)).toBe(8000)
  expect(retryDelayMs(30, () => 0.5)).toBe(3_600_000)
})
