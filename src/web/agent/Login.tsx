import { useMutation } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, api, type Me } from './api.js'
import { LanguageSwitch } from './LanguageSwitch.js'
import { errorText } from '../ui/ErrorNote.js'

export function Login({ onLoggedIn }: { onLoggedIn: (me: Me) => void }) {
  const { t } = useTranslation()
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
  const message = error instanceof ApiError && error.status === 401 ? t('login.wrong') : error ? errorText(error, t) : null

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title" className="brand-title">Loket</h1>
        <p className="muted">{t('login.intro')}</p>
        <label htmlFor="login-email">{t('login.email')}</label>
        <input id="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <label htmlFor="login-password">{t('login.password')}</label>
        <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {message && (
          <p className="error-note" role="alert">
            {message}
          </p>
        )}
        <button className="btn btn-primary" type="submit" disabled={login.isPending}>
          {login.isPending ? t('login.busy') : t('login.submit')}
        </button>
        <div className="login-lang">
          <LanguageSwitch />
        </div>
      </form>
    </main>
  )
}
