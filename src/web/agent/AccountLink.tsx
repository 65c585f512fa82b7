import { useMutation } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../ui/ErrorNote.js'
import { ApiError, request } from './api.js'
import { LanguageSwitch } from './LanguageSwitch.js'

/** The pages the one-time links in Loket's mails open (accounts/account-links.ts): the secret is after the #. */
export const ACCOUNT_LINK_PAGES = { '/wachtwoord-instellen': 'password', '/e-mailadres-bevestigen': 'email' } as const
export type AccountLinkKind = (typeof ACCOUNT_LINK_PAGES)[keyof typeof ACCOUNT_LINK_PAGES]

/** A link that expired, was used, or never existed answers 400; say what to do instead of showing the server's words. */
function linkErrorText(error: unknown, t: ReturnType<typeof useTranslation>['t']) {
  if (error instanceof ApiError && error.status === 400) return t('accountLink.invalid')
  return errorText(error, t)
}

/**
 * Choosing a new password, or confirming a new e-mail address, with the link from the mail. Nothing happens
 * until the person presses the button, so a mail scanner that opens the link does not use it up.
 */
export function AccountLink({ kind }: { kind: AccountLinkKind }) {
  const { t } = useTranslation()
  const [token] = useState(() => location.hash.slice(1))
  const [password, setPassword] = useState('')
  const [repeat, setRepeat] = useState('')
  const [mismatch, setMismatch] = useState(false)
  const use = useMutation({
    mutationFn: () =>
      request<void>(`/account-links/${kind}`, { method: 'POST', body: kind === 'password' ? { token, password } : { token } }),
  })

  useEffect(() => {
    document.title = `${t(`accountLink.${kind}.title`)} · Loket`
  }, [t, kind])

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (kind === 'password' && password !== repeat) return setMismatch(true)
    setMismatch(false)
    use.mutate()
  }
  const problem = !token ? t('accountLink.invalid') : mismatch ? t('accountLink.password.mismatch') : use.error ? linkErrorText(use.error, t) : null

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} aria-labelledby="link-title">
        <h1 id="link-title" className="brand-title">{t(`accountLink.${kind}.title`)}</h1>
        {use.isSuccess ? (
          <>
            <p role="status">{t(`accountLink.${kind}.done`)}</p>
            <a className="btn btn-primary" href="/">
              {t('accountLink.toSignIn')}
            </a>
          </>
        ) : (
          <>
            <p className="muted">{t(`accountLink.${kind}.intro`)}</p>
            {kind === 'password' && (
              <>
                <label htmlFor="link-password">{t('accountLink.password.new')}</label>
                <input id="link-password" type="password" autoComplete="new-password" required minLength={8} maxLength={200} value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby="link-password-hint" autoFocus />
                <p id="link-password-hint" className="muted">{t('accountLink.password.hint')}</p>
                <label htmlFor="link-repeat">{t('accountLink.password.repeat')}</label>
                <input id="link-repeat" type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} />
              </>
            )}
            {problem && (
              <p className="error-note" role="alert">
                {problem}
              </p>
            )}
            <button className="btn btn-primary" type="submit" disabled={use.isPending || !token}>
              {t(`accountLink.${kind}.submit`)}
            </button>
          </>
        )}
        <div className="login-lang">
          <LanguageSwitch />
        </div>
      </form>
    </main>
  )
}
