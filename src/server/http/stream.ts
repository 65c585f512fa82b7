import type { Socket } from 'node:net'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import { isStaff } from '../accounts/actor.js'
import type { AccountService } from '../accounts/account.service.js'
import type { Clock } from '../clock.js'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import type { DomainEvent, EventBus } from '../events.js'
import { requireActor } from './auth.js'
import { type StreamClient, StreamFanOut } from './stream-fanout.js'
import { audienceOf, MAX_TOPICS, parseTopic, type Topic } from './stream-topics.js'

const PING_MS = 25_000
/** setTimeout's longest wait; a later expiry is looked at again after this long. */
const MAX_TIMER_MS = 2 ** 31 - 1
/** What a socket watches when it names no topics: everything its reader may see, as before topics. */
const DEFAULT_TOPICS: Topic[] = ['queue:all']

/** Close codes: the credential is gone (log in again), or the reader's rights changed (reconnect). */
export const CLOSE_UNAUTHENTICATED = 4401
export const CLOSE_ACCESS_CHANGED = 4403

/**
 * The origins whose pages may open the stream with the user's cookie: LOKET_PUBLIC_URL's and those in
 * LOKET_ALLOWED_ORIGINS. A browser always sends Origin on a WebSocket upgrade; a request without one
 * comes from a program, which must bring a token or a cookie of its own.
 */
export function streamOrigins(config: Pick<Config, 'publicUrl' | 'allowedOrigins'>): Set<string> {
  return new Set([new URL(config.publicUrl).origin, ...(config.allowedOrigins ?? [])])
}

function topicsOfQuery(request: FastifyRequest): Topic[] {
  const raw = (request.query as { topics?: unknown }).topics
  if (raw === undefined) return DEFAULT_TOPICS
  const topics = String(raw).split(',').filter(Boolean).map(parseTopic)
  if (topics.length > MAX_TOPICS || topics.some((t) => t === undefined)) {
    throw AppError.validation(`topics must be a comma-separated list of at most ${MAX_TOPICS} of queue:all, queue:<groupId>, ticket:<ticketId>, own.`, { field: 'topics' })
  }
  return topics as Topic[]
}

/**
 * GET /api/v1/stream: a WebSocket of domain events for the logged-in user (cookie or bearer token),
 * on the topics it subscribes to (`?topics=…` when connecting, then subscribe/unsubscribe messages).
 * Clients may also send `{"type":"presence","ticketId":"…","state":"viewing"|"typing"|"left"}` (staff only).
 */
