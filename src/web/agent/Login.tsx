import { useMutation, useQuery } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api, type Me } from './api.js'
import { brandingApi } from './brandingApi.js'
import { LanguageSwitch } from './LanguageSwitch.js'
import { PasswordForgotten } from './PasswordForgotten.js'
import { errorText } from '../ui/ErrorNote.js'

/** Why single sign-on sent the browser back here (`/?sso_error=<reason>`, see accounts/sso), taken off the address once read. */
function takeSsoError(): string | null {
  const params = new URLSearchParams(location.search)
  const reason = params.get('sso_error')
  if (reason === null) return null
  params.delete('sso_error')
  const rest = params.toString()
  history.replaceState(history.state, '', location.pathname + (rest ? `?${rest}` : '') + location.hash)
  return reason
}

const SSO_REASONS = ['unavailable', 'expired', 'state', 'denied', 'failed', 'email', 'not_allowed', 'unknown_user', 'customer', 'conflict', 'disabled', 'not_configured']

export function Login({ onLoggedIn }: { onLoggedIn: (me: Me) => void }) {
  const { t } = useTranslation()
  const [ssoError] = useState(takeSsoError)
  const sso = useQuery({ queryKey: ['sso-sign-in'], queryFn: api.ssoSignIn, staleTime: Infinity, retry: false })
  const branding = useQuery({ queryKey: ['branding'], queryFn: ({ signal }) => brandingApi.get(signal), staleTime: 5 * 60_000, retry: false })
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const login = useMutation({ mutationFn: () => api.login(email.trim(), password), onSuccess: onLoggedIn })

  useEffect(() => {
    document.title = `${t('login.submit')} · Loket`
  }, [t])
  const submit = (e: FormEvent) => {
    e.preventDefault()
    login.mutate()
  }
  const error = login.error
  const message =
    error instanceof ApiError && error.status === 401
      ? t('login.wrong')
      : error instanceof ApiError && error.body.reason === 'sso_only'
        ? t('login.ssoOnly', { name: sso.data?.name ?? '' })
        : error
          ? errorText(error, t)
          : ssoError !== null
            ? t(`login.sso.${SSO_REASONS.includes(ssoError) ? ssoError : 'failed'}`)
            : null
  // Back to the screen the person was on once signed in (a link to a ticket, say).
  const startUrl = sso.data?.startUrl ? `${sso.data.startUrl}?returnTo=${encodeURIComponent(location.pathname + location.search)}` : null

  return (
    <main className="login">
      <div className="login-stack">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        {(branding.data?.name || branding.data?.logoUrl) && (
          <div className="login-brand">
            {branding.data.logoUrl && <img src={branding.data.logoUrl} alt={branding.data.name ? '' : t('branding.logoAlt')} />}
            {branding.data.name && <span className="login-brand-name">{branding.data.name}</span>}
          </div>
        )}
        <h1 id="login-title" className="brand-title">Loket</h1>
        <p className="muted">{t('login.intro')}</p>
        {startUrl && (
          <>
            <a className="btn btn-primary login-sso" href={startUrl}>
              {t('login.sso.button', { name: sso.data!.name })}
            </a>
            <p className="login-or muted">{t('login.sso.or')}</p>
          </>
        )}
        <label htmlFor="login-email">{t('login.email')}</label>
        <input id="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <label htmlFor="login-password">{t('login.password')}</label>
        <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {message && (
          <p className="error-note" role="alert">
            {message}
          </p>
        )}
        <button className={startUrl ? 'btn' : 'btn btn-primary'} type="submit" disabled={login.isPending}>
          {login.isPending ? t('login.busy') : t('login.submit')}
        </button>
      </form>
      <div className="login-card login-extra">
        <PasswordForgotten initialEmail={email} />
        <div className="login-lang">
          <LanguageSwitch />
        </div>
      </div>
      </div>
    </main>
  )
}
