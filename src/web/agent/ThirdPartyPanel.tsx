import { useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../ui/ErrorNote.js'
import { date } from '../ui/format.js'
import { api, type Ticket } from './api.js'
import './handoff.css'

/** The start of a chosen day (YYYY-MM-DD) in the agent's own time zone, as an ISO moment. */
export const startOfDay = (day: string) => new Date(`${day}T00:00:00`).toISOString()
/** Today plus `days`, as an input's YYYY-MM-DD in the agent's own time zone. */
const dayFromNow = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

/** "Wacht op derde tot 15 december" or "Terug van derde": what the ticket's head and a queue row say about a wait. */
export function ThirdPartyMarker({ ticket }: { ticket: Pick<Ticket, 'status' | 'thirdParty'> }) {
  const { t, i18n } = useTranslation()
  const wait = ticket.thirdParty
  if (!wait) return null
  if (ticket.status === 'waiting_for_third_party' && wait.until) {
    return (
      <span className="third-party-marker" data-third-party="waiting">
        {t('thirdParty.waitingUntil', { date: date(wait.until, i18n.language), supplier: wait.supplier })}
      </span>
    )
  }
  if (wait.backAt) {
    return (
      <span className="third-party-marker third-party-back" data-third-party="back">
        {t('thirdParty.back', { supplier: wait.supplier })}
      </span>
    )
  }
  return null
}

/**
 * "Wacht op derde": the ticket waits on a supplier (with their reference number) until a date; it leaves its
 * group's active queue and comes back on that date, marked. In the ticket's sidebar.
 */
export function ThirdPartyPanel({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const wait = ticket.thirdParty
  const waiting = ticket.status === 'waiting_for_third_party' && !!wait?.until
  const [editing, setEditing] = useState(false)
  const [until, setUntil] = useState(() => dayFromNow(7))
  const [supplier, setSupplier] = useState(wait?.supplier ?? '')
  const [reference, setReference] = useState(wait?.reference ?? '')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const save = async (body: Parameters<typeof api.updateTicket>[2]) => {
    setBusy(true)
    setError(null)
    try {
      const updated = await api.updateTicket(ticket.id, ticket.version, body)
      queryClient.setQueryData(['ticket', ticket.id], updated)
      void queryClient.invalidateQueries({ queryKey: ['tickets'] })
      void queryClient.invalidateQueries({ queryKey: ['count'] })
      void queryClient.invalidateQueries({ queryKey: ['history', ticket.id] })
      setEditing(false)
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void save({ thirdParty: { until: startOfDay(until), supplier: supplier.trim(), reference: reference.trim() || null } })
  }

  const closed = ticket.status === 'closed' || ticket.status === 'resolved'
  return (
    <section className="panel third-party" aria-labelledby="third-party-title">
      <h2 id="third-party-title">{t('thirdParty.title')}</h2>
      {wait && (
        <dl className="third-party-facts small">
          {waiting && (
            <>
              <dt>{t('thirdParty.until')}</dt>
              <dd>{date(wait.until!, i18n.language)}</dd>
            </>
          )}
          <dt>{t('thirdParty.supplier')}</dt>
          <dd>{wait.supplier}</dd>
          {wait.reference && (
            <>
              <dt>{t('thirdParty.reference')}</dt>
              <dd className="mono">{wait.reference}</dd>
            </>
          )}
        </dl>
      )}
      {wait?.backAt && !waiting && (
        <p className="notice small" role="note">
          {t('thirdParty.backNote', { date: date(wait.backAt, i18n.language) })}
        </p>
      )}
      {!editing && !closed && (
        <div className="row-actions">
          <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
            {waiting ? t('thirdParty.change') : t('thirdParty.start')}
          </button>
          {waiting && (
            <button type="button" className="btn btn-small" disabled={busy} onClick={() => void save({ thirdParty: null })}>
              {t('thirdParty.stop')}
            </button>
          )}
        </div>
      )}
      {editing && (
        <form className="third-party-form" onSubmit={submit}>
          <div className="mb-field">
            <label htmlFor="third-party-until">{t('thirdParty.until')}</label>
            <input id="third-party-until" type="date" required min={dayFromNow(1)} value={until} onChange={(e) => setUntil(e.target.value)} aria-describedby="third-party-until-hint" />
            <span id="third-party-until-hint" className="muted small">
              {t('thirdParty.untilHint')}
            </span>
          </div>
          <div className="mb-field">
            <label htmlFor="third-party-supplier">{t('thirdParty.supplier')}</label>
            <input id="third-party-supplier" required maxLength={200} value={supplier} onChange={(e) => setSupplier(e.target.value)} />
          </div>
          <div className="mb-field">
            <label htmlFor="third-party-reference">{t('thirdParty.reference')}</label>
            <input id="third-party-reference" maxLength={200} value={reference} onChange={(e) => setReference(e.target.value)} />
          </div>
          <div className="row-actions">
            <button type="submit" className="btn btn-small btn-primary" disabled={busy || !supplier.trim() || !until}>
              {t('thirdParty.save')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
      {error != null && (
        <p className="error-note" role="alert">
          {errorText(error, t)}
        </p>
      )}
    </section>
  )
}
