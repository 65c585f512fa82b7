/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks'
import { ApiError, call, type Me } from './api.js'
import { language, t } from './i18n.js'
import { ErrorNote, errorFrom, PageHeading } from './Page.js'

interface Banner {
  id: string
  kind: 'announcement' | 'outage'
  textNl: string
  textEn: string
}

/** Announcements and known outages, on every portal page (also the sign-in page): a status region read out politely. */
export function Banners() {
  const [items, setItems] = useState<Banner[]>([])
  useEffect(() => {
    call<{ items: Banner[] }>('/banners').then((r) => setItems(r.items), () => {})
  }, [])
  if (!items.length) return null
  return (
    <section className="banners" role="region" aria-label={t('banners.label')}>
      <div role="status">
        {items.map((b) => (
          <p key={b.id} className={`banner banner-${b.kind}`}>
            <strong>{t(`banners.${b.kind}`)}: </strong>
            {language() === 'en' ? b.textEn : b.textNl}
          </p>
        ))}
      </div>
    </section>
  )
}

/** A form that asks for something by mail and then says the same whatever the address: no account enumeration. */
function MailForm({ kind }: { kind: 'link' | 'register' }) {
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [sent, setSent] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const submit = async (e: Event) => {
    e.preventDefault()
    setError(null)
    try {
      if (kind === 'link') await call('/auth/sign-in-link', { method: 'POST', body: { email: email.trim() } })
      else await call('/auth/register', { method: 'POST', body: { email: email.trim(), name: name.trim(), language: language() } })
      setSent(true)
    } catch (err) {
      setError(errorFrom(err))
    }
  }
  if (sent)
    return (
      <div className="note" role="status">
        <p>{t(`access.${kind}.sent`)}</p>
      </div>
    )
  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t(`access.${kind}.title`)}>
      {error && <ErrorNote error={error} />}
      {kind === 'register' && (
        <label className="field">
          <span>{t('access.name')}</span>
          <input autoComplete="name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
      )}
      <label className="field">
        <span>{t('login.email')}</span>
        <input type="email" autoComplete="email" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
      </label>
      <button type="submit" className="btn">
        {t(`access.${kind}.submit`)}
      </button>
    </form>
  )
}

/** The other ways in, below the password form: a sign-in link by mail, and registering with a work address. */
export function OtherWaysIn() {
  const [open, setOpen] = useState<'link' | 'register' | null>(null)
  return (
    <div className="other-ways">
      <p>
        <button type="button" className="btn btn-link" aria-expanded={open === 'link'} onClick={() => setOpen(open === 'link' ? null : 'link')}>
          {t('access.link.title')}
        </button>
      </p>
      {open === 'link' && (
        <div>
          <p className="muted">{t('access.link.intro')}</p>
          <MailForm kind="link" />
        </div>
      )}
      <p>
        <button type="button" className="btn btn-link" aria-expanded={open === 'register'} onClick={() => setOpen(open === 'register' ? null : 'register')}>
          {t('access.register.title')}
        </button>
      </p>
      {open === 'register' && (
        <div>
          <p className="muted">{t('access.register.intro')}</p>
          <MailForm kind="register" />
        </div>
      )}
    </div>
  )
}

/** /portal/link#secret: signs in with a link from a mail, once; then the portal (or, for staff, the workspace). */
export function LinkSignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [error, setError] = useState<ApiError | null>(null)
  useEffect(() => {
    const token = location.hash.slice(1)
    history.replaceState(null, '', '/portal/')
    call<Me>('/auth/sign-in-link/use', { method: 'POST', body: { token } }).then(onSignedIn, (err: unknown) => setError(errorFrom(err)))
  }, [onSignedIn])
  return (
    <main className="login" id="main">
      <div className="card login-card">
        <PageHeading title={t('access.link.signingIn')} />
        {error ? (
          <>
            <div className="note note-error" role="alert">
              <p>{t('access.link.invalid')}</p>
            </div>
            <p>
              <a href="/portal/">{t('access.link.again')}</a>
            </p>
          </>
        ) : (
          <p aria-busy="true">{t('common.loading')}</p>
        )}
      </div>
    </main>
  )
}

