import { EventEmitter } from 'node:events'
import pg from 'pg'

/**
 * Domain events, published after commit. They carry ids and the facts needed to decide who may
 * see them, never bodies: subscribers load what they need, with the reader's permissions.
 */
export type DomainEvent =
  | ({ type: 'ticket.created'; ticketId: string; number: string; requesterId: string; organisationId: string | null; groupId: string | null; at: string } & Routing)
  | ({ type: 'ticket.updated'; ticketId: string; number: string; requesterId: string; organisationId: string | null; groupId: string | null; changes: string[]; version: number; at: string; actorId?: string | null } & Routing & Moved)
  | ({ type: 'article.created'; ticketId: string; articleId: string; requesterId: string; organisationId: string | null; visibility: 'public' | 'internal'; direction: 'in' | 'out'; channel: string; at: string } & Routing)
  /** An outgoing reply's delivery state changed (queued, sent, deferred, failed); staff only. */
  | ({ type: 'article.delivery'; ticketId: string; articleId: string; requesterId: string; organisationId: string | null; groupId: string | null; state: 'queued' | 'sent' | 'deferred' | 'failed'; at: string } & Routing)
  /**
   * A reply could not be delivered (failed, or bounced after it was sent). Goes to its author only
   * (their `own` topic), once per failure; a resend that fails again tells them again.
   */
  | { type: 'article.delivery-failed'; ticketId: string; ticketNumber: string; articleId: string; authorId: string; at: string }
  /** An agent asked for a failed reply to be sent again (optionally to another address): the channel queues it. */
  | { type: 'article.resend-requested'; ticketId: string; articleId: string; channel: string; attempt: number; at: string }
  /**
   * A handoff: a ticket escalated to a back-office group (groupId) or returned to the desk, to its
   * coordinator. Staff only; notifications and the handoff clock subscribe to these.
   */
  | ({ type: 'ticket.escalated' | 'ticket.returned'; ticketId: string; number: string; requesterId: string; organisationId: string | null; groupId: string | null; escalationId: string; version: number; at: string; actorId?: string | null } & Routing & Moved)
  /** An agent viewing or typing on a ticket, for the collision indicator; staff-only, never stored. */
  | { type: 'presence'; ticketId: string; userId: string; name: string; state: 'viewing' | 'typing' | 'left'; at: string }
  /**
   * A user's access was withdrawn or changed: a session ended (sessionId), a token was revoked (tokenId),
   * or the account was disabled or its role or groups changed (neither). Whatever a process holds on
   * that account's behalf (remembered tokens, open streams) is dropped or checked again.
   */
  | { type: 'account.access-changed'; userId: string; sessionId?: string; tokenId?: string }
  /** Something concerns one member of staff (notifications/): to their own topic only, so the bell counts up live. */
  | { type: 'notification.created'; userId: string; notificationId: string; kind: string; ticketId: string | null; at: string }
  /** The routing rules changed: every process compiles them again before the next new ticket. */
  | { type: 'routing.rules-changed'; at: string }
  | { type: 'ticket-fields.changed'; at: string }
  /** A knowledge article's review date has come: its owner group hears of it (notifications/), once per article and date. */
  | { type: 'knowledge.review-due'; articleId: string; title: string; groupId: string; reviewAt: string; at: string }
  /**
   * A ticket's wait on a third party ran out (tickets/ticket-timers.ts): it is back on its group's queue. Its
   * assignee hears of it, or the group's members when it has none (notifications/), once per ticket and wait.
   */
  | { type: 'ticket.third-party-back'; ticketId: string; groupId: string | null; assigneeId: string | null; until: string; at: string }
  /**
   * A handoff reached a threshold of its running target (tickets/ticket-timers.ts): near (the back-office
   * group hears of it) or overdue (the department's team leads). Once per handoff, target and level.
   */
  | { type: 'handoff.alert'; ticketId: string; escalationId: string; groupId: string; departmentId: string | null; target: 'pickup' | 'return'; level: 'near' | 'overdue'; dueAt: string; at: string }

/** Where a ticket is, so the stream reaches the queues and people it concerns (stream topics). */
interface Routing {
  groupId?: string | null
  assigneeId?: string | null
  /** The desk agent keeping the customer contact during a handoff: they hear what happens on the ticket. */
  coordinatorId?: string | null
}
/** Where a ticket was before this change, when it moved: the queue and person it left hear of it too. */
interface Moved {
  previousGroupId?: string | null
  previousAssigneeId?: string | null
}

