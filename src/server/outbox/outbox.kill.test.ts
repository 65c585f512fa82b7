import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRuntime, type Runtime } from '../runtime.js'
import { describeEachDatabase } from '../test/databases.js'
import { SYSTEM_ACTOR, testConfig } from '../test/test-app.js'

const SERVER = fileURLToPath(new URL('./test/server-process.ts', import.meta.url))
const LEASE_MS = 2000

async function waitUntil<T>(what: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describeEachDatabase('outbox handlers survive kill -9: every event reaches an idempotent receiver exactly once', (database) => {
  let runtime: Runtime
  let drop: () => Promise<void>
  let dataDir: string
  let token: string
  let receiver: Server
  const children: ChildProcess[] = []
  /** Every request the receiver got (by Loket-Delivery), and what it did once per id: its effect. */
  const requests: string[] = []
  const processed = new Map<string, number>()
  let answer: (id: string, res: ServerResponse) => void = (_id, res) => res.writeHead(200).end()

  beforeAll(async () => {
    const created = await database.create()
    drop = created.drop
    dataDir = mkdtempSync(join(tmpdir(), 'loket-outbox-kill-'))
    // This process only sets up and looks: its own reactions are off, the child processes do the work.
    runtime = await createRuntime(testConfig(created.config, dataDir), { reactions: false })
    const agent = await runtime.services.accounts.createUser(SYSTEM_ACTOR, { email: `agent.${process.pid}@test.loket.nl`, name: 'Agent', role: 'agent' })
    token = (await runtime.services.accounts.createToken(SYSTEM_ACTOR, agent.id, 'kill test')).token
    receiver = createServer((req, res) => {
      const id = String(req.headers['loket-delivery'])
      req.resume()
      req.on('end', () => {
        requests.push(id)
        // The idempotent consumer: a repeat of an id it has handled changes nothing.
        processed.set(id, processed.has(id) ? processed.get(id)! : 1)
        answer(id, res)
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/loket`
    await runtime.services.webhooks.create(SYSTEM_ACTOR, { url, eventTypes: ['ticket.created', 'article.created'] })
  })
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
    receiver?.closeAllConnections()
    await new Promise((r) => receiver?.close(r))
    await runtime?.close()
    await drop?.()
    rmSync(dataDir, { recursive: true, force: true })
  })

  /** Starts a server process and resolves with its port once it listens. */
  function startServer(reactions: boolean) {
    const child = spawn(process.execPath, ['--import', 'tsx', SERVER, JSON.stringify({ db: runtime.config.db, dataDir, reactions, jobLeaseMs: LEASE_MS })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    children.push(child)
    let out = ''
    child.stderr!.on('data', (d) => (out += d))
    const port = new Promise<number>((resolve, reject) => {
      child.stdout!.on('data', (d) => {
        out += d
        const m = /listening (\d+)/.exec(out)
        if (m) resolve(Number(m[1]))
      })
      child.on('exit', (code, signal) => reject(new Error(`server process ended (${code ?? signal}) before listening:\n${out}`)))
    })
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
    return { child, port, kill: async () => (child.kill('SIGKILL'), await exited) }
  }

  const outboxRows = () => runtime.deps.db.selectFrom('outbox').select(['id', 'type']).execute()

  it('a ticket committed by a process killed before handling, and a delivery killed in flight, each reach the receiver once', async () => {
    // 1. A web process (no reactions) commits a new ticket, and is killed: its events wait in the outbox.
    const web = startServer(false)
    const res = await fetch(`http://127.0.0.1:${await web.port}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Doorgekomen ondanks kill -9', body: 'Graag hulp.', requester: { email: 'klant@example.nl' } }),
    })
    expect(res.status).toBe(201)
    await web.kill()
    const waiting = await outboxRows()
    expect(waiting.map((r) => r.type).sort()).toEqual(['article.created', 'ticket.created'])
    expect(requests).toEqual([])

    // 2. A worker takes them out and starts delivering; the receiver holds the first request, and the
    //    worker is killed while it waits for the answer.
    let held: ServerResponse | undefined
    answer = (_id, res) => {
      if (!held) held = res
      else res.writeHead(200).end()
    }
    const worker = startServer(true)
    await worker.port
    await waitUntil('the first delivery to arrive', () => held)
    await worker.kill()
    held!.destroy()
    expect(await outboxRows()).toEqual([]) // handled: the delivery jobs were committed with their removal

    // 3. Another worker: the job whose worker died is taken again once its lease ran out.
    answer = (_id, res) => res.writeHead(200).end()
    const again = startServer(true)
    await again.port
    await waitUntil('both events processed', () => processed.size === 2)
    await new Promise((r) => setTimeout(r, LEASE_MS + 1500)) // room for a wrong extra delivery to show
    await again.kill()

    expect(processed.size).toBe(2)
    expect([...processed.values()]).toEqual([1, 1])
    // The delivery in flight at the kill came again, with the same id: at least once, made once by the receiver.
    expect(requests.length).toBeGreaterThan(2)
    expect(new Set(requests).size).toBe(2)
    const jobs = await runtime.deps.db.selectFrom('job').select(['status', 'dedupe_key']).where('queue', '=', 'webhook.deliver').execute()
    expect(jobs).toHaveLength(2)
    expect(jobs.every((j) => j.status === 'done')).toBe(true)
  }, 180_000)
})
