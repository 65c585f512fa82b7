import { describe, expect, it } from 'vitest'
import { acknowledgementOf, ccOf, deliverToOf, deliveryMetaOf, emailMetaOf, handoffOf, parseMetadata, routingOf } from './article-metadata.js'

describe('article metadata readers', () => {
  it('read what was stored, checked rather than cast', () => {
    const email = { mailboxId: 'm1', messageId: '<a@b>', from: { email: 'jan@x.nl', name: 'Jan' }, replyTo: [{ email: 'r@x.nl' }], ackWanted: true, threadedBy: null }
    expect(emailMetaOf({ email })).toEqual(email)
    expect(deliveryMetaOf({ delivery: { status: 'sent', at: 't', messageId: '<m@x>', to: 'k@x.nl' } })).toEqual({ status: 'sent', at: 't', messageId: '<m@x>', to: 'k@x.nl' })
    expect(acknowledgementOf({ acknowledgement: { status: 'failed', at: 't', error: 'x' } })).toEqual({ status: 'failed', at: 't', error: 'x' })
    expect(handoffOf({ handoff: { kind: 'proposed_reply', departmentName: 'Burgerzaken' } })).toEqual({ kind: 'proposed_reply', departmentName: 'Burgerzaken' })
    expect(routingOf({ routing: { ruleId: 'r1', name: 'Loon' } })).toEqual({ ruleId: 'r1', name: 'Loon' })
    expect(deliverToOf({ deliverTo: 'ander@x.nl' })).toBe('ander@x.nl')
    expect(ccOf({ cc: ['a@x.nl', { email: 'b@x.nl' }] })).toEqual(['a@x.nl', 'b@x.nl'])
  })

  it('read damaged or older metadata as absent or partial, never throwing', () => {
    expect(emailMetaOf({})).toBeUndefined()
    expect(emailMetaOf({ email: 'x' })).toBeUndefined()
    expect(emailMetaOf({ email: { mailboxId: 3, replyTo: [{ name: 'no address' }, { email: 'r@x.nl' }], threadedBy: 'guess' } })).toEqual({ replyTo: [{ email: 'r@x.nl' }] })
    expect(handoffOf({ handoff: { kind: 'returned', departmentName: 7 } })).toEqual({ kind: 'returned' })
    expect(routingOf({ routing: true })).toBeUndefined()
    expect(parseMetadata('not json')).toEqual({})
    expect(parseMetadata('[1]')).toEqual({})
    expect(parseMetadata('{"email":{"contentKey":"k"}}')).toEqual({ email: { contentKey: 'k' } })
  })
})
