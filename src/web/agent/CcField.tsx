import { useQuery } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { CC_LIMIT } from '../../shared/api/tickets.js'
import { useTranslation } from 'react-i18next'
import { api, type Ticket } from './api.js'
import { knownCc, parseCc, preselectCc } from './cc.js'
import './cc.css'

/**
 * Cc of a public reply by e-mail, prefilled once with the Cc of the customer's mails: at most CC_LIMIT of them, saying
 * which it left out (a mail with thousands of Cc must not make the reply fail). The value is the text as typed; parseCc
 * turns it into the `cc` of the article.
 */
export function CcField({ ticket, value, onChange }: { ticket: Ticket; value: string | null; onChange: (text: string) => void }) {
  const { t } = useTranslation()
  const articles = useQuery({ queryKey: ['articles', ticket.id], queryFn: ({ signal }) => api.articles(ticket.id, signal) })
  const prefilled = useRef(false)
  const [leftOut, setLeftOut] = useState<string[]>([])
  useEffect(() => {
    if (prefilled.current || value !== null || !articles.data) return
    prefilled.current = true
    const { selected, leftOut } = preselectCc(knownCc(articles.data, ticket.requester.email ?? undefined), CC_LIMIT)
    setLeftOut(leftOut)
    onChange(selected.join(', '))
  }, [articles.data, value, onChange, ticket.requester.email])
  const { invalid, addresses } = parseCc(value ?? '')
  const tooMany = addresses.length > CC_LIMIT
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
        aria-invalid={invalid.length > 0 || tooMany || undefined}
      />
      <span id="composer-cc-hint" className="muted small">
        {invalid.length > 0
          ? t('composer.ccInvalid', { address: invalid[0] })
          : tooMany
            ? t('composer.ccTooMany', { limit: CC_LIMIT, count: addresses.length })
            : t('composer.ccHint')}
      </span>
      {leftOut.length > 0 && (
        <span className="small cc-left-out" role="status">
          {t('composer.ccLeftOut', { count: leftOut.length, limit: CC_LIMIT, addresses: leftOut.slice(0, 5).join(', ') + (leftOut.length > 5 ? ', …' : '') })}
        </span>
      )}
    </div>
  )
}
