import { describe, expect, it } from 'vitest'
import { TICKET_STATUSES } from '../../shared/api/tickets.js'
import { AppError } from '../errors.js'
import { assertTransition, canTransition, statusAfterCustomerReply, statusTimestamps } from './ticket.state.js'

describe('ticket state machine', () => {
  it('never returns to new and treats closed as final', () => {
    for (const from of TICKET_STATUSES) if (from !== 'new') expect(canTransition(from, 'new'), from).toBe(false)
    for (const to of TICKET_STATUSES) if (to !== 'closed') expect(canTransition('closed', to), to).toBe(false)
  })
  it('allows reopening a resolved ticket and pausing an open one', () => {
    expect(canTransition('resolved', 'open')).toBe(true)
    expect(canTransition('open', 'waiting_for_customer')).toBe(true)
    expect(canTransition('resolved', 'waiting_for_customer')).toBe(false)
  })
  it('rejects an illegal change with a 409 that lists what is allowed', () => {
    try {
      assertTransition('resolved', 'waiting_for_third_party')
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).status).toBe(409)
      expect((err as AppError).details).toMatchObject({ allowed: ['open', 'closed'] })
    }
  })
  it('reopens on a customer reply only from waiting for customer or resolved', () => {
    expect(statusAfterCustomerReply('waiting_for_customer')).toBe('open')
    expect(statusAfterCustomerReply('resolved')).toBe('open')
    expect(statusAfterCustomerReply('waiting_for_third_party')).toBe('waiting_for_third_party')
    expect(statusAfterCustomerReply('new')).toBe('new')
  })
  it('stamps resolved and closed times and clears them on reopening', () => {
    expect(statusTimestamps('resolved', 'T')).toEqual({ resolved_at: 'T' })
    expect(statusTimestamps('open', 'T')).toEqual({ resolved_at: null, closed_at: null })
  })
})
