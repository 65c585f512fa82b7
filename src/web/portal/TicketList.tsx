/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks'
import { call, type Ticket } from './api.js'
import { formatDateTime, t } from './i18n.js'
import { Link } from './Link.js'
import { ErrorNote, PageHeading } from './Page.js'
import { onTicketEvent } from './stream.js'
import { StatusBadge } from './StatusBadge.js'
import { useResource } from './useResource.js'

interface TicketPage {
  items: Ticket[]
  nextCursor: string | null
}

const PAGE = 25

/** The customer's tickets, newest change first, with those waiting for their answer on top. */
/** The customer's tickets; with organisationId (a local administrator's own organisation) all of the organisation's. */
export function TicketList({ organisationId }: { organisationId?: string } = {}) {
  const [pages, setPages] = useState(1)
  const list = useResource(`tickets:${organisationId ?? ''}:${pages}`, async (signal) => {
    // Reads the pages shown so far again (after a live change too), so nothing jumps off the list.
    const items: Ticket[] = []
    let cursor: string | null = null
    for (let i = 0; i < pages; i++) {
      const page: TicketPage = await call<TicketPage>(`/tickets?limit=${PAGE}${organisationId ? `&organisationId=${organisationId}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { signal })
      items.push(...page.items)
      cursor = page.nextCursor
      if (!cursor) break
    }
    return { items, more: cursor !== null }
  })
  const { reload } = list
  useEffect(() => onTicketEvent(() => reload()), [reload])

  const items = list.data?.items ?? []
  const waiting = items.filter((tk) => tk.status === 'waiting_for_customer')
  const rest = items.filter((tk) => tk.status !== 'waiting_for_customer')

  return (
    <section aria-busy={list.loading}>
      <div className="page-head">
        <PageHeading title={organisationId ? t('members.allTickets') : t('tickets.title')} />
        <Link to="/vraag" className="btn btn-primary">
          {t('nav.ask')}
        </Link>
      </div>
      {list.error && <ErrorNote error={list.error} onRetry={reload} />}
      {list.data && items.length === 0 && <p className="empty">{t('tickets.none')}</p>}
      {waiting.length > 0 && (
        <>
          <h2 className="section-title">{t('tickets.waitingTitle')}</h2>
          <TicketItems tickets={waiting} />
        </>
      )}
      {rest.length > 0 && (
        <>
          {waiting.length > 0 && <h2 className="section-title">{t('tickets.otherTitle')}</h2>}
          <TicketItems tickets={rest} />
        </>
      )}
      {list.data?.more && (
        <button type="button" className="btn" onClick={() => setPages((p) => p + 1)} disabled={list.loading}>
          {t('tickets.more')}
        </button>
      )}
    </section>
  )
}

function TicketItems({ tickets }: { tickets: Ticket[] }) {
  return (
    <ul className="ticket-list">
      {tickets.map((tk) => (
        <li key={tk.id} className={tk.status === 'waiting_for_customer' ? 'ticket-item waiting' : 'ticket-item'}>
          <Link to={`/tickets/${tk.number}`} className="ticket-link">
            <span className="ticket-subject">{tk.subject}</span>
          </Link>
          <span className="ticket-meta">
            <span>{tk.number}</span>
            <StatusBadge status={tk.status} />
            <span>
              {t('tickets.updated')} {formatDateTime(tk.updatedAt)}
            </span>
          </span>
        </li>
      ))}
    </ul>
  )
}
