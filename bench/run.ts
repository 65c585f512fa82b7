/**
 * `npm run bench`: generates (or reuses) a service desk of the chosen scale, starts the real Loket server
 * as its own process on 127.0.0.1, loads it with autocannon and prints each figure beside its target and
 * a baseline measured in the same run. See bench/README.md for the targets and the latest figures.
 *
 *   node dist/bench/run.js [--db=sqlite|postgres|both] [--scale=1000000] [--duration=15] [--only=all|api|create|read|app|email|stream|knowledge|routing|portal]
 *                          [--connections=10] [--read-connections=4] [--fresh] [--cpu-prof]
 */
import { randomBytes } from 'node:crypto'
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import type autocannon from 'autocannon'
import pg from 'pg'
import { cachedPostgres, cachedSqlite, cacheDir, customerEmail, databaseUrl, shapeFor } from './generate.js'
import { type LoadResult, load } from './load.js'
import { getWithWrk, loadWithWrk, wrkInstalled } from './wrk.js'
import { backendCpuBetween, backendCpuMs, cpuMsOf, freePort, loketBin, loketCli, RssSampler, repoRoot, startServer } from './procs.js'
import { rareWords, rng, searchQueries, textGenerator } from './words.js'
import { measureAgentApp } from './agent-app.js'
import { runStreamBench } from './stream.js'
import { runKnowledgeBench } from './knowledge.js'
import { runRoutingBench } from './routing.js'
import { runHandoffBench } from './handoff.js'
import { handoffQueueFigures, topUpHandoffs } from './handoff-queues.js'
import { runPortalBench } from './portal.js'
import { dayOneFigures, topUpCustomers } from './day-one.js'
import Database from 'better-sqlite3'

// --- options ---------------------------------------------------------------------------------------

