import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('drafts API', (database) => {
  let t: TestApp
  let anna: Awaited<ReturnType<TestApp['user']>>
  let bram: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  let ticketId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    anna = await t.user('agent')
    bram = await t.user('agent')
    customer = await t.user('customer')
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/tickets',
      token: anna.token,
      payload: { subject: 'Paspoort kwijt', body: 'Ik ben mijn paspoort verloren.', requester: { email: customer.email } },
    })
    ticketId = res.json().id
  })
  afterAll(() => t?.close())

  const url = () => `/api/v1/tickets/${ticketId}/draft`

  it('has no draft at first (204)', async () => {
    const res = await t.request({ method: 'GET', url: url(), token: anna.token })
    expect(res.statusCode).toBe(204)
    expect(res.body).toBe('')
  })

  it('keeps a draft per user, replaces it on PUT, and deletes it', async () => {
    const put = await t.request({ method: 'PUT', url: url(), token: anna.token, payload: { body: 'Beste klant,', visibility: 'public' } })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({ ticketId, body: 'Beste klant,', visibility: 'public', status: null })

    const again = await t.request({
      method: 'PUT',
      url: url(),
      token: anna.token,
      payload: { body: 'Beste klant, u kunt een nieuw paspoort aanvragen.', visibility: 'internal', status: 'waiting_for_customer' },
    })
    expect(again.statusCode).toBe(200)
    const got = await t.request({ method: 'GET', url: url(), token: anna.token })
    expect(got.statusCode).toBe(200)
    expect(got.json()).toMatchObject({ body: 'Beste klant, u kunt een nieuw paspoort aanvragen.', visibility: 'internal', status: 'waiting_for_customer' })

    // Another agent has their own (empty) draft on the same ticket.
    expect((await t.request({ method: 'GET', url: url(), token: bram.token })).statusCode).toBe(204)

    const del = await t.request({ method: 'DELETE', url: url(), token: anna.token })
    expect(del.statusCode).toBe(204)
    expect(del.body).toBe('')
    const documented = (await t.request({ method: 'GET', url: '/api/v1/openapi.json' })).json().paths['/api/v1/tickets/{id}/draft'].delete.responses
    expect(Object.keys(documented)).toContain('204')
    expect(documented['200']).toBeUndefined()
    expect((await t.request({ method: 'GET', url: url(), token: anna.token })).statusCode).toBe(204)
    // Deleting what is not there is fine.
    expect((await t.request({ method: 'DELETE', url: url(), token: anna.token })).statusCode).toBe(204)
  })

  it('refuses customers, unknown tickets and bad bodies', async () => {
    expect((await t.request({ method: 'GET', url: url(), token: customer.token })).statusCode).toBe(403)
    expect((await t.request({ method: 'GET', url: '/api/v1/tickets/00000000-0000-7000-8000-000000000000/draft', token: anna.token })).statusCode).toBe(404)
    const bad = await t.request({ method: 'PUT', url: url(), token: anna.token, payload: { body: 'x', visibility: 'secret' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
    expect((await t.request({ method: 'GET', url: url() })).statusCode).toBe(401)
  })

  it('needs the CSRF token for cookie-authenticated writes', async () => {
    const carla = await t.user('agent', { password: 'wachtwoord-123' })
    const login = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: carla.email, password: 'wachtwoord-123' } })
    expect(login.statusCode).toBe(200)
    const cookie = String(login.headers['set-cookie']).split(';')[0]
    const csrf = login.json().csrfToken as string
    const without = await t.request({ method: 'PUT', url: url(), headers: { cookie }, payload: { body: 'Hallo', visibility: 'public' } })
    expect(without.statusCode).toBe(403)
    const withToken = await t.request({ method: 'PUT', url: url(), headers: { cookie, 'x-csrf-token': csrf }, payload: { body: 'Hallo', visibility: 'public' } })
    expect(withToken.statusCode).toBe(200)
    expect((await t.request({ method: 'GET', url: url(), headers: { cookie } })).json()).toMatchObject({ body: 'Hallo' })
  })
})
