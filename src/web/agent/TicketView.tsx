import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote, errorText } from '../ui/ErrorNote.js'
import { Icon } from '../ui/icons.js'
import { api, type Me, type Ticket } from './api.js'
import { AppLink } from './AppLink.js'
import { useDepartments, useGroups } from './DeskSelects.js'
import { canReplyToCustomer, Composer, type ComposerHandle } from './Composer.js'
import { NoMailboxNotice } from './ReplyRoute.js'
import { CustomerPanel } from './CustomerPanel.js'
import { FieldsPanel, type FieldsHandle } from './FieldsPanel.js'
import { HandoffPanel } from './HandoffPanel.js'
import { RelationsPanel } from './RelationsPanel.js'
import { ThirdPartyMarker, ThirdPartyPanel } from './ThirdPartyPanel.js'
import { ArticleFromTicket } from './ArticleFromTicket.js'
import { SuggestionsPanel } from './SuggestionsPanel.js'
import { FulfilmentPanel } from './catalogue/FulfilmentPanel.js'
import { lastList } from './QueueView.js'
import { queueById } from './queues.js'
import { navigate } from './router.js'
import { useShortcuts } from './shortcuts.js'
import { stream, usePresence } from './stream.js'
import { Timeline } from './Timeline.js'
import { useFieldValueText } from './useFieldValueText.js'
import { notificationApi } from './notifications.js'

const PRESENCE_REFRESH_MS = 25_000