function option(name: string, fallback: string): string {
  const flag = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`))
  if (flag) return flag.includes('=') ? flag.slice(flag.indexOf('=') + 1) : 'true'
  return process.env[`BENCH_${name.toUpperCase().replace(/-/g, '_')}`] ?? fallback
}

function fail(message: string): never {
  console.error(`bench: ${message}`)
  process.exit(2)
}

const dbOption = option('db', 'sqlite')
if (!['sqlite', 'postgres', 'both'].includes(dbOption)) fail(`--db must be sqlite, postgres or both (got ${dbOption})`)
const scale = Number(option('scale', '1000000').replace(/[_,]/g, ''))
if (!Number.isInteger(scale) || scale < 100) fail('--scale must be a whole number of tickets, at least 100')
const duration = Number(option('duration', '15'))
if (!(duration >= 1 && duration <= 600)) fail('--duration must be 1–600 seconds per measurement')
const only = option('only', 'all')
if (!['all', 'api', 'create', 'read', 'app', 'email', 'stream', 'knowledge', 'routing', 'portal'].includes(only)) {
  fail('--only must be all, api (read and create), create, read, app (the agent app in Chromium), email, stream (live overviews), knowledge (templates and knowledge base), routing (routing rules and business time) or portal (the customer portal at 1,000,000 customers)')
}
const connections = Number(option('connections', '10'))
const readConnections = Number(option('read-connections', '4'))
const fresh = option('fresh', 'false') === 'true'
const cpuProf = option('cpu-prof', 'false') === 'true'
const logLevel = option('log-level', 'info')
const loadGenerator = option('load', wrkInstalled() ? 'wrk' : 'autocannon')
if (!['wrk', 'autocannon'].includes(loadGenerator)) fail('--load must be wrk or autocannon')
if (loadGenerator === 'wrk' && !wrkInstalled()) fail('--load=wrk needs wrk (apt-get install wrk)')
const pgBase = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'
const kinds = (dbOption === 'both' ? ['sqlite', 'postgres'] : [dbOption]) as ('sqlite' | 'postgres')[]

const log = (line: string) => console.log(line)

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '–')
const mb = (bytes: number) => `${fmt(bytes / 1024 / 1024)} MB`

// --- the report --------------------------------------------------------------------------------------

/** One line of the figures table. bench/email.ts returns rows of this shape too. */
export interface BenchRow {
  db: string
  figure: string
  measured: string
  target: string
  baseline: string
  /** null: informational, no target. */
  pass: boolean | null
}

const rows: BenchRow[] = []
const row = (r: BenchRow) => {
  rows.push(r)
  log(`  → ${r.figure}: ${r.measured} (target ${r.target}${r.baseline !== '' ? `, baseline ${r.baseline}` : ''})${r.pass === null ? '' : r.pass ? ' PASS' : ' FAIL'}`)
}

function printTable(all: BenchRow[]) {
  const header: BenchRow = { db: 'db', figure: 'figure', measured: 'measured', target: 'target', baseline: 'baseline', pass: null }
  const cells = (r: BenchRow) => [r.db, r.figure, r.measured, r.target, r.baseline, r === header ? 'pass/fail' : r.pass === null ? '' : r.pass ? 'PASS' : 'FAIL']
  const widths = cells(header).map((_, i) => Math.max(...[header, ...all].map((r) => cells(r)[i].length)))
  const line = (r: BenchRow) => '| ' + cells(r).map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |'
  console.log('\n' + line(header))
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|')
  for (const r of all) console.log(line(r))
}

// --- request bodies ----------------------------------------------------------------------------------

/** POST /tickets bodies: varying subjects and texts; 70% from existing customers (repeats), 30% from new addresses. */
function ticketBodies(tag: string) {
  const r = rng(tag.length * 7919 + 17)
  const text = textGenerator(rareWords(30_000))
  const shape = shapeFor(scale)
  const pool = Array.from({ length: 2000 }, () => ({ subject: text.subject(r), body: text.body(r) }))
  let n = 0
  return () => {
    n++
    const existing = r.next() < 0.7
    const i = existing ? r.skewed(shape.customers, 1.3) : n
    const email = existing ? customerEmail(i, shape.organisations) : `nieuw.${tag}.${process.pid}.${n}@example.org`
    const { subject, body } = pool[n % pool.length]
    return JSON.stringify({ subject, body, requester: { email, name: `Klant ${i}` } })
  }
}

const creationRequest = (path: string, tag: string): autocannon.Request => {
  const next = ticketBodies(tag)
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => ({ ...req, body: next() }),
  }
}

/**
 * Ticket creation is measured at steady state. A working copy starts cold (PostgreSQL's shared buffers
 * hold none of its pages, and the first writes to each page after a checkpoint log the whole page): in
 * its first seconds a server writes at half its later rate. Loket and the baseline get the same warm-up.
 */
const CREATION_WARMUP_S = 10

/**
 * GET load over `paths` in turn (queue pages, searches), with the chosen load generator: autocannon
 * parsed every 50-ticket page in JavaScript, on the same two cores as the server it measured.
 */
function loadReads(url: string, paths: string[], seconds: number, headers: Record<string, string>) {
  if (loadGenerator === 'autocannon') return load({ url, connections: readConnections, seconds, requests: [rotating(paths)], headers })
  return getWithWrk({ url, paths, connections: readConnections, seconds, authorization: headers.authorization })
}

/** Ticket creation for `seconds` against `url` + `path`, with the chosen load generator; every body differs. */
function loadCreation(url: string, path: string, tag: string, seconds: number, headers?: Record<string, string>): Promise<LoadResult> {
  if (loadGenerator === 'autocannon') return load({ url, connections, seconds, requests: [creationRequest(path, tag)], headers })
  // Enough bodies for 6,000 tickets/s; beyond that they repeat (a new address then is an existing customer).
  const next = ticketBodies(tag)
  const bodies = Array.from({ length: Math.ceil(seconds * 6000) }, next)
  return loadWithWrk({ url, path, connections, seconds, bodies, authorization: headers?.authorization })
}

/** Creation at steady state (after the warm-up) against one server process: rate, latency, CPU per ticket. */
async function measureCreation(server: { url: string; pid: number }, path: string, tag: string, database: string | undefined, headers?: Record<string, string>) {
  await loadCreation(server.url, path, `${tag}warm`, CREATION_WARMUP_S, headers)
  const cpu0 = cpuMsOf(server.pid)
  const backends0 = database ? await backendCpuMs(pgBase, database) : new Map<number, number>()
  const result = await loadCreation(server.url, path, tag, duration, headers)
  const serverCpu = cpuMsOf(server.pid) - cpu0
  const databaseCpu = database ? backendCpuBetween(backends0, await backendCpuMs(pgBase, database)) : 0
  const tickets = Math.max(1, result.ok)
  return { result, serverCpu: serverCpu / tickets, databaseCpu: databaseCpu / tickets }
}
type Creation = Awaited<ReturnType<typeof measureCreation>>
/** CPU per ticket: the server's, and on PostgreSQL its backends' too (they do part of the work). */
const cpuPerTicket = (c: Creation) => c.serverCpu + c.databaseCpu

/** The same GET paths in turn, one per request. */
const rotating = (paths: string[]): autocannon.Request => {
  let i = 0
  return { method: 'GET', path: paths[0], setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }
}

// --- one database --------------------------------------------------------------------------------------

async function benchDatabase(kind: 'sqlite' | 'postgres') {
  log(`\n=== ${kind}: ${fmt(scale)} tickets, ${fmt(scale * 5)} articles ===`)
  const work = mkdtempSync(join(tmpdir(), 'loket-bench-'))
  let databaseUrlForRun: string
  /** PostgreSQL: the working copy's name, whose backends' CPU is measured. */
  let runDatabase: string | undefined
  let dropWorkCopy = async () => {}
  let generation
  if (kind === 'sqlite') {
    const cached = await cachedSqlite(scale, log, { fresh })
    generation = cached.marker
    // The run writes (tickets, a token): it works on a copy, so the cache stays as generated.
    const t = Date.now()
    const copy = join(work, 'loket.sqlite')
    copyFileSync(cached.file, copy)
    // Written out before anything is measured: otherwise the kernel writes the copy's gigabytes back to
    // disk during the first measurements (Loket's), and not during the baseline's.
    const fd = openSync(copy, 'r+')
    fsyncSync(fd)
    closeSync(fd)
    log(`Working copy made (and written to disk) in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    databaseUrlForRun = `sqlite:${copy}`
  } else {
    const cached = await cachedPostgres(pgBase, scale, log, { fresh })
    generation = cached.marker
    const name = `loket_bench_run_${process.pid}`
    const admin = new pg.Client({ connectionString: pgBase })
    await admin.connect()
    const t = Date.now()
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${cached.name} STRATEGY FILE_COPY`)
    // Per-database settings are not copied with a template: carry over what migrations set on the cache.
    const { rows: settings } = await admin.query<{ setting: string }>(
      `SELECT unnest(s.setconfig) AS setting FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = $1 AND s.setrole = 0`,
      [cached.name],
    )
    for (const { setting } of settings) {
      const [key, value] = [setting.slice(0, setting.indexOf('=')), setting.slice(setting.indexOf('=') + 1)]
      await admin.query(`ALTER DATABASE ${name} SET ${pg.escapeIdentifier(key)} = ${pg.escapeLiteral(value)}`)
    }
    await admin.end()
    log(`Working copy (database ${name}) made in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    databaseUrlForRun = databaseUrl(pgBase, name)
    runDatabase = name
    dropWorkCopy = async () => {
      const c = new pg.Client({ connectionString: pgBase })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    }
  }
  row({ db: kind, figure: 'data generation (cached between runs)', measured: `${fmt(generation.seconds)} s`, target: '', baseline: '', pass: null })

  const stopList: (() => Promise<void>)[] = []
  try {
    const port = await freePort()
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: databaseUrlForRun,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOKET_DATA_DIR: join(work, 'data'),
      LOKET_SECRET: randomBytes(32).toString('hex'),
      LOKET_PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: logLevel,
    }
    // The CLI migrates first: a new migration is applied to the copy here, before anything is measured.
    let t = Date.now()
    const agentEmail = `bench.agent.${process.pid}@bench.loket.test`
    await loketCli(['user', 'create', '--email', agentEmail, '--name', 'Bench Agent', '--role', 'agent'], env)
    const token = (await loketCli(['token', 'create', '--email', agentEmail, '--name', 'bench'], env)).trim().split('\n').pop()!
    log(`Agent and token created (with migrations) in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    // Day one's figures (issue 15) look for callers among 1,000,000 customers: added before the server starts.
    const runSql = workingCopySql(kind, databaseUrlForRun)
    if (only === 'all' || only === 'api' || only === 'read') {
      await topUpCustomers({ kind, sql: runSql, log }, agentEmail)
      await topUpHandoffs({ kind, sql: runSql, log }, agentEmail)
    }

    t = Date.now()
    const nodeArgs = [
      ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(cacheDir(), 'profiles')}`] : []),
      // e.g. BENCH_SERVER_NODE_ARGS=--trace-gc, with BENCH_SERVER_LOG=file for the server's output
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ]
    const server = await startServer('loket serve', [loketBin, 'serve'], env, port, { nodeArgs, logFile: process.env.BENCH_SERVER_LOG || join(work, 'loket.log') })
    stopList.push(() => server.stop())
    log(`Loket server started (pid ${server.pid}) in ${((Date.now() - t) / 1000).toFixed(1)} s`)
    const rss = new RssSampler(server.pid)
    const idleRss = rss.sample() ?? 0
    rss.phase('start')
    const auth = { authorization: `Bearer ${token}` }

    if (only === 'all' || only === 'api' || only === 'read') {
      const groups = ((await (await fetch(`${server.url}/api/v1/groups`, { headers: auth })).json()) as { items: { id: string }[] }).items.map((g) => g.id)
      const queuePaths = groups.map((g) => `/api/v1/tickets?groupId=${g}&status=open&limit=50`)
      const sample = (await (await fetch(server.url + queuePaths[0], { headers: auth })).json()) as { items: unknown[] }
      log(`Queue page: ${groups.length} groups; the first has ${sample.items.length} open tickets on its first page`)
      await loadReads(server.url, queuePaths, 2, auth)
      const queue = await loadReads(server.url, queuePaths, duration, auth)
      checkOk('queue page', queue)
      rss.phase('queue')
      row({
        db: kind,
        figure: `queue page p95 (p50 ${fmt(queue.latency.p50, 1)}, p99 ${fmt(queue.latency.p99, 1)} ms; ${fmt(queue.rate)} req/s, ${readConnections} conns, ${loadGenerator})`,
        measured: `${fmt(queue.latency.p95, 1)} ms`,
        target: '≤ 25 ms',
        baseline: '',
        pass: queue.latency.p95 <= 25,
      })

      for (const r of await dayOneFigures({ kind, sql: runSql, url: server.url, auth, duration, loadReads, log })) row(r)
      rss.phase('day one')
      for (const r of await handoffQueueFigures({ kind, sql: runSql, url: server.url, auth, duration, loadReads, log })) row(r)
      rss.phase('handoff queues')

      const { common, selective } = searchQueries(rareWords(30_000))
      const searchPath = (q: string) => `/api/v1/tickets?q=${encodeURIComponent(q)}&limit=50`
      // Each query alone first (sequentially, 3 times, the median): which kind of query costs what.
      const single = new Map<string, number>()
      for (const q of [...selective, ...common]) {
        const times: number[] = []
        let found = 0
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now()
          const res = (await (await fetch(server.url + searchPath(q), { headers: auth })).json()) as { items: unknown[] }
          times.push(performance.now() - t0)
          found = res.items.length
        }
        single.set(q, times.sort((a, b) => a - b)[1])
        log(`  search "${q}" (${selective.includes(q) ? 'selective' : 'common'}): ${found} on the first page, ${fmt(single.get(q)!, 1)} ms`)
      }
      const worst = (qs: string[]) => Math.max(...qs.map((q) => single.get(q)!))
      // The figure: selective and common queries in turn, equally often, under concurrent load.
      const mixed = selective.flatMap((q, i) => [searchPath(q), searchPath(common[i % common.length])])
      await loadReads(server.url, mixed, 2, auth)
      const search = await loadReads(server.url, mixed, duration, auth)
      checkOk('search', search)
      rss.phase('search')
      row({
        db: kind,
        figure: `full-text search p95, half selective, half common (p50 ${fmt(search.latency.p50, 1)}, p99 ${fmt(search.latency.p99, 1)} ms; ${fmt(search.rate)} req/s, ${loadGenerator}; slowest alone: selective ${fmt(worst(selective), 1)}, common ${fmt(worst(common), 1)} ms)`,
        measured: `${fmt(search.latency.p95, 1)} ms`,
        target: '≤ 150 ms',
        baseline: '',
        pass: search.latency.p95 <= 150,
      })
    }

    if (only === 'all' || only === 'app') {
      // The agent app in Chromium on this database (issue 3): first-load JS, opening a ticket, live articles.
      const appEmail = `bench.app.${process.pid}@bench.loket.test`
      const appPassword = randomBytes(12).toString('hex')
      await loketCli(['user', 'create', '--email', appEmail, '--name', 'Bench App Agent', '--role', 'agent', '--password', appPassword], env)
      const figures = await measureAgentApp({ url: server.url, email: appEmail, password: appPassword, otherAgentToken: token, samples: 9 })
      rss.phase('app')
      log(`  open ticket samples (ms): ${figures.openTicketMs.samples.join(', ')}; article latency samples (ms): ${figures.articleLatencyMs.samples.join(', ')}`)
      row({ db: kind, figure: `agent app first-load JavaScript, gzip (${figures.firstLoadJsFiles} files)`, measured: `${fmt(figures.firstLoadJsGzipBytes / 1024, 1)} KB`, target: '≤ 250 KB', baseline: '', pass: figures.firstLoadJsGzipBytes <= 250 * 1024 })
      row({ db: kind, figure: 'agent app: open a ticket from the queue until its timeline shows (median of 9)', measured: `${fmt(figures.openTicketMs.median)} ms`, target: '≤ 150 ms', baseline: '', pass: figures.openTicketMs.median <= 150 })
      row({ db: kind, figure: "agent app: a new article on another agent's open screen (median of 9)", measured: `${fmt(figures.articleLatencyMs.median)} ms`, target: '≤ 200 ms', baseline: '', pass: figures.articleLatencyMs.median <= 200 })
    }

    if (only === 'all' || only === 'stream') {
      for (const r of await runStreamBench({ db: kind, url: server.url, databaseUrl: databaseUrlForRun, token, serverPid: server.pid, duration, log })) row(r)
      rss.phase('stream')
    }

    if (only === 'all' || only === 'api' || only === 'create') {
      const created = await measureCreation(server, '/api/v1/tickets', 'loket', runDatabase, auth)
      rss.phase('creation')
      checkOk('ticket creation', created.result)
      await server.stop()
      rss.stop()

      // The baseline: same rows, same database (the same working copy), a bare node:http server in its own process.
      const basePort = await freePort()
      const baseline = await startServer('baseline server', [join(repoRoot, 'dist/bench/baseline-server.js')], { ...env, PORT: String(basePort) }, basePort, {
        logFile: join(work, 'baseline.log'),
      })
      stopList.push(() => baseline.stop())
      const base = await measureCreation(baseline, '/tickets', 'base', runDatabase)
      checkOk('baseline creation', base.result)
      await baseline.stop()
      creationRows(kind, created, base)
    } else {
      await server.stop()
      rss.stop()
    }
    row({
      db: kind,
      figure: `server RSS, peak under load (after start ${mb(idleRss)}; peak per phase: ${Object.entries(rss.phases)
        .filter(([name]) => name !== 'start')
        .map(([name, bytes]) => `${name} ${mb(bytes)}`)
        .join(', ')})`,
      measured: mb(rss.peak),
      target: '≤ 300 MB',
      baseline: '',
      pass: rss.peak <= 300 * 1024 * 1024,
    })
  } finally {
    for (const stop of stopList.reverse()) await stop().catch(() => {})
    await dropWorkCopy().catch((err) => log(`could not drop the working copy: ${String(err)}`))
    rmSync(work, { recursive: true, force: true })
  }
}

