import { afterAll, beforeAll, expect, it } from 'vitest'
import WebSocket from 'ws'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

/** Opens a stream; resolves once the server said hello, with a promise of how it closes. */
async function open(url: string, headers: Record<string, string>) {
  const socket = new WebSocket(url, { headers })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })))
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => JSON.parse(String(data)).type === 'hello' && resolve())
    socket.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
    socket.on('error', reject)
  })
  return { socket, closed }
}

/** The status of a refused upgrade. */
const refusal = (url: string, headers: Record<string, string>) =>
  new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    socket.on('open', () => {
      socket.close()
      reject(new Error('the upgrade was accepted'))
    })
  })

const within = <T>(promise: Promise<T>, ms = 5000) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${ms} ms`)), ms))])

describeEachDatabase('stream access', (database) => {
  let t: TestApp
  let url: string
  beforeAll(async () => {
    t = await createTestApp(database, { config: { publicUrl: 'https://loket.example.nl', allowedOrigins: ['https://intranet.example.nl'] } })
    url = (await t.app.listen({ port: 0, host: '127.0.0.1' })).replace('http', 'ws') + '/api/v1/stream'
  })
  afterAll(() => t?.close())

  async function login(role: 'agent' | 'admin') {
    const password = 'een-lang-wachtwoord-1'
    const user = await t.user(role, { password })
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: user.email, password } })
    expect(res.statusCode).toBe(200)
    const cookie = String(res.headers['set-cookie']).split(';')[0]
    return { ...user, cookie, csrf: res.json().csrfToken as string }
  }

  it('refuses an upgrade from a page of another origin, also with a valid cookie; allows its own, the listed ones and programs', async () => {
    const agent = await login('agent')
    for (const origin of ['https://evil.example', 'https://loket.example.nl:8443', 'https://sub.loket.example.nl', 'http://loket.example.nl']) {
      expect(await refusal(url, { cookie: agent.cookie, origin })).toBe(403)
    }
    for (const origin of ['https://loket.example.nl', 'https://intranet.example.nl']) (await open(url, { cookie: agent.cookie, origin })).socket.close()
    // A program sends no Origin; it is authenticated as ever.
    ;(await open(url, agent.auth)).socket.close()
    expect(await refusal(url, { origin: 'https://evil.example' })).toBe(401)
  })

  it('closes the streams of a session that logs out, and only those', async () => {
    const agent = await login('agent')
    const bySession = await open(url, { cookie: agent.cookie })
    const byToken = await open(url, agent.auth)
    const res = await t.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: agent.cookie, 'x-csrf-token': agent.csrf } })
    expect(res.statusCode).toBe(204)
    expect(await within(bySession.closed)).toEqual({ code: 4401, reason: 'session ended' })
    expect(byToken.socket.readyState).toBe(WebSocket.OPEN)
    byToken.socket.close()
  })

  it('closes the streams of a revoked token, and only those', async () => {
    const agent = await t.user('agent')
    const second = (await t.request({ method: 'POST', url: '/api/v1/me/tokens', token: agent.token, payload: { name: 'tweede' } })).json()
    const revoked = await open(url, { authorization: `Bearer ${second.token}` })
    const kept = await open(url, agent.auth)
    expect((await t.request({ method: 'DELETE', url: `/api/v1/me/tokens/${second.id}`, token: agent.token })).statusCode).toBe(204)
    expect(await within(revoked.closed)).toEqual({ code: 4401, reason: 'token revoked' })
    expect(await refusal(url, { authorization: `Bearer ${second.token}` })).toBe(401)
    expect(kept.socket.readyState).toBe(WebSocket.OPEN)
    kept.socket.close()
  })

  it('closes every stream of a user who is disabled (4401) or demoted (4403)', async () => {
    const admin = await t.user('admin')
    const disabled = await login('agent')
    const demoted = await login('agent')
    const streams = [await open(url, { cookie: disabled.cookie }), await open(url, disabled.auth)]
    const demotedStreams = [await open(url, { cookie: demoted.cookie }), await open(url, demoted.auth)]
    const bystander = await open(url, admin.auth)

    expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${disabled.id}`, token: admin.token, payload: { active: false } })).statusCode).toBe(200)
    // Disabling ends the user's sessions and tokens too: whichever news comes first closes the socket.
    for (const s of streams) expect(await within(s.closed)).toMatchObject({ code: 4401, reason: expect.stringMatching(/^(account disabled|session ended|token revoked)$/) })
    expect(await refusal(url, disabled.auth)).toBe(401)

    expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${demoted.id}`, token: admin.token, payload: { role: 'customer' } })).statusCode).toBe(200)
    for (const s of demotedStreams) expect(await within(s.closed)).toEqual({ code: 4403, reason: 'access changed' })
    // Reconnected, the demoted user is a customer: no staff events, no internal notes.
    const again = await open(url, demoted.auth)
    const seen: { type: string; ticketId?: string }[] = []
    again.socket.on('message', (data) => seen.push(JSON.parse(String(data))))
    const other = await t.user('customer')
    const ticket = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: admin.token, payload: { subject: 'Niet voor jou', body: 'b', requester: { email: other.email } } })).json()
    await new Promise((r) => setTimeout(r, 300))
    expect(seen.some((m) => m.ticketId === ticket.id)).toBe(false)

    expect(bystander.socket.readyState).toBe(WebSocket.OPEN)
    for (const s of [again, bystander]) s.socket.close()
  })

  it('closes a stream when its session expires, unless the session was renewed meanwhile', async () => {
    const agent = await login('agent')
    const db = t.runtime.deps.db
    const sessionId = async () => (await db.selectFrom('session').select('id').where('user_id', '=', agent.id).executeTakeFirstOrThrow()).id
    const expireIn = async (ms: number) => db.updateTable('session').set({ expires_at: new Date(Date.now() + ms).toISOString() }).where('id', '=', await sessionId()).execute()
    await expireIn(1500)
    const expiring = await open(url, { cookie: agent.cookie })
    expect(await within(expiring.closed)).toEqual({ code: 4401, reason: 'session expired' })
    expect(await refusal(url, { cookie: agent.cookie })).toBe(401)

    // A session renewed by use (the app's API calls move expires_at on) keeps its stream.
    const again = await login('agent')
    await db.updateTable('session').set({ expires_at: new Date(Date.now() + 1500).toISOString() }).where('user_id', '=', again.id).execute()
    const renewed = await open(url, { cookie: again.cookie })
    await db.updateTable('session').set({ expires_at: new Date(Date.now() + 3600_000).toISOString() }).where('user_id', '=', again.id).execute()
    await new Promise((r) => setTimeout(r, 2500))
    expect(renewed.socket.readyState).toBe(WebSocket.OPEN)
    renewed.socket.close()
  })

  it('closes a stream when its token expires', async () => {
    const agent = await t.user('agent')
    const expiresAt = new Date(Date.now() + 2000).toISOString()
    const short = (await t.request({ method: 'POST', url: '/api/v1/me/tokens', token: agent.token, payload: { name: 'kort', expiresAt } })).json()
    const stream = await open(url, { authorization: `Bearer ${short.token}` })
    const kept = await open(url, agent.auth)
    expect(await within(stream.closed)).toEqual({ code: 4401, reason: 'token expired' })
    expect(await refusal(url, { authorization: `Bearer ${short.token}` })).toBe(401)
    expect(kept.socket.readyState).toBe(WebSocket.OPEN)
    kept.socket.close()
  })

  it('keeps a stream open when nothing about access changed', async () => {
    const admin = await t.user('admin')
    const agent = await t.user('agent')
    const stream = await open(url, agent.auth)
    expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${agent.id}`, token: admin.token, payload: { name: 'Nieuwe naam', role: 'agent' } })).statusCode).toBe(200)
    await new Promise((r) => setTimeout(r, 300))
    expect(stream.socket.readyState).toBe(WebSocket.OPEN)
    stream.socket.close()
  })
})
