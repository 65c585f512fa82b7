import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>
interface Page { items: { id: string; number: string; priority: string; assignee: { name: string } | null }[]; nextCursor: string | null }

describeEachDatabase('queues API', (database) => {
  let t: TestApp
  let admin: User
  let supervisor: User
  let deskAgent: User
  let specialist: User
  let loner: User
  let customer: User
  let desk: string
  let backOffice: string
  const ids = { desk: [] as string[], backOffice: [] as string[] }
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'ICT' } })).json()
    desk = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Servicedesk', departmentId: dep.id, line: 1 } })).json().id
    backOffice = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Netwerkbeheer', departmentId: dep.id, line: 2 } })).json().id
    supervisor = await t.user('supervisor', { groupIds: [desk] })
    deskAgent = await t.user('agent', { name: 'Anna Desk', groupIds: [desk] })
    specialist = await t.user('agent', { name: 'Bram Netwerk', groupIds: [backOffice] })
    loner = await t.user('agent', { name: 'Zonder Groep' })
    customer = await t.user('customer')
    const priorities = ['low', 'urgent', 'normal', 'high', 'normal', 'urgent', 'low']
    for (const [i, priority] of priorities.entries()) {
      const groupId = i % 3 === 2 ? backOffice : desk
      const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: admin.token, payload: { subject: `Ticket ${i}`, body: 'Tekst', requester: { email: customer.email }, priority, groupId } })
      ids[groupId === desk ? 'desk' : 'backOffice'].push(res.json().id)
    }
    // Two assigned: one to the desk agent, one to the specialist.
    for (const [id, who] of [[ids.desk[0], deskAgent], [ids.backOffice[0], specialist]] as const) {
      const ticket = (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: admin.token })).json()
      await t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token: admin.token, headers: { 'if-match': `"${ticket.version}"` }, payload: { assigneeId: who.id } })
    }
  })
  afterAll(() => t?.close())

  const get = (url: string, token = deskAgent.token) => t.request({ method: 'GET', url, token })
  const all = async (query: string): Promise<Page['items']> => {
    const items: Page['items'] = []
    let cursor: string | null = null
    do {
      const res = await get(`/api/v1/tickets?${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(res.statusCode, query).toBe(200)
      const page = res.json() as Page
      items.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    return items
  }

  it('sorts by priority (urgent first), status, assignee, group and number, paging without gaps or repeats', async () => {
    const rank = { urgent: 4, high: 3, normal: 2, low: 1 } as Record<string, number>
    const byPriority = await all('sort=-priority')
    expect(byPriority).toHaveLength(7)
    expect(byPriority.map((x) => rank[x.priority])).toEqual([4, 4, 3, 2, 2, 1, 1])
    expect((await all('sort=priority')).map((x) => rank[x.priority])).toEqual([1, 1, 2, 2, 3, 4, 4])
    const byNumber = (await all('sort=number')).map((x) => x.number)
    expect(byNumber).toEqual([...byNumber].sort())
    const byAssignee = await all('sort=-assignee')
    expect(byAssignee.slice(0, 2).map((x) => x.assignee?.name)).toEqual(['Bram Netwerk', 'Anna Desk'])
    for (const sort of ['status', '-status', 'group', '-group', 'assignee', '-number']) {
      const items = await all(`sort=${sort}`)
      expect(new Set(items.map((x) => x.id)).size, sort).toBe(7)
    }
    // A cursor of one order is refused under another.
    const first = (await get('/api/v1/tickets?sort=-priority&limit=2')).json()
    expect((await get(`/api/v1/tickets?sort=-number&limit=2&cursor=${first.nextCursor}`)).statusCode).toBe(400)
  })

  it('filters any queue by several groups and by assignee', async () => {
    expect((await all(`groupIds=${desk},${backOffice}`)).length).toBe(7)
    expect((await all(`groupIds=${backOffice}`)).map((x) => x.id).sort()).toEqual([...ids.backOffice].sort())
    expect((await all(`groupIds=${backOffice}&assigneeId=${specialist.id}`)).map((x) => x.id)).toEqual([ids.backOffice[0]])
    expect((await get('/api/v1/tickets?groupIds=a%20b')).statusCode).toBe(400)
  })

  it("holds a 2nd-line agent's queues to his own groups by default, and everything with scope=all", async () => {
    const queues = (await get('/api/v1/queues', specialist.token)).json()
    expect(queues).toMatchObject({ scope: 'mine', groupScoped: true })
    expect(queues.items.filter((q: { kind: string }) => q.kind === 'group').map((q: { id: string }) => q.id)).toEqual([`group-${backOffice}`])
    const counts = (await get('/api/v1/queues/counts', specialist.token)).json()
    const count = (id: string) => counts.items.find((c: { id: string }) => c.id === id)
    expect(counts.cap).toBe(10_000)
    expect(count('open')).toEqual({ id: 'open', count: ids.backOffice.length, more: false })
    expect(count('unassigned').count).toBe(ids.backOffice.length - 1)
    expect(count('mine').count).toBe(1)
    // The lists say the same as the counts.
    const unassigned = queues.items.find((q: { id: string }) => q.id === 'unassigned')
    const listed = (await get(`/api/v1/tickets?${new URLSearchParams(unassigned.query)}`, specialist.token)).json()
    expect(listed.items.map((x: { id: string }) => x.id).sort()).toEqual(ids.backOffice.slice(1).sort())
    // The desk's pick-up list is the desk's.
    const deskCounts = (await get('/api/v1/queues/counts', deskAgent.token)).json()
    expect(deskCounts.items.find((c: { id: string }) => c.id === 'unassigned').count).toBe(ids.desk.length - 1)
    const everything = (await get('/api/v1/queues/counts?scope=all', specialist.token)).json()
    expect(everything.items.find((c: { id: string }) => c.id === 'open').count).toBe(7)
    // Someone in no group sees the whole desk.
    const loners = (await get('/api/v1/queues/counts', loner.token)).json()
    expect(loners.items.find((c: { id: string }) => c.id === 'open').count).toBe(7)
  })

  it('shows a team lead how many open tickets each agent holds', async () => {
    const res = await get('/api/v1/queues/workload', supervisor.token)
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ items: [{ id: deskAgent.id, name: 'Anna Desk', open: 1 }, { id: specialist.id, name: 'Bram Netwerk', open: 1 }].sort((a, b) => a.name.localeCompare(b.name)), unassigned: 5 })
    expect((await get(`/api/v1/queues/workload?groupIds=${backOffice}`, admin.token)).json()).toEqual({ items: [{ id: specialist.id, name: 'Bram Netwerk', open: 1 }], unassigned: ids.backOffice.length - 1 })
  })

  it('lets administrators define overviews for some groups, shown beside the built-in queues', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/overviews',
      token: admin.token,
      payload: { name: 'Spoed netwerk', filters: { priority: 'urgent,high', groupIds: backOffice, status: 'new,open' }, columns: ['priority', 'assignee'], sort: '-priority', groupIds: [backOffice] },
    })
    expect(created.statusCode).toBe(201)
    const overview = created.json()
    expect(overview).toMatchObject({ name: 'Spoed netwerk', roles: [], groupIds: [backOffice], columns: ['priority', 'assignee'], sort: '-priority' })
    const shown = (await get('/api/v1/queues', specialist.token)).json().items.find((q: { id: string }) => q.id === `overview-${overview.id}`)
    expect(shown).toMatchObject({ kind: 'overview', name: 'Spoed netwerk', sort: '-priority', query: { priority: 'urgent,high', groupIds: backOffice } })
    expect((await get('/api/v1/queues', deskAgent.token)).json().items.some((q: { id: string }) => q.id === `overview-${overview.id}`)).toBe(false)
    const count = (await get('/api/v1/queues/counts', specialist.token)).json().items.find((c: { id: string }) => c.id === `overview-${overview.id}`)
    expect(count.count).toBe(1)
    const changed = await t.request({ method: 'PATCH', url: `/api/v1/overviews/${overview.id}`, token: admin.token, payload: { roles: ['supervisor'], groupIds: [] } })
    expect(changed.json()).toMatchObject({ roles: ['supervisor'], groupIds: [] })
    expect((await get('/api/v1/overviews', specialist.token)).json().items).toEqual([])
    expect((await get('/api/v1/overviews', supervisor.token)).json().items.map((o: { id: string }) => o.id)).toEqual([overview.id])
    expect((await t.request({ method: 'DELETE', url: `/api/v1/overviews/${overview.id}`, token: admin.token })).statusCode).toBe(204)
    expect((await t.request({ method: 'DELETE', url: `/api/v1/overviews/${overview.id}`, token: admin.token })).statusCode).toBe(404)
  })

  it('refuses what a role may not do, and malformed input, with a problem', async () => {
    const body = { name: 'X', filters: { status: 'open' } }
    for (const who of [deskAgent, supervisor, customer]) {
      expect((await t.request({ method: 'POST', url: '/api/v1/overviews', token: who.token, payload: body })).statusCode).toBe(403)
    }
    for (const url of ['/api/v1/queues', '/api/v1/queues/counts', '/api/v1/queues/workload', '/api/v1/overviews']) {
      expect((await get(url, customer.token)).statusCode, url).toBe(403)
      expect((await t.request({ method: 'GET', url })).statusCode, url).toBe(401)
    }
    expect((await get('/api/v1/queues/workload', deskAgent.token)).statusCode).toBe(403)
    for (const [url, payload] of [
      ['/api/v1/overviews', { name: 'X', filters: { status: 'nonsense' } }],
      ['/api/v1/overviews', { name: ' ', filters: {} }],
      ['/api/v1/overviews', { name: 'X', filters: {}, sort: 'sideways' }],
      ['/api/v1/overviews', { name: 'X', filters: {}, columns: ['secret'] }],
    ] as const) {
      const res = await t.request({ method: 'POST', url, token: admin.token, payload })
      expect(res.statusCode, JSON.stringify(payload)).toBe(400)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    expect((await get('/api/v1/queues?scope=everything')).statusCode).toBe(400)
    expect((await t.request({ method: 'PATCH', url: '/api/v1/overviews/nope', token: admin.token, payload: { name: 'Y' } })).statusCode).toBe(404)
  })
})
