import { type InfiniteData, keepPreviousData, useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { TicketQuery, UpdateTicketBody } from '../../shared/api/tickets.js'
import { CHANNELS, PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from './model.js'
import { ErrorNote, errorText } from '../ui/ErrorNote.js'
import { age, dateTime, relativeTime } from '../ui/format.js'
import { Icon } from '../ui/icons.js'
import { api, type Me, type Page, type Ticket } from './api.js'
import { GroupSelect, useGroups } from './DeskSelects.js'
import { stream } from './stream.js'
import { PAGE_SIZE, queueById } from './queues.js'
import { navigate } from './router.js'
import { useShortcuts } from './shortcuts.js'
import { EnumOptions } from './EnumOptions.js'
import { useStaff } from './useStaff.js'
import { fieldLabel, useTicketFields } from './ticketFields.js'
import { notificationApi } from './notifications.js'
import { ThirdPartyMarker } from './ThirdPartyPanel.js'

/** The ids of the list last shown, so j/k on a ticket moves through the same queue. */
export const lastList: { queueId: string; ids: string[] } = { queueId: '', ids: [] }

type Sort = NonNullable<TicketQuery['sort']>

/** Rows have one fixed height (styles.css), measured once rendered; this is the first guess. */
const ROW_GUESS = 38
const OVERSCAN = 15
/** Load the next page this many rows before the end, so scrolling rarely has to wait. */
const PREFETCH_ROWS = 60

export function QueueView({ queueId, q, me }: { queueId: string; q?: string; me: Me }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const groups = useGroups()
  const staff = useStaff()
  const queue = queueById(queueId, groups.data ?? [], me.user.groupIds, q)
  const [sort, setSort] = useState<Sort>('-updated_at')
  const [statusFilter, setStatusFilter] = useState('')
  const [fieldFilters, setFieldFilters] = useState({ priority: '', type: '', channel: '' })
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [active, setActive] = useState(0)
  const [bulkMessage, setBulkMessage] = useState<string | null>(null)
  const [bulkBusy, setBulkBusy] = useState(false)
  const [bulkForm, setBulkForm] = useState({ assigneeId: '', status: '', groupId: '' })
  const tableRef = useRef<HTMLTableElement>(null)
  const scrollRef = useRef<HTMLDivElement>(null)
  const [view, setView] = useState({ top: 0, height: 800, row: ROW_GUESS, header: 34 })
  const [focusWanted, setFocusWanted] = useState<number | null>(null)

  // "Meer filters": a team lead narrows any queue to one assignee or group, or by the ticket fields with a fixed set of values.
  const [more, setMore] = useState<{ assigneeId: string; groupId: string; custom: Record<string, string> }>({ assigneeId: '', groupId: '', custom: {} })
  const ticketFields = useTicketFields()
  const filterableFields = (ticketFields.data ?? []).filter((f) => f.active && (f.type === 'choice' || f.type === 'yes_no'))
  const fieldsParam = Object.entries(more.custom)
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}:${v}`)
    .join(',')
  const moreCount = (more.assigneeId ? 1 : 0) + (more.groupId ? 1 : 0) + Object.values(more.custom).filter(Boolean).length

  const chosenFields = Object.fromEntries(Object.entries(fieldFilters).filter(([, v]) => v)) as Pick<TicketQuery, 'priority' | 'type' | 'channel'>
  const base: TicketQuery = { ...queue.query }
  if (more.groupId) {
    delete base.groupIds
    base.groupId = more.groupId
  }
  if (more.assigneeId) base.assigneeId = more.assigneeId
  const query: TicketQuery = { ...base, ...(statusFilter ? { status: statusFilter } : {}), ...chosenFields, ...(fieldsParam && { fields: fieldsParam }), sort, limit: PAGE_SIZE }
  const listKey = ['tickets', queueId, q ?? '', sort, statusFilter, fieldFilters.priority, fieldFilters.type, fieldFilters.channel, more.assigneeId, more.groupId, fieldsParam]
  const list = useInfiniteQuery({
    queryKey: listKey,
    queryFn: ({ pageParam, signal }) => api.tickets({ ...query, ...(pageParam ? { cursor: pageParam } : {}) }, signal),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    enabled: queueId !== 'search' || Boolean(q),
  })
  // Live: a short list reloads when tickets come in or change; a long one (the agent scrolled far) is not
  // pulled from under them but offers to reload from the top.
  const [staleNotice, setStaleNotice] = useState(false)
  const pagesRef = useRef(0)
  pagesRef.current = list.data?.pages.length ?? 0
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const off = stream.subscribe((event) => {
      if (!['hello', 'resync', 'ticket.created', 'ticket.updated', 'article.created'].includes(event.type)) return
      clearTimeout(timer)
      timer = setTimeout(() => {
        // Which rows have an unseen customer message: asked again once per burst, like the list.
        void queryClient.invalidateQueries({ queryKey: ['unseen'] })
        if (pagesRef.current <= 2) void list.refetch()
        else setStaleNotice(true)
      }, 300)
    })
    return () => {
      off()
      clearTimeout(timer)
    }
  }, [list.refetch, queryClient])
  const reloadFromTop = () => {
    queryClient.setQueryData<InfiniteData<Page<Ticket>, string>>(listKey, (data) => (data ? { pages: data.pages.slice(0, 1), pageParams: data.pageParams.slice(0, 1) } : data))
    if (scrollRef.current) scrollRef.current.scrollTop = 0
    setStaleNotice(false)
    void list.refetch()
  }

  const tickets = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data])
  lastList.queueId = queueId
  lastList.ids = tickets.map((tk) => tk.id)

  // Virtual scrolling: only the rows in view (plus a margin) are in the DOM, so thousands of loaded rows stay
  // smooth; the next page loads when the end of what is loaded comes into view.
  useEffect(() => {
    const el = scrollRef.current
    if (!el) return
    const update = () => {
      const row = el.querySelector('tbody tr[data-row]')?.getBoundingClientRect().height || ROW_GUESS
      const header = el.querySelector('thead')?.getBoundingClientRect().height || 34
      setView({ top: el.scrollTop, height: el.clientHeight, row, header })
    }
    update()
    const resize = new ResizeObserver(update)
    resize.observe(el)
    el.addEventListener('scroll', update, { passive: true })
    return () => {
      resize.disconnect()
      el.removeEventListener('scroll', update)
    }
  }, [tickets.length > 0])
  const first = Math.max(0, Math.floor(view.top / view.row) - OVERSCAN)
  const last = Math.min(tickets.length, Math.ceil((view.top + view.height) / view.row) + OVERSCAN)
  // Rows with a customer message since this agent last opened the ticket are shown as unread.
  // (Asked for 100 rows from a multiple of 50, so scrolling asks again only every 50 rows.)
  const unseenFrom = Math.floor(first / 50) * 50
  const shownIds = useMemo(() => tickets.slice(unseenFrom, unseenFrom + 100).map((tk) => tk.id), [tickets, unseenFrom])
  const unseen = useQuery({
    queryKey: ['unseen', shownIds.join(',')],
    queryFn: ({ signal }) => notificationApi.unseen(shownIds, signal),
    enabled: shownIds.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  })
  useEffect(() => {
    if (last >= tickets.length - PREFETCH_ROWS && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage()
  }, [last, tickets.length, list.hasNextPage, list.isFetchingNextPage, list.fetchNextPage])
  useEffect(() => {
    if (focusWanted === null) return
    tableRef.current?.querySelector<HTMLElement>(`[data-row="${focusWanted}"] a`)?.focus({ preventScroll: false })
    setFocusWanted(null)
  }, [focusWanted, first, last])

  // Opening a ticket feels instant: its fields come from the list row, its timeline is fetched on hover/focus.
  const prefetch = (ticket: Ticket) => {
    // marked as already old, so the ticket view still fetches the current version (and its ETag) behind it
    if (!queryClient.getQueryData(['ticket', ticket.id])) queryClient.setQueryData(['ticket', ticket.id], ticket, { updatedAt: Date.now() - 60_000 })
    void queryClient.prefetchQuery({ queryKey: ['articles', ticket.id], queryFn: ({ signal }) => api.articles(ticket.id, signal), staleTime: 10_000 })
  }
  const open = (ticket: Ticket) => {
    prefetch(ticket)
    openUrl(ticket)
  }
  const openUrl = (ticket: Ticket) => navigate(`/tickets/${ticket.id}?queue=${encodeURIComponent(queueId)}${q ? `&q=${encodeURIComponent(q)}` : ''}`)
  const focusRow = (index: number) => {
    const i = Math.max(0, Math.min(tickets.length - 1, index))
    setActive(i)
    // Scroll the row into the rendered window first, then focus it.
    const el = scrollRef.current
    if (el) {
      const top = i * view.row
      if (top < el.scrollTop) el.scrollTop = top
      else if (top + view.row > el.scrollTop + el.clientHeight - view.header) el.scrollTop = top + view.row - el.clientHeight + view.header
    }
    setFocusWanted(i)
  }
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  useShortcuts({
    // The first j lands on the first row; after that j/k move.
    j: () => focusRow(tableRef.current?.contains(document.activeElement) ? active + 1 : active),
    k: () => focusRow(tableRef.current?.contains(document.activeElement) ? active - 1 : active),
    x: () => tickets[active] && toggle(tickets[active].id),
    // a: assign the highlighted ticket (or the selection) to me
    a: () => {
      if (selected.size > 0) void bulk({ assigneeId: me.user.id })
      else if (tickets[active] && tableRef.current?.contains(document.activeElement)) void assignOne(tickets[active])
    },
  })

  const assignOne = async (ticket: Ticket) => {
    setBulkMessage(null)
    try {
      await api.updateTicket(ticket.id, ticket.version, { assigneeId: me.user.id })
      setBulkMessage(t('bulk.assignedOne', { number: ticket.number }))
    } catch (err) {
      setBulkMessage(errorText(err, t))
    }
    void queryClient.invalidateQueries({ queryKey: ['tickets'] })
    void queryClient.invalidateQueries({ queryKey: ['count'] })
  }

  const groupName = (id: string | null) => (id ? (groups.data?.find((g) => g.id === id)?.name ?? '') : '')

  const bulk = async (patch: UpdateTicketBody) => {
    const targets = tickets.filter((tk) => selected.has(tk.id))
    setBulkBusy(true)
    setBulkMessage(null)
    const results = await Promise.allSettled(targets.map((tk) => api.updateTicket(tk.id, tk.version, patch)))
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[]
    setBulkBusy(false)
    setBulkMessage(
      failed.length === 0
        ? t('bulk.done', { count: targets.length })
        : t('bulk.partly', { ok: targets.length - failed.length, failed: failed.length, reason: errorText(failed[0].reason, t) }),
    )
    setSelected(new Set())
    setBulkForm({ assigneeId: '', status: '', groupId: '' })
    void queryClient.invalidateQueries({ queryKey: ['tickets'] })
    void queryClient.invalidateQueries({ queryKey: ['count'] })
  }

  const title = queue.labelKey ? t(queue.labelKey) : queue.label
  useEffect(() => {
    document.title = `${title}${q ? `: ${q}` : ''} · Loket`
  }, [title, q])
  const sortHeader = (field: 'updated_at' | 'created_at', label: string) => {
    const current = sort.replace('-', '') === field
    const desc = sort.startsWith('-')
    // Age runs opposite to the creation date: "oldest first" means created_at ascending.
    return (
      <th scope="col" aria-sort={current ? (desc === (field === 'updated_at') ? 'descending' : 'ascending') : undefined}>
        <button
          type="button"
          className="th-sort"
          onClick={() => setSort((current ? (desc ? field : `-${field}`) : `-${field}`) as Sort)}
        >
          {label}
          {current && <span aria-hidden="true">{desc ? ' ↓' : ' ↑'}</span>}
        </button>
      </th>
    )
  }

  return (
    <section className="queue" aria-labelledby="queue-title">
      <div className="queue-head">
        <h1 id="queue-title">
          {title}
          {q ? `: “${q}”` : ''}
        </h1>
        <label className="inline-field">
          <span>{t('queue.statusFilter')}</span>
          <select value={statusFilter} onChange={(e) => setStatusFilter(e.target.value)}>
            <EnumOptions values={TICKET_STATUSES} ns="status" empty={t('queue.allStatuses')} />
          </select>
        </label>
        {(
          [
            ['priority', PRIORITIES],
            ['type', TICKET_TYPES],
            ['channel', CHANNELS],
          ] as const
        ).map(([field, values]) => (
          <label key={field} className="inline-field">
            <span>{t(`fields.${field}`)}</span>
            <select value={fieldFilters[field]} onChange={(e) => setFieldFilters((f) => ({ ...f, [field]: e.target.value }))}>
              <EnumOptions values={values} ns={field} empty={t('queue.allStatuses')} />
            </select>
          </label>
        ))}
        <details className="queue-more-filters">
          <summary>{moreCount > 0 ? t('queue.moreFiltersOn', { count: moreCount }) : t('queue.moreFilters')}</summary>
          <div className="row wrap">
            <label className="inline-field">
              <span>{t('fields.assignee')}</span>
              <select value={more.assigneeId} onChange={(e) => setMore((m) => ({ ...m, assigneeId: e.target.value }))}>
                <option value="">{t('queue.allStatuses')}</option>
                <option value="none">{t('fields.nobody')}</option>
                {staff.map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.name}
                  </option>
                ))}
              </select>
            </label>
            <label className="inline-field">
              <span>{t('fields.group')}</span>
              <GroupSelect value={more.groupId} onChange={(e) => setMore((m) => ({ ...m, groupId: e.target.value }))} empty={t('queue.allStatuses')} />
            </label>
            {filterableFields.map((f) => (
              <label key={f.key} className="inline-field">
                <span>{fieldLabel(f, i18n.language)}</span>
                <select value={more.custom[f.key] ?? ''} onChange={(e) => setMore((m) => ({ ...m, custom: { ...m.custom, [f.key]: e.target.value } }))}>
                  <option value="">{t('queue.allStatuses')}</option>
                  {f.type === 'yes_no' ? (
                    <>
                      <option value="true">{t('common.yes')}</option>
                      <option value="false">{t('common.no')}</option>
                    </>
                  ) : (
                    f.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {i18n.language === 'en' ? o.labelEn : o.labelNl}
                      </option>
                    ))
                  )}
                  <option value="none">{t('queue.noValue')}</option>
                </select>
              </label>
            ))}
            {moreCount > 0 && (
              <button type="button" className="btn btn-small btn-ghost" onClick={() => setMore({ assigneeId: '', groupId: '', custom: {} })}>
                {t('queue.clearFilters')}
              </button>
            )}
          </div>
        </details>
      </div>

      {selected.size > 0 && (
        <form
          className="bulk-bar"
          aria-label={t('bulk.title')}
          onSubmit={(e) => {
            e.preventDefault()
            // Changing a select does nothing yet (keyboard users move through its options): "Apply" does.
            const patch: UpdateTicketBody = {}
            if (bulkForm.assigneeId) patch.assigneeId = bulkForm.assigneeId === 'none' ? null : bulkForm.assigneeId
            if (bulkForm.status) patch.status = bulkForm.status as Ticket['status']
            if (bulkForm.groupId) patch.groupId = bulkForm.groupId
            if (Object.keys(patch).length > 0) void bulk(patch)
          }}
        >
          <strong>{t('bulk.selected', { count: selected.size })}</strong>
          <button type="button" className="btn btn-small" disabled={bulkBusy} onClick={() => void bulk({ assigneeId: me.user.id })}>
            {t('bulk.assignMe')}
          </button>
          <label className="inline-field">
            <span>{t('fields.assignee')}</span>
            <select value={bulkForm.assigneeId} disabled={bulkBusy} onChange={(e) => setBulkForm((f) => ({ ...f, assigneeId: e.target.value }))}>
              <option value="">{t('bulk.keep')}</option>
              <option value="none">{t('fields.nobody')}</option>
              {staff.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-field">
            <span>{t('fields.status')}</span>
            <select value={bulkForm.status} disabled={bulkBusy} onChange={(e) => setBulkForm((f) => ({ ...f, status: e.target.value }))}>
              <EnumOptions values={TICKET_STATUSES} ns="status" empty={t('bulk.keep')} />
            </select>
          </label>
          <label className="inline-field">
            <span>{t('fields.group')}</span>
            <GroupSelect value={bulkForm.groupId} disabled={bulkBusy} onChange={(e) => setBulkForm((f) => ({ ...f, groupId: e.target.value }))} empty={t('bulk.keep')} />
          </label>
          <button type="submit" className="btn btn-small btn-primary" disabled={bulkBusy || !(bulkForm.assigneeId || bulkForm.status || bulkForm.groupId)}>
            {t('bulk.apply')}
          </button>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setSelected(new Set())}>
            {t('bulk.clear')}
          </button>
        </form>
      )}
      {bulkMessage && (
        <p className="notice" role="status">
          {bulkMessage}
        </p>
      )}

      {staleNotice && (
        <p className="notice" role="status">
          {t('queue.changed')}{' '}
          <button type="button" className="btn btn-small" onClick={reloadFromTop}>
            {t('queue.reload')}
          </button>
        </p>
      )}
      <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      {list.isPending && queueId !== 'search' && <p className="muted">{t('common.loading')}</p>}
      {list.isSuccess && tickets.length === 0 && (
        <p className="empty">{q || statusFilter || Object.keys(chosenFields).length > 0 || moreCount > 0 ? t('queue.noneFound') : t('queue.empty')}</p>
      )}
      {tickets.length > 0 && (
        <div className="table-wrap" ref={scrollRef}>
          <table className="tickets" ref={tableRef} aria-labelledby="queue-title" aria-rowcount={tickets.length + 1}>
            <colgroup>
              <col className="w-check" />
              <col className="w-number" />
              <col className="w-subject" />
              <col className="w-requester" />
              <col className="w-channel" />
              <col className="w-status" />
              <col className="w-priority" />
              <col className="w-group" />
              <col className="w-assignee" />
              <col className="w-age" />
              <col className="w-updated" />
            </colgroup>
            <thead>
              <tr>
                <th scope="col" className="col-check">
                  <input
                    type="checkbox"
                    aria-label={t('bulk.selectAll')}
                    checked={selected.size > 0 && selected.size === tickets.length}
                    onChange={(e) => setSelected(e.target.checked ? new Set(tickets.map((tk) => tk.id)) : new Set())}
                  />
                </th>
                <th scope="col">{t('fields.number')}</th>
                <th scope="col">{t('fields.subject')}</th>
                <th scope="col">{t('fields.requester')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('fields.channel')}</span>
                </th>
                <th scope="col">{t('fields.status')}</th>
                <th scope="col">{t('fields.priority')}</th>
                <th scope="col">{t('fields.group')}</th>
                <th scope="col">{t('fields.assignee')}</th>
                {sortHeader('created_at', t('fields.age'))}
                {sortHeader('updated_at', t('fields.updated'))}
              </tr>
            </thead>
            <tbody>
              {first > 0 && (
                <tr aria-hidden="true" className="spacer">
                  <td colSpan={11} style={{ height: first * view.row }} />
                </tr>
              )}
              {tickets.slice(first, last).map((tk, at) => {
                const i = first + at
                return (
                <tr
                  key={tk.id}
                  data-row={i}
                  aria-rowindex={i + 2}
                  data-ticket={tk.number}
                  className={`${i === active ? 'active' : ''} ${selected.has(tk.id) ? 'selected' : ''} ${unseen.data?.has(tk.id) ? 'unseen' : ''}`}
                  onClick={(e) => {
                    if ((e.target as HTMLElement).closest('a,input,button')) return
                    open(tk)
                  }}
                >
                  <td className="col-check">
                    <input type="checkbox" aria-label={t('bulk.select', { number: tk.number })} checked={selected.has(tk.id)} onChange={() => toggle(tk.id)} />
                  </td>
                  <td className="mono">{tk.number}</td>
                  <td className="subject">
                    <a
                      href={`/tickets/${tk.id}`}
                      title={tk.subject}
                      onFocus={() => {
                        setActive(i)
                        prefetch(tk)
                      }}
                      onMouseEnter={() => prefetch(tk)}
                      onClick={(e) => {
                        e.preventDefault()
                        open(tk)
                      }}
                    >
                      {unseen.data?.has(tk.id) && (
                        <>
                          <span className="unseen-dot" aria-hidden="true" />
                          <span className="visually-hidden">{t('notifications.newMessage')}: </span>
                        </>
                      )}
                      {tk.subject}
                    </a>
                  </td>
                  <td title={tk.organisation ? `${tk.requester.name} · ${tk.organisation.name}` : tk.requester.name}>
                    {tk.requester.name}
                    {tk.organisation && <span className="muted small"> · {tk.organisation.name}</span>}
                  </td>
                  <td>
                    <Icon name={tk.channel} label={t(`channel.${tk.channel}`)} />
                  </td>
                  <td>
                    <span className={`badge status-${tk.status}`} title={t(`status.${tk.status}`)}>
                      {t(`status.${tk.status}`)}
                    </span>{' '}
                    <ThirdPartyMarker ticket={tk} />
                  </td>
                  <td>
                    <span className={`prio prio-${tk.priority}`}>{t(`priority.${tk.priority}`)}</span>
                  </td>
                  <td>{groupName(tk.groupId)}</td>
                  <td>{tk.assignee?.name ?? <span className="muted">{t('fields.nobody')}</span>}</td>
                  <td title={dateTime(tk.createdAt, i18n.language)}>{age(tk.createdAt, i18n.language)}</td>
                  <td title={dateTime(tk.updatedAt, i18n.language)}>{relativeTime(tk.updatedAt, i18n.language)}</td>
                </tr>
                )
              })}
              {last < tickets.length && (
                <tr aria-hidden="true" className="spacer">
                  <td colSpan={11} style={{ height: (tickets.length - last) * view.row }} />
                </tr>
              )}
            </tbody>
          </table>
        </div>
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
