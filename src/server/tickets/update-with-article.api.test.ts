import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

// Issue 15, one "Bijwerken": a reply or note saved together with field changes, all or nothing, on the
// version the agent saw.
describeEachDatabase('a reply or note with field changes in one action', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  let agent: Awaited<ReturnType<TestApp['user']>>
  let colleague: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
    colleague = await t.user('agent', { name: 'Bram Bakker' })
    customer = await t.user('customer')
    const field = await t.request({
      method: 'POST',
      url: '/api/v1/ticket-fields',
      token: admin.token,
      payload: { key: 'oorzaak', type: 'choice', labelNl: 'Oorzaak', labelEn: 'Cause', options: [{ value: 'gebruiker', labelNl: 'Gebruiker', labelEn: 'User' }, { value: 'storing', labelNl: 'Storing', labelEn: 'Outage' }], requiredStatuses: ['resolved'] },
    })
    expect(field.statusCode, field.body).toBe(201)
  })
  afterAll(() => t?.close())

  const open = async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject: 'Scanner doet het niet', body: 'Geen verbinding.', requester: { email: customer.email } } })
    expect(res.statusCode).toBe(201)
    return res.json().ticket as { id: string; version: number }
  }
  const ticket = async (id: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: agent.token })).json()
  const articles = async (id: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}/articles`, token: agent.token })).json().items as { body: string; visibility: string }[]
  const post = (id: string, payload: object, version?: number, token = agent.token) =>
    t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token, payload, headers: version === undefined ? {} : { 'if-match': `"${version}"` } })

  it('saves the note and every field change together', async () => {
    const tk = await open()
    const res = await post(tk.id, { body: 'Doorgezet naar Bram, hoge prioriteit.', visibility: 'internal', ticket: { priority: 'high', assigneeId: colleague.id, tags: ['scanner'], customFields: { oorzaak: 'storing' } } }, tk.version)
    expect(res.statusCode, res.body).toBe(201)
    const after = await ticket(tk.id)
    expect(after).toMatchObject({ priority: 'high', assignee: { id: colleague.id }, tags: ['scanner'], customFields: { oorzaak: 'storing' } })
    expect(after.version).toBeGreaterThan(tk.version)
    expect((await articles(tk.id)).map((a) => a.body)).toContain('Doorgezet naar Bram, hoge prioriteit.')
  })

  it('resolves with a reply only when the fields that status needs come with it; otherwise writes nothing', async () => {
    const tk = await open()
    const refused = await post(tk.id, { body: 'Opgelost: de kabel zat los.', status: 'resolved', ticket: { priority: 'low' } }, tk.version)
    expect(refused.statusCode).toBe(422)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.body).toContain('oorzaak')
    expect(await ticket(tk.id)).toMatchObject({ status: 'new', priority: 'normal', version: tk.version })
    expect((await articles(tk.id)).map((a) => a.body)).not.toContain('Opgelost: de kabel zat los.')

    const done = await post(tk.id, { body: 'Opgelost: de kabel zat los.', ticket: { status: 'resolved', priority: 'low', customFields: { oorzaak: 'gebruiker' } } }, tk.version)
    expect(done.statusCode, done.body).toBe(201)
    expect(await ticket(tk.id)).toMatchObject({ status: 'resolved', priority: 'low', customFields: { oorzaak: 'gebruiker' } })
  })

  it('asks for the version, and refuses a stale one without writing the reply', async () => {
    const tk = await open()
    const missing = await post(tk.id, { body: 'Zonder versie', ticket: { priority: 'high' } })
    expect(missing.statusCode).toBe(428)
    const stale = await post(tk.id, { body: 'Oude versie', ticket: { priority: 'high' } }, tk.version - 1)
    expect(stale.statusCode).toBe(412)
    expect((await articles(tk.id)).map((a) => a.body)).not.toContain('Oude versie')
    expect((await ticket(tk.id)).priority).toBe('normal')
    // Without field changes a reply needs no version, as before.
    expect((await post(tk.id, { body: 'Gewoon een antwoord' })).statusCode).toBe(201)
  })

  it('does not let a customer change fields with their message, nor a status be given twice differently', async () => {
    const tk = await open()
    const customerTry = await post(tk.id, { body: 'Mag het sneller?', ticket: { priority: 'urgent' } }, tk.version, customer.token)
    expect(customerTry.statusCode).toBe(403)
    const twice = await post(tk.id, { body: 'Twee keer', status: 'open', ticket: { status: 'waiting_for_customer' } }, tk.version)
    expect([400, 422]).toContain(twice.statusCode)
    expect((await ticket(tk.id)).priority).toBe('normal')
  })
})