/** Creation's rows: CPU per ticket relative to the bare baseline (the target), throughput beside it. */
function creationRows(kind: 'sqlite' | 'postgres', created: Creation, base: Creation) {
  const c = created.result
  const ratio = cpuPerTicket(created) / cpuPerTicket(base)
  const parts = kind === 'postgres' ? `; server ${fmt(created.serverCpu, 2)} vs ${fmt(base.serverCpu, 2)}, its PostgreSQL backends ${fmt(created.databaseCpu, 2)} vs ${fmt(base.databaseCpu, 2)}` : ''
  row({
    db: kind,
    figure: `ticket creation: CPU per ticket vs the bare insert (${fmt(cpuPerTicket(created), 2)} vs ${fmt(cpuPerTicket(base), 2)} ms${parts})`,
    measured: `${fmt(ratio, 2)}×`,
    target: '≤ 3×',
    baseline: `${fmt(cpuPerTicket(base), 2)} ms`,
    pass: ratio <= 3,
  })
  row({
    db: kind,
    figure: `ticket creation throughput (p50 ${fmt(c.latency.p50, 1)}, p95 ${fmt(c.latency.p95, 1)} ms; ${connections} conns, ${loadGenerator}; ${fmt(base.result.rate / c.rate, 2)}× the bare insert's time per ticket)`,
    measured: `${fmt(c.rate)} tickets/s`,
    target: '',
    baseline: `${fmt(base.result.rate)}/s`,
    pass: null,
  })
}