export type EventListener = (event: DomainEvent) => void

export interface EventBus {
  publish(event: DomainEvent): Promise<void>
  /** Several events of one transaction, in order; on PostgreSQL in one notification. */
  publishAll(events: readonly DomainEvent[]): Promise<void>
  subscribe(listener: EventListener): () => void
  /**
   * Called when events may have been missed (on PostgreSQL: the LISTEN connection dropped and is back),
   * so that whoever shows them (the stream's clients) reads the current state again.
   */
  onResync(listener: () => void): () => void
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
  /** One process holds every event it publishes: nothing is ever missed. */
  onResync(_listener: () => void) {
    return () => {}
  }
  async close() {
    this.emitter.removeAllListeners()
  }
}

const CHANNEL = 'loket_events'

/** NOTIFY payloads stop at 8000 bytes: events (ids only) as JSON arrays, as many per payload as fit. */
export function notifyPayloads(events: readonly DomainEvent[], limit = 7900): string[] {
  const payloads: string[] = []
  let parts: string[] = []
  let size = 2
  for (const event of events) {
    const json = JSON.stringify(event)
    const bytes = Buffer.byteLength(json) + 1
    if (parts.length > 0 && size + bytes > limit) {
      payloads.push(`[${parts.join(',')}]`)
      parts = []
      size = 2
    }
    parts.push(json)
    size += bytes
  }
  if (parts.length > 0) payloads.push(`[${parts.join(',')}]`)
  return payloads
}

/**
 * Several processes on PostgreSQL: LISTEN/NOTIFY, so every process (this one included) hears
 * every event. One dedicated connection listens and reconnects with back-off when it drops.
 */
export class PostgresEventBus implements EventBus {
  private readonly local = new InProcessEventBus()
  private client: pg.Client | undefined
  private closed = false
  private retryDelay = 250
  /** Set once the LISTEN connection dropped: events sent until it is back were not heard. */
  private missedEvents = false
  private readonly resyncListeners = new Set<() => void>()

  private constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly onError: (err: unknown) => void,
  ) {}

  static async start(url: string, onError: (err: unknown) => void = () => {}): Promise<PostgresEventBus> {
    const pool = new pg.Pool({ connectionString: url, max: 2 })
    pool.on('error', onError) // a dropped idle connection is replaced on the next publish
    pool.on('connect', (client) => client.on('error', onError)) // and one dropped during a NOTIFY too (pg-pool only listens while idle)
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
    if (this.missedEvents) {
      this.missedEvents = false
      for (const listener of this.resyncListeners) listener()
    }
  }

  private reconnect(dropped: pg.Client) {
    if (this.closed || this.client !== dropped) return
    this.client = undefined
    this.missedEvents = true
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
    await this.publishAll([event])
  }

  /**
   * Events published while a NOTIFY is on its way go out together in the next one (as group commit
   * does for writes): under load one NOTIFY carries the events of many requests. Resolves once its
   * own events are sent or, when sending failed, reported to onError; never rejects.
   */
  publishAll(events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0) return Promise.resolve()
    return new Promise<void>((resolve) => {
      this.outbox.push({ events, resolve })
      if (!this.sending) void this.send()
    })
  }
  private readonly outbox: { events: readonly DomainEvent[]; resolve: () => void }[] = []
  private sending = false

  private async send() {
    this.sending = true
    try {
      while (this.outbox.length > 0) {
        const batch = this.outbox.splice(0)
        try {
          for (const payload of notifyPayloads(batch.flatMap((b) => b.events))) {
            await this.pool.query({ name: 'loket_notify', text: 'SELECT pg_notify($1, $2)', values: [CHANNEL, payload] })
          }
        } catch (err) {
          // The writes these events describe are committed: a lost notification is reported, not
          // turned into a failed request (whose client would then write it again).
          this.onError(err)
        }
        for (const b of batch) b.resolve()
      }
    } finally {
      this.sending = false
    }
  }
  subscribe(listener: EventListener) {
    return this.local.subscribe(listener)
  }
  onResync(listener: () => void) {
    this.resyncListeners.add(listener)
    return () => void this.resyncListeners.delete(listener)
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
