import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createRuntime } from '../runtime.js'
import { testDatabases } from '../test/databases.js'
import { SYSTEM_ACTOR, testConfig } from '../test/test-app.js'

/**
 * PostgreSQL ends Loket's connections while requests run on them (a failover, a restart, an
 * administrator's pg_terminate_backend): the requests on them fail with 503, the process lives on,
 * answers again, loses no acknowledged write, and its stream clients are told to read again.
 */
const postgres = testDatabases.postgres
;(postgres ? describe : describe.skip)(`connection loss on PostgreSQL${postgres ? '' : ' — NOT RUN: TEST_DATABASE_URL is not set'}`, () => {
  let child: ChildProcess | undefined
  let drop: () => Promise<void> = async () => {}
  afterAll(async () => {
    child?.kill('SIGKILL')
    await drop()
  })

  it('survives every backend being terminated under load, several times', async () => {
    const created = await postgres!.create()
    drop = created.drop
    const url = (created.config as { url: string }).url
    const dataDir = mkdtempSync(join(tmpdir(), 'loket-loss-'))
    const setup = await createRuntime(testConfig(created.config, dataDir), { reactions: false })
    const agent = await setup.services.accounts.createUser(SYSTEM_ACTOR, { email: 'verlies@proces.nl', name: 'Verlies', role: 'agent' })
    const { token } = await setup.services.accounts.createToken(SYSTEM_ACTOR, agent.id, 't')
    await setup.close()

    child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'serve'], {
      env: { ...process.env, DATABASE_URL: url, PORT: '0', HOST: '127.0.0.1', LOKET_DATA_DIR: dataDir, LOG_LEVEL: 'warn', LOKET_SECRET: '07'.repeat(32) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stderr!.on('data', (d) => (output += d))
    let exited: number | null | undefined
    child.on('exit', (code) => (exited = code))
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Loket did not start: ${output}`)), 120_000)
      child!.stdout!.on('data', (d) => {
        output += d
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
        if (m) {
          clearTimeout(timer)
          resolve(Number(m[1]))
        }
      })
    })
    const base = `http://127.0.0.1:${port}`
    const auth = { authorization: `Bearer ${token}` }

    const stream = new WebSocket(`ws://127.0.0.1:${port}/api/v1/stream`, { headers: auth })
    const messages: { type: string; ticketId?: string }[] = []
    stream.on('message', (data) => messages.push(JSON.parse(String(data))))
    await new Promise((resolve) => stream.once('open', resolve))

    // Load: eight clients creating tickets without pause; every 201 is a write that must survive.
    const acknowledged: string[] = []
    const failures: { status: number; type?: string; retryAfter?: string; body: string }[] = []
    let loading = true
    const client = async () => {
      while (loading) {
        try {
          const res = await fetch(`${base}/api/v1/tickets`, {
            method: 'POST',
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify({ subject: 'Onder vuur', body: 'b', requester: { email: `k${acknowledged.length % 20}@example.nl` } }),
          })
          const body = await res.text()
          if (res.status === 201) acknowledged.push(JSON.parse(body).id)
          else failures.push({ status: res.status, type: res.headers.get('content-type') ?? undefined, retryAfter: res.headers.get('retry-after') ?? undefined, body })
        } catch (err) {
          failures.push({ status: 0, body: String(err) })
          await new Promise((r) => setTimeout(r, 100))
        }
      }
    }
    const clients = Array.from({ length: 8 }, client)

    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    const terminated: number[] = []
    for (let round = 0; round < 3; round++) {
      await new Promise((r) => setTimeout(r, 1500))
      const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')
      terminated.push(rows.length)
    }
    await new Promise((r) => setTimeout(r, 1500))
    loading = false
    await Promise.all(clients)

    expect(exited, `Loket exited:\n${output}`).toBeUndefined()
    expect(terminated.every((n) => n > 0)).toBe(true)
    // It answers again.
    await expect.poll(async () => (await fetch(`${base}/readyz`)).status, { timeout: 20_000 }).toBe(200)
    // Requests that were on a dropped connection got a 503 problem, with Retry-After; nothing else failed.
    expect(failures.length).toBeGreaterThan(0)
    for (const f of failures) {
      expect(f.status, f.body).toBe(503)
      expect(f.type).toMatch(/^application\/problem\+json/)
      expect(Number(f.retryAfter)).toBeGreaterThan(0)
    }
    // Every acknowledged ticket is there.
    const { rows } = await admin.query<{ n: number }>('SELECT count(*)::int AS n FROM ticket WHERE id = ANY($1)', [acknowledged])
    expect(rows[0].n).toBe(acknowledged.length)
    expect(acknowledged.length).toBeGreaterThan(20)
    await admin.end()

    // The stream was told to read again, and hears new events after the LISTEN connection came back.
    await expect.poll(() => messages.some((m) => m.type === 'resync'), { timeout: 20_000 }).toBe(true)
    const res = await fetch(`${base}/api/v1/tickets`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Na het herstel', body: 'b', requester: { email: 'na@example.nl' } }),
    })
    expect(res.status).toBe(201)
    const after = ((await res.json()) as { id: string }).id
    await expect.poll(() => messages.some((m) => m.type === 'ticket.created' && m.ticketId === after), { timeout: 20_000 }).toBe(true)
    stream.close()
    expect(exited).toBeUndefined()
  }, 240_000)
})
