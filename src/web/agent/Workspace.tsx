import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { api, setCsrfToken, type Me } from './api.js'
import { useGroups } from './DeskSelects.js'
import { clearLocalDrafts } from './Composer.js'
import { LanguageSwitch } from './LanguageSwitch.js'
import { Beheer } from './beheer/Beheer.js'
import { BeheerNav } from './beheer/BeheerNav.js'
import { mayOpenBeheer } from './beheer/sections.js'
import { NotFound } from './NotFound.js'
import { NotificationBell } from './notifications.js'
import { AvailabilitySwitch } from './AvailabilitySwitch.js'
import { Profile } from './Profile.js'
import { NewTicket } from './NewTicket.js'
import { fixedQueues, groupQueues, type QueueDef } from './queues.js'
import { QueueView } from './QueueView.js'
import { SearchView } from './SearchView.js'
import { navigate, parseRoute, useLocation } from './router.js'
import { ShortcutHelp, useGlobalShortcuts } from './shortcuts.js'
import { stream, useStreamStatus } from './stream.js'
import { TicketView } from './TicketView.js'
import { ArticlePage } from './ArticlePage.js'
import { KnowledgeView } from './KnowledgeView.js'
import { TemplatesView } from './TemplatesView.js'
import { OrganisationPage } from './organisations/OrganisationPage.js'
import { OrganisationsView } from './organisations/OrganisationsView.js'
import { EscalationCount, EscalationQueueView } from './EscalationQueueView.js'
import { ESCALATION_QUEUE_PREFIX, escalationViewOf, escalationViewsFor } from './handoff.js'

