import { type Clock, newId, systemClock } from '../clock.js'
import type { Executor, OutboxRow } from '../db/schema.js'
import type { TransactionRunner } from '../db/transactions.js'
import type { DomainEvent } from '../events.js'
import { retryDelayMs } from '../jobs/queue.js'
import type { Wakeups } from '../jobs/wakeups.js'
import { type NewOutboxRow, outboxRepository } from './outbox.repository.js'

/** A domain event as the outbox hands it to handlers: its id is the idempotency key of what they do with it. */
export interface OutboxEvent {
  id: string
  event: DomainEvent
}

/**
 * Reacts to committed domain events, inside the transaction that takes them out of the outbox. What it
 * writes with `trx` (a job, a delivery row) is committed together with their removal: exactly once.
 * What it does outside (publishing on the event bus) happens at least once: again, if the transaction
 * then fails or the process dies before COMMIT. A handler that throws makes its events wait and come
 * back (with back-off), for every handler: handlers must be idempotent per event id.
 */
export type OutboxHandler = (trx: Executor, events: readonly OutboxEvent[]) => Promise<void>

/** Writing events into the outbox: what services need. */
export interface OutboxWriter {
  /** Writes the events inside `trx`, the transaction of the change they describe; handled after it commits. */
  append(trx: Executor, events: readonly DomainEvent[]): Promise<void>
}

export interface OutboxOptions {
  clock?: Clock
  /** The safety-net poll, for events whose wake-up was lost or whose handlers wait for a retry. */
  pollMs?: number
  batchSize?: number
  /** Tries before an event is set aside as failed. */
  maxAttempts?: number
  onError?: (err: unknown, event?: OutboxRow) => void
}

const toRows = (events: readonly DomainEvent[], at: string): NewOutboxRow[] =>
  events.map((event) => ({ id: newId(), type: event.type, payload: JSON.stringify(event), created_at: at }))

/**
 * The transactional outbox. Services append the events of a change in its transaction; a dispatcher
 * (in worker processes, any number of them) takes committed events out in order, runs every handler,
 * and removes them in one transaction. A wake-up after each commit (NOTIFY on PostgreSQL, in-process on
 * SQLite) starts it at once; a slow poll catches what a crash or a dropped connection left behind.
 */
export class Outbox implements OutboxWriter {
  private readonly handlers = new Map<string, OutboxHandler>()
  private running = false
  private busy: Promise<void> | undefined
  private again = false
  private timer: NodeJS.Timeout | undefined
  private stopListening: (() => void) | undefined

  constructor(
    private readonly deps: { db: Executor; transaction: TransactionRunner; kind: 'sqlite' | 'postgres'; wakeups: Wakeups },
    private readonly opts: OutboxOptions = {},
  ) {}

  private get clock() {
    return this.opts.clock ?? systemClock
  }

  /** Registers a handler by name (names only appear in logs); handlers run in registration order. */
  handle(name: string, handler: OutboxHandler) {
    if (this.handlers.has(name)) throw new Error(`outbox handler ${name} is registered twice`)
    this.handlers.set(name, handler)
  }

  async append(trx: Executor, events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return
    const { wakeups } = this.deps
    await outboxRepository.insert(trx, toRows(events, this.clock.iso()), wakeups.notifyOnCommit && 'outbox')
    if (!wakeups.notifyOnCommit) wakeups.wake('outbox')
  }

  /** Takes out one batch of due events and runs the handlers on it; returns how many it took. */
  async dispatchOnce(): Promise<number> {
    const { transaction, kind } = this.deps
    const now = this.clock.iso()
    try {
      return await transaction(async (trx) => {
        const rows = await outboxRepository.claim(trx, kind, now, this.opts.batchSize ?? 100)
        await this.run(trx, rows)
        return rows.length
      })
    } catch (err) {
      // A handler failed on some event of the batch (or the database did): the events one by one,
      // so only the one that fails waits.
      this.opts.onError?.(err)
      return this.dispatchSingly(now)
    }
  }

  private async run(trx: Executor, rows: readonly OutboxRow[]) {
    if (rows.length === 0) return
    const events = rows.map((r) => ({ id: r.id, event: JSON.parse(r.payload) as DomainEvent }))
    for (const handler of this.handlers.values()) await handler(trx, events)
    await outboxRepository.remove(trx, rows.map((r) => r.id))
  }

  private async dispatchSingly(now: string): Promise<number> {
    const { db, transaction, kind } = this.deps
    const ids = await outboxRepository.dueIds(db, now, this.opts.batchSize ?? 100)
    for (const id of ids) {
      try {
        await transaction(async (trx) => this.run(trx, await outboxRepository.claim(trx, kind, now, 1, id)))
      } catch (err) {
        const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst()
        if (!row) continue
        this.opts.onError?.(err, row)
        const attempts = row.attempts + 1
        await outboxRepository.setBack(db, id, {
          status: attempts >= (this.opts.maxAttempts ?? 20) ? 'failed' : 'pending',
          attempts,
          available_at: new Date(this.clock.now().getTime() + retryDelayMs(attempts)).toISOString(),
          last_error: String((err as Error)?.stack ?? err).slice(0, 4000),
        })
      }
    }
    return ids.length
  }

  /** Starts dispatching in this process: at each wake-up, and at the safety-net poll. */
  start() {
    if (this.running) return
    this.running = true
    this.stopListening = this.deps.wakeups.on('outbox', () => this.kick())
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? 2000)
    this.timer.unref()
    this.kick()
  }

  private kick() {
    if (!this.running) return
    if (this.busy) {
      this.again = true
      return
    }
    this.again = false
    this.busy = this.drainBatches().finally(() => {
      this.busy = undefined
      if (this.again) this.kick()
    })
  }

  private async drainBatches() {
    try {
      while (this.running && (await this.dispatchOnce()) > 0) {
        // next batch
      }
    } catch (err) {
      this.opts.onError?.(err)
    }
  }

  /** Until every due event is handled (tests, and a CLI that wants its reactions done before it exits). */
  async drain() {
    do {
      await this.busy
    } while ((await this.dispatchOnce()) > 0 || this.busy)
  }

  async stop() {
    this.running = false
    this.stopListening?.()
    if (this.timer) clearInterval(this.timer)
    await this.busy
  }
}