export function TicketView({ ticketId, queueId, me }: { ticketId: string; queueId: string; me: Me }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const composer = useRef<ComposerHandle>(null)
  const fieldsPanel = useRef<FieldsHandle>(null)
  const [fieldsDirty, setFieldsDirty] = useState(false)
  const onFieldsDirty = useCallback((dirty: boolean) => setFieldsDirty(dirty), [])
  const [assignError, setAssignError] = useState<unknown>(null)
  const [splitOff, setSplitOff] = useState<Ticket | null>(null)
  const ticket = useQuery({ queryKey: ['ticket', ticketId], queryFn: ({ signal }) => api.ticket(ticketId, signal) })
  const articles = useQuery({ queryKey: ['articles', ticketId], queryFn: ({ signal }) => api.articles(ticketId, signal) })
  const groups = useGroups()
  const departments = useDepartments()
  const canReply = canReplyToCustomer(me.user, groups.data ?? [], departments.data ?? [])
  const [showChanges, setShowChanges] = useState(false)
  const history = useQuery({ queryKey: ['history', ticketId], queryFn: () => api.history(ticketId), enabled: showChanges })
  const display = useFieldValueText()
  const presence = usePresence(ticketId).filter((p) => p.userId !== me.user.id)

  // Hear this ticket's news and who else is on it; tell colleagues we are looking at it, and that we left.
  useEffect(() => stream.watch(`ticket:${ticketId}`), [ticketId])
  useEffect(() => {
    stream.sendPresence(ticketId, 'viewing')
    const timer = setInterval(() => stream.sendPresence(ticketId, 'viewing'), PRESENCE_REFRESH_MS)
    const leave = () => stream.sendPresence(ticketId, 'left')
    window.addEventListener('pagehide', leave)
    return () => {
      window.removeEventListener('pagehide', leave)
      clearInterval(timer)
      stream.sendPresence(ticketId, 'left')
    }
  }, [ticketId])

  // The timeline is on screen: its customer messages are read for this agent (their queue row loses its mark).
  useEffect(() => {
    if (!articles.isSuccess) return
    notificationApi
      .markSeen(ticketId)
      .then(() => queryClient.invalidateQueries({ queryKey: ['unseen'] }))
      .catch(() => {})
  }, [ticketId, articles.isSuccess, articles.dataUpdatedAt, queryClient])

  useEffect(() => {
    if (ticket.data) document.title = `${ticket.data.number} ${ticket.data.subject} · Loket`
  }, [ticket.data])

  // Focus the heading when a ticket opens, so screen readers and keyboard users start at the top.
  const headingRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (ticket.isSuccess) headingRef.current?.focus({ preventScroll: true })
  }, [ticket.isSuccess])

  const backUrl = `/queues/${encodeURIComponent(queueId)}${location.search.includes('q=') ? `?q=${encodeURIComponent(new URLSearchParams(location.search).get('q') ?? '')}` : ''}`
  // j/k walk the queue the ticket was opened from; opened by link or reload, that queue is fetched first.
  const queueIds = async (): Promise<string[]> => {
    if (lastList.queueId === queueId && lastList.ids.includes(ticketId)) return lastList.ids
    const queue = queueById(queueId, groups.data ?? [], me.user.groupIds, new URLSearchParams(location.search).get('q') ?? undefined)
    const page = await api.tickets({ ...queue.query, sort: '-updated_at', limit: 100 })
    lastList.queueId = queueId
    lastList.ids = page.items.map((t) => t.id)
    return lastList.ids
  }
  const step = async (delta: number) => {
    const ids = await queueIds().catch((): string[] => [])
    const at = ids.indexOf(ticketId)
    const next = ids[at + delta]
    if (at >= 0 && next) navigate(`/tickets/${next}?queue=${encodeURIComponent(queueId)}`)
  }
  // The next ticket of the queue is fetched ahead, so j opens it at once.
  useEffect(() => {
    if (!ticket.isSuccess) return
    const at = lastList.queueId === queueId ? lastList.ids.indexOf(ticketId) : -1
    const next = at >= 0 ? lastList.ids[at + 1] : undefined
    if (next) {
      void queryClient.prefetchQuery({ queryKey: ['ticket', next], queryFn: () => api.ticket(next), staleTime: 10_000 })
      void queryClient.prefetchQuery({ queryKey: ['articles', next], queryFn: () => api.articles(next), staleTime: 10_000 })
    }
  }, [ticket.isSuccess, ticketId, queueId, queryClient])
  const assignToMe = async () => {
    if (!ticket.data) return
    setAssignError(null)
    try {
      const updated = await api.updateTicket(ticketId, ticket.data.version, { assigneeId: me.user.id })
      queryClient.setQueryData(['ticket', ticketId], updated)
      void queryClient.invalidateQueries({ queryKey: ['tickets'] })
      void queryClient.invalidateQueries({ queryKey: ['count'] })
    } catch (err) {
      setAssignError(err)
      void ticket.refetch()
    }
  }
  useShortcuts({
    j: () => void step(1),
    k: () => void step(-1),
    r: () => composer.current?.focus('public'),
    n: () => composer.current?.focus('internal'),
    t: () => composer.current?.openTemplates(),
    a: () => void assignToMe(),
    u: () => navigate(backUrl),
  })

  if (ticket.isError) return <ErrorNote error={ticket.error} onRetry={() => void ticket.refetch()} />
  if (!ticket.data) return <p className="muted">{t('common.loading')}</p>
  const tk = ticket.data
  return (
    <div className="ticket-view">
      <div className="ticket-main">
        <nav className="crumbs" aria-label={t('ticket.navigation')}>
          <a
            href={backUrl}
            onClick={(e) => {
              e.preventDefault()
              navigate(backUrl)
            }}
          >
            ← {t('ticket.back')}
          </a>
        </nav>
        <header className="ticket-head">
          <h1 ref={headingRef} tabIndex={-1}>
            <span className="mono muted">{tk.number}</span> {tk.subject}
          </h1>
          <div className="ticket-meta">
            <Icon name={tk.channel} label={t(`channel.${tk.channel}`)} />
            <span className={`badge status-${tk.status}`}>{t(`status.${tk.status}`)}</span>
            <ThirdPartyMarker ticket={tk} />
            <span className={`prio prio-${tk.priority}`}>{t(`priority.${tk.priority}`)}</span>
            <span>{tk.assignee ? t('ticket.assignedTo', { name: tk.assignee.name }) : t('ticket.unassigned')}</span>
            {tk.assignee?.id !== me.user.id && (
              <button type="button" className="btn btn-small" onClick={() => void assignToMe()}>
                {t('ticket.assignMe')}
              </button>
            )}
            <ArticleFromTicket ticket={tk} />
          </div>
          {assignError != null && (
            <p className="error-note" role="alert">
              {errorText(assignError, t)}
            </p>
          )}
          <div className="presence" role="status" aria-live="polite">
            {presence.map((p) => (
              <span key={p.userId} className={`presence-chip presence-${p.state}`}>
                {t(p.state === 'typing' ? 'presence.typing' : 'presence.viewing', { name: p.name })}
              </span>
            ))}
          </div>
        </header>
        <NoMailboxNotice ticket={tk} />
        {groups.isSuccess && <HandoffPanel ticket={tk} me={me} composer={composer} canReply={canReply} />}
        <ErrorNote error={articles.error} onRetry={() => void articles.refetch()} />
        {splitOff && (
          <p className="notice split-done" role="status">
            {t('split.done')} <AppLink href={`/tickets/${splitOff.id}`}>{splitOff.number}</AppLink>
          </p>
        )}
        <label className="show-changes">
          <input type="checkbox" checked={showChanges} onChange={(e) => setShowChanges(e.target.checked)} /> {t('timeline.showChanges')}
        </label>
        {articles.data && <Timeline articles={articles.data} canResend={canReply} splitFrom={{ ticket: tk, onSplit: setSplitOff }} changes={showChanges && history.data ? { entries: history.data, display } : undefined} />}
        {groups.isSuccess && departments.isSuccess && <Composer ref={composer} ticket={tk} key={tk.id} canReply={canReply} fields={{ dirty: fieldsDirty, panel: fieldsPanel }} />}
      </div>
      <aside className="ticket-side" aria-label={t('ticket.details')}>
        <FieldsPanel ref={fieldsPanel} ticket={tk} onDirtyChange={onFieldsDirty} />
        <ThirdPartyPanel ticket={tk} key={`${tk.id}-${tk.version}`} />
        <RelationsPanel ticket={tk} />
        <FulfilmentPanel ticket={tk} />
        <SuggestionsPanel ticket={tk} composer={composer} />
        <CustomerPanel ticket={tk} />
      </aside>
    </div>
  )
}
