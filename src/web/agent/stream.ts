import { useEffect, useState, useSyncExternalStore } from 'react'

export type StreamEvent =
  | { type: 'hello'; userId: string; at: string }
  | { type: 'ticket.created'; ticketId: string; number: string; at: string }
  | { type: 'ticket.updated'; ticketId: string; number: string; changes: string[]; version: number; at: string }
  | { type: 'article.created'; ticketId: string; articleId: string; visibility: string; at: string }
  | { type: 'presence'; ticketId: string; userId: string; name: string; state: 'viewing' | 'typing' | 'left'; at: string }

export type StreamStatus = 'connecting' | 'open' | 'offline'
type Listener = (event: StreamEvent) => void

export interface Presence {
  userId: string
  name: string
  state: 'viewing' | 'typing'
  seen: number
}

const PRESENCE_TTL_MS = 60_000

/**
 * One WebSocket to /api/v1/stream, reconnecting with exponential back-off (0.5 s → 15 s, with jitter).
 * Presence of other agents is kept per ticket and expires when not refreshed.
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
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream`
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
    socket.onclose = () => {
      if (this.socket !== socket) return
      this.socket = undefined
      if (this.stopped) return
      this.setStatus('offline')
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