/** The agent's screen: queues on the left, a list or a ticket in the middle, live updates throughout. */
export function Workspace({ me }: { me: Me }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const { path, search } = useLocation()
  const route = parseRoute(path, search)
  const searchRef = useRef<HTMLInputElement>(null)
  const [helpOpen, setHelpOpen] = useState(false)
  const [menuOpen, setMenuOpen] = useState(false)
  // Choosing a screen from the phone menu closes it.
  const query = search.toString()
  useEffect(() => setMenuOpen(false), [path, query])
  /** Replies of this agent that did not arrive, heard on the stream (the notification centre takes these over). */
  const status = useStreamStatus()
  const groups = useGroups()
  const queues: QueueDef[] = [...fixedQueues(), ...groupQueues(groups.data ?? [], me.user.groupIds)]
  const handoffViews = escalationViewsFor(me.user, groups.data ?? [])
  const escalationView = route.name === 'queue' ? escalationViewOf(route.queue) : null

  // Live: the stream tells what changed; the queries reload what they show (with the reader's permissions).
  useEffect(() => {
    stream.start()
    let timer: ReturnType<typeof setTimeout> | undefined
    let countTimer: ReturnType<typeof setTimeout> | undefined
    // Queue lists refresh themselves (QueueView); here they are only marked stale for when they are shown
    // again. Counts are refreshed at most every two seconds, however busy the desk is.
    const refreshLists = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: ['tickets'], refetchType: 'none' })
        void queryClient.invalidateQueries({ queryKey: ['tickets', 'requester'] })
      }, 150)
      countTimer ??= setTimeout(() => {
        countTimer = undefined
        void queryClient.invalidateQueries({ queryKey: ['count'] })
      }, 2000)
    }
    const off = stream.subscribe((event) => {
      if (event.type === 'access-changed') void queryClient.invalidateQueries({ queryKey: ['me'] })
      else if (event.type === 'hello' || event.type === 'resync') {
        refreshLists()
        void queryClient.invalidateQueries({ queryKey: ['ticket'] })
        void queryClient.invalidateQueries({ queryKey: ['articles'] })
      } else if (event.type === 'ticket.created') refreshLists()
      else if (event.type === 'ticket.updated') {
        refreshLists()
        void queryClient.invalidateQueries({ queryKey: ['ticket', event.ticketId] })
        void queryClient.invalidateQueries({ queryKey: ['history', event.ticketId] })
      } else if (event.type === 'article.delivery') void queryClient.invalidateQueries({ queryKey: ['articles', event.ticketId] })
      else if (event.type === 'article.created') {
        refreshLists()
        void queryClient.invalidateQueries({ queryKey: ['articles', event.ticketId] })
      }
    })
    return () => {
      off()
      clearTimeout(timer)
      clearTimeout(countTimer)
      stream.stop()
    }
  }, [queryClient, me.user.id])

  useGlobalShortcuts({
    search: () => searchRef.current?.focus(),
    help: () => setHelpOpen(true),
  })

  const logout = async () => {
    try {
      await api.logout()
    } finally {
      stream.stop()
      setCsrfToken(null)
      clearLocalDrafts()
      // First show the login screen, then forget what this user saw.
      queryClient.setQueryData(['me'], null)
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' })
      navigate('/', { replace: true })
    }
  }

  const submitSearch = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const q = new FormData(e.currentTarget).get('q')?.toString().trim() ?? ''
    navigate(q ? `/queues/search?q=${encodeURIComponent(q)}` : '/queues/open')
  }

  const activeQueue = route.name === 'queue' || route.name === 'ticket' ? route.queue : ''
  return (
    <div className={menuOpen ? 'app menu-open' : 'app'}>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="topbar">
        <a
          className="brand"
          href="/queues/mine"
          onClick={(e) => {
            e.preventDefault()
            navigate('/queues/mine')
          }}
        >
          Loket
        </a>
        <form role="search" className="search" onSubmit={submitSearch}>
          <label htmlFor="search-q" className="visually-hidden">
            {t('search.label')}
          </label>
          <input
            id="search-q"
            ref={searchRef}
            name="q"
            type="search"
            placeholder={t('search.placeholder')}
            defaultValue={route.name === 'queue' && route.queue === 'search' ? (search.get('q') ?? '') : ''}
            key={search.get('q') ?? ''}
          />
        </form>
        <button type="button" className="btn btn-primary" onClick={() => navigate('/new')}>
          {t('newTicket.button')}
        </button>
        <span className={`live live-${status}`} role="status" title={t(`live.${status}`)}>
          <span className="live-dot" aria-hidden="true" />
          <span className="live-text">{t(`live.${status}`)}</span>
        </span>
        <NotificationBell />
        {/* On a phone the rest of the bar and the queues fold into this menu (WCAG 1.4.10: no sideways scrolling). */}
        <button type="button" className="btn btn-ghost menu-button" aria-expanded={menuOpen} aria-controls="app-menu app-sidebar" onClick={() => setMenuOpen(!menuOpen)}>
          {t('common.menu')}
        </button>
        <div className="topbar-more" id="app-menu">
        <AvailabilitySwitch />
        {mayOpenBeheer(me.user.role) && (
          <a
            className="btn btn-ghost topbar-link"
            href="/admin"
            aria-current={route.name === 'admin' && route.section === null ? 'page' : undefined}
            onClick={(e) => {
              e.preventDefault()
              navigate('/admin')
            }}
          >
            {t('beheer.title')}
          </a>
        )}
        <LanguageSwitch loggedIn />
        <button type="button" className="btn btn-ghost" onClick={() => setHelpOpen(true)} aria-label={t('shortcuts.title')} title={t('shortcuts.title')}>
          ?
        </button>
        <a
          className="who"
          href="/profile"
          title={t('profile.link')}
          aria-current={route.name === 'profile' ? 'page' : undefined}
          onClick={(e) => {
            e.preventDefault()
            navigate('/profile')
          }}
        >
          {me.user.name}
        </a>
        <button type="button" className="btn btn-ghost" onClick={() => void logout()}>
          {t('common.logout')}
        </button>
        </div>
      </header>
      <nav className="sidebar" id="app-sidebar" aria-label={t('queues.title')}>
        <h2 className="sidebar-title">{t('queues.title')}</h2>
        <ul>
          {queues.map((q, i) => (
            <li key={q.id}>
              {i === fixedQueues().length && <h3 className="sidebar-sub">{t('queues.groups')}</h3>}
              <a
                href={`/queues/${q.id}`}
                aria-current={activeQueue === q.id ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault()
                  navigate(`/queues/${q.id}`)
                }}
              >
                <span>{q.labelKey ? t(q.labelKey) : q.label}</span>
                <QueueCount queue={q} />
              </a>
            </li>
          ))}
        </ul>
        <h3 className="sidebar-sub">{t('handoffQueues.title')}</h3>
        <ul>
          {handoffViews.map((view) => {
            const id = `${ESCALATION_QUEUE_PREFIX}${view}`
            return (
              <li key={id}>
                <a
                  href={`/queues/${id}`}
                  aria-current={activeQueue === id ? 'page' : undefined}
                  onClick={(e) => {
                    e.preventDefault()
                    navigate(`/queues/${id}`)
                  }}
                >
                  <span>{t(`handoffQueues.${view}`)}</span>
                  <EscalationCount view={view} />
                </a>
              </li>
            )
          })}
        </ul>
        <h2 className="sidebar-title">{t('knowledge.nav')}</h2>
        <ul>
          {(
            [
              ['/knowledge', 'knowledge.title', route.name === 'knowledge' && !route.filter],
              ['/knowledge?show=review', 'knowledge.reviewNav', route.name === 'knowledge' && route.filter === 'review'],
              ['/templates', 'templates.title', route.name === 'templates'],
            ] as const
          ).map(([href, label, current]) => (
            <li key={href}>
              <a
                href={href}
                aria-current={current ? 'page' : undefined}
                onClick={(e) => {
                  e.preventDefault()
                  navigate(href)
                }}
              >
                <span>{t(label)}</span>
              </a>
            </li>
          ))}
        </ul>
        <h2 className="sidebar-title">{t('organisations.nav')}</h2>
        <ul>
          <li>
            <a
              href="/organisations"
              aria-current={route.name === 'organisations' || route.name === 'organisation' ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault()
                navigate('/organisations')
              }}
            >
              <span>{t('organisations.title')}</span>
            </a>
          </li>
        </ul>
        {mayOpenBeheer(me.user.role) && <BeheerNav role={me.user.role} current={route.name === 'admin' ? route.section : undefined} />}
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        {route.name === 'queue' && route.queue === 'search' && <SearchView key={search.get('q') ?? ''} q={search.get('q') ?? ''} />}
        {escalationView && <EscalationQueueView key={escalationView} view={escalationView} />}
        {route.name === 'queue' && route.queue !== 'search' && !escalationView && <QueueView key={route.queue + (search.get('q') ?? '')} queueId={route.queue} q={search.get('q') ?? undefined} me={me} />}
        {route.name === 'ticket' && <TicketView key={route.id} ticketId={route.id} queueId={route.queue} me={me} />}
        {route.name === 'new' && <NewTicket />}
        {route.name === 'admin' && <Beheer key={route.section ?? ''} me={me} section={route.section} subpath={route.subpath} />}
        {route.name === 'profile' && <Profile me={me} />}
        {route.name === 'notFound' && <NotFound />}
        {route.name === 'knowledge' && <KnowledgeView key={route.filter ?? 'all'} initialFilter={route.filter ?? 'all'} />}
        {route.name === 'article' && <ArticlePage key={route.id ?? 'new'} id={route.id} />}
        {route.name === 'templates' && <TemplatesView />}
        {route.name === 'organisations' && <OrganisationsView />}
        {route.name === 'organisation' && <OrganisationPage key={route.id} id={route.id} />}
      </main>
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  )
}

const COUNT_CAP = 100

function QueueCount({ queue }: { queue: QueueDef }) {
  const { t } = useTranslation()
  const count = useQuery({
    queryKey: ['count', queue.id],
    queryFn: ({ signal }) => api.tickets({ ...queue.query, limit: COUNT_CAP }, signal),
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
