import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

const day = (from: string, to: string) => [{ from, to }]
const week = (from = '08:30', to = '17:00') => ({
  monday: day(from, to), tuesday: day(from, to), wednesday: day(from, to), thursday: day(from, to), friday: day(from, to), saturday: [], sunday: [],
})

describeEachDatabase('business calendars', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token: string | undefined = admin.token) =>
    t.request({ method, url: `/api/v1${url}`, token, payload })

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
  })
  afterAll(() => t?.close())

  it('creates the first calendar as the default, with Amsterdam and the Dutch holidays unless told otherwise', async () => {
    const res = await api('POST', '/calendars', { name: 'Kantoor', hours: week() })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({
      name: 'Kantoor',
      timeZone: 'Europe/Amsterdam',
      isDefault: true,
      holidays: { dutchHolidays: true, goodFriday: false, liberationDay: 'lustrum' },
      closingDays: [],
      hours: { monday: [{ from: '08:30', to: '17:00' }], sunday: [] },
    })
    const second = (await api('POST', '/calendars', { name: 'ICT-storingsdienst', hours: week('07:00', '22:00'), holidays: { dutchHolidays: false, goodFriday: false, liberationDay: 'never' } })).json()
    expect(second.isDefault).toBe(false)
    const listed = (await api('GET', '/calendars')).json().items
    expect(listed.map((c: { name: string }) => c.name)).toEqual(['Kantoor', 'ICT-storingsdienst'])
  })

  it('refuses overlapping hours, an unknown time zone and dates that do not exist with 422 naming the field', async () => {
    const overlap = await api('POST', '/calendars', { name: 'Fout', hours: { ...week(), tuesday: [{ from: '08:00', to: '12:30' }, { from: '12:00', to: '17:00' }] } })
    expect(overlap.statusCode).toBe(422)
    expect(overlap.headers['content-type']).toContain('application/problem+json')
    expect(overlap.json().errors).toEqual([{ field: 'hours.tuesday', message: '08:00–12:30 and 12:00–17:00 overlap.' }])
    const backwards = await api('POST', '/calendars', { name: 'Fout', hours: { ...week(), friday: day('17:00', '08:00') } })
    expect(backwards.statusCode).toBe(422)
    const zone = await api('POST', '/calendars', { name: 'Fout', timeZone: 'Europe/Utrechtstad', hours: week() })
    expect(zone.statusCode).toBe(422)
    expect(zone.json().errors[0].field).toBe('timeZone')
    const date = await api('POST', '/calendars', { name: 'Fout', hours: week(), closingDays: [{ date: '2026-02-30', label: 'Nooit' }] })
    expect(date.statusCode).toBe(422)
    expect(date.json().errors[0].field).toBe('closingDays.0.date')
    // Not a time at all: the schema says so (400)
    expect((await api('POST', '/calendars', { name: 'Fout', hours: { ...week(), monday: day('8 uur', '17:00') } })).statusCode).toBe(400)
    const existing = (await api('GET', '/calendars')).json().items[0]
    expect((await api('PATCH', `/calendars/${existing.id}`, { hours: { ...week(), monday: [{ from: '08:00', to: '17:00' }, { from: '16:00', to: '18:00' }] } })).statusCode).toBe(422)
    expect((await api('GET', '/calendars')).json().items.map((c: { name: string }) => c.name)).not.toContain('Fout')
  })

  it('lists the closed days of a year: holidays computed from Easter, Koningsdag on the 26th when the 27th is a Sunday, closing days', async () => {
    const cal = (await api('POST', '/calendars', { name: 'Gemeente', hours: week(), holidays: { dutchHolidays: true, goodFriday: true, liberationDay: 'yearly' }, closingDays: [{ date: '2025-12-31', label: 'Oudejaarsdag' }] })).json()
    const days = (await api('GET', `/calendars/${cal.id}/closed-days?year=2025`)).json().items
    expect(days.map((d: { date: string; key: string | null; kind: string }) => `${d.date} ${d.key ?? d.kind}`)).toEqual([
      '2025-01-01 nieuwjaarsdag', '2025-04-18 goedeVrijdag', '2025-04-20 eerstePaasdag', '2025-04-21 tweedePaasdag', '2025-04-26 koningsdag',
      '2025-05-05 bevrijdingsdag', '2025-05-29 hemelvaartsdag', '2025-06-08 eerstePinksterdag', '2025-06-09 tweedePinksterdag',
      '2025-12-25 eersteKerstdag', '2025-12-26 tweedeKerstdag', '2025-12-31 closing',
    ])
    expect((await api('GET', `/calendars/${cal.id}/closed-days?year=20`)).statusCode).toBe(400)
  })

  it('does business-time arithmetic on a calendar: across a weekend and the switch to summer time', async () => {
    const cal = (await api('GET', '/calendars')).json().items.find((c: { name: string }) => c.name === 'Kantoor')
    // Friday 27 March 2026 16:00 CET plus two business hours: Monday 30 March 09:30 CEST
    const due = (await api('GET', `/calendars/${cal.id}/business-time?from=2026-03-27T15:00:00Z&minutes=120`)).json()
    expect(due).toEqual({ due: '2026-03-30T07:30:00.000Z', openAtFrom: true })
    const between = (await api('GET', `/calendars/${cal.id}/business-time?from=2026-12-24T15:00:00Z&to=2026-12-28T08:30:00Z`)).json()
    expect(between).toEqual({ minutes: 120, openAtFrom: true })
    const neither = await api('GET', `/calendars/${cal.id}/business-time?from=2026-12-24T15:00:00Z`)
    expect(neither.statusCode).toBe(400)
  })

  it('moves the default, and refuses to delete the default (409); deletes another', async () => {
    const items = (await api('GET', '/calendars')).json().items as { id: string; name: string; isDefault: boolean }[]
    const kantoor = items.find((c) => c.name === 'Kantoor')!
    const storing = items.find((c) => c.name === 'ICT-storingsdienst')!
    expect((await api('DELETE', `/calendars/${kantoor.id}`)).statusCode).toBe(409)
    expect((await api('PATCH', `/calendars/${storing.id}`, { isDefault: true })).json().isDefault).toBe(true)
    const after = (await api('GET', '/calendars')).json().items as { name: string; isDefault: boolean }[]
    expect(after.filter((c) => c.isDefault).map((c) => c.name)).toEqual(['ICT-storingsdienst'])
    expect((await api('PATCH', `/calendars/${kantoor.id}`, { name: 'Gemeente' })).statusCode).toBe(409)
    expect((await api('DELETE', `/calendars/${kantoor.id}`)).statusCode).toBe(204)
    expect((await api('GET', `/calendars/${kantoor.id}`)).statusCode).toBe(404)
    const audit = (await api('GET', '/audit?limit=200')).json().items.map((e: { action: string }) => e.action)
    for (const action of ['calendar.created', 'calendar.changed', 'calendar.deleted']) expect(audit).toContain(action)
  })

  it('lets only administrators change calendars; team leads read them; agents and customers neither', async () => {
    const supervisor = await t.user('supervisor')
    const agent = await t.user('agent')
    const customer = await t.user('customer')
    const cal = (await api('GET', '/calendars')).json().items[0]
    expect((await api('GET', '/calendars', undefined, supervisor.token)).statusCode).toBe(200)
    expect((await api('GET', `/calendars/${cal.id}/closed-days?year=2026`, undefined, supervisor.token)).statusCode).toBe(200)
    for (const who of [supervisor, agent, customer]) {
      const created = await api('POST', '/calendars', { name: `Van ${who.email}`, hours: week() }, who.token)
      expect(created.statusCode).toBe(403)
      expect(created.headers['content-type']).toContain('application/problem+json')
      expect((await api('PATCH', `/calendars/${cal.id}`, { name: 'Anders' }, who.token)).statusCode).toBe(403)
      expect((await api('DELETE', `/calendars/${cal.id}`, undefined, who.token)).statusCode).toBe(403)
    }
    for (const who of [agent, customer]) {
      expect((await api('GET', '/calendars', undefined, who.token)).statusCode).toBe(403)
      expect((await api('GET', `/calendars/${cal.id}`, undefined, who.token)).statusCode).toBe(403)
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/calendars' })).statusCode).toBe(401)
  })

  it('gives the handoff clock the named calendar, else the default, else the built-in one', async () => {
    const calendars = t.runtime.services.calendars
    const named = (await api('GET', '/calendars')).json().items.find((c: { name: string }) => c.name === 'Gemeente')
    const fromNamed = await calendars.calendarFor(t.runtime.deps.db, named.id)
    expect(fromNamed.id).toBe(named.id)
    expect(fromNamed.calendar.spec.holidays.goodFriday).toBe(true)
    const fallback = await calendars.calendarFor(t.runtime.deps.db, null)
    expect(fallback.calendar.spec.hours.monday).toEqual([{ from: '07:00', to: '22:00' }])
    // A change here is seen at once, not after the ten seconds other processes wait for
    const def = (await api('GET', '/calendars')).json().items.find((c: { isDefault: boolean }) => c.isDefault)
    await api('PATCH', `/calendars/${def.id}`, { hours: week('09:00', '17:00') })
    expect((await calendars.calendarFor(t.runtime.deps.db, null)).calendar.spec.hours.monday).toEqual([{ from: '09:00', to: '17:00' }])
  })
})
