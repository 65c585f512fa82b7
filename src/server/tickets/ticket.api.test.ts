import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('tickets API', (database) => {
  let t: TestApp
  let agent: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database)
    agent = await t.user('agent')
  })
  afterAll(() => t?.close())

  it('creates a ticket with number, requester and first article', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/tickets',
      token: agent.token,
      payload: { subject: 'Printer kapot', body: 'De printer op de tweede verdieping doet het niet.', requester: { email: 'Jan@Gemeente.nl', name: 'Jan de Vries' } },
    })
    expect(res.statusCode).toBe(201)
    const body = res.json()
    expect(body.number).toMatch(/^\d{4}-\d{5}$/)
    expect(body.ticket.status).toBe('new')
    expect(body.ticket.requester).toMatchObject({ email: 'jan@gemeente.nl', name: 'Jan de Vries' })
    const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${body.id}/articles`, token: agent.token })).json()
    expect(articles.items).toHaveLength(1)
    expect(articles.items[0]).toMatchObject({ direction: 'in', visibility: 'public', body: 'De printer op de tweede verdieping doet het niet.' })
  })
})
