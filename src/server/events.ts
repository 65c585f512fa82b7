import { EventEmitter } from 'node:events'
import pg from 'pg'

/**
 * Domain events, published after commit. They carry ids and the facts needed to decide who may
 * see them, never bodies: subscribers load what they need, with the reader's permissions.
 */
export type DomainEvent =
  | { type: 'ticket.created'; ticketId: string; number: string; requesterId: string; organisationId: string | null; groupId: string | null; at: string }
  | { type: 'ticket.updated'; ticketId: string; number: string; requesterId: string; organisationId: string | null; groupId: string | null; changes: string[]; version: number; at: string }
  | { type: 'article.created'; ticketId: string; articleId: string; requesterId: string; organisationId: string | null; visibility: 'public' | 'internal'; direction: 'in' | 'out'; channel: string; at: string }
  /** An agent viewing or typing on a ticket, for the collision indicator; staff-only, never stored. */
  | { type: 'presence'; ticketId: string; userId: string; name: string; state: 'viewing' | 'typing' | 'left'; at: string }

export type EventListener = (event: DomainEvent) => void

export interface EventBus {
  publish(event: DomainEvent): Promise<void>
  /** Several events of one transaction, in order; on PostgreSQL in one notification. */
  publishAll(events: readonly DomainEvent[]): Promise<void>
  subscribe(listener: EventListener): () => void
  close(): Promise<void>
}

/** One process on SQLite: events stay in memory. */
export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0)
  async publish(event: DomainEvent) {
    this.emitter.emit('event', event)
  }
  async publishAll(events: readonly DomainEvent[]) {
    for (const event of events) this.emitter.emit('event', event)
  }
  subscribe(listener: EventListener) {
    this.emitter.on('event', listener)
    return () => void this.emitter.off('event', listener)
  }
  async close() {
    this.emitter.removeAllListeners()
  }
}

const CHANNEL = 'loket_events'

/**
 * Several processes on PostgreSQL: LISTEN/NOTIFY, so every process (this one included) hears
 * every event. One dedicated connection listens and reconnects with back-off when it drops.
 */
export class PostgresEventBus implements EventBus {
  private readonly local = new InProcessEventBus()
  private client: pg.Client | undefined
  private closed = false
  private retryDelay = 250

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly onError: (err: unknown) => void,
  ) {}

  static async start(url: string, onError: (err: unknown) => void = () => {}): Promise<PostgresEventBus> {
    const pool = new pg.Pool({ connectionString: url, max: 2 })
    pool.on('error', onError) // a dropped idle connection is replaced on the next publish
    const bus = new PostgresEventBus(url, pool, onError)
    await bus.listen()
    return bus
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url })
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return
      try {
        const payload = JSON.parse(msg.payload) as DomainEvent | DomainEvent[]
        void this.local.publishAll(Array.isArray(payload) ? payload : [payload])
      } catch (err) {
        this.onError(err)
      }
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
      this.listen().catch((err) => {
        this.onError(err)
        this.retryDelay = Math.min(this.retryDelay * 2, 10_000)
        this.client = dropped
        this.reconnect(dropped)
      })
    }, this.retryDelay).unref()
  }

  async publish(event: DomainEvent) {
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify(event)])
  }
  async publishAll(events: readonly DomainEvent[]) {
    if (events.length === 0) return
    const payload = JSON.stringify(events.length === 1 ? events[0] : events)
    // NOTIFY payloads stop at 8000 bytes; a transaction's events (ids only) fit easily, else one each.
    if (Buffer.byteLength(payload) < 7900) await this.pool.query('SELECT pg_notify($1, $2)', [CHANNEL, payload])
    else for (const event of events) await this.publish(event)
  }
  subscribe(listener: EventListener) {
    return this.local.subscribe(listener)
  }
  async close() {
    this.closed = true
    const client = this.client
    this.client = undefined
    await client?.end().catch(() => {})
    await this.pool.end()
    await this.local.close()
  }
}
