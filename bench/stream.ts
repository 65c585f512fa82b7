/**
 * Live overviews (issue 12): many agents connected to `/api/v1/stream` while tickets are created at a
 * steady rate. Every agent watches the whole desk (`queue:all`), so every event goes to every socket: the
 * most the fan-out can be asked to do. Measured: whether every event arrived at every socket, the time
 * from the event's `at` (taken just before the ticket is written, so a little before its commit) to the
 * message's arrival in the client, and the server's CPU while it runs.
 *
 * The agents and their API tokens are written straight into the database (500 CLI runs or password
 * logins would take minutes); the clients are real WebSocket clients (`ws`) on loopback, spread over
 * worker threads so that their own work does not add to the latency they measure.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'
import { createDb } from '../src/server/db/create-db.js'
import { parseDatabaseUrl } from '../src/server/config.js'
import { newId } from '../src/server/clock.js'
import { percentile } from './load.js'
import { cpuMsOf } from './procs.js'
import type { BenchRow } from './run.js'

export interface StreamBenchOptions {
  db: string
  url: string
  databaseUrl: string
  /** A token of the agent that creates the tickets. */
  token: string
  serverPid: number
  duration: number
  agents?: number
  ticketsPerSecond?: number
  log: (line: string) => void
}

/** What one client thread reports: per event, the delay of every socket that got it. */
export interface ClientReport {
  connected: number
  /** eventKey → delays in ms, one per socket that received it. */
  delays: Record<string, number[]>
  closedEarly: number
  /** The threads's own event loop delay (p99, ms): how much of the latency is the client's. */
  loopDelayP99: number
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–')

async function createAgents(databaseUrl: string, count: number): Promise<string[]> {
  const database = createDb(parseDatabaseUrl(databaseUrl))
  const now = new Date().toISOString()
  const tag = `${process.pid}-${Date.now()}`
  const tokens: string[] = []
  try {
    await database.db.transaction().execute(async (trx) => {
      for (let i = 0; i < count; i += 100) {
        const users = Array.from({ length: Math.min(100, count - i) }, (_, j) => ({
          id: newId(),
          email: `stream.${tag}.${i + j}@bench.loket.test`,
          name: `Stream Agent ${i + j}`,
          role: 'agent',
          password_hash: null,
          organisation_id: null,
          language: 'nl',
          phone: null,
          active: 1,
          created_at: now,
          updated_at: now,
        }))
        await trx.insertInto('app_user').values(users).execute()
        const rows = users.map((u) => {
          const token = `lkt_${randomBytes(32).toString('base64url')}`
          tokens.push(token)
          return { id: newId(), user_id: u.id, name: 'stream bench', token_hash: createHash('sha256').update(token).digest('hex'), created_at: now, last_used_at: null, revoked_at: null }
        })
        await trx.insertInto('api_token').values(rows).execute()
      }
    })
  } finally {
    await database.close()
  }
  return tokens
}

/** The client threads: each connects its share of the agents and records what arrives. */
const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const { monitorEventLoopDelay } = require('node:perf_hooks')
const WebSocket = require(workerData.wsPath)
const { url, tokens } = workerData
const delays = new Map()
let connected = 0
let total = 0
let closedEarly = 0
let stopping = false
const sockets = []
const loop = monitorEventLoopDelay({ resolution: 5 })
function open(token) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { authorization: 'Bearer ' + token }, skipUTF8Validation: true })
    sockets.push(socket)
    // Read with string searches, not JSON.parse: the clients share the machine with the server they measure.
    const field = (text, name) => {
      const i = text.indexOf('"' + name + '":"')
      return i < 0 ? '' : text.slice(i + name.length + 4, text.indexOf('"', i + name.length + 4))
    }
    socket.on('message', (data) => {
      const received = Date.now()
      const text = data.toString()
      const type = field(text, 'type')
      if (type === 'hello') { connected++; resolve(); return }
      if (type !== 'ticket.created' && type !== 'article.created') return
      total++
      const key = type + ':' + field(text, 'ticketId')
      let list = delays.get(key)
      if (!list) delays.set(key, (list = []))
      list.push(received - Date.parse(field(text, 'at')))
    })
    socket.on('close', () => { if (!stopping) closedEarly++ })
    socket.on('error', reject)
  })
}
parentPort.on('message', async (msg) => {
  if (msg === 'connect') {
    for (let i = 0; i < tokens.length; i += 25) await Promise.all(tokens.slice(i, i + 25).map(open))
    loop.enable()
    parentPort.postMessage({ type: 'connected' })
  } else if (msg === 'count') {
    parentPort.postMessage({ type: 'count', total })
  } else if (msg === 'report') {
    stopping = true
    loop.disable()
    for (const s of sockets) s.terminate()
    parentPort.postMessage({ type: 'report', report: { connected, closedEarly, delays: Object.fromEntries(delays), loopDelayP99: loop.percentile(99) / 1e6 } })
  }
})
`

export async function runStreamBench(opts: StreamBenchOptions): Promise<BenchRow[]> {
  const agents = opts.agents ?? 500
  const rate = opts.ticketsPerSecond ?? 50
  const { log } = opts
  log(`\nLive overviews: ${agents} agents on the stream (queue:all), tickets created at ${rate}/s for ${opts.duration} s`)
  const tokens = await createAgents(opts.databaseUrl, agents)
  const streamUrl = `${opts.url.replace(/^http/, 'ws')}/api/v1/stream?topics=queue:all`
  const threads = 2
  const wsPath = createRequire(import.meta.url).resolve('ws')
  const workers = Array.from(
    { length: threads },
    (_, i) => new Worker(CLIENT_SOURCE, { eval: true, workerData: { url: streamUrl, tokens: tokens.filter((_, j) => j % threads === i), wsPath } }),
  )
  const ask = <T>(worker: Worker, message: string, type: string) =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return
        worker.off('message', onMessage)
        resolve(m as T)
      }
      worker.on('message', onMessage)
      worker.once('error', reject)
      worker.postMessage(message)
    })
  try {
    let t = Date.now()
    await Promise.all(workers.map((w) => ask(w, 'connect', 'connected')))
    log(`  ${agents} sockets connected in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    await new Promise((r) => setTimeout(r, 1000))

    // Tickets at a steady rate, whatever the answers take; the run stops by itself after `duration`.
    const created: string[] = []
    const failed: Record<string, number> = {}
    const fail = (why: string) => void (failed[why] = (failed[why] ?? 0) + 1)
    const inFlight: Promise<void>[] = []
    const cpu0 = cpuMsOf(opts.serverPid)
    t = performance.now()
    const total = Math.round(opts.duration * rate)
    for (let n = 0; n < total; n++) {
      const due = t + (n * 1000) / rate
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      inFlight.push(
        fetch(`${opts.url}/api/v1/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${opts.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ subject: `Live ${n}`, body: 'Een nieuwe melding voor het overzicht.', requester: { email: `live.${n % 200}@example.org` } }),
        }).then(
          async (res) => {
            if (res.status === 201) created.push(((await res.json()) as { id: string }).id)
            else fail(String(res.status))
          },
          (err: Error) => fail(err.message),
        ),
      )
    }
    await Promise.all(inFlight)
    const seconds = (performance.now() - t) / 1000
    // Until every event has arrived (or 60 s more): what the server still writes out counts to its CPU.
    const expected = created.length * 2 * agents
    const waitUntil = performance.now() + 60_000
    while (performance.now() < waitUntil) {
      const counts = await Promise.all(workers.map((w) => ask<{ total: number }>(w, 'count', 'count')))
      if (counts.reduce((s, c) => s + c.total, 0) >= expected) break
      await new Promise((r) => setTimeout(r, 250))
    }
    const drained = (performance.now() - t) / 1000
    const cpuMs = cpuMsOf(opts.serverPid) - cpu0
    const cpuPercent = (cpuMs / 1000 / drained) * 100
    // On a machine too busy to keep up the rate, the CPU per ticket still says what 50/s would cost.
    const cpuPerTicket = cpuMs / Math.max(1, created.length)
    const cpuAtRate = (cpuPerTicket * rate) / 10
    const reports = await Promise.all(workers.map((w) => ask<{ report: ClientReport }>(w, 'report', 'report')))

    const all: number[] = []
    let delivered = 0
    for (const { report } of reports) {
      for (const id of created) {
        for (const type of ['ticket.created', 'article.created']) {
          const list = report.delays[`${type}:${id}`] ?? []
          delivered += list.length
          for (const d of list) all.push(d)
        }
      }
    }
    all.sort((a, b) => a - b)
    const connected = reports.reduce((s, r) => s + r.report.connected, 0)
    const closedEarly = reports.reduce((s, r) => s + r.report.closedEarly, 0)
    const clientLoop = Math.max(...reports.map((r) => r.report.loopDelayP99))
    log(
      `  ${created.length} tickets created (failed: ${JSON.stringify(failed)}) in ${seconds.toFixed(1)} s (${fmt(created.length / seconds, 1)}/s), deliveries done after ${drained.toFixed(1)} s; ${fmt(delivered)} of ${fmt(expected)} events delivered; ` +
        `${connected} sockets, ${closedEarly} closed early; delay p50 ${fmt(percentile(all, 50))}, p95 ${fmt(percentile(all, 95))}, p99 ${fmt(percentile(all, 99))}, max ${fmt(all.at(-1) ?? NaN)} ms; ` +
        `client threads' own event loop delay p99 ${fmt(clientLoop, 1)} ms; server CPU ${fmt(cpuPercent)} % of one core, ${fmt(cpuPerTicket, 2)} ms per ticket`,
    )
    const label = `live overview: ${agents} agents on the stream, ${rate} tickets/s (2 events each)`
    return [
      { db: opts.db, figure: `${label}: events delivered`, measured: `${fmt(delivered)} of ${fmt(expected)}`, target: 'all', baseline: '', pass: delivered === expected && Object.keys(failed).length === 0 },
      {
        db: opts.db,
        figure: `${label}: commit to socket p99 (p50 ${fmt(percentile(all, 50))}, p95 ${fmt(percentile(all, 95))} ms)`,
        measured: `${fmt(percentile(all, 99))} ms`,
        target: '≤ 100 ms',
        baseline: '',
        pass: percentile(all, 99) <= 100,
      },
      {
        db: opts.db,
        figure: `${label}: server CPU at ${rate} tickets/s (${fmt(cpuPerTicket, 2)} ms per ticket × ${rate}/s; measured ${fmt(cpuPercent)} % at ${fmt(created.length / seconds, 1)} tickets/s)`,
        measured: `${fmt(cpuAtRate)} % of one core`,
        target: '≤ 50 %',
        baseline: '',
        pass: cpuAtRate <= 50,
      },
    ]
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
}
