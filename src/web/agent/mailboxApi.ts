import type { ConnectionTest, CreateMailboxBody, Mailbox, MailboxMessage, UpdateMailboxBody, WaitingMail } from '../../shared/api/mailboxes.js'
import { get, request } from './api.js'

export type { ConnectionTest, ConnectionStep, CreateMailboxBody, Mailbox, MailboxMessage, TlsMode, UpdateMailboxBody } from '../../shared/api/mailboxes.js'

const one = (id: string) => `/mailboxes/${encodeURIComponent(id)}`

/** The administrators' mailbox API (issue 4). Writes go through `request`, which sends the CSRF token. */
export const mailboxApi = {
  list: (signal?: AbortSignal) => get<{ items: Mailbox[] }>('/mailboxes', signal).then((r) => r.items),
  create: (body: CreateMailboxBody) => request<Mailbox>('/mailboxes', { method: 'POST', body }).then((r) => r.data),
  update: (id: string, body: UpdateMailboxBody) => request<Mailbox>(one(id), { method: 'PATCH', body }).then((r) => r.data),
  remove: (id: string) => request<void>(one(id), { method: 'DELETE' }),
  /** The stored settings of a saved mailbox. */
  test: (id: string) => request<ConnectionTest>(`${one(id)}/test`, { method: 'POST' }).then((r) => r.data),
  /** Fetched messages that became no article of their own: machine mail, refused mail, duplicates (issue 14). */
  messages: (id: string, signal?: AbortSignal) => get<{ items: MailboxMessage[] }>(`${one(id)}/messages?limit=100`, signal).then((r) => r.items),
  /** Account mails waiting for a mailbox that can send (issue 14). */
  waitingMail: (signal?: AbortSignal) => get<WaitingMail>('/mailboxes/waiting-mail', signal),
  /** Settings not saved yet (same body as creating one). */
  testSettings: (body: CreateMailboxBody) => request<ConnectionTest>('/mailboxes/test', { method: 'POST', body }).then((r) => r.data),
}
