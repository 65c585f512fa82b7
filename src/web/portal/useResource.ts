import { useCallback, useEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from './api.js'

export interface Resource<T> {
  data: T | undefined
  error: ApiError | undefined
  loading: boolean
  reload: () => void
}

/** Reads something from the API when `key` changes; `reload` reads it again, keeping what is shown meanwhile. */
export function useResource<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiError; loading: boolean }>({ loading: key !== null })
  const [round, setRound] = useState(0)
  const loadRef = useRef(load)
  loadRef.current = load
  useEffect(() => {
    if (key === null) return
    const controller = new AbortController()
    setState((s) => ({ ...s, loading: true }))
    loadRef.current(controller.signal).then(
      (data) => setState({ data, loading: false }),
      (err: unknown) => {
        if (controller.signal.aborted) return
        setState((s) => ({ ...s, error: err instanceof ApiError ? err : new ApiError(0, 'error', String(err)), loading: false }))
      },
    )
    return () => controller.abort()
  }, [key, round])
  const reload = useCallback(() => setRound((r) => r + 1), [])
  return { data: state.data, error: state.error, loading: state.loading, reload }
}
