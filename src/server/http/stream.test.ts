import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { buildApp } from '../app.js'
import { createRuntime } from '../runtime.js'
import { describeEachDatabase, testDatabases } from '../test/databases.js'
import { createTestApp, SYSTEM_ACTOR, testConfig, type TestApp } from '../test/test-app.js'

/** Connects and collects messages; resolves once the server said hello. */
async function connect(url: string, headers: Record<string, string>) {
  const socket = new WebSocket(url, { headers })
  const messages: any[] = []
  const waiters: { match: (m: any) => boolean; resolve: (m: any) => void }[] = []
  socket.on('message', (data) => {
    const msg = JSON.parse(String(data))
    messages.push(msg)
    for (const w of [...waiters]) if (w.match(msg)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(msg) }
  })
  const next = (match: (m: any) => boolean, timeoutMs = 5000) =>
    new Promise<any>((resolve, reject) => {
      const found = messages.find(match)
      if (found) return resolve(found)
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(messages)}`)), timeoutMs)
      waiters.push({ match, resolve: (m) => { clearTimeout(timer); resolve(m) } })
    })
  await next((m) => m.type === 'hello')
  return { socket, messages, next }
}

describeEachDatabase('realtime stream', (database) => {
  let t: TestApp
  let base: string
  beforeAll(async () => {
    t = await createTestApp(database)
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
    base = address.replace('http', 'ws')
  })
  afterAll(() => t?.close())

  it('refuses an unauthenticated connection', async () => {
    const socket = new WebSocket(`${base}/api/v1/stream`)
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(401)
  })

  it('pushes ticket and article events to agents, and to a customer only their own public activity', async () => {
    const agent = await t.user('agent')
    const customer = await t.user('customer')
    const stranger = await t.user('customer')
    const agentStream = await connect(`${base}/api/v1/stream`, agent.auth)
    const customerStream = await connect(`${base}/api/v1/stream`, customer.auth)
    const strangerStream = await connect(`${base}/api/v1/stream`, stranger.auth)

    const created = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject: 'Live', body: 'b', requester: { email: customer.email } } })).json()
    expect(await agentStream.next((m) => m.type === 'ticket.created' && m.ticketId === created.id)).toMatchObject({ number: created.number })
    await customerStream.next((m) => m.type === 'ticket.created' && m.ticketId === created.id)

    const note = (await t.request({ method: 'POST', url: `/api/v1/tickets/${created.id}/articles`, token: agent.token, payload: { body: 'intern', visibility: 'internal' } })).json()
    const reply = (await t.request({ method: 'POST', url: `/api/v1/tickets/${created.id}/articles`, token: agent.token, payload: { body: 'publiek' } })).json()
    await agentStream.next((m) => m.type === 'article.created' && m.articleId === note.id)
    await customerStream.next((m) => m.type === 'article.created' && m.articleId === reply.id)
    await agentStream.next((m) => m.type === 'ticket.updated' && m.ticketId === created.id)
    expect(customerStream.messages.some((m) => m.articleId === note.id)).toBe(false)
    expect(strangerStream.messages.some((m) => m.ticketId === created.id)).toBe(false)
    for (const s of [agentStream, customerStream, strangerStream]) s.socket.close()
  })

  it('relays presence between agents, never to customers', async () => {
    const anna = await t.user('agent', { name: 'Anna' })
    const bram = await t.user('agent', { name: 'Bram' })
    const a = await connect(`${base}/api/v1/stream?topics=ticket:ticket-1`, anna.auth)
    const b = await connect(`${base}/api/v1/stream`, bram.auth)
    // Presence goes to those watching the ticket: Bram opens it.
    b.socket.send(JSON.stringify({ type: 'subscribe', topics: ['ticket:ticket-1'] }))
    expect(await b.next((m) => m.type === 'subscribed')).toMatchObject({ topics: ['queue:all', 'ticket:ticket-1'] })
    a.socket.send(JSON.stringify({ type: 'presence', ticketId: 'ticket-1', state: 'typing' }))
    expect(await b.next((m) => m.type === 'presence')).toMatchObject({ ticketId: 'ticket-1', name: 'Anna', state: 'typing' })
    // Anna hears no echo of herself.
    expect(a.messages.some((m) => m.type === 'presence')).toBe(false)
    // Anna's browser goes away without saying so: Bram still hears that she left.
    a.socket.terminate()
    expect(await b.next((m) => m.type === 'presence' && m.state === 'left')).toMatchObject({ ticketId: 'ticket-1', name: 'Anna' })
    b.socket.close()
  })

  it('delivers by topic: a group queue, one ticket, the agent\'s own; customers only their own tickets', async () => {
    const admin = await t.user('admin')
    const dept = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: `Topics ${Date.now()}` } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Tweede lijn', departmentId: dept.id, line: 2 } })).json()
    const agent = await t.user('agent')
    const other = await t.user('agent')
    const customer = await t.user('customer')
    const queue = await connect(`${base}/api/v1/stream?topics=queue:${group.id}`, agent.auth)
    const own = await connect(`${base}/api/v1/stream?topics=own`, other.auth)
    const customerStream = await connect(`${base}/api/v1/stream?topics=own`, customer.auth)
    // A customer may not watch a group's queue.
    customerStream.socket.send(JSON.stringify({ type: 'subscribe', topics: [`queue:${group.id}`, 'nonsense'] }))
    expect(await customerStream.next((m) => m.type === 'subscribed')).toEqual({ type: 'subscribed', topics: ['own'], refused: ['nonsense', `queue:${group.id}`] })

    const created = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject: 'Topics', body: 'b', requester: { email: customer.email } } })).json()
    const seen = await customerStream.next((m) => m.type === 'ticket.created' && m.ticketId === created.id)
    expect(seen).not.toHaveProperty('groupId')
    const ticketStream = await connect(`${base}/api/v1/stream?topics=ticket:${created.id}`, agent.auth)
    // Moved to the group and assigned to the other agent: the queue and the other agent's own hear it.
    const etag = (await t.request({ method: 'GET', url: `/api/v1/tickets/${created.id}`, token: agent.token })).headers.etag as string
    const moved = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${created.id}`, token: agent.token, headers: { 'if-match': etag }, payload: { groupId: group.id, assigneeId: other.id } })
    expect(moved.statusCode, moved.body).toBe(200)
    expect(await queue.next((m) => m.type === 'ticket.updated' && m.ticketId === created.id)).toMatchObject({ groupId: group.id })
    expect(await own.next((m) => m.type === 'ticket.updated' && m.ticketId === created.id)).toMatchObject({ assigneeId: other.id })
    await ticketStream.next((m) => m.type === 'ticket.updated' && m.ticketId === created.id)
    // The queue did not hear of the ticket before it arrived there; the agent's own stream nothing of others.
    expect(queue.messages.some((m) => m.type === 'ticket.created' && m.ticketId === created.id)).toBe(false)
    expect(own.messages.some((m) => m.type === 'ticket.created' && m.ticketId === created.id)).toBe(false)

    const note = (await t.request({ method: 'POST', url: `/api/v1/tickets/${created.id}/articles`, token: agent.token, payload: { body: 'intern', visibility: 'internal' } })).json()
    await ticketStream.next((m) => m.type === 'article.created' && m.articleId === note.id)
    await queue.next((m) => m.type === 'article.created' && m.articleId === note.id)
    await new Promise((r) => setTimeout(r, 200))
    expect(customerStream.messages.some((m) => m.articleId === note.id)).toBe(false)
    for (const s of [queue, own, customerStream, ticketStream]) s.socket.close()
  })

  it('refuses unknown topics when connecting', async () => {
    const agent = await t.user('agent')
    const socket = new WebSocket(`${base}/api/v1/stream?topics=queue:all,tickets`, { headers: agent.auth })
    const status = await new Promise<number>((resolve) => socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)))
    expect(status).toBe(400)
  })
})

