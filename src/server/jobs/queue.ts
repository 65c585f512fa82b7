import { type Kysely, sql } from 'kysely'
import { type Clock, newId, systemClock } from '../clock.js'
import { rowLocks } from '../db/dialect.js'
import type { DB, Executor, JobRow } from '../db/schema.js'
import { LocalWakeups, type Wakeups } from './wakeups.js'

// A handler declares its own payload type; the queue stores JSON and cannot check it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobHandler = (payload: any, job: JobRow) => Promise<void>

/** Thrown by a handler that chose when it runs again (and told someone: a delivery log's "next try"). */
export class RetryAt extends Error {
  constructor(
    readonly at: Date,
    message: string,
  ) {
    super(message)
    this.name = 'RetryAt'
  }
}

/**
 * Thrown by a handler whose job cannot run until something outside it changes (no mailbox can send
 * an account mail): the job waits, kept and not counted as a try, until `release` queues it again.
 */
export class WaitFor extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'WaitFor'
  }
}

export interface EnqueueOptions {
  runAt?: Date
  maxAttempts?: number
  /** A second enqueue with the same key is ignored while the first exists: idempotent producers. */
  dedupeKey?: string
}

/** Exponential back-off with jitter: 2s, 4s, 8s … capped at one hour. */
export const retryDelayMs = (attempts: number, random = Math.random) =>
  Math.min(3_600_000, 1000 * 2 ** attempts) * (0.75 + random() * 0.5)

/**
 * A durable job queue in the database. At-least-once: a job is claimed with a lease; a worker that
 * dies leaves the lease to expire and another worker takes the job again, so handlers are idempotent.
 * On PostgreSQL concurrent workers claim with FOR UPDATE SKIP LOCKED and never take the same job.
 */
export class JobQueue {
  private readonly handlers = new Map<string, JobHandler>()
  private running = false
  private active = 0
  private readonly wakers = new Set<() => void>()
  readonly workerId = `worker-${process.pid}-${newId().slice(-8)}`

  constructor(
    private readonly db: Kysely<DB>,
    private readonly kind: 'sqlite' | 'postgres',
    private readonly opts: {
      clock?: Clock
      pollMs?: number
      leaseMs?: number
      onError?: (err: unknown, job?: JobRow) => void
      /** How pollers in every process hear of a new job; without it, only this queue's own. */
      wakeups?: Wakeups
    } = {},
  ) {
    this.wakeups = opts.wakeups ?? new LocalWakeups()
  }
  private readonly wakeups: Wakeups
  private stopListening: (() => void) | undefined

  private get clock() {
    return this.opts.clock ?? systemClock
  }

  register(queue: string, handler: JobHandler) {
    this.handlers.set(queue, handler)
  }

