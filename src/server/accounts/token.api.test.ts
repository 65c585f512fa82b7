import { afterAll, beforeAll, expect, it } from 'vitest'
import { newId } from '../clock.js'
import type { DomainEvent } from '../events.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('personal API tokens', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  const heard: DomainEvent[] = []
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    t.runtime.deps.events.subscribe((e) => void heard.push(e))
  })
  afterAll(() => t?.close())

  /**
   * The access events heard since the last call: on PostgreSQL they come back through NOTIFY, so a marker
   * is published after them and waited for (events keep their order on the bus).
   */
  const settled = async () => {
    const marker = newId()
    await t.runtime.deps.events.publish({ type: 'account.access-changed', userId: marker })
    await expect.poll(() => heard.some((e) => e.type === 'account.access-changed' && e.userId === marker), { timeout: 10_000 }).toBe(true)
    const seen = heard.splice(0).filter((e) => !(e.type === 'account.access-changed' && e.userId === marker))
    return seen
  }
  const me = (token: string) => t.request({ method: 'GET', url: '/api/v1/me', token })
  const create = (token: string, payload: object) => t.request({ method: 'POST', url: '/api/v1/me/tokens', token, payload })

  it('lists one’s tokens without their secrets, with when they were made, expire and were last used', async () => {
    const user = await t.user('agent')
    const expiresAt = new Date(Date.now() + 7 * 24 * 3600_000).toISOString()
    const made = await create(user.token, { name: 'rapportage', expiresAt })
    expect(made.statusCode).toBe(201)
    expect(made.json()).toMatchObject({ name: 'rapportage', expiresAt, token: expect.stringMatching(/^lkt_/) })
    expect((await me(made.json().token)).statusCode).toBe(200)
    const list = await t.request({ method: 'GET', url: '/api/v1/me/tokens', token: user.token })
    expect(list.statusCode).toBe(200)
    expect(list.body).not.toContain(made.json().token)
    expect(list.body).not.toContain(user.token)
    const items = list.json().items
    expect(items.map((i: { name: string }) => i.name)).toEqual(['rapportage', 'test'])
    expect(items[0]).toEqual({ id: made.json().id, name: 'rapportage', createdAt: made.json().createdAt, expiresAt, lastUsedAt: expect.any(String) })
    expect(Object.keys(items[0]).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name'])
  })

  it('records the last use at most once a minute, not on every call', async () => {
    const user = await t.user('agent')
    const lastUsed = async () => (await t.runtime.deps.db.selectFrom('api_token').select('last_used_at').where('user_id', '=', user.id).executeTakeFirstOrThrow()).last_used_at
    await me(user.token)
    const first = await lastUsed()
    expect(first).not.toBeNull()
    t.runtime.services.accounts.forgetTokens() // not remembered: each call reads the token again
    await new Promise((r) => setTimeout(r, 20))
    await me(user.token)
    expect(await lastUsed()).toBe(first)
  })

  it('refuses a token whose expiry has passed, and an expiry in the past at creation', async () => {
    const user = await t.user('agent')
    const soon = await create(user.token, { name: 'kort', expiresAt: new Date(Date.now() + 1500).toISOString() })
    expect((await me(soon.json().token)).statusCode).toBe(200)
    await new Promise((r) => setTimeout(r, 1600))
    const late = await me(soon.json().token)
    expect(late.statusCode).toBe(401)
    expect(late.headers['content-type']).toContain('application/problem+json')
    const past = await create(user.token, { name: 'oud', expiresAt: '2020-01-01T00:00:00Z' })
    expect(past.statusCode).toBe(400)
    expect(past.json()).toMatchObject({ code: 'validation' })
    expect((await create(user.token, { name: 'x', expiresAt: 'morgen' })).statusCode).toBe(400)
  })

  it('revokes one’s own token at once, even while it is remembered, and tells every process', async () => {
    const user = await t.user('agent')
    const made = (await create(user.token, { name: 'weg' })).json()
    expect((await me(made.token)).statusCode).toBe(200) // now remembered for a second
    await settled()
    const revoked = await t.request({ method: 'DELETE', url: `/api/v1/me/tokens/${made.id}`, token: user.token })
    expect(revoked.statusCode).toBe(204)
    expect((await me(made.token)).statusCode).toBe(401)
    expect(await settled()).toContainEqual({ type: 'account.access-changed', userId: user.id, tokenId: made.id })
    expect((await t.request({ method: 'GET', url: '/api/v1/me/tokens', token: user.token })).json().items.map((i: { id: string }) => i.id)).not.toContain(made.id)
    // Again, or someone else's: not found.
    expect((await t.request({ method: 'DELETE', url: `/api/v1/me/tokens/${made.id}`, token: user.token })).statusCode).toBe(404)
    const other = await t.user('agent')
    const othersToken = (await create(other.token, { name: 'van een ander' })).json()
    expect((await t.request({ method: 'DELETE', url: `/api/v1/me/tokens/${othersToken.id}`, token: user.token })).statusCode).toBe(404)
    expect((await me(othersToken.token)).statusCode).toBe(200)
  })

  it("lets an administrator list and revoke anyone's token, and nobody else", async () => {
    const owner = await t.user('customer')
    const made = (await create(owner.token, { name: 'portaal-script' })).json()
    const url = `/api/v1/users/${owner.id}/tokens`
    const others = await Promise.all((['supervisor', 'agent', 'customer'] as const).map((role) => t.user(role)))
    for (const other of others) {
      expect((await t.request({ method: 'GET', url, token: other.token })).statusCode).toBe(404)
      expect((await t.request({ method: 'DELETE', url: `${url}/${made.id}`, token: other.token })).statusCode).toBe(404)
    }
    expect((await t.request({ method: 'GET', url })).statusCode).toBe(401)
    expect((await t.request({ method: 'DELETE', url: `${url}/${made.id}` })).statusCode).toBe(401)
    // The owner may use the same routes for themselves.
    expect((await t.request({ method: 'GET', url, token: owner.token })).statusCode).toBe(200)
    const listed = await t.request({ method: 'GET', url, token: admin.token })
    expect(listed.json().items.map((i: { name: string }) => i.name)).toContain('portaal-script')
    expect(listed.body).not.toContain(made.token)
    expect((await t.request({ method: 'DELETE', url: `${url}/${made.id}`, token: admin.token })).statusCode).toBe(204)
    expect((await me(made.token)).statusCode).toBe(401)
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${admin.id}/tokens/none`, token: admin.token })).statusCode).toBe(404)
    expect((await t.request({ method: 'GET', url: '/api/v1/users/nobody/tokens', token: admin.token })).statusCode).toBe(404)
  })

  it('ends sessions and tokens at once when an account is disabled, and says so for each', async () => {
    await t.user('agent', { email: 'uit@desk.nl', password: 'wachtwoord-uit' })
    const login = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'uit@desk.nl', password: 'wachtwoord-uit' } })
    const cookie = String(login.headers['set-cookie']).split(';')[0]
    const user = login.json().user
    const made = (await create((await t.runtime.services.accounts.createToken({ user, via: 'session' }, user.id, 'eerste')).token, { name: 'tweede' })).json()
    await settled()
    expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${user.id}`, token: admin.token, payload: { active: false } })).statusCode).toBe(200)
    expect((await t.request({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401)
    const mine = (await settled()).filter((e) => e.type === 'account.access-changed' && e.userId === user.id)
    expect(mine.filter((e) => 'sessionId' in e && e.sessionId)).toHaveLength(1)
    expect(mine.filter((e) => 'tokenId' in e && e.tokenId).map((e) => (e as { tokenId: string }).tokenId)).toContain(made.id)
    expect(mine).toContainEqual({ type: 'account.access-changed', userId: user.id })
    // Enabled again, the old tokens stay ended.
    expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${user.id}`, token: admin.token, payload: { active: true } })).statusCode).toBe(200)
    expect((await me(made.token)).statusCode).toBe(401)
  })

  it('says so when a session ends by logging out, and when a role or groups change', async () => {
    await t.user('agent', { email: 'weg@desk.nl', password: 'wachtwoord-weg' })
    const login = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'weg@desk.nl', password: 'wachtwoord-weg' } })
    const cookie = String(login.headers['set-cookie']).split(';')[0]
    const userId = login.json().user.id
    await settled()
    await t.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': login.json().csrfToken } })
    expect(await settled()).toEqual([{ type: 'account.access-changed', userId, sessionId: expect.stringMatching(/^[0-9a-f]{64}$/) }])
    await t.request({ method: 'PATCH', url: `/api/v1/users/${userId}`, token: admin.token, payload: { role: 'supervisor' } })
    expect(await settled()).toEqual([{ type: 'account.access-changed', userId }])
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Tokens-afdeling' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Tokens-groep', departmentId: dep.id, line: 1 } })).json()
    await settled()
    await t.request({ method: 'PATCH', url: `/api/v1/groups/${group.id}`, token: admin.token, payload: { memberIds: [userId] } })
    expect(await settled()).toEqual([{ type: 'account.access-changed', userId }])
    await t.request({ method: 'PATCH', url: `/api/v1/users/${userId}`, token: admin.token, payload: { name: 'Alleen een naam' } })
    expect(await settled()).toEqual([])
  })
})
