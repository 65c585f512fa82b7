import { useEffect, useState, useSyncExternalStore } from 'react'

export type StreamEvent =
  | { type: 'hello'; userId: string; at: string }
  | { type: 'ticket.created'; ticketId: string; number: string; at: string }
  | { type: 'ticket.updated'; ticketId: string; number: string; changes: string[]; version: number; at: string }
  | { type: 'article.created'; ticketId: string; articleId: string; visibility: string; at: string }
  | { type: 'article.delivery'; ticketId: string; articleId: string; state: string; at: string }
  /** One of this agent's own replies did not arrive (on the `own` topic). */
  | { type: 'article.delivery-failed'; ticketId: string; ticketNumber: string; articleId: string; authorId: string; at: string }
  /** Something concerns this agent (on the `own` topic): the bell counts up. */
  | { type: 'notification.created'; userId: string; notificationId: string; kind: string; ticketId: string | null; at: string }
  | { type: 'presence'; ticketId: string; userId: string; name: string; state: 'viewing' | 'typing' | 'left'; at: string }
  /** The server may have missed events (its database connection came back): read everything again. */
  | { type: 'resync'; at: string }
  /** Not from the server: the stream was closed because this user's access ended or changed. */
  | { type: 'access-changed' }

export type StreamStatus = 'connecting' | 'open' | 'offline'
type Listener = (event: StreamEvent) => void

export interface Presence {
  userId: string
  name: string
  state: 'viewing' | 'typing'
  seen: number
}

const PRESENCE_TTL_MS = 60_000

/** Close codes of the server: the session or token ended (4401), or the user's rights changed (4403). */
const CLOSE_UNAUTHENTICATED = 4401
const CLOSE_ACCESS_CHANGED = 4403

/**
 * One WebSocket to /api/v1/stream, reconnecting with exponential back-off (0.5 s → 15 s, with jitter).
 * It watches the whole desk (`queue:all`) and the topics screens ask for with `watch` (an open ticket);
 * after a reconnect it asks for them again. Presence of other agents is kept per ticket and expires when
 * not refreshed.
 */
export class Stream {
  private socket: WebSocket | undefined
  private listeners = new Set<Listener>()
  private statusListeners = new Set<() => void>()
  private retry = 500
  private timer: ReturnType<typeof setTimeout> | undefined
  private stopped = true
  private myPresence: { ticketId: string; state: 'viewing' | 'typing' } | undefined
  private presence = new Map<string, Map<string, Presence>>()
  private presenceVersion = 0
  /** Topics watched, with how many screens asked for each. */
  private topics = new Map<string, number>([['queue:all', 1], ['own', 1]])
  status: StreamStatus = 'offline'

  start() {
    if (!this.stopped) return
    this.stopped = false
    this.connect()
  }

  stop() {
    this.stopped = true
    clearTimeout(this.timer)
    this.socket?.close()
    this.socket = undefined
    this.setStatus('offline')
  }

  private setStatus(status: StreamStatus) {
    if (this.status === status) return
    this.status = status
    this.statusListeners.forEach((l) => l())
  }

  private connect() {
    if (this.stopped) return
    this.setStatus('connecting')
    const topics = encodeURIComponent([...this.topics.keys()].join(','))
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream?topics=${topics}`
    const socket = new WebSocket(url)
    this.socket = socket
    socket.onopen = () => {
      this.retry = 500
      this.setStatus('open')
      if (this.myPresence) this.sendPresence(this.myPresence.ticketId, this.myPresence.state)
      // Whatever happened while we were away: let listeners refresh.
      this.emit({ type: 'hello', userId: '', at: new Date().toISOString() })
    }
    socket.onmessage = (msg) => {
      try {
        this.emit(JSON.parse(String(msg.data)) as StreamEvent)
      } catch {
        // not JSON: ignore
      }
    }
    socket.onclose = (close) => {
      if (this.socket !== socket) return
      this.socket = undefined
      if (this.stopped) return
      this.setStatus('offline')
      if (close.code === CLOSE_UNAUTHENTICATED || close.code === CLOSE_ACCESS_CHANGED) {
        // Whoever shows the user asks again (a login screen when the session is gone); with new rights
        // the stream comes back at once, authorised afresh.
        this.emit({ type: 'access-changed' })
        if (close.code === CLOSE_ACCESS_CHANGED) this.retry = 500
      }
      const delay = this.retry * (0.75 + Math.random() / 2)
      this.retry = Math.min(this.retry * 2, 15_000)
      this.timer = setTimeout(() => this.connect(), delay)
    }
  }

  private emit(event: StreamEvent) {
    if (event.type === 'presence') this.trackPresence(event)
    this.listeners.forEach((l) => l(event))
  }

  private trackPresence(event: Extract<StreamEvent, { type: 'presence' }>) {
    const map = this.presence.get(event.ticketId) ?? new Map<string, Presence>()
    if (event.state === 'left') map.delete(event.userId)
    else map.set(event.userId, { userId: event.userId, name: event.name, state: event.state, seen: Date.now() })
    this.presence.set(event.ticketId, map)
    this.presenceVersion++
    this.statusListeners.forEach((l) => l())
  }

  presenceOn(ticketId: string): Presence[] {
    const now = Date.now()
    return [...(this.presence.get(ticketId)?.values() ?? [])].filter((p) => now - p.seen < PRESENCE_TTL_MS)
  }

  sendPresence(ticketId: string, state: 'viewing' | 'typing' | 'left') {
    this.myPresence = state === 'left' ? undefined : { ticketId, state }
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'presence', ticketId, state }))
  }

  /** Watches a topic (`ticket:<id>`) while a screen shows it; returns the function that stops watching. */
  watch(topic: string): () => void {
    const count = this.topics.get(topic) ?? 0
    this.topics.set(topic, count + 1)
    if (count === 0) this.sendTopics('subscribe', topic)
    return () => {
      const left = (this.topics.get(topic) ?? 1) - 1
      if (left > 0) return void this.topics.set(topic, left)
      this.topics.delete(topic)
      this.sendTopics('unsubscribe', topic)
    }
  }

  private sendTopics(type: 'subscribe' | 'unsubscribe', topic: string) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type, topics: [topic] }))
  }

  subscribe(listener: Listener) {
    this.listeners.add(listener)
    return () => void this.listeners.delete(listener)
  }

  subscribeStatus = (listener: () => void) => {
    this.statusListeners.add(listener)
    return () => void this.statusListeners.delete(listener)
  }

  snapshot = () => `${this.status}:${this.presenceVersion}`
}

export const stream = new Stream()

export function useStreamStatus(): StreamStatus {
  useSyncExternalStore(stream.subscribeStatus, stream.snapshot)
  return stream.status
}

export function usePresence(ticketId: string): Presence[] {
  useSyncExternalStore(stream.subscribeStatus, stream.snapshot)
  // Re-check now and then, so a colleague who left without saying so (closed laptop) disappears.
  const [, tick] = useState(0)
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 15_000)
    return () => clearInterval(timer)
  }, [])
  return stream.presenceOn(ticketId)
}
