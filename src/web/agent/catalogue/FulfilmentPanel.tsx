import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../../ui/ErrorNote.js'
import type { Ticket } from '../api.js'
import { catalogueApi, type CatalogRequest } from './catalogueApi.js'

/** A catalogue request's fulfilment steps on its ticket, ticked off by the back office; nothing for other tickets. */
export function FulfilmentPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [error, setError] = useState<unknown>(null)
  const key = ['catalog-request', ticket.id]
  const request = useQuery({ queryKey: key, queryFn: ({ signal }) => catalogueApi.requestOf(ticket.id, signal), staleTime: 30_000 })
  const data = request.data
  if (!data || data.steps.length === 0) return null

  // Optimistic: the box shows the agent's tick at once, and goes back if the server refuses it.
  const toggle = async (position: number, done: boolean) => {
    setError(null)
    const before = queryClient.getQueryData<CatalogRequest | null>(key)
    if (before) {
      const ticked = before.steps.map((s) => (s.position === position ? { ...s, doneAt: done ? new Date().toISOString() : null } : s))
      const optimistic: CatalogRequest = { ...before, steps: ticked }
      queryClient.setQueryData<CatalogRequest | null>(key, optimistic)
    }
    try {
      queryClient.setQueryData<CatalogRequest | null>(key, await catalogueApi.setStep(ticket.id, position, done))
    } catch (err) {
      if (before) queryClient.setQueryData<CatalogRequest | null>(key, before)
      setError(err)
    }
  }
  const done = data.steps.filter((s) => s.doneAt).length
  return (
    <section className="panel fulfilment" aria-labelledby="fulfilment-title">
      <h2 id="fulfilment-title">{t('catalogue.steps.title')}</h2>
      <p className="muted small">
        {data.itemTitle} · {t('catalogue.steps.progress', { done, total: data.steps.length })}
      </p>
      {error !== null && (
        <p role="alert" className="error small">
          {errorText(error, t)}
        </p>
      )}
      <ul className="fulfilment-steps">
        {data.steps.map((step) => (
          <li key={step.position}>
            <label>
              <input type="checkbox" checked={step.doneAt !== null} onChange={(e) => void toggle(step.position, e.target.checked)} /> {step.title}
            </label>
            {step.doneAt && step.doneBy && <span className="muted small"> · {step.doneBy}</span>}
          </li>
        ))}
      </ul>
    </section>
  )
}
