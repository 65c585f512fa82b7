import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>
const DAY = 86_400_000

describeEachDatabase('waiting on a third party', (database) => {
  let t: TestApp
  let admin: User
  let anna: User
  let bram: User
  let customer: User
  let group: string
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object, headers?: Record<string, string>) =>
    t.request({ method, url: `/api/v1${url}`, token, payload, headers })
  const settle = () => t.runtime.outbox.drain()
  const open = async (assigneeId?: string) => {
    const created = (await api('POST', '/tickets', anna.token, { subject: 'Printer kapot', body: 'De printer op de tweede verdieping doet niets.', requester: { email: customer.email }, groupId: group })).json().ticket
    if (!assigneeId) return created as { id: string; version: number }
    const res = await api('PATCH', `/tickets/${created.id}`, anna.token, { assigneeId }, { 'if-match': `"${created.version}"` })
    expect(res.statusCode, res.body).toBe(200)
    return res.json() as { id: string; version: number }
  }
  const wait = (ticket: { id: string; version: number }, body: object, token = anna.token) =>
    api('PATCH', `/tickets/${ticket.id}`, token, body, { 'if-match': `"${ticket.version}"` })
  /** As if the date had passed: the wait's moment moved into the past. */
  const expire = (id: string) => t.runtime.deps.db.updateTable('ticket').set({ third_party_until: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', id).execute()
  const listed = async (query: Record<string, string>, token = anna.token) =>
    ((await api('GET', `/tickets?${new URLSearchParams(query)}`, token)).json().items as { id: string }[]).map((i) => i.id)
  const notifications = async (user: User) => (await api('GET', '/notifications', user.token)).json().items as { kind: string; ticketId: string; actorName: string | null }[]

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const department = (await api('POST', '/departments', admin.token, { name: 'Servicedesk' })).json()
    group = (await api('POST', '/groups', admin.token, { name: 'Eerste lijn', departmentId: department.id, line: 1 })).json().id
    anna = await t.user('agent', { groupIds: [group], name: 'Anna Desk' })
    bram = await t.user('agent', { groupIds: [group], name: 'Bram Desk' })
    customer = await t.user('customer')
  })
  afterAll(() => t?.close())

  it('waits on a supplier until a date: status, supplier, reference and date on the ticket, in its history', async () => {
    const ticket = await open()
    const until = new Date(Date.now() + 7 * DAY).toISOString()
    const res = await wait(ticket, { thirdParty: { until, supplier: ' Canon Service ', reference: 'CS-4411' } })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toMatchObject({ status: 'waiting_for_third_party', thirdParty: { until, supplier: 'Canon Service', reference: 'CS-4411', backAt: null } })
    const history = (await api('GET', `/tickets/${ticket.id}/history`, anna.token)).json().items as { field: string; newValue: string }[]
    expect(history.map((h) => h.field)).toEqual(expect.arrayContaining(['status', 'third_party_until', 'third_party_supplier', 'third_party_reference']))
    // A customer sees the status, not whom the desk waits on.
    const seen = (await api('GET', `/tickets/${ticket.id}`, customer.token)).json()
    expect(seen.status).toBe('waiting_for_third_party')
    expect(seen.thirdParty).toBeNull()
  })

  it('refuses a date in the past, a status that contradicts the wait, bad input, no If-Match and customers', async () => {
    const ticket = await open()
    const past = await wait(ticket, { thirdParty: { until: new Date(Date.now() - DAY).toISOString(), supplier: 'Canon' } })
    expect(past.statusCode).toBe(422)
    expect(past.headers['content-type']).toContain('application/problem+json')
    expect(past.json().errors).toEqual([expect.objectContaining({ field: 'thirdParty.until' })])
    const contradiction = await wait(ticket, { status: 'open', thirdParty: { until: new Date(Date.now() + DAY).toISOString(), supplier: 'Canon' } })
    expect(contradiction.statusCode).toBe(422)
    for (const bad of [{ until: 'morgen', supplier: 'Canon' }, { until: new Date(Date.now() + DAY).toISOString(), supplier: '   ' }, { until: new Date(Date.now() + DAY).toISOString() }]) {
      const res = await wait(ticket, { thirdParty: bad })
      expect(res.statusCode, JSON.stringify(bad)).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    const withoutVersion = await api('PATCH', `/tickets/${ticket.id}`, anna.token, { thirdParty: { until: new Date(Date.now() + DAY).toISOString(), supplier: 'Canon' } })
    expect(withoutVersion.statusCode).toBe(428)
    const own = (await api('POST', '/tickets', customer.token, { subject: 'Mijn vraag', body: 'Hallo', requester: { email: customer.email } })).json().ticket
    const byCustomer = await wait(own, { thirdParty: { until: new Date(Date.now() + DAY).toISOString(), supplier: 'Canon' } }, customer.token)
    expect(byCustomer.statusCode).toBe(403)
    // Nothing changed on the refused ticket.
    expect((await api('GET', `/tickets/${ticket.id}`, anna.token)).json()).toMatchObject({ status: 'new', thirdParty: null, version: ticket.version })
  })

  it('takes a waiting ticket out of the group’s active queue, into "Wacht op derde"', async () => {
    const ticket = await open()
    const res = await wait(ticket, { thirdParty: { until: new Date(Date.now() + 3 * DAY).toISOString(), supplier: 'KPN' } })
    expect(res.statusCode, res.body).toBe(200)
    const queues = (await api('GET', '/queues', anna.token)).json().items as { id: string; query: Record<string, string> }[]
    const groupQueue = queues.find((q) => q.id === `group-${group}`)!
    const thirdPartyQueue = queues.find((q) => q.id === 'third-party')!
    expect(await listed(groupQueue.query)).not.toContain(ticket.id)
    expect(await listed(queues.find((q) => q.id === 'unassigned')!.query)).not.toContain(ticket.id)
    expect(await listed(thirdPartyQueue.query)).toContain(ticket.id)
  })

  it('puts it back on the group’s queue when the date has passed, marked, and tells the assignee once', async () => {
    const ticket = await open(bram.id)
    const waiting = (await wait(ticket, { thirdParty: { until: new Date(Date.now() + DAY).toISOString(), supplier: 'Canon Service', reference: 'CS-1' } })).json()
    // Before the date, the check leaves it alone.
    await t.runtime.services.tickets.timers.backFromThirdParty()
    expect((await api('GET', `/tickets/${ticket.id}`, anna.token)).json()).toMatchObject({ status: 'waiting_for_third_party', version: waiting.version })

    await expire(ticket.id)
    expect(await t.runtime.services.tickets.timers.backFromThirdParty()).toBeGreaterThanOrEqual(1)
    // A second check (another worker, a retry) changes nothing more.
    expect(await t.runtime.services.tickets.timers.backFromThirdParty()).toBe(0)
    await settle()
    const back = (await api('GET', `/tickets/${ticket.id}`, anna.token)).json()
    expect(back).toMatchObject({ status: 'open', version: waiting.version + 1, thirdParty: { supplier: 'Canon Service', reference: 'CS-1' } })
    expect(back.thirdParty.backAt).toEqual(expect.any(String))
    const groupQueue = ((await api('GET', '/queues', anna.token)).json().items as { id: string; query: Record<string, string> }[]).find((q) => q.id === `group-${group}`)!
    expect(await listed(groupQueue.query)).toContain(ticket.id)
    const told = (await notifications(bram)).filter((n) => n.kind === 'third-party-back' && n.ticketId === ticket.id)
    expect(told).toHaveLength(1)
    expect(told[0].actorName).toBe('Loket')
    // The others of the group are not told: the ticket has someone.
    expect((await notifications(anna)).filter((n) => n.kind === 'third-party-back' && n.ticketId === ticket.id)).toHaveLength(0)

    // An agent moving it on clears the marker; the supplier stays on the ticket.
    const moved = await wait(back, { status: 'waiting_for_customer' })
    expect(moved.json()).toMatchObject({ status: 'waiting_for_customer', thirdParty: { supplier: 'Canon Service', backAt: null } })
  })

  it('tells the group when no one holds the ticket', async () => {
    const ticket = await open()
    await wait(ticket, { thirdParty: { until: new Date(Date.now() + DAY).toISOString(), supplier: 'Ziggo' } })
    await expire(ticket.id)
    await t.runtime.services.tickets.timers.run()
    await settle()
    for (const member of [anna, bram]) expect((await notifications(member)).filter((n) => n.kind === 'third-party-back' && n.ticketId === ticket.id)).toHaveLength(1)
  })

  it('ends a wait on request: the ticket is open again and the fields are cleared', async () => {
    const ticket = await open()
    const waiting = (await wait(ticket, { thirdParty: { until: new Date(Date.now() + DAY).toISOString(), supplier: 'Ziggo' } })).json()
    const ended = await wait(waiting, { thirdParty: null })
    expect(ended.statusCode, ended.body).toBe(200)
    expect(ended.json()).toMatchObject({ status: 'open', thirdParty: null })
    await t.runtime.deps.db.updateTable('ticket').set({ third_party_until: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', ticket.id).execute()
    await t.runtime.services.tickets.timers.backFromThirdParty()
    expect((await api('GET', `/tickets/${ticket.id}`, anna.token)).json()).toMatchObject({ status: 'open', version: ended.json().version })
  })
})