/** Plain SQL on the run's working copy (day one's top-up and samples), one connection per statement. */
function workingCopySql(kind: 'sqlite' | 'postgres', url: string) {
  return async <T>(text: string): Promise<T[]> => {
    if (kind === 'sqlite') {
      const db = new Database(url.replace(/^sqlite:/, ''))
      try {
        const statement = db.prepare(text)
        return (statement.reader ? statement.all() : (statement.run(), [])) as T[]
      } finally {
        db.close()
      }
    }
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      return (await client.query(text)).rows as T[]
    } finally {
      await client.end()
    }
  }
}

function checkOk(what: string, r: LoadResult) {
  const bad = Object.entries(r.statusCodes).filter(([code]) => !code.startsWith('2'))
  if (r.ok === 0) throw new Error(`${what}: no successful responses (${JSON.stringify(r.statusCodes)})`)
  if (bad.length || r.failed) log(`  ! ${what}: ${r.failed} failed responses ${JSON.stringify(Object.fromEntries(bad))}`)
}

// --- main ----------------------------------------------------------------------------------------------

const started = new Date()
console.log(`Loket benchmark — ${started.toISOString()} — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`)
console.log(`scale ${fmt(scale)} tickets, ${duration} s per measurement, db ${dbOption}, ticket creation loaded by ${loadGenerator}`)
if (!existsSync(join(repoRoot, 'dist/bench/baseline-server.js'))) fail('run `npm run build` first (npm run bench does this)')

