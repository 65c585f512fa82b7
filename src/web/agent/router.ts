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
  | { name: 'admin'; section: string | null; subpath: string }
  | { name: 'knowledge'; filter?: 'review' }
  | { name: 'article'; id: string | null }
  | { name: 'templates' }
  | { name: 'profile' }
  | { name: 'organisations' }
  | { name: 'organisation'; id: string }
  | { name: 'notFound' }

/** /queues/:queue, /tickets/:id?queue=…, /new, /knowledge[/:id|/new], /templates, /organisations[/:id], /admin[/:section[/…]]; anything else is not found. */
export function parseRoute(path: string, search: URLSearchParams): Route {
  const ticket = /^\/tickets\/([^/]+)$/.exec(path)
  if (ticket) return { name: 'ticket', id: decodeURIComponent(ticket[1]), queue: search.get('queue') ?? 'mine' }
  if (path === '/new') return { name: 'new' }
  const admin = /^\/admin(?:\/([^/]+)(?:\/(.*))?)?\/?$/.exec(path)
  if (admin) return { name: 'admin', section: admin[1] ? decodeURIComponent(admin[1]) : null, subpath: admin[2] ?? '' }
  if (path === '/knowledge') return { name: 'knowledge', ...(search.get('show') === 'review' && { filter: 'review' as const }) }
  if (path === '/knowledge/new') return { name: 'article', id: null }
  const article = /^\/knowledge\/([^/]+)$/.exec(path)
  if (article) return { name: 'article', id: decodeURIComponent(article[1]) }
  if (path === '/templates') return { name: 'templates' }
  if (path === '/profile') return { name: 'profile' }
  if (path === '/organisations') return { name: 'organisations' }
  const organisation = /^\/organisations\/([^/]+)$/.exec(path)
  if (organisation) return { name: 'organisation', id: decodeURIComponent(organisation[1]) }
  const queue = /^\/queues\/([^/]+)$/.exec(path)
  if (queue) return { name: 'queue', queue: decodeURIComponent(queue[1]) }
  if (path === '/' || path === '/queues') return { name: 'queue', queue: 'mine' }
  return { name: 'notFound' }
}
