import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { MailboxOAuth, MailboxOAuthBody, OAuthProvider } from '../../shared/api/mailbox-oauth.js'
import { errorText } from '../ui/ErrorNote.js'
import { dateTime } from '../ui/format.js'
import { request } from './api.js'
import type { Mailbox } from './mailboxApi.js'

const path = (id: string) => `/mailboxes/${encodeURIComponent(id)}/oauth`

/** The OAuth 2.0 sign-in of a mailbox (Microsoft 365, Google). Writes go through `request`, which sends the CSRF token. */
export const mailboxOAuthApi = {
  register: (id: string, body: MailboxOAuthBody) => request<MailboxOAuth>(path(id), { method: 'PUT', body }).then((r) => r.data),
  remove: (id: string) => request<void>(path(id), { method: 'DELETE' }),
  connect: (id: string) => request<{ url: string }>(`${path(id)}/connect`, { method: 'POST' }).then((r) => r.data),
}

/** What the provider's sign-in sent back (`?oauth=connected` or `?oauth_error=<reason>` on the mailbox screen). */
export function oauthReturn(search: URLSearchParams): { ok: boolean; reason?: string } | null {
  if (search.get('oauth') === 'connected') return { ok: true }
  const reason = search.get('oauth_error')
  return reason ? { ok: false, reason } : null
}

/**
 * Signing a mailbox in with Microsoft 365 or Google: the app's client ID and secret (and tenant),
 * then "Verbinden" sends the administrator to the provider; the state says whether Loket holds a
 * working sign-in or needs a new one.
 */
