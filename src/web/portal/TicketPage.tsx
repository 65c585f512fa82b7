/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks'
import { customerMayChangeStatus, CUSTOMER_REOPEN_DAYS } from '../../shared/customer-tickets.js'
import { ApiError, call, type Article, type Me, type Ticket } from './api.js'
import { formatDateTime, t } from './i18n.js'
import { Link } from './Link.js'
import { ErrorNote, errorFrom, PageHeading } from './Page.js'
import { ReplyForm } from './ReplyForm.js'
import { onTicketEvent } from './stream.js'
import { StatusBadge } from './StatusBadge.js'
import { TicketFieldsSection } from './TicketFields.js'
import { useResource } from './useResource.js'

/** One ticket: its public timeline (the server leaves internal notes out), a reply, closing and reopening. */
export function TicketPage({ number, me }: { number: string; me: Me }) {
  const ticket = useResource(`ticket:${number}`, (signal) => call<Ticket>(`/tickets/by-number/${encodeURIComponent(number)}`, { signal }))
  const id = ticket.data?.id ?? null
  const articles = useResource(id && `articles:${id}`, async (signal) => (await call<{ items: Article[] }>(`/tickets/${id}/articles`, { signal })).items)
  const reloadTicket = ticket.reload
  const reloadArticles = articles.reload

  // Live while open: the desk's answer or a status change shows without reloading the page.
  useEffect(
    () =>
      onTicketEvent((event) => {
        if (event.type === 'resync' || (id && event.ticketId === id)) {
          reloadTicket()
          if (event.type !== 'ticket.updated') reloadArticles()
        }
      }),
    [id, reloadTicket, reloadArticles],
  )

  if (ticket.error) return <ErrorNote error={ticket.error} onRetry={ticket.error.status === 404 ? undefined : reloadTicket} />
  if (!ticket.data) return <p aria-busy="true">{t('common.loading')}</p>
  const tk = ticket.data
  const visible = (articles.data ?? []).filter((a) => a.visibility === 'public')

  return (
    <article className="ticket">
      <p className="crumbs">
        <Link to="/">{t('nav.tickets')}</Link>
      </p>
      <PageHeading title={tk.subject} />
      <p className="ticket-meta">
        <span>{tk.number}</span>
        <StatusBadge status={tk.status} />
        <span>
          {t('ticket.opened')} {formatDateTime(tk.createdAt)}
        </span>
      </p>
      {tk.status === 'waiting_for_customer' && (
        <div className="note note-waiting" role="status">
          <p className="note-title">{t('ticket.waitingTitle')}</p>
          <p>{t('ticket.waitingText')}</p>
        </div>
      )}
      <TicketFieldsSection ticket={tk} mayEdit={tk.status !== 'closed' && tk.requester.id === me.user.id} onSaved={reloadTicket} />
      <h2 className="section-title">{t('ticket.timeline')}</h2>
      {articles.error && <ErrorNote error={articles.error} onRetry={reloadArticles} />}
      <ol className="timeline" aria-busy={articles.loading}>
        {visible.map((a) => (
          <li key={a.id} className={a.direction === 'in' ? 'message from-customer' : 'message from-desk'}>
            <p className="message-head">
              <strong>{a.author?.id === me.user.id ? t('ticket.you') : a.direction === 'in' ? (a.author?.name ?? tk.requester.name) : (a.author?.name ?? t('ticket.desk'))}</strong>
              <span className="muted"> · {formatDateTime(a.createdAt)}</span>
            </p>
            {/* bodyHtml is sanitised by the server (tickets/sanitize.ts). */}
            <div className="message-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
            {a.attachments.length > 0 && (
              <ul className="attachments" aria-label={t('ticket.attachments')}>
                {a.attachments.map((file) => (
                  <li key={file.id}>
                    <a href={file.url} target="_blank" rel="noopener">
                      {file.filename}
                    </a>{' '}
                    <span className="muted">({formatSize(file.size)})</span>
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {tk.status === 'closed' ? (
        <div className="note">
          <p>{t('ticket.closedText')}</p>
          <Link to="/vraag">{t('nav.ask')}</Link>
        </div>
      ) : (
        <ReplyForm
          ticket={tk}
          onSent={() => {
            reloadArticles()
            reloadTicket()
          }}
        />
      )}
      <StatusActions ticket={tk} onChanged={reloadTicket} />
    </article>
  )
}

/** Closing the ticket (asked twice), or reopening it within CUSTOMER_REOPEN_DAYS of it being resolved. */
function StatusActions({ ticket, onChanged }: { ticket: Ticket; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const change = async (status: 'closed' | 'open') => {
    setBusy(true)
    setError(null)
    try {
      await fetchStatus(ticket, status)
      setConfirming(false)
      onChanged()
    } catch (err) {
      setError(errorFrom(err))
    } finally {
      setBusy(false)
    }
  }
  const now = Date.now()
  const mayReopen = customerMayChangeStatus(ticket, 'open', now)
  const mayClose = customerMayChangeStatus(ticket, 'closed', now)
  if (!mayReopen && !mayClose) return null
  return (
    <section className="status-actions" aria-labelledby="status-actions-title">
      <h2 id="status-actions-title" className="section-title">
        {t('ticket.statusTitle')}
      </h2>
      {error && <ErrorNote error={error} />}
      {mayReopen && (
        <p>
          {t('ticket.reopenText', { days: CUSTOMER_REOPEN_DAYS })}{' '}
          <button type="button" className="btn" disabled={busy} onClick={() => void change('open')}>
            {t('ticket.reopen')}
          </button>
        </p>
      )}
      {mayClose &&
        (confirming ? (
          <p role="group" aria-label={t('ticket.closeConfirm')}>
            {t('ticket.closeConfirm')}{' '}
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void change('closed')}>
              {t('ticket.closeYes')}
            </button>{' '}
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </p>
        ) : (
          <button type="button" className="btn" onClick={() => setConfirming(true)}>
            {t('ticket.close')}
          </button>
        ))}
    </section>
  )
}

/** PATCH with the version this page shows, so a change by the desk in between is not overwritten. */
const fetchStatus = (ticket: Ticket, status: string) =>
  call<Ticket>(`/tickets/${ticket.id}`, { method: 'PATCH', body: { status }, headers: { 'if-match': `"${ticket.version}"` } })

const formatSize = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`)