let failed = false
if (only !== 'email' && only !== 'knowledge' && only !== 'routing' && only !== 'portal') {
  for (const kind of kinds) {
    try {
      await benchDatabase(kind)
    } catch (err) {
      failed = true
      console.error(`\n${kind}: the benchmark did not complete: ${err instanceof Error ? err.stack : String(err)}`)
    }
  }
}

// Hook for the mail channel's benchmark (bench/email.ts, `export async function runEmailBench(options)`):
// it runs with --only=email and as part of the default run when it exists, and may return BenchRows.
if (only === 'email' || only === 'all') {
  const emailBench = new URL('./email.js', import.meta.url)
  if (existsSync(emailBench)) {
    const mod = (await import(emailBench.href)) as { runEmailBench?: (options: Record<string, unknown>) => Promise<BenchRow[] | void> }
    if (typeof mod.runEmailBench === 'function') {
      const emailRows = await mod.runEmailBench({ kinds, scale, duration, pgBaseUrl: pgBase, log })
      for (const r of emailRows ?? []) rows.push(r)
    }
  } else if (only === 'email') {
    fail('bench/email.ts (runEmailBench) does not exist yet')
  }
}

// Templates and the knowledge base (issue 17): on fresh databases of their own, not the ticket scale.
if (only === 'knowledge' || only === 'all') {
  try {
    for (const r of await runKnowledgeBench({ kinds, pgBaseUrl: pgBase, log })) rows.push(r)
  } catch (err) {
    failed = true
    console.error(`\nknowledge: the benchmark did not complete: ${err instanceof Error ? err.stack : String(err)}`)
  }
}

