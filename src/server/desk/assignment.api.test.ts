import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

// Issue 16, assignment within a group: off, round robin or fewest open tickets, among the members who are
// available, under their limit of open tickets; for new tickets and tickets escalated to the group.
describeEachDatabase('assignment within a group', (database) => {
  let t: TestApp
  let admin: User
  let lead: User
  const members: User[] = []
  let desk: string
  let backOffice: string
  let deskAgent: User
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    lead = await t.user('supervisor')
    for (let i = 0; i < 3; i++) members.push(await t.user('agent', { name: `Specialist ${i}` }))
    members.sort((a, b) => a.id.localeCompare(b.id)) // the turn goes by id
    deskAgent = await t.user('agent', { name: 'Desk' })
    const post = async (url: string, payload: object) => {
      const res = await t.request({ method: 'POST', url, token: admin.token, payload })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as string
    }
    const sd = await post('/api/v1/departments', { name: 'Servicedesk' })
    const ict = await post('/api/v1/departments', { name: 'ICT' })
    desk = await post('/api/v1/groups', { name: 'Eerste lijn', departmentId: sd, line: 1, memberIds: [deskAgent.id] })
    backOffice = await post('/api/v1/groups', { name: 'Applicatiebeheer', departmentId: ict, line: 2, memberIds: members.map((m) => m.id) })
  })
  afterAll(() => t?.close())

  const setMode = async (groupId: string, assignment: string) =>
    expect((await t.request({ method: 'PATCH', url: `/api/v1/groups/${groupId}`, token: admin.token, payload: { assignment } })).statusCode).toBe(200)
  const open = async (groupId = backOffice) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: deskAgent.token, payload: { subject: 'Koppeling werkt niet', body: 'Foutmelding 500.', requester: { email: 'klant@voorbeeld.nl' }, groupId } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().ticket as { id: string; version: number; assignee: { id: string } | null }
  }
  const availability = (who: User, payload: object, id = 'me') => t.request({ method: 'PUT', url: `/api/v1/users/${id}/availability`, token: who.token, payload })
  const resolveAll = async () => {
    // A clean slate for counting: every open ticket of the back office resolved.
    await t.runtime.deps.db.updateTable('ticket').set({ status: 'closed' }).where('group_id', '=', backOffice).execute()
  }

  it('leaves new tickets unassigned while the group does not assign', async () => {
    expect((await open()).assignee).toBeNull()
  })

  it('gives new tickets to the members in turn, skipping who is afwezig', async () => {
    await setMode(backOffice, 'round_robin')
    const got = [] as (string | undefined)[]
    for (let i = 0; i < 4; i++) got.push((await open()).assignee?.id)
    // Four in a row go round three members: whoever is next after the first comes back fourth.
    expect(new Set(got.slice(0, 3))).toEqual(new Set(members.map((m) => m.id)))
    expect(got[3]).toBe(got[0])
    const away = members.find((m) => m.id === got[1])!
    expect((await availability(away, { available: false })).json()).toEqual({ available: false, openTicketLimit: null })
    const next = [] as (string | undefined)[]
    for (let i = 0; i < 4; i++) next.push((await open()).assignee?.id)
    expect(next).not.toContain(away.id)
    expect(next.every((id) => id !== undefined)).toBe(true)
    expect((await availability(away, { available: true })).statusCode).toBe(200)
  })

  it('respects a limit of open tickets a team lead sets, and gives the fewest-loaded member the next one', async () => {
    await resolveAll()
    await setMode(backOffice, 'fewest_open')
    const [a, b, c] = members
    expect((await availability(lead, { openTicketLimit: 1 }, a.id)).json()).toEqual({ available: true, openTicketLimit: 1 })
    const first = await open()
    const second = await open()
    const third = await open()
    const fourth = await open()
    // Everyone starts at zero: in turn, a gets one and reaches the limit; b and c then share the rest evenly.
    const ids = [first, second, third, fourth].map((tk) => tk.assignee?.id)
    expect(ids.filter((id) => id === a.id)).toHaveLength(1)
    expect(ids.filter((id) => id === b.id)).toHaveLength(2)
    expect(ids.filter((id) => id === c.id)).toHaveLength(1)
    // Everyone at or over their share still gets work, except whoever is at the limit; with all away, nobody does.
    for (const m of members) await availability(m, { available: false })
    expect((await open()).assignee).toBeNull()
    for (const m of members) await availability(m, { available: true })
    expect((await availability(lead, { openTicketLimit: null }, a.id)).statusCode).toBe(200)
  })

  it('gives two tickets that arrive together to two different members', async () => {
    await resolveAll()
    await setMode(backOffice, 'round_robin')
    const made = await Promise.all(Array.from({ length: 6 }, () => open()))
    const counts = new Map<string, number>()
    for (const tk of made) counts.set(tk.assignee!.id, (counts.get(tk.assignee!.id) ?? 0) + 1)
    expect([...counts.values()].sort()).toEqual([2, 2, 2])
  })

  it('assigns a ticket escalated to the group, and tells the new assignee', async () => {
    await setMode(backOffice, 'round_robin')
    const tk = await open(desk)
    expect(tk.assignee).toBeNull()
    const res = await t.request({
      method: 'POST',
      url: `/api/v1/tickets/${tk.id}/escalations`,
      token: deskAgent.token,
      headers: { 'if-match': `"${tk.version}"` },
      payload: { groupId: backOffice, handoffNote: 'Klant krijgt foutmelding 500 bij de koppeling; herstart hielp niet.' },
    })
    expect(res.statusCode, res.body).toBe(201)
    const assignee = res.json().assignee?.id as string
    expect(members.map((m) => m.id)).toContain(assignee)
    // A new ticket assigned by the rule is told to its assignee as assigned by Loket.
    const fresh = await open()
    await t.runtime.outbox.drain()
    const who = members.find((m) => m.id === fresh.assignee!.id)!
    const items = (await t.request({ method: 'GET', url: '/api/v1/notifications', token: who.token })).json().items as { ticketId: string; kind: string; actorName: string }[]
    expect(items.find((n) => n.ticketId === fresh.id && n.kind === 'assigned')).toMatchObject({ actorName: 'Loket' })
    // Its first message is not a reply: the assignee is not also told the customer replied.
    expect(items.filter((n) => n.ticketId === fresh.id).map((n) => n.kind)).toEqual(['assigned'])
  })

  it('lets agents switch only their own availability, and only leads set limits', async () => {
    const [a, b] = members
    expect((await availability(a, { openTicketLimit: 5 })).statusCode).toBe(403)
    expect((await availability(a, { available: false }, b.id)).statusCode).toBe(403)
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${b.id}/availability`, token: a.token })).statusCode).toBe(403)
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${b.id}/availability`, token: lead.token })).json()).toEqual({ available: true, openTicketLimit: null })
    const customer = await t.user('customer')
    expect((await t.request({ method: 'GET', url: '/api/v1/users/me/availability', token: customer.token })).statusCode).toBe(403)
    expect((await availability(lead, { openTicketLimit: 0 }, a.id)).statusCode).toBe(400)
    expect((await availability(lead, { available: true }, customer.id)).statusCode).toBe(404)
  })
})
