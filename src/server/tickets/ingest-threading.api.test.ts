import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

/** Threading is ingest's, for every channel: a channel only hands over what the message says it answers (replyTo). */
describeEachDatabase('ingest threads a message by its references', (database) => {
  let t: TestApp
  let agent: Awaited<ReturnType<TestApp['user']>>
  let seq = 0
  const address = `draad.${process.pid}@example.nl`
  beforeAll(async () => {
    t = await createTestApp(database)
    agent = await t.user('agent')
  })
  afterAll(() => t?.close())

  const message = (extra: object = {}) => ({
    channel: 'chat' as const,
    from: { kind: 'chat' as const, address },
    subject: 'Vraag',
    body: `Bericht ${++seq}`,
    contentType: 'text/plain' as const,
    sourceId: `draad-${process.pid}-${seq}`,
    ...extra,
  })
  const close = async (id: string) => {
    const ticket = (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: agent.token })).json()
    const res = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token: agent.token, headers: { 'if-match': `"${ticket.version}"` }, payload: { status: 'closed' } })
    expect(res.statusCode).toBe(200)
  }

  it('by the ids it answers first, the ticket number second, else a new ticket; says how to a metadata function', async () => {
    const firstMessage = message()
    const first = await t.runtime.services.tickets.ingest(firstMessage)
    const other = await t.runtime.services.tickets.ingest(message())
    const seen: unknown[] = []
    const byIds = await t.runtime.services.tickets.ingest(
      message({ replyTo: { sourceIds: ['onbekend', firstMessage.sourceId], ticketNumber: other.ticket.number }, metadata: (thread: unknown) => (seen.push(thread), { chatThread: thread }) }),
    )
    expect(byIds).toMatchObject({ created: false, ticket: { id: first.ticket.id }, article: { metadata: { chatThread: { ticketId: first.ticket.id, by: 'sourceIds' } } } })
    const byNumber = await t.runtime.services.tickets.ingest(message({ replyTo: { sourceIds: ['onbekend'], ticketNumber: other.ticket.number } }))
    expect(byNumber).toMatchObject({ created: false, ticket: { id: other.ticket.id } })
    const fresh = await t.runtime.services.tickets.ingest(message({ replyTo: { sourceIds: [], ticketNumber: '1999-99999' }, metadata: (thread: unknown) => ({ chatThread: thread }) }))
    expect(fresh).toMatchObject({ created: true, article: { metadata: { chatThread: {} } } })
    expect(seen).toHaveLength(1)
  })

  it('a closed ticket found by its number gets a follow-up; onlyThreads files nothing that threads nowhere', async () => {
    const first = await t.runtime.services.tickets.ingest(message())
    await close(first.ticket.id)
    const followUp = await t.runtime.services.tickets.ingest(message({ replyTo: { ticketNumber: first.ticket.number } }))
    expect(followUp).toMatchObject({ created: true, article: { metadata: { followUpOf: first.ticket.number } } })
    expect(followUp.ticket.id).not.toBe(first.ticket.id)
    expect(await t.runtime.services.tickets.ingest(message({ onlyThreads: true, replyTo: { sourceIds: ['nergens'] } }))).toBeUndefined()
    expect(await t.runtime.services.tickets.ingest(message({ onlyThreads: true, replyTo: { ticketNumber: followUp.ticket.number } }))).toMatchObject({ created: false, ticket: { id: followUp.ticket.id } })
  })
})
