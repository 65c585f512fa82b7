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
})
