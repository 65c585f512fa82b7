import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('first-line resolution', (database) => {
  let t: TestApp
  let desk: User
  let customer: User
  let backOffice: string
  beforeAll(async () => {
    t = await createTestApp(database)
    const admin = await t.user('admin')
    const post = async (url: string, payload: object) => (await t.request({ method: 'POST', url, token: admin.token, payload })).json()
    const sd = await post('/api/v1/departments', { name: 'Servicedesk' })
    const ict = await post('/api/v1/departments', { name: 'ICT' })
    const deskGroup = (await post('/api/v1/groups', { name: 'Eerste lijn', departmentId: sd.id, line: 1 })).id
    backOffice = (await post('/api/v1/groups', { name: 'Applicatiebeheer', departmentId: ict.id, line: 2 })).id
    desk = await t.user('agent', { groupIds: [deskGroup] })
    await t.user('agent', { groupIds: [backOffice] })
    customer = await t.user('customer', { email: `fl.${process.pid}@example.nl` })
  })
  afterAll(() => t?.close())

  const open = async () => (await t.request({ method: 'POST', url: '/api/v1/tickets', token: desk.token, payload: { subject: 'Wachtwoord', body: 'Vergeten', requester: { email: customer.email } } })).json().ticket
  const patch = async (ticket: { id: string; version: number }, payload: object) => {
    const res = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, token: desk.token, headers: { 'if-match': `"${ticket.version}"` }, payload })
    expect(res.statusCode).toBe(200)
    return res.json()
  }

  it('is true for a ticket resolved at the desk, cleared on reopening, and hidden from customers', async () => {
    const ticket = await open()
    expect(ticket.firstLineResolution).toBeNull()
    const resolved = await patch(ticket, { status: 'resolved' })
    expect(resolved.firstLineResolution).toBe(true)
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, token: customer.token })).json().firstLineResolution).toBeNull()
    const reopened = await patch(resolved, { status: 'open' })
    expect(reopened.firstLineResolution).toBeNull()
    // Closed without being resolved first: recorded too; a resolved one keeps what it had when closed.
    expect((await patch(reopened, { status: 'closed' })).firstLineResolution).toBe(true)
  })

  it('is false once the ticket went to a back office, also when the resolution comes with a reply', async () => {
    const ticket = await open()
    const escalated = (await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/escalations`, token: desk.token, headers: { 'if-match': `"${ticket.version}"` }, payload: { groupId: backOffice, handoffNote: 'Account controleren' } })).json()
    expect(escalated.firstLineResolution).toBeNull()
    await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: desk.token, payload: { body: 'Opgelost.', visibility: 'internal', status: 'resolved' } })
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, token: desk.token })).json()).toMatchObject({ status: 'resolved', firstLineResolution: false })
  })
})