export function registerStream(app: FastifyInstance, deps: { events: EventBus; clock: Clock; accounts: AccountService; config: Pick<Config, 'publicUrl' | 'allowedOrigins'> }) {
  const { events, clock, accounts } = deps
  const fanOut = new StreamFanOut()
  const origins = streamOrigins(deps.config)

  /**
   * Access withdrawn: the sockets opened with an ended session or a revoked token close with 4401; when
   * the user was disabled, changed role or groups, all their sockets close (4401 when they can no longer
   * sign in, 4403 otherwise: the client reconnects and is authorised afresh).
   */
  const accessChanged = async (event: Extract<DomainEvent, { type: 'account.access-changed' }>) => {
    const ended = (c: StreamClient) => (event.sessionId !== undefined && c.sessionId === event.sessionId) || (event.tokenId !== undefined && c.tokenId === event.tokenId)
    const credential = event.sessionId ?? event.tokenId
    const clients = fanOut.clientsOf(event.userId).filter((c) => credential === undefined || ended(c))
    if (clients.length === 0) return
    if (credential !== undefined) {
      for (const c of clients) c.close(CLOSE_UNAUTHENTICATED, event.sessionId ? 'session ended' : 'token revoked')
      return
    }
    const user = await accounts.loadUser(event.userId).catch(() => undefined)
    const [code, reason] = user?.active ? [CLOSE_ACCESS_CHANGED, 'access changed'] : [CLOSE_UNAUTHENTICATED, 'account disabled']
    // Sockets opened while the user was being read are closed too: they may have been authorised before the change.
    for (const c of fanOut.clientsOf(event.userId)) c.close(code, reason)
  }
  /**
   * A session or token that runs out ends its sockets then too (4401): a token at its expiry; a session
   * at its expiry as renewed by use meanwhile (the app's other requests move it on), read again each time.
   * Returns what stops the watch.
   */
  const watchExpiry = (actor: NonNullable<FastifyRequest['actor']>, client: StreamClient): (() => void) => {
    let timer: NodeJS.Timeout | undefined
    let stopped = false
    const schedule = (expiresAt: string, wait = Date.parse(expiresAt) - clock.now().getTime()) => {
      timer = setTimeout(() => void check(expiresAt), Math.max(0, Math.min(wait, MAX_TIMER_MS)))
      timer.unref()
    }
    const check = async (expiresAt: string) => {
      let current: string | undefined = expiresAt
      try {
        if (actor.sessionId !== undefined) current = await accounts.sessionExpiry(actor.sessionId)
      } catch {
        // The database could not say (a lost connection): ask again shortly rather than guess.
        if (!stopped) schedule(expiresAt, 5000)
        return
      }
      if (stopped) return
      if (current === undefined || Date.parse(current) <= clock.now().getTime()) client.close(CLOSE_UNAUTHENTICATED, actor.sessionId !== undefined ? 'session expired' : 'token expired')
      else schedule(current)
    }
    if (actor.expiresAt !== undefined && (actor.sessionId !== undefined || actor.tokenId !== undefined)) schedule(actor.expiresAt)
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }

  const offEvents = events.subscribe((event) => {
    if (event.type === 'account.access-changed') void accessChanged(event)
    else fanOut.deliver(event)
  })
  // Events may have been missed (the PostgreSQL LISTEN connection dropped and came back): clients refetch.
  const offResync = events.onResync(() => fanOut.broadcast({ type: 'resync', at: clock.iso() }))
  app.addHook('onClose', async () => {
    offEvents()
    offResync()
  })

  app.get(
    '/stream',
    {
      websocket: true,
      preValidation: async (request) => {
        requireActor(request)
        const origin = request.headers.origin
        if (origin !== undefined && !origins.has(origin)) {
          throw new AppError('forbidden', `A page from ${origin} may not open the stream: only ${[...origins].join(', ')} (LOKET_PUBLIC_URL, LOKET_ALLOWED_ORIGINS).`)
        }
        topicsOfQuery(request)
      },
      schema: { tags: ['realtime'], summary: 'WebSocket stream of ticket events by topic (upgrade request)', hide: false },
    },
    (socket: WebSocket, request) => {
      const actor = request.actor!
      const client: StreamClient = {
        userId: actor.user.id,
        audience: audienceOf(actor),
        localAdminOf: actor.user.localAdmin && actor.user.organisationId ? actor.user.organisationId : undefined,
        sessionId: actor.sessionId,
        tokenId: actor.tokenId,
        send: (frame) => {
          if (socket.readyState === socket.OPEN) socket.send(frame, { binary: false })
        },
        close: (code, reason) => socket.close(code, reason),
        // ws writes each frame to its TCP socket (which it keeps as _socket); corking that groups them.
        cork: () => socket.readyState === socket.OPEN && (socket as unknown as { _socket?: Socket })._socket?.cork(),
        uncork: () => (socket as unknown as { _socket?: Socket })._socket?.uncork(),
      }
      const refused = fanOut.add(client, topicsOfQuery(request))
      const stopWatchingExpiry = watchExpiry(actor, client)
      const reply = (message: object) => client.send(Buffer.from(JSON.stringify(message)))

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
        let msg: { type?: unknown; ticketId?: unknown; state?: unknown; topics?: unknown }
        try {
          msg = JSON.parse(String(data))
        } catch {
          return // a client message that is not JSON is ignored; the stream stays open
        }
        if ((msg.type === 'subscribe' || msg.type === 'unsubscribe') && Array.isArray(msg.topics) && msg.topics.length <= MAX_TOPICS) {
          const topics = msg.topics.map(parseTopic)
          const valid = topics.filter((t): t is Topic => t !== undefined)
          const invalid = msg.topics.filter((_, i) => topics[i] === undefined).map(String)
          const notAllowed = msg.type === 'subscribe' ? fanOut.subscribe(client, valid) : (fanOut.unsubscribe(client, valid), [])
          reply({ type: 'subscribed', topics: fanOut.topicsOf(client), ...(invalid.length + notAllowed.length > 0 && { refused: [...invalid, ...notAllowed] }) })
          return
        }
        if (!isStaff(actor)) return
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
      })
      socket.on('close', () => {
        clearInterval(ping)
        stopWatchingExpiry()
        fanOut.remove(client)
        if (presentOn) {
          void events.publish({ type: 'presence', ticketId: presentOn, userId: actor.user.id, name: actor.user.name, state: 'left', at: clock.iso() }).catch(() => {})
        }
      })
      reply({ type: 'hello', userId: actor.user.id, at: clock.iso(), topics: fanOut.topicsOf(client), ...(refused.length > 0 && { refused }) })
    },
  )
}
