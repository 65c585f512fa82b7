import type { Kysely } from 'kysely'
import type { ChannelRegistry } from './channels/channel.js'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { Dialect } from './db/dialect.js'
import type { DB } from './db/schema.js'
import type { TransactionRunner } from './db/transactions.js'
import type { EventBus } from './events.js'
import type { JobQueue } from './jobs/queue.js'
import type { BlobStore } from './tickets/blob-store.js'
import type { WriterProcedures } from './writer-procedures.js'

/** What every domain service may use; built once in app.ts. */
export interface Deps {
  db: Kysely<DB>
  /** For every write that spans statements: group commit on SQLite, a plain transaction on PostgreSQL. */
  transaction: TransactionRunner
  /** SQLite files: procedures for the writer thread, which writes a new ticket beside the event loop. */
  procedures?: WriterProcedures
  dialect: Dialect
  events: EventBus
  clock: Clock
  jobs: JobQueue
  blobs: BlobStore
  channels: ChannelRegistry
  config: Pick<Config, 'secret' | 'publicUrl' | 'attachmentMaxBytes' | 'subjectTagLabel'>
}
