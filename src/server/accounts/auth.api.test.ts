import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { tokenRepository } from './account.repository.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]

describeEachDatabase('authentication and authorisation', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database, { loginRateLimit: 5 })
  })
  afterAll(() => t?.close())

  it('logs in with a session cookie that is httpOnly and SameSite=Lax, and logs out for good', async () => {
    const user = await t.user('agent', { email: 'anna@desk.nl', password: 'correct horse' })
    const wrong = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'anna@desk.nl', password: 'nope nope' } })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.headers['content-type']).toContain('application/problem+json')
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'ANNA@desk.nl', password: 'correct horse' } })
    expect(res.statusCode).toBe(200)
    const setCookie = String(res.headers['set-cookie'])
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    const cookie = cookieOf(res)
    const me = await t.request({ method: 'GET', url: '/api/v1/me', headers: { cookie } })
    expect(me.json().user).toMatchObject({ id: user.id, role: 'agent' })
    const csrf = res.json().csrfToken as string

    // Cookie-authenticated writes need the CSRF token.
    const payload = { subject: 's', body: 'b', requester: { email: 'k@example.nl' } }
    expect((await t.request({ method: 'POST', url: '/api/v1/tickets', headers: { cookie }, payload })).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: '/api/v1/tickets', headers: { cookie, 'x-csrf-token': csrf }, payload })).statusCode).toBe(201)

    expect((await t.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrf } })).statusCode).toBe(204)
    expect((await t.request({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401)
  })

  it('documents logging out as 204 without a body', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    const responses = doc.paths['/api/v1/auth/logout'].post.responses
    expect(Object.keys(responses).filter((code) => /^\d/.test(code))).toEqual(['204', '4XX', '5XX'])
    expect(responses['204'].content).toBeUndefined()
  })

  it('stores passwords with argon2id and tokens only as hashes', async () => {
    const user = await t.user('agent', { password: 'geheim-wachtwoord' })
    const row = await t.runtime.deps.db.selectFrom('app_user').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow()
    expect(row.password_hash).toMatch(/^\$argon2id\$/)
    const tokens = await t.runtime.deps.db.selectFrom('api_token').select('token_hash').where('user_id', '=', user.id).execute()
    expect(tokens.map((x) => x.token_hash)).not.toContain(user.token)
    expect((await t.request({ method: 'GET', url: '/api/v1/me', headers: { authorization: 'Bearer lkt_wrong' } })).statusCode).toBe(401)
  })

  it('rate-limits login attempts', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () => t.request({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.9.9.9', payload: { email: 'x@y.nl', password: 'wrong-password' } })),
    )
    const codes = attempts.map((r) => r.statusCode)
    expect(codes).toContain(429)
    const limited = attempts.find((r) => r.statusCode === 429)!
    expect(limited.headers['content-type']).toContain('application/problem+json')
  })

  it('answers 401 without credentials and 403 or 404 where a role may not act', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/tickets' })).statusCode).toBe(401)
    expect((await t.request({ method: 'GET', url: '/api/v1/me' })).json()).toMatchObject({ status: 401, code: 'unauthenticated' })
    // Before the body is even looked at.
    expect((await t.request({ method: 'POST', url: '/api/v1/tickets', headers: { 'content-type': 'application/json' }, payload: '{broken' })).statusCode).toBe(401)
    expect((await t.request({ method: 'GET', url: '/api/v1/openapi.json' })).statusCode).toBe(200)
    const agent = await t.user('agent')
    const customer = await t.user('customer')
    const other = await t.user('customer')
    expect((await t.request({ method: 'GET', url: '/api/v1/users', token: customer.token })).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: '/api/v1/departments', token: agent.token, payload: { name: 'X' } })).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: '/api/v1/users', token: agent.token, payload: { email: 'boss@x.nl', name: 'B', role: 'admin' } })).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: '/api/v1/users', token: agent.token, payload: { email: 'new-customer@x.nl', name: 'C', role: 'customer' } })).statusCode).toBe(201)

    const mine = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: customer.token, payload: { subject: 'Mijn vraag', body: 'Hoe?', requester: { email: customer.email } } })).json()
    expect(mine.ticket.channel).toBe('portal')
    // Someone else's ticket does not exist for a customer.
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${mine.id}`, token: other.token })).statusCode).toBe(404)
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${mine.id}/articles`, token: other.token })).statusCode).toBe(404)
    expect((await t.request({ method: 'POST', url: `/api/v1/tickets/${mine.id}/articles`, token: other.token, payload: { body: 'hi' } })).statusCode).toBe(404)
    // A customer lists only their own, whatever filter they send.
    const list = (await t.request({ method: 'GET', url: `/api/v1/tickets?requesterId=${customer.id}`, token: other.token })).json()
    expect(list.items).toHaveLength(0)
    // A customer cannot change fields or open tickets for someone else.
    expect((await t.request({ method: 'PATCH', url: `/api/v1/tickets/${mine.id}`, token: customer.token, headers: { 'if-match': '"1"' }, payload: { priority: 'urgent' } })).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: '/api/v1/tickets', token: customer.token, payload: { subject: 'x', body: 'y', requester: { email: other.email } } })).statusCode).toBe(403)
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${mine.id}/history`, token: customer.token })).statusCode).toBe(403)
    // The agent sees it.
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${mine.id}`, token: agent.token })).statusCode).toBe(200)
  })

  it('lets a back office propose answers as notes but not reply to the customer when its department says so', async () => {
    const admin = await t.user('admin')
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Financiën' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Crediteuren', departmentId: dep.id, line: 2 } })).json()
    const specialist = await t.user('agent', { groupIds: [group.id] })
    const id = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: admin.token, payload: { subject: 'Factuur', body: 'Dubbel betaald', requester: { email: 'lev@example.nl' } } })).json().id
    expect((await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: specialist.token, payload: { body: 'Terugbetaald.' } })).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: specialist.token, payload: { body: 'Voorstel: terugbetaald op 1 dec.', visibility: 'internal' } })).statusCode).toBe(201)
  })

  it('creates a personal API token for oneself', async () => {
    const user = await t.user('supervisor')
    const res = await t.request({ method: 'POST', url: '/api/v1/me/tokens', token: user.token, payload: { name: 'script' } })
    expect(res.statusCode).toBe(201)
    expect((await t.request({ method: 'GET', url: '/api/v1/me', token: res.json().token })).json().user.id).toBe(user.id)
  })

  it("stops a disabled account's token at once and follows a new role on the next call, though tokens are remembered for a second", async () => {
    const admin = await t.user('admin')
    const user = await t.user('agent')
    const me = () => t.request({ method: 'GET', url: '/api/v1/me', token: user.token })
    expect((await me()).json().user.role).toBe('agent')
    const patch = (payload: object) => t.request({ method: 'PATCH', url: `/api/v1/users/${user.id}`, token: admin.token, payload })
    expect((await patch({ role: 'supervisor' })).statusCode).toBe(200)
    expect((await me()).json().user.role).toBe('supervisor')
    expect((await patch({ active: false })).statusCode).toBe(200)
    expect((await me()).statusCode).toBe(401)
    expect((await t.request({ method: 'GET', url: '/api/v1/tickets', token: user.token })).statusCode).toBe(401)
  })

  it("follows a change of a group's members on the next call, though tokens are remembered for a second", async () => {
    const admin = await t.user('admin')
    const department = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Facilitair' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Facilitair 2e lijn', departmentId: department.id, line: 2 } })).json()
    const user = await t.user('agent')
    const me = () => t.request({ method: 'GET', url: '/api/v1/me', token: user.token })
    expect((await me()).json().user.groupIds).toEqual([])
    const members = (memberIds: string[]) => t.request({ method: 'PATCH', url: `/api/v1/groups/${group.id}`, token: admin.token, payload: { memberIds } })
    expect((await members([user.id])).statusCode).toBe(200)
    expect((await me()).json().user.groupIds).toEqual([group.id])
    expect((await members([])).statusCode).toBe(200)
    expect((await me()).json().user.groupIds).toEqual([])
  })

  it('takes a user out of all groups with groupIds: [] (PostgreSQL refused the empty IN list with a 500)', async () => {
    const admin = await t.user('admin')
    const department = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Juridisch' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Juridisch 2e lijn', departmentId: department.id, line: 2 } })).json()
    const user = await t.user('agent', { groupIds: [group.id] })
    const res = await t.request({ method: 'PATCH', url: `/api/v1/users/${user.id}`, token: admin.token, payload: { groupIds: [] } })
    expect(res.statusCode).toBe(200)
    expect(res.json().groupIds).toEqual([])
  })

  it("also stops the token at once when the admin changes the account with a session cookie", async () => {
    await t.user('admin', { email: 'beheer.cookie@desk.nl', password: 'beheer-wachtwoord' })
    const login = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'beheer.cookie@desk.nl', password: 'beheer-wachtwoord' } })
    const headers = { cookie: cookieOf(login), 'x-csrf-token': login.json().csrfToken as string }
    const user = await t.user('agent')
    const me = () => t.request({ method: 'GET', url: '/api/v1/me', token: user.token })
    expect((await me()).json().user.role).toBe('agent')
    const patch = (payload: object) => t.request({ method: 'PATCH', url: `/api/v1/users/${user.id}`, headers, payload })
    expect((await patch({ role: 'supervisor' })).statusCode).toBe(200)
    expect((await me()).json().user.role).toBe('supervisor')
    expect((await patch({ active: false })).statusCode).toBe(200)
    expect((await me()).statusCode).toBe(401)
  })

  it('does not remember a token checked while its account was being changed', async () => {
    const admin = await t.user('admin')
    const user = await t.user('agent')
    // The check reads the token (still active) and then waits to record its first use, while the account is disabled.
    let release!: () => void
    const waiting = new Promise<void>((resolve) => (release = resolve))
    const touch = tokenRepository.touch
    const spy = vi.spyOn(tokenRepository, 'touch').mockImplementationOnce(async (...args) => {
      await waiting
      return touch(...args)
    })
    try {
      const inFlight = t.request({ method: 'GET', url: '/api/v1/me', token: user.token })
      await vi.waitFor(() => expect(spy).toHaveBeenCalled())
      expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${user.id}`, token: admin.token, payload: { active: false } })).statusCode).toBe(200)
      release()
      expect((await inFlight).statusCode).toBe(200) // it began before the change
    } finally {
      spy.mockRestore()
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/me', token: user.token })).statusCode).toBe(401)
  })
})
