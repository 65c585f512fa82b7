import { join } from 'node:path'
import type { Logger } from 'pino'
import { EmailChannel } from './channels/email/email.channel.js'
import { JobChannelRegistry } from './channels/registry.js'
import { type Clock, systemClock } from './clock.js'
import { type Config, databaseStartError } from './config.js'
import { createDb, type Database } from './db/create-db.js'
import { dialectFor } from './db/dialect.js'
import { migrateToLatest } from './db/migrate.js'
import { createWriteRunners } from './db/transactions.js'
import { proceduresModule, type WriterProcedures } from './writer-procedures.js'
import type { Deps } from './deps.js'
import { type EventBus, InProcessEventBus, PostgresEventBus } from './events.js'
import { JobQueue } from './jobs/queue.js'
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
  close(): Promise<void>
}

export async function createRuntime(config: Config, opts: { clock?: Clock; logger?: Logger; migrate?: boolean; backgroundCheckpoints?: boolean } = {}): Promise<Runtime> {
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
      backgroundCheckpoints: opts.backgroundCheckpoints,
      onCheckpointFailed: (message) => opts.logger?.warn({ message }, 'background WAL checkpoint failed'),
      writerProcedures: proceduresModule,
    }),
  )
  try {
    if (opts.migrate !== false) await reaching(() => migrateToLatest(database))
    const events: EventBus =
      config.db.kind === 'postgres'
        ? await reaching(() => PostgresEventBus.start((config.db as { url: string }).url, (err) => opts.logger?.warn({ err }, 'event bus connection problem')))
        : new InProcessEventBus()
    const clock = opts.clock ?? systemClock
    const jobs = new JobQueue(database.db, database.kind, {
      clock,
      onError: (err, job) => opts.logger?.warn({ err, job: job?.id, queue: job?.queue }, 'job failed'),
    })
    const writes = createWriteRunners(database)
    const deps: Deps = {
      db: database.db,
      transaction: writes.transaction,
      procedures: writes.procedure as WriterProcedures | undefined,
      dialect: dialectFor(database.kind),
      events,
      clock,
      jobs,
      blobs: new DiskBlobStore(join(config.dataDir, 'blobs')),
      channels: new JobChannelRegistry(jobs),
      config,
    }
    const services = createServices(deps)
    const email = new EmailChannel(deps, services, { logger: opts.logger })
    return {
      config,
      database,
      deps,
      services,
      email,
      async close() {
        await email.stop()
        await jobs.stop()
        await events.close()
        await database.close()
      },
    }
  } catch (err) {
    await database.close().catch(() => {})
    throw err
  }
}
