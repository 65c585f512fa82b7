/** @jsxImportSource preact */
import { useCallback, useEffect, useState } from 'preact/hooks'
import { ApiError, call, isStaffRole, setCsrfToken, type Me } from './api.js'
import { Ask } from './Ask.js'
import { Banners, LinkSignIn, LocalAdminNote, Members } from './Access.js'
import { Catalogue } from './Catalogue.js'
import { LANGUAGES, setLanguage, t, useLanguage, type Language } from './i18n.js'
import { Link } from './Link.js'
import { Login } from './Login.js'
import { ErrorNote, errorFrom } from './Page.js'
import { RequestForm } from './RequestForm.js'
import { usePath } from './router.js'
import { startStream, stopStream } from './stream.js'
import { TicketList } from './TicketList.js'
import { TicketPage } from './TicketPage.js'

type Session = { state: 'loading' } | { state: 'signed-out' } | { state: 'error'; error: ApiError } | { state: 'signed-in'; me: Me }

/** Who is signed in decides between the sign-in form and the portal; staff belong in the workspace at /. */
export function App() {
  useLanguage()
  const [session, setSession] = useState<Session>({ state: 'loading' })
  const signedOut = useCallback(() => setSession({ state: 'signed-out' }), [])

  const enter = useCallback((me: Me) => {
    if (isStaffRole(me.user.role)) {
      location.replace('/')
      return
    }
    setCsrfToken(me.csrfToken)
    if (me.user.language === 'en' || me.user.language === 'nl') setLanguage(me.user.language)
    setSession({ state: 'signed-in', me })
  }, [])

  const loadMe = useCallback(() => {
    setSession({ state: 'loading' })
    call<Me>('/me').then(enter, (err: unknown) => {
      if (err instanceof ApiError && err.status === 401) signedOut()
      else setSession({ state: 'error', error: errorFrom(err) })
    })
  }, [enter, signedOut])
  // A sign-in link from a mail (/portal/link#secret) signs in first, whoever was signed in before.
  const [viaLink] = useState(() => location.pathname.replace(/\/$/, '') === '/portal/link' && location.hash.length > 1)
  useEffect(() => {
    if (!viaLink) loadMe()
  }, [loadMe, viaLink])

  useEffect(() => {
    if (session.state !== 'signed-in') return
    startStream(signedOut)
    return stopStream
  }, [session.state, signedOut])

  if (viaLink && session.state === 'loading') return <LinkSignIn onSignedIn={enter} />

  if (session.state === 'loading') return <div className="splash" aria-busy="true">{t('common.loading')}</div>
  if (session.state === 'error')
    return (
      <main className="splash">
        <ErrorNote error={session.error} onRetry={loadMe} />
      </main>
    )
  if (session.state === 'signed-out') return <Login onSignedIn={enter} />
  return <Portal me={session.me} onSignedOut={signedOut} />
}

function Portal({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  const path = usePath()
  const ticket = /^\/tickets\/([\w-]{1,64})$/.exec(path)
  const item = /^\/aanvragen\/([\w-]{1,64})$/.exec(path)
  const signOut = async () => {
    await call('/auth/logout', { method: 'POST' }).catch(() => {})
    onSignedOut()
  }
  return (
    <>
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="top">
        <div className="top-inner">
          <Link to="/" className="brand">
            Loket <span className="brand-sub">{t('nav.portal')}</span>
          </Link>
          <nav aria-label={t('nav.label')} className="nav">
            <Link to="/" current={path === '/'}>
              {t('nav.tickets')}
            </Link>
            <Link to="/vraag" current={path === '/vraag'}>
              {t('nav.ask')}
            </Link>
            <Link to="/aanvragen" current={path.startsWith('/aanvragen')}>
              {t('nav.catalogue')}
            </Link>
            {me.user.localAdmin && (
              <Link to="/organisatie" current={path === '/organisatie'}>
                {t('members.allTickets')}
              </Link>
            )}
            {me.user.localAdmin && (
              <Link to="/leden" current={path === '/leden'}>
                {t('nav.members')}
              </Link>
            )}
          </nav>
          <div className="top-user">
            <span className="muted">{me.user.name}</span>
            <LanguageSelect me={me} />
            <button type="button" className="btn btn-link" onClick={() => void signOut()}>
              {t('nav.signOut')}
            </button>
          </div>
        </div>
      </header>
      <Banners />
      <main id="main" className="main" tabIndex={-1}>
        {path === '/' && <LocalAdminNote />}
        <Route path={path} me={me} ticket={ticket?.[1]} item={item?.[1]} />
      </main>
    </>
  )
}

function Route({ path, me, ticket, item }: { path: string; me: Me; ticket?: string; item?: string }) {
  if (ticket) return <TicketPage number={ticket} me={me} />
  if (item) return <RequestForm itemId={item} />
  if (path === '/') return <TicketList />
  if (path === '/vraag') return <Ask me={me} />
  if (path === '/aanvragen') return <Catalogue />
  if (path === '/leden' && me.user.localAdmin) return <Members me={me} />
  if (path === '/organisatie' && me.user.localAdmin && me.user.organisationId) return <TicketList organisationId={me.user.organisationId} />
  return <NotFound />
}

/** The language of the portal; when signed in, also kept for the account (mails come in it too). */
export function LanguageSelect({ me }: { me?: Me }) {
  const current = useLanguage()
  const change = (value: Language) => {
    setLanguage(value)
    if (me) call('/me', { method: 'PATCH', body: { language: value } }).catch(() => {})
  }
  return (
    <label className="lang">
      <span className="visually-hidden">{t('nav.language')}</span>
      <select value={current} onChange={(e) => change((e.target as HTMLSelectElement).value as Language)} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  )
}

function NotFound() {
  return (
    <section>
      <h1 className="page-title">{t('error.pageNotFound')}</h1>
      <p>
        <Link to="/">{t('nav.tickets')}</Link>
      </p>
    </section>
  )
}
