import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, SYSTEM_ACTOR, type TestApp } from '../test/test-app.js'

describeEachDatabase('departments and groups', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
  })
  afterAll(() => t?.close())

  it('creates, lists and updates departments and groups with their line and members', async () => {
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Facilitair' } })).json()
    expect(dep.customerReplyAllowed).toBe(false)
    const agent = await t.user('agent')
    const group = await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Huisvesting', departmentId: dep.id, line: 2, memberIds: [agent.id] } })
    expect(group.statusCode).toBe(201)
    expect(group.json()).toMatchObject({ line: 2, memberIds: [agent.id] })
    const moved = await t.request({ method: 'PATCH', url: `/api/v1/groups/${group.json().id}`, token: admin.token, payload: { line: 3 } })
    expect(moved.json().line).toBe(3)
    expect((await t.request({ method: 'PATCH', url: `/api/v1/departments/${dep.id}`, token: admin.token, payload: { customerReplyAllowed: true } })).json().customerReplyAllowed).toBe(true)
    const customer = await t.user('customer')
    expect((await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'X', departmentId: dep.id, line: 1, memberIds: [customer.id] } })).statusCode).toBe(400)
    expect((await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Y', departmentId: dep.id, line: 4 } })).statusCode).toBe(400)
    expect((await t.request({ method: 'GET', url: '/api/v1/groups', token: agent.token })).json().items.map((g: { name: string }) => g.name)).toContain('Huisvesting')
  })

  it("lets a supervisor staff a group but not move it to another line or department or rename it", async () => {
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Teamleiding' } })).json()
    const other = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Elders' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Team A', departmentId: dep.id, line: 1 } })).json()
    const supervisor = await t.user('supervisor')
    const agent = await t.user('agent')
    const customer = await t.user('customer')
    const patch = (token: string | undefined, payload: object) => t.request({ method: 'PATCH', url: `/api/v1/groups/${group.id}`, token, payload })
    expect((await patch(supervisor.token, { memberIds: [agent.id] })).json().memberIds).toEqual([agent.id])
    for (const payload of [{ line: 2 }, { departmentId: other.id }, { name: 'Team B' }, { memberIds: [], line: 3 }]) {
      const refused = await patch(supervisor.token, payload)
      expect(refused.statusCode, JSON.stringify(payload)).toBe(403)
      expect(refused.headers['content-type']).toContain('application/problem+json')
    }
    expect((await patch(agent.token, { memberIds: [] })).statusCode).toBe(403)
    expect((await patch(customer.token, { memberIds: [] })).statusCode).toBe(403)
    expect((await patch(undefined, { memberIds: [] })).statusCode).toBe(401)
    const after = (await t.request({ method: 'GET', url: '/api/v1/groups', token: admin.token })).json().items.find((g: { id: string }) => g.id === group.id)
    expect(after).toMatchObject({ name: 'Team A', departmentId: dep.id, line: 1, memberIds: [agent.id] })
    expect((await patch(admin.token, { line: 2, departmentId: other.id })).json()).toMatchObject({ line: 2, departmentId: other.id })
  })

  it('answers a race for the same name with 409, never a 500', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, () => t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Financiën' } })),
    )
    const codes = results.map((r) => r.statusCode).sort()
    expect(codes.filter((c) => c === 201)).toHaveLength(1)
    expect(codes.filter((c) => c === 409)).toHaveLength(3)
  })

  it('lets system work (the command line) change tickets without a user of its own', async () => {
    const created = await t.runtime.services.tickets.create(SYSTEM_ACTOR, { subject: 'Via de CLI', body: 'b', requester: { email: 'cli@example.nl' } })
    const updated = await t.runtime.services.tickets.update(SYSTEM_ACTOR, created.id, created.version, { priority: 'high' })
    expect(updated.priority).toBe('high')
    const history = await t.runtime.services.tickets.history(SYSTEM_ACTOR, created.id)
    expect(history.find((h) => h.field === 'priority')).toMatchObject({ actor: null, newValue: 'high' })
  })

  it('deletes a department or group only when nothing depends on it, and says what does (409); administrators only', async () => {
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Opheffen' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Op te heffen team', departmentId: dep.id, line: 2 } })).json()
    const member = await t.user('agent', { groupIds: [group.id] })
    const del = (url: string, token: string | undefined) => t.request({ method: 'DELETE', url, token })

    const refusedDep = await del(`/api/v1/departments/${dep.id}`, admin.token)
    expect(refusedDep.statusCode).toBe(409)
    expect(refusedDep.headers['content-type']).toContain('application/problem+json')
    expect(refusedDep.json()).toMatchObject({ code: 'conflict', dependants: { groups: 1 } })
    const refusedGroup = await del(`/api/v1/groups/${group.id}`, admin.token)
    expect(refusedGroup.json()).toMatchObject({ status: 409, dependants: { members: 1 } })
    expect(refusedGroup.json().dependants).not.toHaveProperty('tickets')

    const supervisor = await t.user('supervisor')
    const customer = await t.user('customer')
    for (const url of [`/api/v1/groups/${group.id}`, `/api/v1/departments/${dep.id}`]) {
      for (const token of [supervisor.token, member.token, customer.token]) expect((await del(url, token)).statusCode, url).toBe(403)
      expect((await del(url, undefined)).statusCode).toBe(401)
    }

    await t.request({ method: 'PATCH', url: `/api/v1/groups/${group.id}`, token: admin.token, payload: { memberIds: [] } })
    expect((await del(`/api/v1/groups/${group.id}`, admin.token)).statusCode).toBe(204)
    expect((await del(`/api/v1/groups/${group.id}`, admin.token)).statusCode).toBe(404)
    expect((await del(`/api/v1/departments/${dep.id}`, admin.token)).statusCode).toBe(204)
    const names = (await t.request({ method: 'GET', url: '/api/v1/departments', token: admin.token })).json().items.map((d: { name: string }) => d.name)
    expect(names).not.toContain('Opheffen')
  })

  it('keeps a group that tickets are in', async () => {
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Met tickets' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Team met tickets', departmentId: dep.id, line: 1 } })).json()
    const created = await t.request({ method: 'POST', url: '/api/v1/tickets', token: admin.token, payload: { subject: 'Vraag', body: 'Tekst', requester: { email: 'klant@example.nl' }, groupId: group.id } })
    expect(created.statusCode).toBe(201)
    expect((await t.request({ method: 'DELETE', url: `/api/v1/groups/${group.id}`, token: admin.token })).json().dependants).toEqual({ tickets: 1 })
    expect((await t.request({ method: 'DELETE', url: `/api/v1/departments/${dep.id}`, token: admin.token })).json().dependants).toEqual({ groups: 1, tickets: 1 })
  })
})
