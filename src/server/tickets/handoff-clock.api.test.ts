import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>
const allDay = [{ from: '00:00', to: '24:00' }]
const office = [{ from: '08:30', to: '17:00' }]
const MIN = 60_000

describeEachDatabase('handoff clock (OLA)', (database) => {
  let t: TestApp
  let admin: User
  let desk: User
  let specialist: User
  let lead: User
  let otherLead: User
  let agent: User
  let backOffice: string
  let alwaysOpen: string
  let officeHours: string
  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object, headers?: Record<string, string>) =>
    t.request({ method, url: `/api/v1${url}`, token, payload, headers })
  const queue = async (view: string, token: string) => {
    const res = await api('GET', `/escalations?view=${view}`, token)
    expect(res.statusCode, res.body).toBe(200)
    return res.json().items as { escalation: { id: string; escalatedAt: string; clock: Record<string, any> }; ticket: { id: string } }[]
  }
  /** Moves a handoff's escalation back in time, as if it had waited (the clock is then computed again by a settings change). */
  const backdate = async (escalationId: string, minutes: number) => {
    const at = new Date(Date.now() - minutes * MIN).toISOString()
    await t.runtime.deps.db.updateTable('escalation').set({ escalated_at: at }).where('id', '=', escalationId).execute()
    return at
  }

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const post = async (url: string, payload: object) => (await api('POST', url, admin.token, payload)).json()
    const week = (day: object[]) => ({ monday: day, tuesday: day, wednesday: day, thursday: day, friday: day, saturday: day, sunday: day })
    officeHours = (await post('/calendars', { name: 'Kantoor', hours: { ...week(office), saturday: [], sunday: [] } })).id
    alwaysOpen = (await post('/calendars', { name: 'Altijd open', hours: week(allDay), holidays: { dutchHolidays: false, goodFriday: false, liberationDay: 'never' } })).id
    const sd = await post('/departments', { name: 'Servicedesk' })
    const ict = await post('/departments', { name: 'ICT' })
    const hr = await post('/departments', { name: 'HR' })
    const deskGroup = (await post('/groups', { name: 'Eerste lijn', departmentId: sd.id, line: 1 })).id
    backOffice = (await post('/groups', { name: 'Applicatiebeheer', departmentId: ict.id, line: 2 })).id
    const hrGroup = (await post('/groups', { name: 'HR-advies', departmentId: hr.id, line: 2 })).id
    desk = await t.user('agent', { groupIds: [deskGroup] })
    specialist = await t.user('agent', { groupIds: [backOffice] })
    lead = await t.user('supervisor', { groupIds: [backOffice] })
    otherLead = await t.user('supervisor', { groupIds: [hrGroup] })
    agent = await t.user('agent', { groupIds: [deskGroup] })
    const set = await api('PATCH', `/groups/${backOffice}`, admin.token, { calendarId: alwaysOpen, pickupTargetMinutes: 60, returnTargetMinutes: 480 })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json()).toMatchObject({ calendarId: alwaysOpen, pickupTargetMinutes: 60, returnTargetMinutes: 480, assignment: 'off' })
  })
  afterAll(() => t?.close())

  const escalated = async () => {
    const created = (await api('POST', '/tickets', desk.token, { subject: 'Zaaksysteem traag', body: 'Alles duurt minuten.', requester: { email: 'klant@example.nl' } })).json().ticket
    const res = await api('POST', `/tickets/${created.id}/escalations`, desk.token, { groupId: backOffice, handoffNote: 'Traag sinds de update; graag kijken.' }, { 'if-match': `"${created.version}"` })
    expect(res.statusCode, res.body).toBe(201)
    const item = (await queue('mine', desk.token)).find((i) => i.ticket.id === created.id)!
    return { ticket: res.json() as { id: string; version: number }, escalation: item.escalation }
  }

  it('starts the clock at the escalation: due moments on the group’s calendar, the pick-up target running', async () => {
    const { escalation } = await escalated()
    const at = new Date(escalation.escalatedAt).getTime()
    expect(escalation.clock).toMatchObject({
      pickupDueAt: new Date(at + 60 * MIN).toISOString(),
      returnDueAt: new Date(at + 480 * MIN).toISOString(),
      running: 'pickup',
      state: 'ok',
      businessMinutes: 0,
    })
    expect(escalation.clock.minutesLeft).toBeGreaterThanOrEqual(59)
    // "Voor ons" shows the same clock to the back office
    expect((await queue('ours', specialist.token)).find((i) => i.escalation.id === escalation.id)?.escalation.clock.running).toBe('pickup')
  })

  it('marks a handoff near its target for the group, and overdue for the department’s team lead only', async () => {
    const { escalation } = await escalated()
    await backdate(escalation.id, 50)
    // A change of targets computes the due times of the group's open handoffs again.
    await api('PATCH', `/groups/${backOffice}`, admin.token, { pickupTargetMinutes: 60 })
    const near = (await queue('ours', specialist.token)).find((i) => i.escalation.id === escalation.id)!.escalation.clock
    expect(near).toMatchObject({ running: 'pickup', state: 'near' })
    expect(near.businessMinutes).toBeGreaterThanOrEqual(49)
    expect(near.minutesLeft).toBeLessThanOrEqual(10)
    expect((await queue('overdue', lead.token)).map((i) => i.escalation.id)).not.toContain(escalation.id)

    await backdate(escalation.id, 120)
    // So does a change of a calendar.
    await api('PATCH', `/calendars/${alwaysOpen}`, admin.token, { closingDays: [{ date: '2020-01-02', label: 'Lang geleden' }] })
    const overdue = (await queue('mine', desk.token)).find((i) => i.escalation.id === escalation.id)!.escalation.clock
    expect(overdue).toMatchObject({ running: 'pickup', state: 'overdue' })
    expect(overdue.minutesLeft).toBeLessThanOrEqual(-59)
    expect((await queue('overdue', lead.token)).map((i) => i.escalation.id)).toContain(escalation.id)
    expect((await queue('overdue', admin.token)).map((i) => i.escalation.id)).toContain(escalation.id)
    expect((await queue('overdue', otherLead.token)).map((i) => i.escalation.id)).not.toContain(escalation.id)
    for (const who of [agent, specialist]) {
      const refused = await api('GET', '/escalations?view=overdue', who.token)
      expect(refused.statusCode).toBe(403)
      expect(refused.headers['content-type']).toContain('application/problem+json')
    }
  })

  it('runs the return target once picked up, and stops when the ticket is back at the desk', async () => {
    const { ticket, escalation } = await escalated()
    await api('POST', `/tickets/${ticket.id}/articles`, specialist.token, { body: 'Ik kijk ernaar.', visibility: 'internal' })
    const picked = (await queue('ours', specialist.token)).find((i) => i.escalation.id === escalation.id)!.escalation.clock
    expect(picked).toMatchObject({ running: 'return', state: 'ok' })
    const current = (await api('GET', `/tickets/${ticket.id}`, specialist.token)).json()
    const back = await api('POST', `/tickets/${ticket.id}/returns`, specialist.token, { note: 'Index toegevoegd.' }, { 'if-match': `"${current.version}"` })
    expect(back.statusCode, back.body).toBe(201)
    const stopped = (await queue('returned', desk.token)).find((i) => i.escalation.id === escalation.id)!.escalation.clock
    expect(stopped).toMatchObject({ running: null, minutesLeft: null, state: 'ok' })
  })

  it('computes the due moments again on another calendar: office hours skip the night and the weekend', async () => {
    const { escalation } = await escalated()
    expect((await api('PATCH', `/groups/${backOffice}`, admin.token, { calendarId: officeHours })).statusCode).toBe(200)
    const clock = (await queue('mine', desk.token)).find((i) => i.escalation.id === escalation.id)!.escalation.clock
    const expected = (await api('GET', `/calendars/${officeHours}/business-time?from=${encodeURIComponent(escalation.escalatedAt)}&minutes=60`, admin.token)).json().due
    expect(clock.pickupDueAt).toBe(expected)
    // No targets: no clock
    await api('PATCH', `/groups/${backOffice}`, admin.token, { pickupTargetMinutes: null, returnTargetMinutes: null })
    const none = (await queue('mine', desk.token)).find((i) => i.escalation.id === escalation.id)!.escalation.clock
    expect(none).toMatchObject({ pickupDueAt: null, returnDueAt: null, running: null, state: 'none' })
  })

  it('refuses a calendar that does not exist (422) and targets from anyone but an administrator (403)', async () => {
    const missing = await api('PATCH', `/groups/${backOffice}`, admin.token, { calendarId: 'no-such-calendar' })
    expect(missing.statusCode).toBe(422)
    expect(missing.json().errors[0].field).toBe('calendarId')
    for (const who of [lead, specialist]) expect((await api('PATCH', `/groups/${backOffice}`, who.token, { pickupTargetMinutes: 5 })).statusCode).toBe(403)
    expect((await api('PATCH', `/groups/${backOffice}`, admin.token, { pickupTargetMinutes: 0 })).statusCode).toBe(400)
  })

  it('recomputes many open handoffs in batches (more than one round)', async () => {
    const clock = t.runtime.services.tickets.handoffClock
    await api('PATCH', `/groups/${backOffice}`, admin.token, { calendarId: alwaysOpen, pickupTargetMinutes: 30, returnTargetMinutes: 90 })
    const ticketId = (await api('POST', '/tickets', desk.token, { subject: 'Veel', body: 'x', requester: { email: 'klant@example.nl' } })).json().ticket.id
    const db = t.runtime.deps.db
    const template = await db.selectFrom('ticket').selectAll().where('id', '=', ticketId).executeTakeFirstOrThrow()
    const at = '2026-03-27T15:00:00.000Z'
    const n = 2100
    for (let i = 0; i < n; i += 300) {
      const ids = Array.from({ length: Math.min(300, n - i) }, (_, k) => i + k)
      await db.insertInto('ticket').values(ids.map((k) => ({ ...template, id: `bulk-t-${k}`, number: `BULK-${k}` }))).execute()
      await db
        .insertInto('escalation')
        .values(ids.map((k) => ({ id: `bulk-e-${String(k).padStart(5, '0')}`, ticket_id: `bulk-t-${k}`, group_id: backOffice, state: k % 2 ? 'picked_up' : 'escalated', handoff_note_id: 'n', escalated_at: at })))
        .execute()
    }
    const computed = await clock.recompute([backOffice])
    expect(computed).toBeGreaterThanOrEqual(n)
    const sample = await db.selectFrom('escalation').select(['pickup_due_at', 'return_due_at']).where('id', 'in', ['bulk-e-00000', 'bulk-e-02099']).execute()
    expect(sample).toEqual([
      { pickup_due_at: '2026-03-27T15:30:00.000Z', return_due_at: '2026-03-27T16:30:00.000Z' },
      { pickup_due_at: '2026-03-27T15:30:00.000Z', return_due_at: '2026-03-27T16:30:00.000Z' },
    ])
  })
})
