import { useSyncExternalStore } from 'react'

/** A tiny history router: the agent app has few screens and needs no library for them. */
const listeners = new Set<() => void>()
const notify = () => listeners.forEach((l) => l())
window.addEventListener('popstate', notify)

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === location.pathname + location.search) return
  if (opts.replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  notify()
}

const subscribe = (l: () => void) => {
  listeners.add(l)
  return () => void listeners.delete(l)
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search)
  const url = new URL(href, location.origin)
  return { path: url.pathname, search: url.searchParams }
}

export type Route =
  | { name: 'queue'; queue: string }
  | { name: 'ticket'; id: string; queue: string }
  | { name: 'new' }
  | { name: 'mailboxes' }

/** /queues/:queue, /tickets/:id?queue=…, /new */
export function parseRoute(path: string, search: URLSearchParams): Route {
  const ticket = /^\/tickets\/([^/]+)$/.exec(path)
  if (ticket) return { name: 'ticket', id: decodeURIComponent(ticket[1]), queue: search.get('queue') ?? 'mine' }
  if (path === '/new') return { name: 'new' }
  if (path === '/admin/mailboxes') return { name: 'mailboxes' }
  const queue = /^\/queues\/([^/]+)$/.exec(path)
  return { name: 'queue', queue: queue ? decodeURIComponent(queue[1]) : 'mine' }
}
