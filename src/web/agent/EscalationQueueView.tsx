import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useEffect, useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import type { EscalationView } from '../../shared/api/escalations.js'
import { ErrorNote } from '../ui/ErrorNote.js'
import { relativeTime } from '../ui/format.js'
import { api } from './api.js'
import { AppLink } from './AppLink.js'
import { useGroups } from './DeskSelects.js'
import { ESCALATION_QUEUE_PREFIX } from './handoff.js'
import { HandoffClock } from './HandoffClock.js'
import { lastList } from './QueueView.js'
import { stream } from './stream.js'
import './handoff.css'

const PAGE = 50
const COUNT_CAP = 100

const INTRO: Record<EscalationView, string> = {
  mine: 'handoffQueues.introMine',
  returned: 'handoffQueues.introReturned',
  ours: 'handoffQueues.introOurs',
  overdue: 'handoffQueues.introOverdue',
}

/** How many handoffs a view holds, for the sidebar ("100+" beyond the cap). */
export function EscalationCount({ view }: { view: EscalationView }) {
  const { t } = useTranslation()
  const count = useQuery({
    queryKey: ['count', `${ESCALATION_QUEUE_PREFIX}${view}`],
    queryFn: ({ signal }) => api.escalationQueue({ view, limit: COUNT_CAP }, signal),
    select: (page) => (page.nextCursor ? `${COUNT_CAP}+` : String(page.items.length)),
    staleTime: 30_000,
  })
  if (!count.data) return null
  return (
    <span className="count">
      {count.data}
      <span className="visually-hidden"> {t('queues.tickets')}</span>
    </span>
  )
}

/** "Mijn escalaties", "Terug van backoffice", "Voor ons" and the late handoffs: where each handoff stands, with its clock. */
export function EscalationQueueView({ view }: { view: EscalationView }) {
  const { t, i18n } = useTranslation()
  const groups = useGroups()
  const list = useInfiniteQuery({
    queryKey: ['escalations', view],
    queryFn: ({ pageParam, signal }) => api.escalationQueue({ view, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  })
  // Live: a handoff that moves on (picked up, returned, answered) changes the list.
  const { refetch } = list
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const off = stream.subscribe((event) => {
      if (!['hello', 'resync', 'ticket.created', 'ticket.updated', 'article.created'].includes(event.type)) return
      clearTimeout(timer)
      timer = setTimeout(() => void refetch(), 300)
    })
    return () => {
      off()
      clearTimeout(timer)
    }
  }, [refetch])

  const items = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data])
  const queueId = `${ESCALATION_QUEUE_PREFIX}${view}`
  lastList.queueId = queueId
  lastList.ids = items.map((i) => i.ticket.id)
  const title = t(`handoffQueues.${view}`)
  useEffect(() => {
    document.title = `${title} · Loket`
  }, [title])
  const groupName = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? ''

  return (
    <section className="queue handoff-queue" aria-labelledby="queue-title">
      <div className="queue-head">
        <h1 id="queue-title">{title}</h1>
      </div>
      <p className="muted">{t(INTRO[view])}</p>
      <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending && <p className="muted">{t('common.loading')}</p>}
      {list.isSuccess && items.length === 0 && <p className="empty">{t('handoffQueues.empty')}</p>}
      {items.length > 0 && (
        <ul className="handoff-list" aria-labelledby="queue-title">
          {items.map(({ escalation: e, ticket: tk }) => (
            <li key={e.id} className={`handoff-item ${e.state}`} data-ticket={tk.number} data-state={e.state}>
              <p>
                <span className="mono muted">{tk.number}</span>{' '}
                <AppLink href={`/tickets/${tk.id}?queue=${encodeURIComponent(queueId)}`}>{tk.subject}</AppLink>
              </p>
              <p className="meta">
                <span>{tk.requesterName}</span>
                <span>{groupName(e.groupId)}</span>
                <span className="badge status-open">{t(`handoffQueues.state.${e.state}`)}</span>
                {e.state === 'returned' && e.proposedReply && <span className="handoff-label">{t('handoffQueues.withProposal')}</span>}
              </p>
              <p className="meta">
                <HandoffClock clock={e.clock} />
                <span className="muted">{t('handoffQueues.escalatedAt', { at: relativeTime(e.escalatedAt, i18n.language) })}</span>
                {e.coordinator && <span>{t('handoff.coordinatorIs', { name: e.coordinator.name })}</span>}
              </p>
            </li>
          ))}
        </ul>
      )}
      <div className="load-more">
        {list.hasNextPage && (
          <button type="button" className="btn" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
            {list.isFetchingNextPage ? t('common.loading') : t('queue.loadMore')}
          </button>
        )}
      </div>
    </section>
  )
}
