import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

// The portal's close and reopen buttons: a customer sends only a status, for their own ticket.
describeEachDatabase('a customer closing and reopening their ticket', (database) => {
  let t: TestApp
  let agent: User
  let customer: User
  let other: User
  beforeAll(async () => {
    t = await createTestApp(database)
    const admin = await t.user('admin')
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'ICT' } })).json()
    const groupId = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Servicedesk', departmentId: dep.id, line: 1 } })).json().id
    agent = await t.user('agent', { groupIds: [groupId] })
    customer = await t.user('customer')
    other = await t.user('customer')
  })
  afterAll(() => t?.close())

  const open = async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject: 'Wachtwoord', body: 'Kwijt.', requester: { email: customer.email }, tags: ['intern-label'] } })
    return res.json().ticket as { id: string; version: number }
  }
  const patch = (id: string, version: number, payload: Record<string, unknown>, token = customer.token) =>
    t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token, headers: { 'if-match': `"${version}"` }, payload })

  it('closes their own ticket, and gets it back without the desk\'s labels', async () => {
    const ticket = await open()
    const res = await patch(ticket.id, ticket.version, { status: 'closed' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'closed', tags: [] })
    expect(res.json().assignee?.email).toBeUndefined()
  })

  it('may not close someone else\'s ticket (404), nor change anything but the status (403)', async () => {
    const ticket = await open()
    expect((await patch(ticket.id, ticket.version, { status: 'closed' }, other.token)).statusCode).toBe(404)
    expect((await patch(ticket.id, ticket.version, { status: 'closed', priority: 'urgent' })).statusCode).toBe(403)
    expect((await patch(ticket.id, ticket.version, { priority: 'urgent' })).statusCode).toBe(403)
    expect((await patch(ticket.id, ticket.version, { status: 'waiting_for_third_party' })).statusCode).toBe(403)
    // Reopening is for resolved tickets only.
    expect((await patch(ticket.id, ticket.version, { status: 'open' })).statusCode).toBe(403)
    // Without the version, as for staff: 428.
    expect((await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, token: customer.token, payload: { status: 'closed' } })).statusCode).toBe(428)
  })

  it('reopens a resolved ticket within 14 days, not later', async () => {
    const ticket = await open()
    const resolved = (await patch(ticket.id, ticket.version, { status: 'resolved' }, agent.token)).json()
    const reopened = await patch(ticket.id, resolved.version, { status: 'open' })
    expect(reopened.statusCode).toBe(200)
    expect(reopened.json().status).toBe('open')

    const late = await open()
    const lateResolved = (await patch(late.id, late.version, { status: 'resolved' }, agent.token)).json()
    const fifteenDaysAgo = new Date(Date.now() - 15 * 86_400_000).toISOString()
    await t.runtime.deps.db.updateTable('ticket').set({ resolved_at: fifteenDaysAgo }).where('id', '=', late.id).execute()
    expect((await patch(late.id, lateResolved.version, { status: 'open' })).statusCode).toBe(403)
    // Closing is still allowed.
    expect((await patch(late.id, lateResolved.version, { status: 'closed' })).statusCode).toBe(200)
  })
})
