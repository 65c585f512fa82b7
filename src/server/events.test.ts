import { expect, it } from 'vitest'
import { type DomainEvent, notifyPayloads } from './events.js'

const event = (i: number): DomainEvent => ({
  type: 'ticket.created',
  ticketId: `01a20000-0000-7000-8000-${String(i).padStart(12, '0')}`,
  number: `2026-${String(i).padStart(5, '0')}`,
  requesterId: 'r',
  organisationId: null,
  groupId: null,
  at: '2026-11-23T10:00:00.000Z',
})

it('packs events into NOTIFY payloads under the limit, in order, none lost', () => {
  const events = Array.from({ length: 500 }, (_, i) => event(i))
  const payloads = notifyPayloads(events)
  expect(payloads.length).toBeGreaterThan(1)
  for (const p of payloads) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(7900)
  expect(payloads.flatMap((p) => JSON.parse(p) as DomainEvent[])).toEqual(events)
  expect(notifyPayloads([event(1)])).toEqual([JSON.stringify([event(1)])])
  expect(notifyPayloads([])).toEqual([])
})
