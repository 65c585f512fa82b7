import type { DomainEvent } from '../events.js'
import { type Audience, MAX_TOPICS, mayWatch, routeKeys, routesOf, type Topic } from './stream-topics.js'

/** A connected stream socket, as the fan-out sees it. */
export interface StreamClient {
  readonly userId: string
  readonly audience: Audience
  /** The organisation this customer is local administrator of: they follow all its tickets. */
  readonly localAdminOf?: string
  /** The session or API token the socket was opened with (to close it when that ends). */
  readonly sessionId: string | undefined
  readonly tokenId: string | undefined
  /** Sends one text frame; the same bytes go to every client of an audience. */
  send(frame: Buffer): void
  /** Holds writes back until `uncork`, so that the frames of one moment leave in one write. */
  cork(): void
  uncork(): void
  close(code: number, reason: string): void
}

interface Entry {
  readonly client: StreamClient
  readonly topics: Set<Topic>
  /** The sequence number of the last event sent to it: a socket on several matching topics gets it once. */
  lastEvent: number
}

/**
 * Delivers bus events to the sockets subscribed to their topics. Sockets are filed by route key
 * (stream-topics.ts), so an event reaches only the sockets it concerns; it is filtered and serialised
 * once per audience, and the bytes are then written to each socket.
 */
export class StreamFanOut {
  private readonly entries = new Map<StreamClient, Entry>()
  private readonly byKey = new Map<string, Set<Entry>>()
  private readonly byUser = new Map<string, Set<Entry>>()
  private sequence = 0
  /** Sockets written to in this turn of the event loop, flushed together once it ends. */
  private readonly corked = new Set<Entry>()

  add(client: StreamClient, topics: readonly Topic[]) {
    const entry: Entry = { client, topics: new Set(), lastEvent: 0 }
    this.entries.set(client, entry)
    let mine = this.byUser.get(client.userId)
    if (!mine) this.byUser.set(client.userId, (mine = new Set()))
    mine.add(entry)
    return this.subscribe(client, topics)
  }

  remove(client: StreamClient) {
    const entry = this.entries.get(client)
    if (!entry) return
    this.entries.delete(client)
    for (const topic of entry.topics) this.file(entry, topic, false)
    const mine = this.byUser.get(client.userId)
    mine?.delete(entry)
    if (mine?.size === 0) this.byUser.delete(client.userId)
  }

  /** Adds topics; answers which were refused (not a topic this reader may watch, or too many). */
  subscribe(client: StreamClient, topics: readonly Topic[]): Topic[] {
    const entry = this.entries.get(client)
    if (!entry) return [...topics]
    const refused: Topic[] = []
    for (const topic of topics) {
      if (entry.topics.has(topic)) continue
      if (!mayWatch(client.audience, topic) || entry.topics.size >= MAX_TOPICS) {
        refused.push(topic)
        continue
      }
      entry.topics.add(topic)
      this.file(entry, topic, true)
    }
    return refused
  }

  unsubscribe(client: StreamClient, topics: readonly Topic[]) {
    const entry = this.entries.get(client)
    if (!entry) return
    for (const topic of topics) if (entry.topics.delete(topic)) this.file(entry, topic, false)
  }

  topicsOf(client: StreamClient): Topic[] {
    return [...(this.entries.get(client)?.topics ?? [])]
  }

  clientsOf(userId: string): StreamClient[] {
    return [...(this.byUser.get(userId) ?? [])].map((e) => e.client)
  }

  get size() {
    return this.entries.size
  }

  private file(entry: Entry, topic: Topic, add: boolean) {
    for (const key of routeKeys(entry.client.audience, entry.client.userId, topic, entry.client.localAdminOf)) {
      let set = this.byKey.get(key)
      if (add) {
        if (!set) this.byKey.set(key, (set = new Set()))
        set.add(entry)
      } else if (set) {
        set.delete(entry)
        if (set.size === 0) this.byKey.delete(key)
      }
    }
  }

  deliver(event: DomainEvent) {
    const seq = ++this.sequence
    // Presence goes to everyone watching the ticket but the one who is on it.
    const from = event.type === 'presence' ? event.userId : undefined
    for (const route of routesOf(event)) {
      let frame: Buffer | undefined
      for (const key of route.keys) {
        const entries = this.byKey.get(key)
        if (!entries) continue
        for (const entry of entries) {
          if (entry.lastEvent === seq || entry.client.audience !== route.audience || entry.client.userId === from) continue
          entry.lastEvent = seq
          frame ??= Buffer.from(JSON.stringify(route.view))
          this.cork(entry)
          entry.client.send(frame)
        }
      }
    }
  }

  /**
   * The events of one transaction arrive together (a ticket and its first article): corked, a socket
   * sends their frames in one write instead of one each, which under load is most of the cost.
   */
  private cork(entry: Entry) {
    if (this.corked.has(entry)) return
    if (this.corked.size === 0) queueMicrotask(() => this.uncorkAll())
    this.corked.add(entry)
    entry.client.cork()
  }

  private uncorkAll() {
    for (const entry of this.corked) entry.client.uncork()
    this.corked.clear()
  }

  /** Sends one message to every socket (a resync notice). */
  broadcast(message: object) {
    const frame = Buffer.from(JSON.stringify(message))
    for (const client of this.entries.keys()) client.send(frame)
  }
}
