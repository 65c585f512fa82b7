import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('users and organisations API', (database) => {
  let t: TestApp
  let agent: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database)
    agent = await t.user('agent')
  })
  afterAll(() => t?.close())

  it('finds customers by part of name or e-mail, case-insensitively, a page at a time', async () => {
    for (const name of ['Jansen, Anna', 'Jansen, Bram', 'Jansen, Cor', 'de Vries, Dirk']) {
      await t.user('customer', { name, email: `${name.split(', ')[1].toLowerCase()}@lookup.example` })
    }
    const names: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/api/v1/users?q=JANSEN&role=customer&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const page = (await t.request({ method: 'GET', url, token: agent.token })).json()
      names.push(...page.items.map((u: { name: string }) => u.name))
      cursor = page.nextCursor
    } while (cursor)
    expect(names).toEqual(['Jansen, Anna', 'Jansen, Bram', 'Jansen, Cor'])
    const byMail = (await t.request({ method: 'GET', url: '/api/v1/users?q=dirk@', token: agent.token })).json()
    expect(byMail.items.map((u: { name: string }) => u.name)).toEqual(['de Vries, Dirk'])
    const wildcard = (await t.request({ method: 'GET', url: `/api/v1/users?q=${encodeURIComponent('%')}&role=customer`, token: agent.token })).json()
    expect(wildcard.items.length).toBeGreaterThan(0) // a bare wildcard is no filter, not an error
  })

  it('keeps an e-mail domain with one organisation and links its members', async () => {
    const org = await t.request({ method: 'POST', url: '/api/v1/organisations', token: agent.token, payload: { name: 'Waterschap Rivierenland', domains: ['WSRL.example'] } })
    expect(org.json().domains).toEqual(['wsrl.example'])
    const clash = await t.request({ method: 'POST', url: '/api/v1/organisations', token: agent.token, payload: { name: 'Ander', domains: ['wsrl.example'] } })
    expect(clash.statusCode).toBe(409)
    const member = await t.request({ method: 'POST', url: '/api/v1/users', token: agent.token, payload: { email: 'h.bakker@wsrl.example', name: 'H. Bakker', role: 'customer' } })
    expect(member.json().organisationId).toBe(org.json().id)
    const members = (await t.request({ method: 'GET', url: `/api/v1/users?organisationId=${org.json().id}`, token: agent.token })).json()
    expect(members.items.map((u: { email: string }) => u.email)).toEqual(['h.bakker@wsrl.example'])
    const found = (await t.request({ method: 'GET', url: '/api/v1/organisations?q=rivieren', token: agent.token })).json()
    expect(found.items.map((o: { name: string }) => o.name)).toEqual(['Waterschap Rivierenland'])
    // Only a team lead or administrator moves domains between organisations.
    expect((await t.request({ method: 'PATCH', url: `/api/v1/organisations/${org.json().id}`, token: agent.token, payload: { domains: [] } })).statusCode).toBe(403)
  })

  it('finds or adds a requester with their organisation, once per address, also when two arrive at the same moment', async () => {
    const org = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: agent.token, payload: { name: 'Gemeente Lingedal', domains: ['lingedal.example'] } })).json()
    const accounts = t.runtime.services.accounts
    const { transaction } = t.runtime.deps
    const arriving = await Promise.all(
      [1, 2, 3].map(() => transaction((trx) => accounts.findOrCreateRequester(trx, { kind: 'email', address: ' P.de.Wit@Lingedal.example ', name: ' P. de Wit ' }))),
    )
    expect(new Set(arriving.map((r) => r.id)).size).toBe(1)
    expect(arriving[0]).toMatchObject({ email: 'p.de.wit@lingedal.example', name: 'P. de Wit', role: 'customer', organisation_id: org.id, organisation_name: 'Gemeente Lingedal' })
    const again = await transaction((trx) => accounts.findOrCreateRequester(trx, { kind: 'email', address: 'p.de.wit@lingedal.example' }))
    expect(again).toEqual(arriving[0])
    const outsider = await transaction((trx) => accounts.findOrCreateRequester(trx, { kind: 'email', address: 'iemand@elders.example' }))
    expect(outsider).toMatchObject({ name: 'iemand@elders.example', organisation_id: null, organisation_name: null })
  })

  it('keeps at least one active admin: the last one cannot be disabled or given another role', async () => {
    const admin = await t.user('admin')
    const patch = (id: string, payload: object, token = admin.token) => t.request({ method: 'PATCH', url: `/api/v1/users/${id}`, token, payload })
    // Whatever admins other tests made, this one is made the last.
    const others = (await t.request({ method: 'GET', url: '/api/v1/users?role=admin&limit=200', token: admin.token })).json().items
      .filter((u: { id: string; active: boolean }) => u.id !== admin.id && u.active)
    for (const other of others) expect((await patch(other.id, { active: false })).statusCode).toBe(200)

    for (const payload of [{ active: false }, { role: 'supervisor' }, { role: 'agent', active: false }]) {
      const refused = await patch(admin.id, payload)
      expect(refused.statusCode).toBe(409)
      expect(refused.headers['content-type']).toContain('application/problem+json')
      expect(refused.json()).toMatchObject({ status: 409, code: 'conflict', detail: expect.stringContaining('last active administrator') })
    }
    const self = await t.request({ method: 'PATCH', url: '/api/v1/me', token: admin.token, payload: { role: 'agent' } })
    expect(self.statusCode).toBe(409)
    // Nothing changed, and what does not take the admin away still goes through.
    expect((await patch(admin.id, { active: true, role: 'admin', name: 'Beheerder' })).json()).toMatchObject({ role: 'admin', active: true, name: 'Beheerder' })

    // With a second active admin, either may step down.
    const second = await t.user('admin')
    expect((await patch(admin.id, { role: 'supervisor' }, second.token)).json().role).toBe('supervisor')
    expect((await patch(second.id, { active: false }, second.token)).statusCode).toBe(409)
    expect((await patch(admin.id, { role: 'admin' }, second.token)).statusCode).toBe(200)

    // Two admins disabling each other at the same moment: one of them stays.
    const answers = await Promise.all([patch(second.id, { active: false }), patch(admin.id, { active: false }, second.token)])
    // The loser is refused (409), or no longer let in at all (401) when the winner came first.
    expect(answers.filter((r) => r.statusCode === 200)).toHaveLength(1)
    expect([409, 401]).toContain(answers.find((r) => r.statusCode !== 200)?.statusCode)
    const left = (await t.request({ method: 'GET', url: '/api/v1/users?role=admin&limit=200', token: agent.token })).json().items
      .filter((u: { active: boolean }) => u.active)
    expect(left).toHaveLength(1)
  })
})
