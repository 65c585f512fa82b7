import { useEffect, useState } from 'preact/hooks'

/** The portal's own paths, below /portal. */
export const BASE = '/portal'

const listeners = new Set<() => void>()
const notify = () => listeners.forEach((l) => l())
addEventListener('popstate', notify)

/** Goes to a portal path without reloading the page. */
export function navigate(path: string, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', BASE + path)
  else history.pushState(null, '', BASE + path)
  notify()
  scrollTo(0, 0)
}

/** The current path below /portal ("/" for the start page), followed as it changes. */
export function usePath(): string {
  const read = () => location.pathname.slice(BASE.length).replace(/\/$/, '') || '/'
  const [path, setPath] = useState(read)
  useEffect(() => {
    const update = () => setPath(read())
    listeners.add(update)
    return () => void listeners.delete(update)
  }, [])
  return path
}