interface MyOrganisation {
  organisation: { id: string; name: string } | null
  localAdministrators: { id: string; name: string; email: string }[]
  youAreLocalAdministrator: boolean
}

/** Tells a member who their organisation's local administrator is, or that there is none and how to get one. */
export function LocalAdminNote() {
  const [mine, setMine] = useState<MyOrganisation | null>(null)
  useEffect(() => {
    call<MyOrganisation>('/portal/organisation').then(setMine, () => {})
  }, [])
  if (!mine?.organisation) return null
  const names = mine.localAdministrators.map((p) => `${p.name} (${p.email})`).join(', ')
  return (
    <p className="note local-admin-note" data-testid="local-admin-note">
      {mine.youAreLocalAdministrator
        ? t('members.youAre', { organisation: mine.organisation.name })
        : mine.localAdministrators.length
          ? t('members.yours', { organisation: mine.organisation.name, names })
          : t('members.none', { organisation: mine.organisation.name })}
    </p>
  )
}

interface Member {
  id: string
  name: string
  email: string
  active: boolean
  localAdmin: boolean
}

/** /portal/leden: a local administrator invites colleagues, switches members off and on, and makes one local administrator too. */
export function Members({ me }: { me: Me }) {
  const [members, setMembers] = useState<Member[] | null>(null)
  const [error, setError] = useState<ApiError | null>(null)
  const [notice, setNotice] = useState('')
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const load = () => call<{ items: Member[] }>('/portal/members').then((r) => setMembers(r.items), (err: unknown) => setError(errorFrom(err)))
  useEffect(() => void load(), [])
  const act = async (work: () => Promise<unknown>, done: string) => {
    setError(null)
    setNotice('')
    try {
      await work()
      setNotice(done)
      await load()
    } catch (err) {
      setError(errorFrom(err))
    }
  }
  const invite = (e: Event) => {
    e.preventDefault()
    void act(() => call('/portal/members', { method: 'POST', body: { email: email.trim(), name: name.trim() } }), t('members.invited', { email: email.trim() })).then(() => {
      setEmail('')
      setName('')
    })
  }
  const patch = (m: Member, body: object, done: string) => act(() => call(`/portal/members/${m.id}`, { method: 'PATCH', body }), done)
  return (
    <section>
      <PageHeading title={t('members.title')} />
      <p className="muted">{t('members.intro')}</p>
      <div aria-live="polite">{notice && <p className="note">{notice}</p>}</div>
      {error && <ErrorNote error={error} />}
      <form className="card" onSubmit={invite} aria-labelledby="invite-title">
        <h2 id="invite-title">{t('members.inviteTitle')}</h2>
        <label className="field">
          <span>{t('access.name')}</span>
          <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        </label>
        <label className="field">
          <span>{t('login.email')}</span>
          <input type="email" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" className="btn btn-primary">
          {t('members.invite')}
        </button>
      </form>
      {members && (
        <table className="members">
          <caption className="visually-hidden">{t('members.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('access.name')}</th>
              <th scope="col">{t('login.email')}</th>
              <th scope="col">{t('members.state')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('members.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id}>
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{[m.active ? t('members.active') : t('members.inactive'), m.localAdmin ? t('members.localAdmin') : ''].filter(Boolean).join(', ')}</td>
                <td>
                  {m.id !== me.user.id && !m.localAdmin && (
                    <button type="button" className="btn btn-link" onClick={() => void patch(m, { active: !m.active }, t(m.active ? 'members.switchedOff' : 'members.switchedOn', { name: m.name }))}>
                      {t(m.active ? 'members.switchOff' : 'members.switchOn', { name: m.name })}
                    </button>
                  )}
                  {m.active && !m.localAdmin && (
                    <button type="button" className="btn btn-link" onClick={() => void patch(m, { localAdmin: true }, t('members.promoted', { name: m.name }))}>
                      {t('members.promote', { name: m.name })}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
