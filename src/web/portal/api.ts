import type { User } from '../../shared/api/accounts.js'
import type { Article, Ticket } from '../../shared/api/tickets.js'

export type { Article, Ticket, User }

/** An RFC 9457 problem from the API, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

let csrfToken: string | null = null
export const setCsrfToken = (token: string | null) => void (csrfToken = token)

/** One call to /api/v1: JSON in and out, the CSRF token on writes, problems thrown as ApiError. */
export async function call<T>(path: string, opts: { method?: string; body?: unknown; file?: File; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
  const method = opts.method ?? 'GET'
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken
  let body: BodyInit | undefined
  if (opts.file) {
    body = opts.file
    headers['content-type'] = opts.file.type || 'application/octet-stream'
  } else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body)
    headers['content-type'] = 'application/json'
  }
  let res: Response
  try {
    res = await fetch(`/api/v1${path}`, { method, headers, body, credentials: 'same-origin', signal: opts.signal })
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err
    throw new ApiError(0, 'network', 'network')
  }
  if (res.status === 204) return undefined as T
  const json = (await res.json().catch(() => undefined)) as unknown
  if (!res.ok) {
    const problem = (json ?? {}) as Record<string, unknown>
    throw new ApiError(res.status, String(problem.code ?? 'error'), String(problem.detail ?? res.statusText), problem)
  }
  return json as T
}

export interface Me {
  user: User
  csrfToken: string | null
}

export const isStaffRole = (role: string) => role !== 'customer'
