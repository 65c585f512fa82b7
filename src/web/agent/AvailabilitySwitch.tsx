import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { AvailabilityView } from '../../shared/api/desk.js'
import { get, request } from './api.js'

const KEY = ['availability', 'me']

/**
 * Beschikbaar or afwezig, in the top bar: whether a group's assignment rule gives this agent new tickets.
 * The switch shows the new state at once and goes back if the server refuses.
 */
export function AvailabilitySwitch() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [failed, setFailed] = useState(false)
  const availability = useQuery({ queryKey: KEY, queryFn: ({ signal }) => get<AvailabilityView>('/users/me/availability', signal), staleTime: 60_000 })
  if (!availability.data) return null
  const available = availability.data.available
  const toggle = async () => {
    const before = availability.data
    setFailed(false)
    queryClient.setQueryData<AvailabilityView>(KEY, { ...before, available: !available })
    try {
      queryClient.setQueryData(KEY, (await request<AvailabilityView>('/users/me/availability', { method: 'PUT', body: { available: !available } })).data)
    } catch {
      queryClient.setQueryData(KEY, before)
      setFailed(true)
    }
  }
  return (
    <button
      type="button"
      className={`btn btn-ghost availability ${available ? 'availability-on' : 'availability-off'}`}
      aria-pressed={available}
      title={failed ? t('availability.failed') : t('availability.hint')}
      onClick={() => void toggle()}
    >
      <span className="availability-dot" aria-hidden="true" />
      {available ? t('availability.available') : t('availability.away')}
    </button>
  )
}
