import { expect, it } from 'vitest'
import type { DomainEvent } from '../events.js'
import { type StreamClient, StreamFanOut } from './stream-fanout.js'
import type { Audience, Topic } from './stream-topics.js'

const client = (userId: string, audience: Audience) => {
  const frames: Buffer[] = []
  const c: StreamClient & { frames: Buffer[] } = { userId, audience, sessionId: undefined, tokenId: undefined, frames, send: (f) => frames.push(f), cork: () => {}, uncork: () => {}, close: () => {} }
  return c
}

const created = (over: Partial<Extract<DomainEvent, { type: 'ticket.created' }>> = {}): DomainEvent => ({
  type: 'ticket.created',
  ticketId: 't1',
  number: '2026-00001',
  requesterId: 'cust',
  organisationId: null,
  groupId: 'g1',
  assigneeId: null,
  at: '2026-12-07T03:00:00.000Z',
  ...over,
})

it('serialises an event once per audience and writes the same bytes to every socket of it', () => {
  const fanOut = new StreamFanOut()
  const staff = Array.from({ length: 5 }, (_, i) => client(`agent${i}`, 'staff'))
  const customer = client('cust', 'customer')
  const stranger = client('other', 'customer')
  for (const s of staff) fanOut.add(s, ['queue:all', 'ticket:t1'] as Topic[])
  fanOut.add(customer, ['queue:all'])
  fanOut.add(stranger, ['queue:all'])
  fanOut.deliver(created())
  // Once per socket although each staff socket is on two matching topics; one buffer for all of them.
  for (const s of staff) expect(s.frames).toHaveLength(1)
  expect(new Set(staff.map((s) => s.frames[0])).size).toBe(1)
  expect(JSON.parse(String(staff[0].frames[0]))).toMatchObject({ groupId: 'g1' })
  expect(customer.frames).toHaveLength(1)
  expect(JSON.parse(String(customer.frames[0]))).not.toHaveProperty('groupId')
  expect(stranger.frames).toHaveLength(0)
})

it('sends a socket only the topics it watches, and stops after unsubscribe and remove', () => {
  const fanOut = new StreamFanOut()
  const queue = client('a', 'staff')
  const own = client('b', 'staff')
  fanOut.add(queue, ['queue:g2'])
  fanOut.add(own, ['own'])
  fanOut.deliver(created())
  fanOut.deliver(created({ ticketId: 't2', groupId: 'g2' }))
  fanOut.deliver(created({ ticketId: 't3', assigneeId: 'b' }))
  expect(queue.frames.map((f) => JSON.parse(String(f)).ticketId)).toEqual(['t2'])
  expect(own.frames.map((f) => JSON.parse(String(f)).ticketId)).toEqual(['t3'])
  fanOut.unsubscribe(queue, ['queue:g2'])
  fanOut.remove(own)
  fanOut.deliver(created({ ticketId: 't4', groupId: 'g2', assigneeId: 'b' }))
  expect(queue.frames).toHaveLength(1)
  expect(own.frames).toHaveLength(1)
  expect(fanOut.size).toBe(1)
})

it('keeps internal notes and presence from customers, and presence from the one who sent it', () => {
  const fanOut = new StreamFanOut()
  const anna = client('anna', 'staff')
  const bram = client('bram', 'staff')
  const customer = client('cust', 'customer')
  for (const c of [anna, bram, customer]) fanOut.add(c, ['queue:all', 'ticket:t1'] as Topic[])
  fanOut.deliver({ type: 'article.created', ticketId: 't1', articleId: 'a1', requesterId: 'cust', organisationId: null, visibility: 'internal', direction: 'out', channel: 'note', at: '' })
  fanOut.deliver({ type: 'presence', ticketId: 't1', userId: 'anna', name: 'Anna', state: 'typing', at: '' })
  expect(customer.frames).toHaveLength(0)
  expect(anna.frames).toHaveLength(1)
  expect(bram.frames).toHaveLength(2)
  // A customer may not watch a group's queue.
  expect(fanOut.subscribe(customer, ['queue:g1', 'own'])).toEqual(['queue:g1'])
})
