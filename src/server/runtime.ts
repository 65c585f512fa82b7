import { join } from 'node:path'
import type { Logger } from 'pino'
import { EmailChannel } from './channels/email/email.channel.js'
import { JobChannelRegistry } from './channels/registry.js'
import { type Clock, systemClock } from './clock.js'
import { type Config, databaseStartError } from './config.js'
import { createDb, type Database } from './db/create-db.js'
import { dialectFor } from './db/dialect.js'
import { migrateToLatest } from './db/migrate.js'
import { createTransactionRunner } from './db/transactions.js'
import type { Deps } from './deps.js'
import { type EventBus, InProcessEventBus, PostgresEventBus } from './events.js'
import { JobQueue } from './jobs/queue.js'
import { LocalWakeups, PostgresWakeups, type Wakeups } from './jobs/wakeups.js'
import { Outbox } from './outbox/outbox.js'
import { createServices, type Services } from './services.js'
import { DiskBlobStore } from './tickets/blob-store.js'

/** Everything a Loket process holds: the database, the event bus, the job queue and the services. */
export interface Runtime {
  config: Config
  database: Database
  deps: Deps
  services: Services
  /** The e-mail channel: its adapter is registered everywhere; `start()` its fetchers in worker processes. */
  email: EmailChannel
  /** The outbox's dispatcher: handlers are registered on it; it runs where `reactions` is on. */
  outbox: Outbox
  close(): Promise<void>
}

export async function createRuntime(config: Config, opts: {
    clock?: Clock
    logger?: Logger
    migrate?: boolean
    backgroundCheckpoints?: boolean
    /** Run the outbox's handlers in this process (default on; `serve` has them in worker processes only). */
    reactions?: boolean
    /** How long a job a worker took stays its own before another worker may take it again (default 60 s). */
    jobLeaseMs?: number
  } = {}): Promise<Runtime> {
  // A database that cannot be opened or reached stops start-up with one line naming DATABASE_URL.
  const reaching = async <T>(step: () => T | Promise<T>): Promise<T> => {
    try {
      return await step()
    } catch (err) {
      throw databaseStartError(err, config.db)
    }
  }
  const database = await reaching(() =>
    createDb(config.db, {
      onIdleError: (err) => opts.logger?.warn({ err }, 'database connection dropped while idle'),
      onConnectionLost: (err) => opts.logger?.warn({ err }, 'database connection dropped while in use'),
      backgroundCheckpoints: opts.backgroundCheckpoints,
      onCheckpointFailed: (message) => opts.logger?.warn({ message }, 'background WAL checkpoint failed'),
    }),
  )
  // What holds a connection of its own, closed again when start-up fails half-way.
  const opened: { close(): Promise<void> }[] = []
  try {
    if (opts.migrate !== false) await reaching(() => migrateToLatest(database))
    const events: EventBus =
      config.db.kind === 'postgres'
        ? await reaching(() => PostgresEventBus.start((config.db as { url: string }).url, (err) => opts.logger?.warn({ err }, 'event bus connection problem')))
        : new InProcessEventBus()
    opened.push(events)
    const wakeups: Wakeups =
      config.db.kind === 'postgres'
        ? await reaching(() => PostgresWakeups.start((config.db as { url: string }).url, (err) => opts.logger?.warn({ err }, 'wake-up connection problem')))
        : new LocalWakeups()
    opened.push(wakeups)
    const clock = opts.clock ?? systemClock
    const jobs = new JobQueue(database.db, database.kind, {
      clock,
      wakeups,
      leaseMs: opts.jobLeaseMs,
      onError: (err, job) => opts.logger?.warn({ err, job: job?.id, queue: job?.queue }, 'job failed'),
    })
    const transaction = createTransactionRunner(database)
    const outbox = new Outbox(
      { db: database.db, transaction, kind: database.kind, wakeups },
      { clock, onError: (err, event) => opts.logger?.warn({ err, event: event?.id, type: event?.type }, 'outbox handler failed') },
    )
    // Stream fan-out: every process's sockets hear the event (on PostgreSQL through NOTIFY).
    outbox.handle('stream', (_trx, stored) => events.publishAll(stored.map((s) => s.event)))
    const deps: Deps = {
      db: database.db,
      transaction,
      dialect: dialectFor(database.kind),
      events,
      outbox,
      clock,
      jobs,
      blobs: new DiskBlobStore(join(config.dataDir, 'blobs')),
      channels: new JobChannelRegistry(jobs, outbox, clock),
      config,
    }
    const services = createServices(deps)
    services.webhooks.registerReactions(outbox)
    services.notifications.registerReactions(outbox)
    services.tickets.timers.registerJob()
    const email = new EmailChannel(deps, services, { logger: opts.logger })
    if (opts.reactions !== false) outbox.start()
    return {
      config,
      database,
      deps,
      services,
      email,
      outbox,
      async close() {
        await email.stop()
        await outbox.stop()
        await jobs.stop()
        await wakeups.close()
        await events.close()
        await database.close()
      },
    }
  } catch (err) {
    for (const o of opened) await o.close().catch(() => {})
    await database.close().catch(() => {})
    throw err
  }
}