// Two server processes on one PostgreSQL database: an event in one reaches a client of the other.
const pg = testDatabases.postgres
;(pg ? describe : describe.skip)(`two server processes on PostgreSQL${pg ? '' : ' — NOT RUN: TEST_DATABASE_URL is not set'}`, () => {
  let child: ChildProcess | undefined
  let drop: () => Promise<void> = async () => {}
  let closeLocal: () => Promise<void> = async () => {}
  afterAll(async () => {
    child?.kill('SIGTERM')
    await closeLocal()
    await drop()
  })

  it('delivers an event created in process A to a WebSocket client of process B', async () => {
    const created = await pg!.create()
    drop = created.drop
    const dataDir = mkdtempSync(join(tmpdir(), 'loket-2p-'))
    const runtime = await createRuntime(testConfig(created.config, dataDir))
    const app = await buildApp(runtime, { webRoot: join(dataDir, 'none') })
    await app.listen({ port: 0, host: '127.0.0.1' })
    closeLocal = async () => {
      await app.close()
      await runtime.close()
    }
    const agent = await runtime.services.accounts.createUser(SYSTEM_ACTOR, { email: 'twee@proces.nl', name: 'Twee', role: 'agent' })
    const { token } = await runtime.services.accounts.createToken(SYSTEM_ACTOR, agent.id, 't')

    // Process B: a real, separate Loket server on the same database.
    const url = (created.config as { url: string }).url
    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'serve', '--roles=web'], {
      env: { ...process.env, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOKET_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOKET_SECRET: '07'.repeat(32) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stderr!.on('data', (d) => (output += d))
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`process B did not start: ${output}`)), 120_000)
      child!.stdout!.on('data', (d) => {
        output += d
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
        if (m) { clearTimeout(timer); resolve(Number(m[1])) }
      })
    })
    const stream = await connect(`ws://127.0.0.1:${port}/api/v1/stream`, { authorization: `Bearer ${token}` })
    const res = await app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${token}` }, payload: { subject: 'Over processen heen', body: 'b', requester: { email: 'k@example.nl' } } })
    expect(res.statusCode).toBe(201)
    expect(await stream.next((m) => m.type === 'ticket.created' && m.ticketId === res.json().id)).toMatchObject({ number: res.json().number })
    stream.socket.close()
  }, 180_000)
})
