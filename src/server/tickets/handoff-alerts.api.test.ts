import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>
const allDay = [{ from: '00:00', to: '24:00' }]
const MIN = 60_000

describeEachDatabase('near and overdue handoffs told once', (database) => {
  let t: TestApp
  let admin: User
  let desk: User
  let specialist: User
  let lead: User
  let otherLead: User
  let deskLead: User
  let backOffice: string
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object, headers?: Record<string, string>) =>
    t.request({ method, url: `/api/v1${url}`, token, payload, headers })
  const settle = () => t.runtime.outbox.drain()
  const told = async (user: User, ticketId: string) =>
    ((await api('GET', '/notifications?limit=100', user.token)).json().items as { kind: string; ticketId: string; groupName: string | null }[])
      .filter((n) => n.ticketId === ticketId && n.kind.startsWith('handoff-'))
      .map((n) => `${n.kind}:${n.groupName}`)
  /** As if the handoff had waited this long: its escalation moved back and its due times computed again. */
  const waited = async (escalationId: string, minutes: number) => {
    await t.runtime.deps.db.updateTable('escalation').set({ escalated_at: new Date(Date.now() - minutes * MIN).toISOString() }).where('id', '=', escalationId).execute()
    await t.runtime.services.tickets.handoffClock.recompute([backOffice])
  }
  const check = async () => {
    const { alerts } = await t.runtime.services.tickets.timers.run()
    await settle()
    return alerts
  }

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const post = async (url: string, payload: object) => (await api('POST', url, admin.token, payload)).json()
    const week = (day: object[]) => ({ monday: day, tuesday: day, wednesday: day, thursday: day, friday: day, saturday: day, sunday: day })
    const alwaysOpen = (await post('/calendars', { name: 'Altijd open', hours: week(allDay), holidays: { dutchHolidays: false, goodFriday: false, liberationDay: 'never' } })).id
    const sd = await post('/departments', { name: 'Servicedesk' })
    const ict = await post('/departments', { name: 'ICT' })
    const hr = await post('/departments', { name: 'HR' })
    const deskGroup = (await post('/groups', { name: 'Eerste lijn', departmentId: sd.id, line: 1 })).id
    backOffice = (await post('/groups', { name: 'Applicatiebeheer', departmentId: ict.id, line: 2 })).id
    const ictOther = (await post('/groups', { name: 'Netwerkbeheer', departmentId: ict.id, line: 2 })).id
    const hrGroup = (await post('/groups', { name: 'HR-advies', departmentId: hr.id, line: 2 })).id
    desk = await t.user('agent', { groupIds: [deskGroup] })
    specialist = await t.user('agent', { groupIds: [backOffice] })
    // The team lead of ICT sits in another of its groups: the department is what counts.
    lead = await t.user('supervisor', { groupIds: [ictOther] })
    otherLead = await t.user('supervisor', { groupIds: [hrGroup] })
    deskLead = await t.user('supervisor', { groupIds: [deskGroup] })
    const set = await api('PATCH', `/groups/${backOffice}`, admin.token, { calendarId: alwaysOpen, pickupTargetMinutes: 60, returnTargetMinutes: 480 })
    expect(set.statusCode, set.body).toBe(200)
  })
  afterAll(() => t?.close())

  const escalated = async () => {
    const created = (await api('POST', '/tickets', desk.token, { subject: 'Zaaksysteem traag', body: 'Alles duurt minuten.', requester: { email: 'klant@example.nl' } })).json().ticket
    const res = await api('POST', `/tickets/${created.id}/escalations`, desk.token, { groupId: backOffice, handoffNote: 'Traag sinds de update.' }, { 'if-match': `"${created.version}"` })
    expect(res.statusCode, res.body).toBe(201)
    const [escalation] = (await api('GET', `/tickets/${created.id}/escalations`, desk.token)).json().items as { id: string }[]
    return { ticket: res.json() as { id: string; version: number }, escalationId: escalation.id }
  }

  it('tells nothing while a handoff is well within its targets', async () => {
    const { ticket } = await escalated()
    await check()
    for (const user of [specialist, lead, otherLead, deskLead, desk]) expect(await told(user, ticket.id)).toEqual([])
  })

  it('tells the group once when the pick-up target is near, the department’s team lead once when it is overdue', async () => {
    const { ticket, escalationId } = await escalated()
    await waited(escalationId, 50)
    expect(await check()).toBeGreaterThanOrEqual(1)
    expect(await check()).toBe(0)
    expect(await told(specialist, ticket.id)).toEqual(['handoff-near:Applicatiebeheer'])
    expect(await told(lead, ticket.id)).toEqual([])

    await waited(escalationId, 90)
    expect(await check()).toBeGreaterThanOrEqual(1)
    await check()
    expect(await told(lead, ticket.id)).toEqual(['handoff-overdue:Applicatiebeheer'])
    // Not another department's lead, not the desk, and the group heard only of the near target.
    expect(await told(otherLead, ticket.id)).toEqual([])
    expect(await told(deskLead, ticket.id)).toEqual([])
    expect(await told(specialist, ticket.id)).toEqual(['handoff-near:Applicatiebeheer'])

    // A recomputation after a settings change tells no one again.
    await t.runtime.services.tickets.handoffClock.recompute(null)
    await check()
    expect(await told(lead, ticket.id)).toHaveLength(1)
    expect(await told(specialist, ticket.id)).toHaveLength(1)
  })

  it('runs the return target once picked up: its own near and overdue, each told once', async () => {
    const { ticket, escalationId } = await escalated()
    const picked = await api('PATCH', `/tickets/${ticket.id}`, specialist.token, { assigneeId: specialist.id }, { 'if-match': `"${ticket.version}"` })
    expect(picked.statusCode, picked.body).toBe(200)
    // Past the pick-up target, but picked up: only the return target counts, and it is not near yet.
    await waited(escalationId, 120)
    await check()
    expect(await told(lead, ticket.id)).toEqual([])
    await waited(escalationId, 400)
    await check()
    expect(await told(specialist, ticket.id)).toEqual(['handoff-near:Applicatiebeheer'])
    await waited(escalationId, 500)
    await check()
    await check()
    expect(await told(lead, ticket.id)).toEqual(['handoff-overdue:Applicatiebeheer'])
    const [escalation] = await t.runtime.deps.db.selectFrom('escalation').select(['pickup_alert', 'return_alert']).where('id', '=', escalationId).execute()
    expect(escalation).toEqual({ pickup_alert: null, return_alert: 'overdue' })
  })

  it('tells nothing of a handoff back at the desk', async () => {
    const { ticket, escalationId } = await escalated()
    const returned = await api('POST', `/tickets/${ticket.id}/returns`, specialist.token, { note: 'Opgelost.' }, { 'if-match': `"${ticket.version}"` })
    expect(returned.statusCode, returned.body).toBe(201)
    await waited(escalationId, 1000)
    await check()
    for (const user of [specialist, lead]) expect(await told(user, ticket.id)).toEqual([])
  })
})
