import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../ui/ErrorNote.js'
import { request } from './api.js'

/**
 * "Wachtwoord vergeten?" under the sign-in form. The answer is the same for every address (the server
 * never says whether an account exists), so the page says "if".
 */
export function PasswordForgotten({ initialEmail }: { initialEmail: string }) {
  const { t } = useTranslation()
  const [open, setOpen] = useState(false)
  const [email, setEmail] = useState(initialEmail)
  const [state, setState] = useState<'idle' | 'busy' | 'sent' | { error: unknown }>('idle')

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setState('busy')
    try {
      await request('/auth/password-forgotten', { method: 'POST', body: { email: email.trim() } })
      setState('sent')
    } catch (error) {
      setState({ error })
    }
  }

  if (!open)
    return (
      <button type="button" className="btn btn-ghost login-forgot" onClick={() => setOpen(true)}>
        {t('login.forgot.link')}
      </button>
    )
  return (
    <form className="login-forgot-form" onSubmit={(e) => void submit(e)} aria-labelledby="forgot-title">
      <h2 id="forgot-title">{t('login.forgot.title')}</h2>
      <p className="muted small">{t('login.forgot.intro')}</p>
      <label htmlFor="forgot-email">{t('login.email')}</label>
      <input id="forgot-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} />
      <p role="status">{state === 'sent' && <span className="notice">{t('login.forgot.sent')}</span>}</p>
      {typeof state === 'object' && (
        <p className="error-note" role="alert">
          {errorText(state.error, t)}
        </p>
      )}
      <button type="submit" className="btn" disabled={state === 'busy'}>
        {t('login.forgot.submit')}
      </button>
    </form>
  )
}
