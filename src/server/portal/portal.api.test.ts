import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('portal deflections API', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(() => t?.close())

  it('counts a question a public article answered, for customers; shows the figures to administrators and supervisors', async () => {
    const admin = await t.user('admin')
    const supervisor = await t.user('supervisor')
    const agent = await t.user('agent')
    const customer = await t.user('customer')
    const article = await t.request({ method: 'POST', url: '/api/v1/knowledge/articles', token: admin.token, payload: { title: 'Wachtwoord vergeten', body: '<p>Kies "wachtwoord vergeten".</p>', visibility: 'public', status: 'published' } })
    expect(article.statusCode).toBe(201)
    const slug = article.json().slug
    const internal = (await t.request({ method: 'POST', url: '/api/v1/knowledge/articles', token: admin.token, payload: { title: 'Intern', body: 'x', visibility: 'internal', status: 'published' } })).json()

    const deflect = (token: string, articleSlug: string) => t.request({ method: 'POST', url: '/api/v1/portal/deflections', token, payload: { articleSlug } })
    expect((await deflect(customer.token, slug)).statusCode).toBe(204)
    expect((await deflect(customer.token, slug)).statusCode).toBe(204)
    expect((await deflect(agent.token, slug)).statusCode).toBe(403)
    expect((await deflect(customer.token, internal.slug)).statusCode).toBe(404)
    expect((await deflect(customer.token, 'bestaat-niet')).statusCode).toBe(404)
    expect((await t.request({ method: 'POST', url: '/api/v1/portal/deflections', payload: { articleSlug: slug } })).statusCode).toBe(401)

    for (const who of [agent, customer]) expect((await t.request({ method: 'GET', url: '/api/v1/portal/deflections', token: who.token })).statusCode).toBe(403)
    for (const who of [admin, supervisor]) {
      const report = await t.request({ method: 'GET', url: '/api/v1/portal/deflections', token: who.token })
      expect(report.json()).toEqual({ total: 2, articles: [{ slug, count: 2 }] })
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/portal/deflections?from=2999-01-01T00:00:00Z', token: admin.token })).json().total).toBe(0)
  })
})
