import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../ui/ErrorNote.js'
import { ApiError, api, type Article, type Ticket } from './api.js'
import './handoff.css'

/**
 * "Splitsen": a customer's message that holds a second question becomes a ticket of its own (the server
 * moves it, records both ends, and refuses the ticket's only message or a closed ticket).
 */
export function SplitArticle({ ticket, article, onSplit }: { ticket: Ticket; article: Article; onSplit: (created: Ticket) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const split = async () => {
    setBusy(true)
    setError(null)
    try {
      const result = await api.split(ticket.id, ticket.version, article.id)
      setAsking(false)
      // The message leaves this timeline: the ticket view says where it went.
      onSplit(result.created)
      queryClient.setQueryData(['ticket', ticket.id], result.ticket)
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['articles', ticket.id] }),
        queryClient.invalidateQueries({ queryKey: ['relations'] }),
        queryClient.invalidateQueries({ queryKey: ['history', ticket.id] }),
        queryClient.invalidateQueries({ queryKey: ['tickets'] }),
      ])
    } catch (err) {
      setError(err instanceof ApiError && (err.status === 422 || err.status === 409) ? t('split.cannot', { detail: err.message }) : errorText(err, t))
      void queryClient.invalidateQueries({ queryKey: ['ticket', ticket.id] })
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="split-article">
      {!asking && (
        <button type="button" className="btn btn-small btn-ghost" aria-label={t('split.label')} title={t('split.label')} onClick={() => setAsking(true)}>
          {t('split.button')}
        </button>
      )}
      {asking && (
        <div className="split-confirm" role="group" aria-label={t('split.label')}>
          <span>{t('split.confirm')}</span>
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void split()}>
            {busy ? t('split.busy') : t('split.now')}
          </button>
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => setAsking(false)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {error && (
        <p className="error-note" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
