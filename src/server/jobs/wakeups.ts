import { EventEmitter } from 'node:events'
import { type RawBuilder, sql } from 'kysely'
import pg from 'pg'

/** What pollers wait for: due jobs (jobs/queue.ts), new domain events (outbox/outbox.ts). */
export type WakeTopic = 'jobs' | 'outbox'
const TOPICS: readonly WakeTopic[] = ['jobs', 'outbox']

/**
 * Wakes the pollers of every process once work is committed, so a job or an event is taken at once
 * instead of at the next poll. The poll stays, as the safety net for a lost wake-up.
 */
export interface Wakeups {
  /**
   * PostgreSQL: an expression to select in the statement that writes the work. Its NOTIFY is sent
   * when (and only if) the transaction commits, to every process, this one included. Undefined on
   * SQLite: call `wake` after the write instead.
   */
  readonly notifyOnCommit?: (topic: WakeTopic) => RawBuilder<unknown>
  /**
   * Wakes this process's pollers. On SQLite a poller woken while the writing transaction is still
   * open waits for it: the event loop has one connection, which the transaction holds until COMMIT.
   */
  wake(topic: WakeTopic): void
  on(topic: WakeTopic, listener: () => void): () => void
  close(): Promise<void>
}

/** One process (SQLite): wake-ups stay in memory. */
export class LocalWakeups implements Wakeups {
  readonly notifyOnCommit?: Wakeups['notifyOnCommit']
  private readonly emitter = new EventEmitter().setMaxListeners(0)
  wake(topic: WakeTopic) {
    this.emitter.emit(topic)
  }
  on(topic: WakeTopic, listener: () => void) {
    this.emitter.on(topic, listener)
    return () => void this.emitter.off(topic, listener)
  }
  async close() {
    this.emitter.removeAllListeners()
  }
}

const CHANNEL = 'loket_wake'

/**
 * Several processes on PostgreSQL: NOTIFY loket_wake '<topic>' inside the writing transaction, and
 * one listening connection per process that reconnects with back-off when it drops. After a
 * reconnect every topic is woken, since notifications sent meanwhile are lost.
 */
export class PostgresWakeups extends LocalWakeups {
  override readonly notifyOnCommit = (topic: WakeTopic) => sql`pg_notify(${CHANNEL}, ${topic})`
  private client: pg.Client | undefined
  private closed = false
  private retryDelay = 250

  private constructor(
    private readonly url: string,
    private readonly onError: (err: unknown) => void,
  ) {
    super()
  }

  static async start(url: string, onError: (err: unknown) => void = () => {}): Promise<PostgresWakeups> {
    const wakeups = new PostgresWakeups(url, onError)
    await wakeups.listen()
    return wakeups
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url })
    client.on('notification', (msg) => {
      if (msg.channel === CHANNEL && TOPICS.includes(msg.payload as WakeTopic)) this.wake(msg.payload as WakeTopic)
    })
    client.on('error', (err) => {
      this.onError(err)
      this.reconnect(client)
    })
    client.on('end', () => this.reconnect(client))
    await client.connect()
    await client.query(`LISTEN ${CHANNEL}`)
    this.client = client
    this.retryDelay = 250
  }

  private reconnect(dropped: pg.Client) {
    if (this.closed || this.client !== dropped) return
    this.client = undefined
    setTimeout(() => {
      if (this.closed) return
      this.listen()
        .then(() => TOPICS.forEach((topic) => this.wake(topic)))
        .catch((err) => {
          this.onError(err)
          this.retryDelay = Math.min(this.retryDelay * 2, 10_000)
          this.client = dropped
          this.reconnect(dropped)
        })
    }, this.retryDelay).unref()
  }

  override async close() {
    this.closed = true
    const client = this.client
    this.client = undefined
    await client?.end().catch(() => {})
    await super.close()
  }
}
