import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../ui/ErrorNote.js'
import { dateTime } from '../ui/format.js'
import { api, type Article } from './api.js'

/**
 * Where a reply is on its way to the customer; when it failed, "opnieuw versturen" (the same address)
 * and "ander adres" (the agent types another one) for staff who may reply to customers.
 */
export function DeliveryLine({ article, canResend }: { article: Article; canResend: boolean }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const [askAddress, setAskAddress] = useState(false)
  const [address, setAddress] = useState('')
  const inputId = useId()
  const resend = useMutation({
    mutationFn: (to?: string) => api.resendArticle(article.ticketId, article.id, to ? { to } : {}),
    onSuccess: (updated) => {
      setAskAddress(false)
      setAddress('')
      queryClient.setQueryData<Article[]>(['articles', article.ticketId], (list) => list?.map((a) => (a.id === updated.id ? updated : a)))
    },
  })
  const delivery = article.delivery
  if (!delivery) return null
  // The class of failure in the agent's language; the server's own (English) answer beside it, folded away.
  // A failure after the last try of a temporary problem says that Loket stopped trying.
  const gaveUp = delivery.state === 'failed' && (delivery.reasonCode === 'deferred' || delivery.reasonCode === 'connection-failed')
  const explanation = delivery.reasonCode
    ? t(gaveUp ? `timeline.delivery.reasonsGaveUp.${delivery.reasonCode}` : `timeline.delivery.reasons.${delivery.reasonCode}`)
    : delivery.reason && t('timeline.delivery.reason', { reason: delivery.reason })
  const raw = delivery.reasonCode ? delivery.detail || delivery.reason : undefined
  const submitAddress = (e: FormEvent) => {
    e.preventDefault()
    if (address.trim()) resend.mutate(address.trim())
  }
  return (
    <div className={`delivery delivery-${delivery.state} small`} data-delivery={delivery.state}>
      <p role="status">
        <strong>{t(`timeline.delivery.${delivery.state}`, { at: delivery.nextAttemptAt ? dateTime(delivery.nextAttemptAt, i18n.language) : '' })}</strong>{' '}
        <time dateTime={delivery.at} className="muted">
          {dateTime(delivery.at, i18n.language)}
        </time>
        {explanation && (
          <span className="delivery-reason" data-reason={delivery.reasonCode}>
            {' '}
            {explanation}
          </span>
        )}
        {delivery.serverResponse && <span className="muted"> {t('timeline.delivery.serverResponse', { response: delivery.serverResponse })}</span>}
      </p>
      {raw && (
        <details className="delivery-detail">
          <summary>{t('timeline.delivery.detail')}</summary>
          <code>{raw}</code>
        </details>
      )}
      {delivery.state === 'failed' && canResend && (
        <div className="delivery-actions">
          <button type="button" className="btn btn-small" disabled={resend.isPending} onClick={() => resend.mutate(undefined)}>
            {t('timeline.delivery.resend')}
          </button>{' '}
          <button type="button" className="btn btn-small" aria-expanded={askAddress} onClick={() => setAskAddress(!askAddress)}>
            {t('timeline.delivery.otherAddress')}
          </button>
          {askAddress && (
            <form className="delivery-address" onSubmit={submitAddress}>
              <label htmlFor={inputId}>{t('timeline.delivery.otherAddressLabel')}</label>{' '}
              <input id={inputId} type="email" required autoComplete="off" value={address} onChange={(e) => setAddress(e.target.value)} />{' '}
              <button type="submit" className="btn btn-small" disabled={resend.isPending}>
                {t('timeline.delivery.sendToAddress')}
              </button>
            </form>
          )}
          <ErrorNote error={resend.error} />
        </div>
      )}
    </div>
  )
}
