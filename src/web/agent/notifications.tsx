import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { NOTIFICATION_KINDS, type Notification, type NotificationKind, type NotificationSettings } from '../../shared/api/notifications.js'
import { ErrorNote } from '../ui/ErrorNote.js'
import { Icon } from '../ui/icons.js'
import { relativeTime, dateTime } from '../ui/format.js'
import { get, queryString, request, type Page } from './api.js'
import { navigate } from './router.js'
import { stream } from './stream.js'

export const notificationApi = {
  list: (q: { unread?: boolean; limit?: number; cursor?: string } = {}) => get<Page<Notification>>(`/notifications${queryString(q as Record<string, string>)}`),
  unreadCount: () => get<{ unread: number }>('/notifications/unread-count').then((r) => r.unread),
  markRead: (id: string) => request<Notification>(`/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' }).then((r) => r.data),
  markAllRead: () => request<{ marked: number }>('/notifications/read-all', { method: 'POST' }).then((r) => r.data),
  settings: () => get<NotificationSettings>('/me/notification-settings'),
  saveSettings: (body: NotificationSettings) => request<NotificationSettings>('/me/notification-settings', { method: 'PUT', body }).then((r) => r.data),
  /** This agent opened the ticket: its customer messages so far are read (queue rows lose their mark). */
  markSeen: (ticketId: string) => request<void>(`/tickets/${encodeURIComponent(ticketId)}/seen`, { method: 'PUT' }),
  unseen: (ids: readonly string[], signal?: AbortSignal) => get<{ unseen: string[] }>(`/tickets/unseen${queryString({ ids: ids.join(',') })}`, signal).then((r) => new Set(r.unseen)),
}

/** One line for a notification, the same words as its mail (server: notification.mail.ts). */
export function useNotificationText() {
  const { t } = useTranslation()
  return (n: Notification) =>
    t(`notifications.kind.${n.kind}`, {
      number: n.ticketNumber ?? '',
      actor: n.actorName ?? t('notifications.someone'),
      group: n.groupName ?? t('notifications.yourGroup'),
      title: n.articleTitle ?? '',
    })
}

/** Where a notification leads: its ticket, or the knowledge article it is about. */
const linkOf = (n: Notification) => (n.ticketId ? `/tickets/${n.ticketId}` : n.articleId ? `/knowledge/${n.articleId}` : '#')

/** Keeps the bell live: a notification for this agent on the stream, or a reconnect, reloads count and list. */
export function useNotificationsLive() {
  const queryClient = useQueryClient()
  useEffect(
    () =>
      stream.subscribe((event) => {
        if (event.type === 'notification.created' || event.type === 'hello' || event.type === 'resync') void queryClient.invalidateQueries({ queryKey: ['notifications'] })
      }),
    [queryClient],
  )
}

/** The bell in the top bar: the unread count, live; opens the list of notifications. */
export function NotificationBell() {
  const { t } = useTranslation()
  useNotificationsLive()
  const unread = useQuery({ queryKey: ['notifications', 'unread'], queryFn: notificationApi.unreadCount, staleTime: 60_000 })
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLDivElement>(null)
  const button = useRef<HTMLButtonElement>(null)
  const count = unread.data ?? 0

  useEffect(() => {
    if (!open) return
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false)
        button.current?.focus()
      }
    }
    const onClick = (e: MouseEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('keydown', onKey)
    document.addEventListener('mousedown', onClick)
    return () => {
      document.removeEventListener('keydown', onKey)
      document.removeEventListener('mousedown', onClick)
    }
  }, [open])

  return (
    <div className="bell" ref={box}>
      <button
        ref={button}
        type="button"
        className="btn btn-ghost bell-button"
        aria-expanded={open}
        aria-controls="notification-panel"
        aria-label={count > 0 ? t('notifications.buttonUnread', { count }) : t('notifications.button')}
        title={t('notifications.title')}
        onClick={() => setOpen(!open)}
      >
        <Icon name="bell" size={18} />
        {count > 0 && (
          <span className="bell-count" aria-hidden="true" data-testid="bell-count">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      {open && <NotificationPanel onClose={() => setOpen(false)} />}
    </div>
  )
}

function NotificationPanel({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const text = useNotificationText()
  const list = useQuery({ queryKey: ['notifications', 'list'], queryFn: () => notificationApi.list({ limit: 30 }) })
  const [error, setError] = useState<unknown>()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])

  const reload = () => queryClient.invalidateQueries({ queryKey: ['notifications'] })
  const open = async (n: Notification) => {
    onClose()
    const to = linkOf(n)
    if (to !== '#') navigate(to)
    try {
      if (!n.readAt) await notificationApi.markRead(n.id)
    } finally {
      void reload()
    }
  }
  const readAll = async () => {
    try {
      await notificationApi.markAllRead()
      void reload()
    } catch (err) {
      setError(err)
    }
  }
  const items = list.data?.items ?? []
  return (
    <section className="notification-panel" id="notification-panel" aria-labelledby="notification-heading">
      <div className="notification-head">
        <h2 id="notification-heading" ref={heading} tabIndex={-1}>
          {t('notifications.title')}
        </h2>
        {items.some((n) => !n.readAt) && (
          <button type="button" className="btn btn-small" onClick={() => void readAll()}>
            {t('notifications.readAll')}
          </button>
        )}
      </div>
      {error !== undefined && <ErrorNote error={error} />}
      {list.isError && <ErrorNote error={list.error} />}
      {list.isSuccess && items.length === 0 && <p className="muted">{t('notifications.none')}</p>}
      <ul className="notification-list">
        {items.map((n) => (
          <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
            <a
              href={linkOf(n)}
              onClick={(e) => {
                e.preventDefault()
                void open(n)
              }}
            >
              {!n.readAt && <span className="visually-hidden">{t('notifications.unreadMark')} </span>}
              <span className="notification-text">{text(n)}</span>
              {n.ticketSubject && <span className="notification-subject">{n.ticketSubject}</span>}
              <time dateTime={n.createdAt} title={dateTime(n.createdAt, i18n.language)}>
                {relativeTime(n.createdAt, i18n.language)}
              </time>
            </a>
          </li>
        ))}
      </ul>
      <p className="notification-foot">
        <a
          href="/profile"
          onClick={(e) => {
            e.preventDefault()
            onClose()
            navigate('/profile')
          }}
        >
          {t('notifications.choose')}
        </a>
      </p>
    </section>
  )
}

/** Profile part: which kinds also come by mail. */
export function NotificationChoices() {
  const { t } = useTranslation()
  const settings = useQuery({ queryKey: ['notifications', 'settings'], queryFn: notificationApi.settings })
  const [chosen, setChosen] = useState<Set<NotificationKind> | undefined>()
  const [state, setState] = useState<'idle' | 'busy' | 'saved' | { error: unknown }>('idle')
  const current = chosen ?? new Set(settings.data?.mail ?? [])

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setState('busy')
    try {
      const saved = await notificationApi.saveSettings({ mail: NOTIFICATION_KINDS.filter((k) => current.has(k)) })
      setChosen(new Set(saved.mail))
      setState('saved')
    } catch (error) {
      setState({ error })
    }
  }
  const toggle = (kind: NotificationKind, on: boolean) => {
    const next = new Set(current)
    if (on) next.add(kind)
    else next.delete(kind)
    setChosen(next)
    setState('idle')
  }
  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-labelledby="profile-notifications">
      <h2 id="profile-notifications">{t('notifications.choicesTitle')}</h2>
      <p className="muted">{t('notifications.choicesIntro')}</p>
      {settings.isError && <ErrorNote error={settings.error} />}
      <fieldset className="notification-choices">
        <legend>{t('notifications.byMail')}</legend>
        {NOTIFICATION_KINDS.map((kind) => (
          <label key={kind} className="check">
            <input type="checkbox" checked={current.has(kind)} disabled={!settings.isSuccess} onChange={(e) => toggle(kind, e.target.checked)} /> {t(`notifications.choice.${kind}`)}
          </label>
        ))}
      </fieldset>
      <p role="status" className="admin-notice">
        {state === 'saved' && <span className="notice">{t('notifications.choicesSaved')}</span>}
      </p>
      {typeof state === 'object' && <ErrorNote error={state.error} />}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={state === 'busy' || !settings.isSuccess}>
          {t('beheer.save')}
        </button>
      </div>
    </form>
  )
}
