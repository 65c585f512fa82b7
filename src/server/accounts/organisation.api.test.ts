import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('deleting organisations', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(() => t?.close())

  it('deletes only an organisation without members or tickets, says what depends on it (409), administrators only', async () => {
    const admin = await t.user('admin')
    const org = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name: 'Stichting Weg', domains: ['weg.example'] } })).json()
    const member = await t.user('customer', { organisationId: org.id })
    const del = (token: string | undefined) => t.request({ method: 'DELETE', url: `/api/v1/organisations/${org.id}`, token })

    const refused = await del(admin.token)
    expect(refused.statusCode).toBe(409)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json().dependants).toEqual({ members: 1 })

    for (const role of ['supervisor', 'agent'] as const) expect((await del((await t.user(role)).token)).statusCode, role).toBe(403)
    expect((await del(member.token)).statusCode).toBe(403)
    expect((await del(undefined)).statusCode).toBe(401)

    await t.request({ method: 'PATCH', url: `/api/v1/users/${member.id}`, token: admin.token, payload: { organisationId: null } })
    expect((await del(admin.token)).statusCode).toBe(204)
    expect((await t.request({ method: 'GET', url: `/api/v1/organisations/${org.id}`, token: admin.token })).statusCode).toBe(404)
    expect((await del(admin.token)).statusCode).toBe(404)
    // The domain is free again.
    expect((await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name: 'Nieuw', domains: ['weg.example'] } })).statusCode).toBe(201)
  })
})
