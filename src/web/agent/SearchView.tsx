import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import type { SearchResult } from '../../shared/api/search.js'
import { ErrorNote } from '../ui/ErrorNote.js'
import { relativeTime, dateTime } from '../ui/format.js'
import { api } from './api.js'
import { Highlight, queryWords } from './Highlight.js'
import { lastList } from './QueueView.js'
import { navigate } from './router.js'

/**
 * What the search box found: tickets by number and by their words, people by e-mail address or phone
 * number, organisations by name, each with what matched marked. A ticket number that names one ticket
 * opens it at once (a caller reads it out; the agent types it and is there).
 */
export function SearchView({ q }: { q: string }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const result = useQuery({ queryKey: ['search', q], queryFn: ({ signal }) => api.search(q, signal), enabled: q.length > 0 })
  const data = result.data
  const openTicket = useCallback(
    (id: string, replace = false) => {
      // Shown at once from the hit; marked old, so the ticket view still fetches the current version behind it.
      const hit = data?.tickets.find((h) => h.ticket.id === id)
      if (hit) queryClient.setQueryData(['ticket', id], hit.ticket, { updatedAt: Date.now() - 60_000 })
      navigate(`/tickets/${id}?queue=search&q=${encodeURIComponent(q)}`, { replace })
    },
    [data, q, queryClient],
  )
  useEffect(() => {
    document.title = `${t('queues.search')}: ${q} · Loket`
  }, [q, t])
  useEffect(() => {
    if (!data) return
    lastList.queueId = 'search'
    lastList.ids = data.tickets.map((h) => h.ticket.id)
    if (data.exactTicketId) openTicket(data.exactTicketId, true)
  }, [data, openTicket])

  const words = queryWords(q)
  const empty = data && data.tickets.length === 0 && data.people.length === 0 && data.organisations.length === 0
  return (
    <section className="queue search-results" aria-labelledby="search-title">
      <div className="queue-head">
        <h1 id="search-title">
          {t('queues.search')}: “{q}”
        </h1>
      </div>
      <ErrorNote error={result.error} onRetry={() => void result.refetch()} />
      {result.isPending && q && <p className="muted">{t('common.loading')}</p>}
      {empty && <p className="empty">{t('search.nothing')}</p>}
      {data && data.people.length > 0 && <PeopleHits people={data.people} q={q} />}
      {data && data.organisations.length > 0 && (
        <section aria-labelledby="search-organisations">
          <h2 id="search-organisations" className="search-section">{t('search.organisations')}</h2>
          <ul className="search-hits">
            {data.organisations.map((o) => (
              <li key={o.id}>
                <Highlight text={o.name} terms={[q]} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {data && data.tickets.length > 0 && (
        <section aria-labelledby="search-tickets">
          <h2 id="search-tickets" className="search-section">{t('search.tickets')}</h2>
          <ul className="search-hits">
            {data.tickets.map(({ ticket, matchedOn }) => (
              <li key={ticket.id} data-ticket={ticket.number}>
                <span className="mono">{matchedOn === 'number' ? <mark>{ticket.number}</mark> : ticket.number}</span>{' '}
                <a
                  href={`/tickets/${ticket.id}`}
                  onClick={(e) => {
                    e.preventDefault()
                    openTicket(ticket.id)
                  }}
                >
                  <Highlight text={ticket.subject} terms={words} />
                </a>{' '}
                <span className="muted small">
                  · {ticket.requester.name} · {t(`status.${ticket.status}`)} ·{' '}
                  <span title={dateTime(ticket.updatedAt, i18n.language)}>{relativeTime(ticket.updatedAt, i18n.language)}</span>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  )
}

function PeopleHits({ people, q }: { people: SearchResult['people']; q: string }) {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="search-people">
      <h2 id="search-people" className="search-section">{t('search.people')}</h2>
      <ul className="search-hits">
        {people.map((p) => (
          <li key={p.id} data-person={p.id}>
            <strong>{p.name}</strong>
            {p.organisation && <span className="muted"> · {p.organisation.name}</span>}
            {' · '}
            {p.matchedOn === 'email' ? <Highlight text={p.email ?? ''} terms={[q.trim()]} /> : p.email}
            {p.phone && (
              <>
                {' · '}
                {p.matchedOn === 'phone' ? <mark>{p.phone}</mark> : p.phone}
              </>
            )}{' '}
            <a
              href={`/queues/person-${p.id}`}
              onClick={(e) => {
                e.preventDefault()
                navigate(`/queues/person-${p.id}`)
              }}
            >
              {t('search.theirTickets')}
            </a>
          </li>
        ))}
      </ul>
    </section>
  )
}
