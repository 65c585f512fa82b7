import type { Kysely } from 'kysely'
import type { ChannelRegistry } from './channels/channel.js'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import type { Dialect } from './db/dialect.js'
import type { DB } from './db/schema.js'
import type { TransactionRunner } from './db/transactions.js'
import type { EventBus } from './events.js'
import type { JobQueue } from './jobs/queue.js'
import type { OutboxWriter } from './outbox/outbox.js'
import type { BlobStore } from './tickets/blob-store.js'

/** What every domain service may use; built once in app.ts. */
export interface Deps {
  db: Kysely<DB>
  /** For every write that spans statements: group commit on SQLite, a plain transaction on PostgreSQL. */
  transaction: TransactionRunner
  dialect: Dialect
  /** Live delivery of events to this and (PostgreSQL) other processes; fed by the outbox's stream handler. */
  events: EventBus
  /** Domain events written in the transaction of the change; their handlers run after commit, in any process. */
  outbox: OutboxWriter
  clock: Clock
  jobs: JobQueue
  blobs: BlobStore
  channels: ChannelRegistry
  config: Pick<Config, 'secret' | 'publicUrl' | 'attachmentMaxBytes' | 'subjectTagLabel' | 'auditRetentionDays' | 'notificationRetentionDays'>
}
