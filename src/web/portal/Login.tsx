/** @jsxImportSource preact */
import { useState } from 'preact/hooks'
import { ApiError, call, type Me } from './api.js'
import { LanguageSelect } from './App.js'
import { t } from './i18n.js'
import { ErrorNote, errorFrom, PageHeading } from './Page.js'
import { Banners, OtherWaysIn } from './Access.js'

/** Signing in with e-mail address and password. */
export function Login({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)

  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      onSignedIn(await call<Me>('/auth/login', { method: 'POST', body: { email: email.trim(), password } }))
    } catch (err) {
      setError(errorFrom(err))
    } finally {
      setBusy(false)
    }
  }

  return (
    <main className="login" id="main">
      <Banners />
      <form className="card login-card" onSubmit={(e) => void submit(e)} aria-labelledby="login-title" noValidate>
        <div className="login-lang">
          <LanguageSelect />
        </div>
        <PageHeading title={t('login.title')}>
          <span id="login-title">{t('login.title')}</span>
        </PageHeading>
        <p className="muted">{t('login.intro')}</p>
        {error &&
          (error.status === 401 ? (
            <div className="note note-error" role="alert">
              <p>{t('login.wrong')}</p>
            </div>
          ) : (
            <ErrorNote error={error} />
          ))}
        <label className="field">
          <span>{t('login.email')}</span>
          <input type="email" autoComplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      <div className="card login-card">
        <OtherWaysIn />
      </div>
    </main>
  )
}
