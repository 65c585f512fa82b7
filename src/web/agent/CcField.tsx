import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { api, type Ticket } from './api.js'
import { knownCc, parseCc } from './cc.js'
import './cc.css'

/**
 * Cc of a public reply on an e-mail ticket, prefilled once with the Cc of the customer's mails. The value is the text as
 * typed; parseCc turns it into the `cc` of the article.
 */
export function CcField({ ticket, value, onChange }: { ticket: Ticket; value: string | null; onChange: (text: string) => void }) {
  const { t } = useTranslation()
  const articles = useQuery({ queryKey: ['articles', ticket.id], queryFn: ({ signal }) => api.articles(ticket.id, signal) })
  const prefilled = useRef(false)
  useEffect(() => {
    if (prefilled.current || value !== null || !articles.data) return
    prefilled.current = true
    onChange(knownCc(articles.data, ticket.requester.email).join(', '))
  }, [articles.data, value, onChange, ticket.requester.email])
  const invalid = parseCc(value ?? '').invalid
  return (
    <div className="cc-field">
      <label htmlFor="composer-cc">{t('composer.cc')}</label>
      <input
        id="composer-cc"
        type="text"
        inputMode="email"
        autoComplete="off"
        spellCheck={false}
        value={value ?? ''}
        onChange={(e) => onChange(e.target.value)}
        aria-describedby="composer-cc-hint"
        aria-invalid={invalid.length > 0 || undefined}
      />
      <span id="composer-cc-hint" className="muted small">
        {invalid.length > 0 ? t('composer.ccInvalid', { address: invalid[0] }) : t('composer.ccHint')}
      </span>
    </div>
  )
}
