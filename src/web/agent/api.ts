import type { ContactIdentity, MergeUserResult, Organisation, User } from '../../shared/api/accounts.js'
import type { Draft, PutDraftBody as DraftBody } from '../../shared/api/drafts.js'
import type { Group, Department } from '../../shared/api/desk.js'
import type { SearchResult } from '../../shared/api/search.js'
import type { SsoSignIn } from '../../shared/api/sso.js'
import type { TicketRelations } from '../../shared/api/relations.js'
import type { EscalateBody, Escalation, EscalationQueueItem, EscalationView, ReturnBody } from '../../shared/api/escalations.js'
import type { Article, Attachment, HistoryEntry, ReplyRoute, Ticket, TicketQuery, UpdateTicketBody, CreateArticleBody, CreateTicketBody } from '../../shared/api/tickets.js'

export type { User, Group, Department, Article, Attachment, HistoryEntry, ReplyRoute, Ticket, Escalation, EscalationQueueItem, EscalationView }

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

interface RequestOptions {
  method?: string
  body?: unknown
  raw?: Blob | ArrayBuffer
  headers?: Record<string, string>
  signal?: AbortSignal
}

export interface ApiResponse<T> {
  data: T
  etag: string | null
}

export async function request<T>(path: string, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
  const method = opts.method ?? 'GET'
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken
  let body: BodyInit | undefined
  if (opts.raw !== undefined) {
    body = opts.raw
    if (opts.raw instanceof Blob && opts.raw.type) headers['content-type'] = opts.raw.type
    else headers['content-type'] ??= 'application/octet-stream'
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
  if (res.status === 204) return { data: undefined as T, etag: res.headers.get('etag') }
  const text = await res.text()
  let json: unknown
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  if (!res.ok) {
    const problem = (json ?? {}) as Record<string, unknown>
    throw new ApiError(res.status, String(problem.code ?? 'error'), String(problem.detail ?? problem.title ?? res.statusText), problem)
  }
  return { data: json as T, etag: res.headers.get('etag') }
}

export const get = async <T,>(path: string, signal?: AbortSignal) => (await request<T>(path, { signal })).data

export interface Me {
  user: User
  csrfToken: string | null
}
export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

export function queryString(params: Record<string, string | number | undefined | null>): string {
  const usp = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') usp.set(k, String(v))
  const s = usp.toString()
  return s ? `?${s}` : ''
}

export const api = {
  me: () => get<Me>('/me'),
  login: (email: string, password: string) => request<Me>('/auth/login', { method: 'POST', body: { email, password } }).then((r) => r.data),
  logout: () => request<void>('/auth/logout', { method: 'POST' }),
  ssoSignIn: () => get<SsoSignIn>('/auth/oidc'),
  updateMe: (body: { language?: 'nl' | 'en' }) => request<User>('/me', { method: 'PATCH', body }).then((r) => r.data),
  search: (q: string, signal?: AbortSignal) => get<SearchResult>(`/search${queryString({ q })}`, signal),
  tickets: (q: TicketQuery, signal?: AbortSignal) => get<Page<Ticket>>(`/tickets${queryString(q as Record<string, string>)}`, signal),
  ticket: (id: string, signal?: AbortSignal) => get<Ticket>(`/tickets/${encodeURIComponent(id)}`, signal),
  articles: (id: string, signal?: AbortSignal) => get<{ items: Article[] }>(`/tickets/${encodeURIComponent(id)}/articles`, signal).then((r) => r.items),
  history: (id: string) => get<{ items: HistoryEntry[] }>(`/tickets/${encodeURIComponent(id)}/history`).then((r) => r.items),
  updateTicket: (id: string, version: number, body: UpdateTicketBody) =>
    request<Ticket>(`/tickets/${encodeURIComponent(id)}`, { method: 'PATCH', body, headers: { 'if-match': `"${version}"` } }).then((r) => r.data),
  /** "Opnieuw versturen" ({}) or "ander adres" ({ to }) for a reply whose delivery failed. */
  resendArticle: (ticketId: string, articleId: string, body: { to?: string }) =>
    request<Article>(`/tickets/${encodeURIComponent(ticketId)}/articles/${encodeURIComponent(articleId)}/resend`, { method: 'POST', body }).then((r) => r.data),
  /** How a public reply would reach the customer: by e-mail to whom, only in the portal, or not at all. */
  replyRoute: (id: string, signal?: AbortSignal) => get<ReplyRoute>(`/tickets/${encodeURIComponent(id)}/reply-route`, signal),
  /** A reply or note; with `body.ticket` (field changes saved with it, "Bijwerken") the version the agent edited. */
  addArticle: (id: string, body: CreateArticleBody, version?: number) =>
    request<Article>(`/tickets/${encodeURIComponent(id)}/articles`, { method: 'POST', body, ...(version !== undefined && { headers: { 'if-match': `"${version}"` } }) }).then((r) => r.data),
  upload: (id: string, file: File) =>
    request<Attachment>(`/tickets/${encodeURIComponent(id)}/attachments${queryString({ filename: file.name })}`, { method: 'POST', raw: file }).then((r) => r.data),
  ticketByNumber: (number: string) => get<Ticket>(`/tickets/by-number/${encodeURIComponent(number)}`),
  relations: (id: string, signal?: AbortSignal) => get<TicketRelations>(`/tickets/${encodeURIComponent(id)}/links`, signal),
  merge: (id: string, version: number, targetId: string) =>
    request<{ ticket: Ticket; target: Ticket }>(`/tickets/${encodeURIComponent(id)}/merge`, { method: 'POST', body: { targetId }, headers: { 'if-match': `"${version}"` } }).then((r) => r.data),
  link: (id: string, ticketId: string) => request<TicketRelations>(`/tickets/${encodeURIComponent(id)}/links`, { method: 'POST', body: { ticketId } }).then((r) => r.data),
  unlink: (id: string, otherId: string) => request<void>(`/tickets/${encodeURIComponent(id)}/links/${encodeURIComponent(otherId)}`, { method: 'DELETE' }),
  split: (id: string, version: number, articleId: string) =>
    request<{ ticket: Ticket; created: Ticket }>(`/tickets/${encodeURIComponent(id)}/splits`, { method: 'POST', body: { articleId }, headers: { 'if-match': `"${version}"` } }).then((r) => r.data),
  /** "Doorzetten naar backoffice": the ticket moves to a back-office group with a handoff note; you become its coordinator. */
  escalate: (id: string, version: number, body: EscalateBody) =>
    request<Ticket>(`/tickets/${encodeURIComponent(id)}/escalations`, { method: 'POST', body, headers: { 'if-match': `"${version}"` } }).then((r) => r.data),
  /** "Terugzetten": the back office hands the ticket back to its coordinator, with a note and perhaps a proposed reply. */
  returnToDesk: (id: string, version: number, body: ReturnBody) =>
    request<Ticket>(`/tickets/${encodeURIComponent(id)}/returns`, { method: 'POST', body, headers: { 'if-match': `"${version}"` } }).then((r) => r.data),
  escalations: (id: string, signal?: AbortSignal) => get<{ items: Escalation[] }>(`/tickets/${encodeURIComponent(id)}/escalations`, signal).then((r) => r.items),
  escalationQueue: (q: { view: EscalationView; limit?: number; cursor?: string }, signal?: AbortSignal) => get<Page<EscalationQueueItem>>(`/escalations${queryString(q)}`, signal),
  createTicket: (body: CreateTicketBody) => request<{ id: string; number: string; ticket: Ticket }>('/tickets', { method: 'POST', body }).then((r) => r.data),
  users: (q: { q?: string; role?: string; limit?: number }, signal?: AbortSignal) => get<Page<User>>(`/users${queryString(q)}`, signal),
  user: (id: string) => get<User>(`/users/${encodeURIComponent(id)}`),
  /** A customer's e-mail addresses, phone numbers and chat ids. */
  identities: (id: string) => get<{ items: ContactIdentity[] }>(`/users/${encodeURIComponent(id)}/identities`).then((r) => r.items),
  /** "Samenvoegen": customer `id` goes into customer `intoId` (identifiers, tickets, organisation). */
  mergeCustomer: (id: string, intoId: string) => request<MergeUserResult>(`/users/${encodeURIComponent(id)}/merge`, { method: 'POST', body: { intoId } }).then((r) => r.data),
  organisation: (id: string) => get<Organisation>(`/organisations/${encodeURIComponent(id)}`),
  groups: () => get<{ items: Group[] }>('/groups').then((r) => r.items),
  departments: () => get<{ items: Department[] }>('/departments').then((r) => r.items),
  /** Your draft on a ticket; the server answers 204 when there is none. */
  draft: (id: string) => get<Draft | undefined>(`/tickets/${encodeURIComponent(id)}/draft`).then((d) => d ?? null),
  saveDraft: (id: string, draft: DraftBody) => request<Draft>(`/tickets/${encodeURIComponent(id)}/draft`, { method: 'PUT', body: draft }).then((r) => r.data),
  deleteDraft: (id: string) => request<void>(`/tickets/${encodeURIComponent(id)}/draft`, { method: 'DELETE' }),
}

export type { Draft, PutDraftBody as DraftBody } from '../../shared/api/drafts.js'