export function MailboxOAuthPanel({ mailbox }: { mailbox: Mailbox }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const uid = useId()
  const current = mailbox.oauth ?? null
  const [open, setOpen] = useState(current !== null)
  const [provider, setProvider] = useState<OAuthProvider>(current?.provider ?? 'microsoft')
  const [tenant, setTenant] = useState(current?.tenant ?? '')
  const [clientId, setClientId] = useState(current?.clientId ?? '')
  const [clientSecret, setClientSecret] = useState('')
  const [authorizeUrl, setAuthorizeUrl] = useState(current?.authorizeUrl ?? '')
  const [tokenUrl, setTokenUrl] = useState(current?.tokenUrl ?? '')
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['mailboxes'] })
  const save = useMutation({
    mutationFn: () =>
      mailboxOAuthApi.register(mailbox.id, {
        provider,
        clientId,
        ...(clientSecret ? { clientSecret } : {}),
        ...(provider === 'microsoft' ? { tenant } : {}),
        ...(provider === 'custom' ? { authorizeUrl, tokenUrl } : {}),
      }),
    onSuccess: async () => {
      setClientSecret('')
      await refresh()
    },
  })
  const connect = useMutation({
    mutationFn: () => mailboxOAuthApi.connect(mailbox.id),
    onSuccess: ({ url }) => window.location.assign(url),
  })
  const remove = useMutation({ mutationFn: () => mailboxOAuthApi.remove(mailbox.id), onSuccess: refresh })
  const id = (name: string) => `${uid}-${name}`
  const submit = (e: FormEvent) => {
    e.preventDefault()
    save.mutate()
  }
  const providerName = t(`mailboxes.oauth.provider.${current?.provider ?? provider}`)

  if (!open) {
    return (
      <button type="button" className="btn btn-small" onClick={() => setOpen(true)}>
        {t('mailboxes.oauth.setUp')}
        <span className="visually-hidden"> {mailbox.name}</span>
      </button>
    )
  }
  return (
    <section className="mb-oauth" aria-labelledby={id('title')}>
      <h3 id={id('title')} className="mb-section-title">
        {t('mailboxes.oauth.title')}
      </h3>
      {current && (
        <p className={current.state === 'reconnect_needed' ? 'error-note' : undefined} role={current.state === 'reconnect_needed' ? 'alert' : undefined}>
          <strong>{t(`mailboxes.oauth.state.${current.state}`)}</strong>
          {current.state === 'connected' && current.connectedAt && <> ({t('mailboxes.oauth.since', { when: dateTime(current.connectedAt, i18n.language) })})</>}
          {current.state === 'reconnect_needed' && current.lastError && (
            <>
              {' '}
              <span className="mono small">{current.lastError}</span>
            </>
          )}
        </p>
      )}
      <form onSubmit={submit} className="mb-oauth-form">
        <div className="mb-row">
          <div className="mb-field">
            <label htmlFor={id('provider')}>{t('mailboxes.oauth.f.provider')}</label>
            <select id={id('provider')} value={provider} onChange={(e) => setProvider(e.target.value as OAuthProvider)}>
              {(['microsoft', 'google', 'custom'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`mailboxes.oauth.provider.${p}`)}
                </option>
              ))}
            </select>
          </div>
          {provider === 'microsoft' && (
            <div className="mb-field">
              <label htmlFor={id('tenant')}>{t('mailboxes.oauth.f.tenant')}</label>
              <input id={id('tenant')} value={tenant} onChange={(e) => setTenant(e.target.value)} required autoComplete="off" spellCheck={false} />
            </div>
          )}
        </div>
        <div className="mb-row">
          <div className="mb-field">
            <label htmlFor={id('clientId')}>{t('mailboxes.oauth.f.clientId')}</label>
            <input id={id('clientId')} value={clientId} onChange={(e) => setClientId(e.target.value)} required autoComplete="off" spellCheck={false} />
          </div>
          <div className="mb-field">
            <label htmlFor={id('clientSecret')}>{t('mailboxes.oauth.f.clientSecret')}</label>
            <input
              id={id('clientSecret')}
              type="password"
              value={clientSecret}
              onChange={(e) => setClientSecret(e.target.value)}
              required={!current?.hasClientSecret}
              autoComplete="new-password"
              aria-describedby={current?.hasClientSecret ? id('secretHint') : undefined}
            />
            {current?.hasClientSecret && (
              <span id={id('secretHint')} className="muted small">
                {t('mailboxes.oauth.f.secretKept')}
              </span>
            )}
          </div>
        </div>
        {provider === 'custom' && (
          <div className="mb-row">
            <div className="mb-field">
              <label htmlFor={id('authorizeUrl')}>{t('mailboxes.oauth.f.authorizeUrl')}</label>
              <input id={id('authorizeUrl')} type="url" value={authorizeUrl} onChange={(e) => setAuthorizeUrl(e.target.value)} required />
            </div>
            <div className="mb-field">
              <label htmlFor={id('tokenUrl')}>{t('mailboxes.oauth.f.tokenUrl')}</label>
              <input id={id('tokenUrl')} type="url" value={tokenUrl} onChange={(e) => setTokenUrl(e.target.value)} required />
            </div>
          </div>
        )}
        {current && (
          <p className="small">
            {t('mailboxes.oauth.redirectUri')} <code>{current.redirectUri}</code>
          </p>
        )}
        <div className="row wrap">
          <button type="submit" className="btn btn-small" disabled={save.isPending}>
            {t('mailboxes.oauth.save')}
          </button>
          {current && (
            <button type="button" className="btn btn-small btn-primary" onClick={() => connect.mutate()} disabled={connect.isPending}>
              {t('mailboxes.oauth.connect', { provider: providerName })}
            </button>
          )}
          {current && (
            <button type="button" className="btn btn-small btn-danger" onClick={() => remove.mutate()} disabled={remove.isPending}>
              {t('mailboxes.oauth.remove')}
            </button>
          )}
        </div>
      </form>
      <div aria-live="polite">
        {[save.error, connect.error, remove.error].map(
          (err, i) =>
            err != null && (
              <p key={i} className="error-note" role="alert">
                {errorText(err, t)}
              </p>
            ),
        )}
      </div>
    </section>
  )
}
