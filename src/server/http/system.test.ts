import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('health, metrics and OpenAPI', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(() => t?.close())

  it('reports liveness and readiness', async () => {
    expect((await t.request({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await t.request({ method: 'GET', url: '/readyz' })).json()).toEqual({ status: 'ready' })
  })

  it('serves Prometheus metrics to this machine and administrators only', async () => {
    await t.request({ method: 'GET', url: '/healthz' })
    const local = await t.request({ method: 'GET', url: '/metrics' })
    expect(local.statusCode).toBe(200)
    expect(local.body).toContain('loket_http_request_duration_seconds_bucket')
    expect(local.body).toContain('loket_outbox_events{status="pending"} 0')
    const at = new Date().toISOString()
    await t.runtime.deps.db.insertInto('outbox').values({ id: 'metrics-test', type: 'ticket.created', payload: '{}', status: 'failed', attempts: 20, available_at: at, last_error: 'x', created_at: at }).execute()
    expect((await t.request({ method: 'GET', url: '/metrics' })).body).toContain('loket_outbox_events{status="failed"} 1')
    await t.runtime.deps.db.deleteFrom('outbox').where('id', '=', 'metrics-test').execute()
    const remote = await t.request({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9' })
    expect(remote.statusCode).toBe(403)
    const admin = await t.user('admin')
    expect((await t.request({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9', token: admin.token })).statusCode).toBe(200)
  })

  it('believes X-Forwarded-For only from the proxies named in LOKET_TRUST_PROXY, not from any loopback peer', async () => {
    // A remote client naming 127.0.0.1 does not pass for this machine; a request forwarded by a local proxy does not either.
    expect((await t.request({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode).toBe(403)
    expect((await t.request({ method: 'GET', url: '/metrics', headers: { 'x-forwarded-for': '203.0.113.9' } })).statusCode).toBe(403)
    // By default no peer is a proxy: a loopback peer's X-Forwarded-For is not believed (the audit log shows the address used).
    const signInIp = async (app: TestApp, forwardedFor: string) => {
      const email = `ip-${forwardedFor}@desk.nl`
      await app.user('agent', { email, password: 'wachtwoord-ip' })
      const login = await app.request({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': forwardedFor }, payload: { email, password: 'wachtwoord-ip' } })
      expect(login.statusCode).toBe(200)
      const admin = await app.user('admin')
      return (await app.request({ method: 'GET', url: '/api/v1/audit?action=auth.signed-in&limit=1', token: admin.token })).json().items[0].ip
    }
    expect(await signInIp(t, '198.51.100.44')).toBe('127.0.0.1')
    const proxied = await createTestApp(database, { config: { trustProxy: ['127.0.0.1'] } })
    try {
      expect(await signInIp(proxied, '198.51.100.45')).toBe('198.51.100.45')
    } finally {
      await proxied.close()
    }
    // A new address per attempt does not escape the login rate limit (10 a minute per client).
    const limited = await createTestApp(database, { loginRateLimit: 10 })
    try {
      const statuses: number[] = []
      for (let i = 0; i < 12; i++) {
        const res = await limited.request({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '203.0.113.10', headers: { 'x-forwarded-for': `198.51.100.${i}` }, payload: { email: 'x@example.nl', password: 'wrong-password' } })
        statuses.push(res.statusCode)
      }
      expect(statuses.slice(10)).toEqual([429, 429])
    } finally {
      await limited.close()
    }
  })

  it('describes the API as OpenAPI 3.1 with every main route', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(doc.openapi).toBe('3.1.0')
    for (const path of ['/api/v1/tickets', '/api/v1/tickets/{id}', '/api/v1/tickets/{id}/articles', '/api/v1/tickets/{id}/history', '/api/v1/auth/login', '/api/v1/me', '/api/v1/users', '/api/v1/organisations', '/api/v1/groups', '/api/v1/departments']) {
      expect(Object.keys(doc.paths), path).toContain(path)
    }
    expect(doc.paths['/api/v1/tickets'].post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['subject', 'body', 'requester']))
    // Errors are documented as RFC 9457 problem details on every operation; the ticket update names 412 and 428.
    expect(doc.components.schemas.Problem.required).toEqual(expect.arrayContaining(['type', 'title', 'status']))
    for (const [path, operations] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>>)) {
      for (const [method, op] of Object.entries(operations)) expect(Object.keys(op.responses['4XX'].content), `${method} ${path}`).toEqual(['application/problem+json'])
    }
    expect(Object.keys(doc.paths['/api/v1/tickets/{id}'].patch.responses)).toEqual(expect.arrayContaining(['200', '409', '412', '428']))
  })
})

describe('graceful shutdown', () => {
  it('lets a request in flight finish after SIGTERM, turns later ones away with a 503 problem, then exits cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loket-stop-'))
    const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`, LOKET_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }
    const cli = (args: string[]) =>
      new Promise<string>((resolve, reject) => {
        const p = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', ...args], { env })
        let out = ''
        p.stdout.on('data', (d) => (out += d))
        p.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`exit ${code}`))))
      })
    await cli(['user', 'create', '--email', 'stop@example.nl', '--name', 'Stop', '--role', 'agent'])
    const token = await cli(['token', 'create', '--email', 'stop@example.nl'])
    const server = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    server.stderr.on('data', (d) => (output += d))
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(output)), 120_000)
      server.stdout.on('data', (d) => {
        output += d
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
        if (m) { clearTimeout(timer); resolve(Number(m[1])) }
      })
    })
    const body = JSON.stringify({ subject: 'Tijdens het stoppen', body: 'Deze melding mag niet verloren gaan.', requester: { email: 'k@example.nl' } })
    // On one connection: the headers and half the body, SIGTERM, then the rest and (pipelined behind it)
    // a second request that arrives while the server stops.
    const answers = new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1')
      let data = ''
      socket.on('data', (d) => (data += d))
      socket.on('close', () => resolve(data))
      socket.on('error', reject)
      socket.write(
        `POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 20)}`,
      )
      setTimeout(() => {
        server.kill('SIGTERM')
        setTimeout(() => socket.write(`${body.slice(20)}GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n\r\n`), 300)
      }, 300)
    })
    const exited = new Promise<number | null>((resolve) => server.on('exit', (code) => resolve(code)))
    const [created, turnedAway] = (await answers).split(/(?=HTTP\/1\.1 )/)
    expect(created, created).toMatch(/^HTTP\/1\.1 201 /)
    expect(JSON.parse(created.slice(created.indexOf('\r\n\r\n') + 4)).number).toMatch(/^\d{4}-\d{5}$/)
    // The request in flight finished; the one that came after is turned away with a problem.
    expect(turnedAway, turnedAway).toMatch(/^HTTP\/1\.1 503 /)
    expect(turnedAway).toMatch(/content-type: application\/problem\+json/i)
    expect(turnedAway).toMatch(/retry-after: 5/i)
    expect(JSON.parse(turnedAway.slice(turnedAway.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 503, code: 'unavailable' })
    expect(await exited).toBe(0)
  }, 180_000) // three process starts through tsx; slow on a busy machine
})