  async enqueue(db: Executor, queue: string, payload: unknown, options: EnqueueOptions = {}): Promise<string> {
    const now = this.clock.iso()
    const id = newId()
    const insert = db
      .insertInto('job')
      .values({
        id,
        queue,
        payload: JSON.stringify(payload),
        status: 'queued',
        attempts: 0,
        max_attempts: options.maxAttempts ?? 8,
        run_at: (options.runAt ?? this.clock.now()).toISOString(),
        locked_by: null,
        locked_until: null,
        last_error: null,
        dedupe_key: options.dedupeKey ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
    const notify = this.wakeups.notifyOnCommit
    if (notify) {
      // Every process's pollers are woken when the job is committed, not before (one statement).
      await db.with('queued', () => insert.returning('id')).selectNoFrom(notify('jobs').as('woken')).execute()
    } else {
      await insert.execute()
      this.wakeups.wake('jobs')
    }
    return id
  }

  /** Claims the next due job (or one whose lease ran out) for this worker. */
  async claim(): Promise<JobRow | undefined> {
    const queues = [...this.handlers.keys()]
    if (queues.length === 0) return undefined
    const now = this.clock.now()
    const nowIso = now.toISOString()
    const leaseUntil = new Date(now.getTime() + (this.opts.leaseMs ?? 60_000)).toISOString()
    const result = await sql<JobRow>`
      UPDATE job SET status = 'running', locked_by = ${this.workerId}, locked_until = ${leaseUntil},
        attempts = attempts + 1, updated_at = ${nowIso}
      WHERE id = (
        SELECT id FROM job
        WHERE queue IN (${sql.join(queues)})
          AND ((status = 'queued' AND run_at <= ${nowIso}) OR (status = 'running' AND locked_until < ${nowIso}))
        ORDER BY run_at, id
        LIMIT 1 ${rowLocks(this.kind).skipLocked}
      )
      RETURNING *`.execute(this.db)
    return result.rows[0]
  }

  /** Runs one job if one is due; returns whether it ran one. */
  async runOnce(): Promise<boolean> {
    const job = await this.claim()
    if (!job) return false
    const handler = this.handlers.get(job.queue)!
    try {
      await handler(JSON.parse(job.payload), job)
      await this.db
        .updateTable('job')
        .set({ status: 'done', locked_by: null, locked_until: null, updated_at: this.clock.iso() })
        .where('id', '=', job.id)
        .where('locked_by', '=', this.workerId)
        .execute()
    } catch (err) {
      if (err instanceof WaitFor) {
        // Parked: not a failure, and the try it took does not count.
        await this.db
          .updateTable('job')
          .set({ status: 'waiting', attempts: Math.max(0, job.attempts - 1), locked_by: null, locked_until: null, last_error: err.reason, updated_at: this.clock.iso() })
          .where('id', '=', job.id)
          .where('locked_by', '=', this.workerId)
          .execute()
        return true
      }
      this.opts.onError?.(err, job)
      const failed = job.attempts >= job.max_attempts
      await this.db
        .updateTable('job')
        .set({
          status: failed ? 'failed' : 'queued',
          run_at: (err instanceof RetryAt ? err.at : new Date(this.clock.now().getTime() + retryDelayMs(job.attempts))).toISOString(),
          locked_by: null,
          locked_until: null,
          last_error: String((err as Error)?.stack ?? err).slice(0, 4000),
          updated_at: this.clock.iso(),
        })
        .where('id', '=', job.id)
        .where('locked_by', '=', this.workerId)
        .execute()
    }
    return true
  }

  /** Queues the waiting jobs of a queue again (what they waited for is there now); returns how many. */
  async release(db: Executor, queue: string): Promise<number> {
    const result = await db
      .updateTable('job')
      .set({ status: 'queued', run_at: this.clock.iso(), updated_at: this.clock.iso() })
      .where('queue', '=', queue)
      .where('status', '=', 'waiting')
      .executeTakeFirst()
    const released = Number(result.numUpdatedRows)
    if (released > 0) {
      // Every process's pollers, not only this one's (on PostgreSQL at the caller's commit).
      const notify = this.wakeups.notifyOnCommit
      if (notify) await db.selectNoFrom(notify('jobs').as('woken')).execute()
      else this.wakeups.wake('jobs')
    }
    return released
  }

  /** How many jobs of a queue wait (see WaitFor), and since when the oldest does. */
  async waiting(db: Executor, queue: string): Promise<{ count: number; since: string | null }> {
    const row = await db
      .selectFrom('job')
      .select((eb) => [eb.fn.countAll<number | string>().as('count'), eb.fn.min('created_at').as('since')])
      .where('queue', '=', queue)
      .where('status', '=', 'waiting')
      .executeTakeFirstOrThrow()
    return { count: Number(row.count), since: row.since ?? null }
  }

  /** Starts polling; `concurrency` jobs run at once in this process. */
  start(concurrency = 2) {
    if (this.running) return
    this.running = true
    this.stopListening = this.wakeups.on('jobs', () => {
      for (const wake of this.wakers) wake()
    })
    const loop = async () => {
      while (this.running) {
        let ran = false
        try {
          ran = await this.runOnce()
        } catch (err) {
          this.opts.onError?.(err)
        }
        if (!ran && this.running) {
          await new Promise<void>((resolve) => {
            const done = () => {
              clearTimeout(timer)
              this.wakers.delete(done)
              resolve()
            }
            const timer = setTimeout(done, this.opts.pollMs ?? 1000)
            this.wakers.add(done)
          })
        }
      }
    }
    for (let i = 0; i < concurrency; i++) {
      this.active++
      void loop().finally(() => this.active--)
    }
  }

  async stop() {
    this.running = false
    this.stopListening?.()
    for (const wake of this.wakers) wake()
    while (this.active > 0) await new Promise((r) => setTimeout(r, 10))
  }
}
