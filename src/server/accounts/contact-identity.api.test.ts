import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('contact identities and merging customers', (database) => {
  let t: TestApp
  let agent: Awaited<ReturnType<TestApp['user']>>
  let seq = 0
  beforeAll(async () => {
    t = await createTestApp(database)
    agent = await t.user('agent')
  })
  afterAll(() => t?.close())

  const ingest = (from: { kind: 'email' | 'phone' | 'chat'; address: string; name?: string }, subject: string, ticketId?: string) =>
    t.runtime.services.tickets.ingest({ channel: from.kind === 'email' ? 'email' : from.kind, sourceId: `ident-${database.name}-${++seq}`, from, subject, body: subject, contentType: 'text/plain', ticketId })

  it('a customer merged with a phone-only contact keeps every ticket', async () => {
    // A caller known only by their number, with two tickets; the same person by mail, with one.
    const call1 = await ingest({ kind: 'phone', address: '06-1111 2222', name: 'Beller' }, 'Gebeld over de container')
    const call2 = await ingest({ kind: 'phone', address: '+31 6 11112222' }, 'Weer gebeld')
    expect(call2.ticket.id).not.toBe(call1.ticket.id)
    const phoneOnly = (await t.runtime.services.tickets.get(await agentActor(), call1.ticket.id)).requester
    expect(phoneOnly.email).toBeNull()
    const byMail = await ingest({ kind: 'email', address: 'Marieke@Voorbeeld.nl', name: 'Marieke' }, 'Per mail')
    const marieke = (await t.runtime.services.tickets.get(await agentActor(), byMail.ticket.id)).requester
    expect(marieke.email).toBe('marieke@voorbeeld.nl')
    // The mail person is also a further requester of a ticket of the phone contact (both asked about it).
    await t.runtime.deps.db.insertInto('ticket_co_requester').values({ ticket_id: call2.ticket.id, user_id: marieke.id, via_ticket_id: null, added_at: new Date().toISOString() }).execute()

    const merged = await t.request({ method: 'POST', url: `/api/v1/users/${phoneOnly.id}/merge`, token: agent.token, payload: { intoId: marieke.id } })
    expect(merged.statusCode, merged.body).toBe(200)
    expect(merged.json().moved).toMatchObject({ identities: 1, tickets: 2 })

    // Every ticket is Marieke's now, and the phone number finds her: a new call lands with her.
    for (const id of [call1.ticket.id, call2.ticket.id, byMail.ticket.id]) {
      expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: agent.token })).json().requester.id).toBe(marieke.id)
    }
    // She asked it now, so she is no longer a further requester of it as well.
    expect(await t.runtime.deps.db.selectFrom('ticket_co_requester').select('user_id').where('ticket_id', '=', call2.ticket.id).execute()).toEqual([])
    const call3 = await ingest({ kind: 'phone', address: '0611112222' }, 'Derde keer')
    expect((await t.runtime.services.tickets.get(await agentActor(), call3.ticket.id)).requester.id).toBe(marieke.id)
    const identities = (await t.request({ method: 'GET', url: `/api/v1/users/${marieke.id}/identities`, token: agent.token })).json().items
    expect(identities).toEqual([
      expect.objectContaining({ kind: 'email', value: 'marieke@voorbeeld.nl', primary: true }),
      expect.objectContaining({ kind: 'phone', value: '+31611112222', primary: false }),
    ])
    const old = (await t.request({ method: 'GET', url: `/api/v1/users/${phoneOnly.id}`, token: agent.token })).json()
    expect(old).toMatchObject({ active: false, mergedIntoId: marieke.id })
    const search = (await t.request({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('06 1111 2222')}`, token: agent.token })).json()
    expect(search.people.map((p: { id: string }) => p.id)).toEqual([marieke.id])
    const audit = await t.runtime.deps.db.selectFrom('audit_log').select(['action', 'details']).where('subject_user_id', '=', phoneOnly.id).where('action', '=', 'user.merged').execute()
    expect(audit).toHaveLength(1)
  })

  it('refuses to merge into oneself, into staff, or with a customer merged already (422), and an unknown customer (404)', async () => {
    const a = await t.user('customer')
    const b = await t.user('customer')
    const c = await t.user('customer')
    const merge = (from: string, into: string) => t.request({ method: 'POST', url: `/api/v1/users/${from}/merge`, token: agent.token, payload: { intoId: into } })
    const self = await merge(a.id, a.id)
    expect(self.statusCode).toBe(422)
    expect(self.headers['content-type']).toContain('application/problem+json')
    expect((await merge(a.id, agent.id)).statusCode).toBe(422)
    expect((await merge(agent.id, a.id)).statusCode).toBe(422)
    expect((await merge(b.id, c.id)).statusCode).toBe(200)
    expect((await merge(a.id, b.id)).json()).toMatchObject({ status: 422, mergedIntoId: c.id })
    expect((await merge(b.id, a.id)).statusCode).toBe(422)
    expect((await merge('01900000-0000-7000-8000-000000000000', a.id)).statusCode).toBe(404)
  })

  it('lets agents, team leads and administrators merge customers and change identifiers; customers get 403, anonymous callers 401', async () => {
    const lead = await t.user('supervisor')
    const admin = await t.user('admin')
    const customer = await t.user('customer')
    for (const who of [agent, lead, admin]) {
      const from = await t.user('customer')
      const into = await t.user('customer')
      expect((await t.request({ method: 'POST', url: `/api/v1/users/${from.id}/merge`, token: who.token, payload: { intoId: into.id } })).statusCode).toBe(200)
      const added = await t.request({ method: 'POST', url: `/api/v1/users/${into.id}/identities`, token: who.token, payload: { kind: 'phone', value: `06-2000 00${10 + seq++}` } })
      expect(added.statusCode, added.body).toBe(201)
    }
    const other = await t.user('customer')
    const asCustomer = [
      t.request({ method: 'POST', url: `/api/v1/users/${other.id}/merge`, token: customer.token, payload: { intoId: customer.id } }),
      t.request({ method: 'GET', url: `/api/v1/users/${other.id}/identities`, token: customer.token }),
      t.request({ method: 'POST', url: `/api/v1/users/${customer.id}/identities`, token: customer.token, payload: { kind: 'phone', value: '0612345670' } }),
    ]
    for (const r of await Promise.all(asCustomer)) expect(r.statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${other.id}/merge`, payload: { intoId: customer.id } })).statusCode).toBe(401)
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${other.id}/identities` })).statusCode).toBe(401)
  })

  it('adds and removes extra addresses and numbers, one owner each, and finds the person by any of them', async () => {
    const jan = await t.user('customer', { name: 'Jan Extra' })
    const piet = await t.user('customer')
    const add = (userId: string, kind: string, value: string) => t.request({ method: 'POST', url: `/api/v1/users/${userId}/identities`, token: agent.token, payload: { kind, value } })
    expect((await add(jan.id, 'email', 'Jan.Prive@Example.nl')).statusCode).toBe(201)
    expect((await add(jan.id, 'phone', '020 123 45 67')).json().items).toContainEqual(expect.objectContaining({ kind: 'phone', value: '+31201234567' }))
    expect((await add(piet.id, 'email', 'jan.prive@example.nl')).statusCode).toBe(409)
    expect((await add(piet.id, 'email', jan.email)).statusCode).toBe(409)
    expect((await add(piet.id, 'phone', 'geen nummer')).statusCode).toBe(400)
    const byExtra = (await t.request({ method: 'GET', url: '/api/v1/search?q=jan.prive@example.nl', token: agent.token })).json()
    expect(byExtra.people).toEqual([expect.objectContaining({ id: jan.id, matchedOn: 'email' })])
    // Mail from the extra address is Jan's.
    const mail = await ingest({ kind: 'email', address: 'jan.prive@example.nl' }, 'Van mijn eigen adres')
    expect((await t.runtime.services.tickets.get(await agentActor(), mail.ticket.id)).requester.id).toBe(jan.id)
    // The account's own address is changed on the account, not here.
    expect((await t.request({ method: 'DELETE', url: `/api/v1/users/${jan.id}/identities/email/${encodeURIComponent(jan.email)}`, token: agent.token })).statusCode).toBe(409)
    expect((await t.request({ method: 'DELETE', url: `/api/v1/users/${jan.id}/identities/phone/${encodeURIComponent('+31201234567')}`, token: agent.token })).statusCode).toBe(204)
    expect((await t.request({ method: 'DELETE', url: `/api/v1/users/${jan.id}/identities/phone/${encodeURIComponent('+31201234567')}`, token: agent.token })).statusCode).toBe(404)
  })

  it('keeps a customer without an e-mail address: created by phone number, but no mail or password link to them (409)', async () => {
    const created = await t.request({ method: 'POST', url: '/api/v1/users', token: agent.token, payload: { name: 'Alleen Telefoon', role: 'customer', phone: '06 3333 4444' } })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json().email).toBeNull()
    const id = created.json().id
    for (const what of ['password-reset', 'invite']) {
      const sent = await t.request({ method: 'POST', url: `/api/v1/users/${id}/${what}`, token: agent.token })
      expect(sent.statusCode).toBe(409)
      expect(sent.json()).toMatchObject({ reason: 'no_email' })
    }
    // Staff need an address; anyone needs an address or a number; a number is one person's when it is all they have.
    expect((await t.request({ method: 'POST', url: '/api/v1/users', token: agent.token, payload: { name: 'X', role: 'customer' } })).statusCode).toBe(422)
    const admin = await t.user('admin')
    expect((await t.request({ method: 'POST', url: '/api/v1/users', token: admin.token, payload: { name: 'Y', role: 'agent', phone: '0612345678' } })).statusCode).toBe(422)
    expect((await t.request({ method: 'POST', url: '/api/v1/users', token: agent.token, payload: { name: 'Z', role: 'customer', phone: '+31 6 33334444' } })).statusCode).toBe(409)
  })

  async function agentActor() {
    return (await t.runtime.services.accounts.authenticateToken(agent.token))!
  }
})
