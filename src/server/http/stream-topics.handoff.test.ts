import { describe, expect, it } from 'vitest'
import type { DomainEvent } from '../events.js'
import { routesOf } from './stream-topics.js'

const base = { ticketId: 't1', number: '2026-00001', requesterId: 'klant', organisationId: null, at: '2026-12-07T06:00:00.000Z' }

describe('stream routing of handoffs', () => {
  it('tells staff and the coordinator of an escalation or return, never the customer', () => {
    for (const type of ['ticket.escalated', 'ticket.returned'] as const) {
      const event: DomainEvent = { ...base, type, groupId: 'backoffice', previousGroupId: 'desk', assigneeId: null, coordinatorId: 'dana', escalationId: 'e1', version: 3 }
      const routes = routesOf(event)
      expect(routes.map((r) => r.audience)).toEqual(['staff'])
      expect(routes[0].keys).toEqual(expect.arrayContaining(['queue:backoffice', 'queue:desk', 'own:dana']))
    }
  })

  it("reaches the coordinator with a back office's reply, and shows the customer no coordinator", () => {
    const event: DomainEvent = { ...base, type: 'article.created', articleId: 'a1', groupId: 'backoffice', assigneeId: 'bram', coordinatorId: 'dana', visibility: 'public', direction: 'out', channel: 'email' }
    const [staff, customer] = routesOf(event)
    expect(staff.keys).toEqual(expect.arrayContaining(['own:bram', 'own:dana']))
    expect(customer.audience).toBe('customer')
    expect(customer.view).not.toHaveProperty('coordinatorId')
  })
})
