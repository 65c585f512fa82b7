import type { FastifyInstance } from 'fastify'
import type { WebSocket } from 'ws'
import { type Actor, isStaff } from '../accounts/actor.js'
import type { Clock } from '../clock.js'
import type { DomainEvent, EventBus } from '../events.js'
import { requireActor } from './auth.js'

/** Whether this reader may hear of this event: staff hear everything, a customer only their own public activity. */
export function mayReceive(actor: Actor, event: DomainEvent): boolean {
  if (isStaff(actor)) return event.type !== 'presence' || event.userId !== actor.user.id
  if (event.type === 'presence') return false
  if (event.requesterId !== actor.user.id) return false
  return event.type !== 'article.created' || event.visibility === 'public'
}

const PING_MS = 25_000

/**
 * GET /api/v1/stream: a WebSocket of domain events for the logged-in user (cookie or bearer token).
 * Clients may send `{"type":"presence","ticketId":"…","state":"viewing"|"typing"|"left"}` (staff only).
 */
export function registerStream(app: FastifyInstance, events: EventBus, clock: Clock) {
  app.get(
    '/stream',
    {
      websocket: true,
      preValidation: async (request) => void requireActor(request),
      schema: { tags: ['realtime'], summary: 'WebSocket stream of ticket events (upgrade request)', hide: false },
    },
    (socket: WebSocket, request) => {
      const actor = request.actor!
      const send = (event: DomainEvent) => {
        if (socket.readyState === socket.OPEN && mayReceive(actor, event)) socket.send(JSON.stringify(event))
      }
      const unsubscribe = events.subscribe(send)
      let alive = true
      socket.on('pong', () => (alive = true))
      const ping = setInterval(() => {
        if (!alive) return socket.terminate()
        alive = false
        socket.ping()
      }, PING_MS)
      // The ticket this socket last said it was on: when the socket goes, colleagues hear it left.
      let presentOn: string | undefined
      socket.on('message', (data) => {
        if (!isStaff(actor)) return
        try {
          const msg = JSON.parse(String(data)) as { type?: string; ticketId?: unknown; state?: unknown }
          if (msg.type === 'presence' && typeof msg.ticketId === 'string' && msg.ticketId.length <= 64 && ['viewing', 'typing', 'left'].includes(String(msg.state))) {
            presentOn = msg.state === 'left' ? undefined : msg.ticketId
            void events.publish({
              type: 'presence',
              ticketId: msg.ticketId,
              userId: actor.user.id,
              name: actor.user.name,
              state: msg.state as 'viewing' | 'typing' | 'left',
              at: clock.iso(),
            })
          }
        } catch {
          // a client message that is not JSON is ignored; the stream stays open
        }
      })
      socket.on('close', () => {
        clearInterval(ping)
        unsubscribe()
        if (presentOn) {
          void events.publish({ type: 'presence', ticketId: presentOn, userId: actor.user.id, name: actor.user.name, state: 'left', at: clock.iso() }).catch(() => {})
        }
      })
      socket.send(JSON.stringify({ type: 'hello', userId: actor.user.id, at: clock.iso() }))
    },
  )
}
