import { expect, it } from 'vitest'
import type { DomainEvent } from '../events.js'
import { StreamFanOut, type StreamClient } from './stream-fanout.js'

const client = (userId: string, localAdminOf?: string): StreamClient & { frames: Buffer[] } => {
  const frames: Buffer[] = []
  return { userId, audience: 'customer', localAdminOf, sessionId: undefined, tokenId: undefined, frames, send: (f) => frames.push(f), cork() {}, uncork() {}, close() {} }
}
const created = (ticketId: string, requesterId: string, organisationId: string | null) =>
  ({ type: 'ticket.created', ticketId, number: '2026-00001', requesterId, organisationId, groupId: 'g1', at: '2026-12-07T12:00:00Z' }) as DomainEvent

it("lets a local administrator follow every ticket of their organisation, once, and nobody else's", () => {
  const fanOut = new StreamFanOut()
  const localAdmin = client('anna', 'org-a')
  const member = client('aart')
  const otherAdmin = client('bert', 'org-b')
  for (const c of [localAdmin, member, otherAdmin]) fanOut.add(c, ['queue:all', 'ticket:t1'])
  fanOut.deliver(created('t1', 'aart', 'org-a'))
  expect(localAdmin.frames).toHaveLength(1)
  expect(member.frames).toHaveLength(1)
  expect(otherAdmin.frames).toHaveLength(0)
  expect(JSON.parse(String(localAdmin.frames[0]))).not.toHaveProperty('groupId')
  // Their own ticket reaches them once, though it is also the organisation's.
  fanOut.deliver(created('t2', 'anna', 'org-a'))
  expect(localAdmin.frames).toHaveLength(2)
  expect(member.frames).toHaveLength(1)
  fanOut.remove(localAdmin)
  fanOut.deliver(created('t3', 'aart', 'org-a'))
  expect(localAdmin.frames).toHaveLength(2)
})
