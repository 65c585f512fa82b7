import { useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../ui/ErrorNote.js'
import { ApiError, api, type Ticket } from './api.js'
import { AppLink } from './AppLink.js'

/** "2026-00297", "00297" or "297": the ticket it names, through the search of numbers the desk uses anywhere. */
async function ticketNamed(text: string): Promise<Ticket | null> {
  const trimmed = text.trim().replace(/^#/, '')
  if (!trimmed) return null
  if (/^\d{4}-\d+$/.test(trimmed)) return api.ticketByNumber(trimmed).catch((err: unknown) => (err instanceof ApiError && err.status === 404 ? null : Promise.reject(err)))
  const found = await api.search(trimmed)
  return found.tickets.find((hit) => hit.matchedOn === 'number')?.ticket ?? null
}

/**
 * Tickets that belong together: merge this duplicate into another, link related tickets (shown on both),
 * the tickets merged into this one and the further requesters they brought.
 */
export function RelationsPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const relations = useQuery({ queryKey: ['relations', ticket.id, ticket.version], queryFn: ({ signal }) => api.relations(ticket.id, signal) })
  const [mode, setMode] = useState<'merge' | 'link' | null>(null)
  const [number, setNumber] = useState('')
  const [found, setFound] = useState<Ticket | null>(null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const refresh = (updated?: Ticket) => {
    if (updated) queryClient.setQueryData(['ticket', ticket.id], updated)
    void queryClient.invalidateQueries({ queryKey: ['relations'] })
    void queryClient.invalidateQueries({ queryKey: ['articles', ticket.id] })
    void queryClient.invalidateQueries({ queryKey: ['history', ticket.id] })
    void queryClient.invalidateQueries({ queryKey: ['tickets'] })
  }
  const reset = () => {
    setMode(null)
    setNumber('')
    setFound(null)
    setError(null)
  }

  const look = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    setFound(null)
    try {
      const other = await ticketNamed(number)
      if (!other) setError(t('relations.notFound', { number }))
      else if (mode === 'link') {
        setBusy(true)
        await api.link(ticket.id, other.id)
        refresh()
        reset()
      } else setFound(other)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const merge = async () => {
    if (!found) return
    setBusy(true)
    setError(null)
    try {
      const { ticket: merged } = await api.merge(ticket.id, ticket.version, found.id)
      refresh(merged)
      reset()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const data = relations.data
  return (
    <section className="panel relations" aria-labelledby="relations-title">
      <h2 id="relations-title">{t('relations.title')}</h2>
      {ticket.mergedInto && (
        <p className="merged-note" role="note">
          {t('relations.mergedInto')} <AppLink href={`/tickets/${ticket.mergedInto.id}`}>{ticket.mergedInto.number}</AppLink>
        </p>
      )}
      {data && data.links.length > 0 && (
        <>
          <h3 className="small">{t('relations.links')}</h3>
          <ul className="relation-list">
            {data.links.map((l) => (
              <li key={l.id}>
                <AppLink href={`/tickets/${l.id}`}>{l.number}</AppLink> {l.subject} <span className="muted small">({t(`status.${l.status}`, { defaultValue: l.status })})</span>{' '}
                <button
                  type="button"
                  className="btn btn-ghost btn-small"
                  aria-label={t('relations.unlinkLabel', { number: l.number })}
                  onClick={() => void api.unlink(ticket.id, l.id).then(() => refresh(), setError)}
                >
                  {t('relations.unlink')}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {data && data.merged.length > 0 && (
        <>
          <h3 className="small">{t('relations.merged')}</h3>
          <ul className="relation-list">
            {data.merged.map((m) => (
              <li key={m.id}>
                <AppLink href={`/tickets/${m.id}`}>{m.number}</AppLink> {m.subject}
              </li>
            ))}
          </ul>
        </>
      )}
      {data && data.requesters.length > 0 && (
        <p className="small">
          {t('relations.alsoRequesters')} {data.requesters.map((r) => r.name || r.email).join(', ')}
        </p>
      )}
      {!ticket.mergedInto && ticket.status !== 'closed' && mode === null && (
        <div className="row">
          <button type="button" className="btn btn-small" onClick={() => setMode('merge')}>
            {t('relations.mergeButton')}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setMode('link')}>
            {t('relations.linkButton')}
          </button>
        </div>
      )}
      {mode !== null && (
        <form onSubmit={(e) => void look(e)} className="relation-form">
          <label htmlFor="relation-number">{t(mode === 'merge' ? 'relations.mergeInto' : 'relations.linkTo')}</label>
          <input id="relation-number" value={number} onChange={(e) => setNumber(e.target.value)} placeholder="2026-00042" autoComplete="off" />
          {!found && (
            <div className="row">
              <button type="submit" className="btn btn-small btn-primary" disabled={busy || !number.trim()}>
                {t(mode === 'merge' ? 'relations.find' : 'relations.link')}
              </button>
              <button type="button" className="btn btn-small btn-ghost" onClick={reset}>
                {t('common.cancel')}
              </button>
            </div>
          )}
        </form>
      )}
      {found && (
        <div className="confirm" role="group" aria-labelledby="merge-confirm">
          <p id="merge-confirm">{t('relations.confirm', { from: ticket.number, to: found.number, subject: found.subject })}</p>
          <div className="row">
            <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void merge()}>
              {t('relations.mergeNow', { number: found.number })}
            </button>
            <button type="button" className="btn btn-small btn-ghost" onClick={reset}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {error != null && (
        <p className="error-note" role="alert">
          {typeof error === 'string' ? error : errorText(error, t)}
        </p>
      )}
    </section>
  )
}
