/** What the portal needs of the server's stream: which ticket changed (events carry ids, never bodies). */
export interface TicketEvent {
  type: string
  ticketId?: string
}

type Listener = (event: TicketEvent) => void
const listeners = new Set<Listener>()
let socket: WebSocket | undefined
let retry = 500
let timer: ReturnType<typeof setTimeout> | undefined
let onSignedOut: () => void = () => {}

/**
 * One WebSocket to /api/v1/stream on `queue:all`, which for a customer is the tickets they may see.
 * Reconnects with back-off; a closed session (4401) signs the portal out.
 */
function connect() {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream?topics=queue:all`
  const ws = new WebSocket(url)
  socket = ws
  ws.onopen = () => {
    // Events may have been missed while away: everyone reads again.
    if (retry > 500) listeners.forEach((l) => l({ type: 'resync' }))
    retry = 500
  }
  ws.onmessage = (message) => {
    try {
      const event = JSON.parse(String(message.data)) as TicketEvent
      listeners.forEach((l) => l(event))
    } catch {
      // not an event
    }
  }
  ws.onclose = (close) => {
    if (socket !== ws) return
    socket = undefined
    if (close.code === 4401) return onSignedOut()
    timer = setTimeout(connect, retry + Math.random() * 250)
    retry = Math.min(retry * 2, 15_000)
  }
}

export function startStream(signedOut: () => void) {
  onSignedOut = signedOut
  if (!socket) connect()
}

export function stopStream() {
  clearTimeout(timer)
  const ws = socket
  socket = undefined
  ws?.close()
}

/** Calls back on every event (and on `resync`); returns the unsubscribe. */
export function onTicketEvent(listener: Listener): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}