// Routing rules and business time (issue 16): on fresh databases of their own, not the ticket scale.
if (only === 'routing' || only === 'all') {
  try {
    for (const r of await runRoutingBench({ kinds, pgBaseUrl: pgBase, duration, log })) rows.push(r)
    for (const r of await runHandoffBench({ kinds, pgBaseUrl: pgBase, log })) rows.push(r)
  } catch (err) {
    failed = true
    console.error(`\nrouting: the benchmark did not complete: ${err instanceof Error ? err.stack : String(err)}`)
  }
}

// The customer portal (issue 18): on fresh databases of their own with 100,000 organisations and 1,000,000 customers.
if (only === 'portal' || only === 'all') {
  try {
    for (const r of await runPortalBench({ kinds, pgBaseUrl: pgBase, log, webRoot: join(repoRoot, 'dist/web') })) rows.push(r)
  } catch (err) {
    failed = true
    console.error(`\nportal: the benchmark did not complete: ${err instanceof Error ? err.stack : String(err)}`)
  }
}

printTable(rows)
mkdirSync(cacheDir(), { recursive: true })
const resultFile = join(cacheDir(), `result-${dbOption}-${scale}.json`)
writeFileSync(resultFile, JSON.stringify({ at: started.toISOString(), argv: process.argv.slice(2), scale, duration, cpus: cpus().length, rows }, null, 2) + '\n')
console.log(`\n(figures also written to ${resultFile})`)
process.exit(failed ? 1 : 0)
