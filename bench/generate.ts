/**
 * Benchmark data: a migrated Loket database filled with a realistic shared service desk at a chosen
 * scale (default 1,000,000 tickets with 5 articles each), written with bulk SQL straight into the
 * tables. Generated databases are cached under ./data/bench/ keyed by scale, so reruns skip this.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import SQLite from 'better-sqlite3'
import pg from 'pg'
import { createDb } from '../src/server/db/create-db.js'
import { migrateToLatest } from '../src/server/db/migrate.js'
import { migrations } from '../src/server/db/migrations/index.js'
import { foldText, searchTerms, stemVariants } from '../src/server/db/text-search.js'
import { type Rng, rareWords, rng, textGenerator } from './words.js'

export const ARTICLES_PER_TICKET = 5
/** The generated history ends here (fixed, so data is the same on every machine and run). */
export const DATA_END = Date.parse('2026-11-20T00:00:00Z')
const SPAN_MS = 3 * 365 * 24 * 3600_000
export const BENCH_DOMAIN = 'bench.loket.test'

export interface GenerateResult {
  counts: Record<'organisations' | 'customers' | 'agents' | 'groups' | 'tickets' | 'articles' | 'searchEntries' | 'history', number>
  seconds: number
}

export interface Shape {
  tickets: number
  organisations: number
  customers: number
  agents: number
}

export function shapeFor(tickets: number): Shape {
  return {
    tickets,
    organisations: Math.max(5, Math.min(200, Math.round(tickets / 5000))),
    customers: Math.max(20, Math.min(100_000, Math.round(tickets / 10))),
    agents: Math.max(10, Math.min(50, Math.round(tickets / 1000))),
  }
}

export const customerEmail = (i: number, organisations: number) => `klant${i}@org${i % organisations}.example.nl`
export const agentEmail = (i: number) => `agent${String(i).padStart(2, '0')}@${BENCH_DOMAIN}`

const DEPARTMENTS = ['ICT', 'HR', 'Facilitair', 'Financiën'] as const
/** [name, department index, line]; the first is the 1st-line service desk (the default group). */
export const GROUPS: [string, number, number][] = [
  ['Servicedesk', 0, 1], ['Werkplekbeheer', 0, 2], ['Netwerk en security', 0, 2], ['Applicatiebeheer', 0, 2],
  ['Infrastructuur', 0, 3], ['Telefonie', 0, 2], ['Identity en toegang', 0, 2], ['HR Servicedesk', 1, 1],
  ['Salarisadministratie', 1, 2], ['Personeelszaken', 1, 2], ['Verzuim', 1, 2], ['Facilitaire balie', 2, 1],
  ['Gebouwbeheer', 2, 2], ['Schoonmaak', 2, 2], ['Beveiliging', 2, 2], ['Inkoop', 2, 2],
  ['Crediteuren', 3, 2], ['Debiteuren', 3, 2], ['Control', 3, 3], ['Financiële administratie', 3, 2],
]
const FIRST = ['Jan', 'Sanne', 'Pieter', 'Fatima', 'Daan', 'Emma', 'Mohamed', 'Lotte', 'Bram', 'Anouk', 'Kees', 'Noor', 'Ahmet', 'Iris', 'Thijs', 'Femke']
const LAST = ['de Vries', 'Jansen', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot', 'Bos', 'Vos', 'Peters', 'Hendriks', 'van Dijk', 'Yilmaz', 'El Amrani']
const CHANNELS = ['email', 'email', 'email', 'email', 'portal', 'portal', 'phone', 'chat', 'api'] as const
const PRIORITIES = ['normal', 'normal', 'normal', 'normal', 'low', 'high', 'high', 'urgent'] as const
const TYPES = ['question', 'question', 'incident', 'incident', 'request', 'request', 'complaint'] as const

function statusFor(r: Rng, ageDays: number): string {
  const x = r.next()
  if (ageDays < 30) return x < 0.15 ? 'new' : x < 0.55 ? 'open' : x < 0.75 ? 'waiting_for_customer' : x < 0.85 ? 'waiting_for_third_party' : 'resolved'
  if (ageDays < 90) return x < 0.08 ? 'open' : x < 0.14 ? 'waiting_for_customer' : x < 0.18 ? 'waiting_for_third_party' : x < 0.35 ? 'resolved' : 'closed'
  return x < 0.01 ? 'open' : x < 0.015 ? 'waiting_for_customer' : x < 0.02 ? 'waiting_for_third_party' : x < 0.05 ? 'resolved' : 'closed'
}

/** A UUIDv7 for the given time, with seeded randomness: ids sort by time, as the application's do. */
function idAt(ms: number, r: Rng): string {
  const t = ms.toString(16).padStart(12, '0')
  const h = (n: number) => {
    let s = ''
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[r.int(16)]
    return s
  }
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${h(3)}-${'89ab'[r.int(4)]}${h(3)}-${h(12)}`
}

const iso = (ms: number) => new Date(ms).toISOString()

/** expandForIndex (db/text-search.ts) with its stemming memoised per word: the same output, much faster in bulk. */
export function memoisedExpand() {
  const cache = new Map<string, string>()
  return (text: string) =>
    searchTerms(text)
      .map((w) => {
        let v = cache.get(w)
        if (v === undefined) cache.set(w, (v = stemVariants(w).join(' ')))
        return v
      })
      .join(' ')
}

/** Where rows go: one implementation per database kind. Values are in the listed column order. */
interface Sink {
  add(table: Table, values: unknown[]): Promise<void> | void
  /** The search entry for one article (`text` is what the application indexes: subject + body for the first). */
  search(ticketId: string, text: string): Promise<void> | void
  /** End of a chunk of tickets: write what is buffered and commit. */
  commit(): Promise<void> | void
}

const COLUMNS = {
  organisation: ['id', 'name', 'created_at', 'updated_at'],
  organisation_domain: ['domain', 'organisation_id'],
  department: ['id', 'name', 'customer_reply_allowed', 'created_at', 'updated_at'],
  agent_group: ['id', 'name', 'department_id', 'line', 'created_at', 'updated_at'],
  group_member: ['group_id', 'user_id'],
  app_user: ['id', 'email', 'name', 'role', 'password_hash', 'organisation_id', 'language', 'phone', 'active', 'created_at', 'updated_at'],
  ticket_counter: ['year', 'value'],
  ticket: [
    'id', 'number', 'subject', 'status', 'priority', 'type', 'channel', 'requester_id', 'organisation_id', 'department_id', 'group_id',
    'assignee_id', 'created_at', 'updated_at', 'first_response_at', 'resolved_at', 'closed_at', 'version',
  ],
  article: ['id', 'ticket_id', 'channel', 'direction', 'visibility', 'author_id', 'body', 'content_type', 'source_id', 'metadata', 'created_at'],
  ticket_history: ['id', 'ticket_id', 'actor_id', 'field', 'old_value', 'new_value', 'created_at'],
} as const
type Table = keyof typeof COLUMNS

/** Generates the whole data set into a sink; returns the counts. Deterministic for a given scale. */
async function produce(shape: Shape, sink: Sink, log: (line: string) => void): Promise<GenerateResult['counts']> {
  const r = rng(20261123)
  const text = textGenerator(rareWords(30_000))
  const t0 = DATA_END - SPAN_MS
  const counts = { organisations: 0, customers: 0, agents: 0, groups: 0, tickets: 0, articles: 0, searchEntries: 0, history: 0 }

  const orgIds: string[] = []
  for (let i = 0; i < shape.organisations; i++) {
    const id = idAt(t0 - 86_400_000 + i, r)
    orgIds.push(id)
    await sink.add('organisation', [id, `Organisatie ${i}`, iso(t0), iso(t0)])
    await sink.add('organisation_domain', [`org${i}.example.nl`, id])
  }
  counts.organisations = shape.organisations
  const deptIds: string[] = []
  for (const [i, name] of DEPARTMENTS.entries()) {
    const id = idAt(t0 - 80_000_000 + i, r)
    deptIds.push(id)
    await sink.add('department', [id, name, name === 'HR' || name === 'Financiën' ? 0 : 1, iso(t0), iso(t0)])
  }
  const groups: { id: string; dept: string }[] = []
  for (const [i, [name, dept, line]] of GROUPS.entries()) {
    const id = idAt(t0 - 70_000_000 + i, r)
    groups.push({ id, dept: deptIds[dept] })
    // created_at orders them, so the Servicedesk is the application's default group for new tickets.
    await sink.add('agent_group', [id, name, deptIds[dept], line, iso(t0 + i), iso(t0 + i)])
  }
  counts.groups = groups.length
  const agentIds: string[] = []
  const agentsOfGroup: string[][] = groups.map(() => [])
  for (let i = 0; i < shape.agents; i++) {
    const id = idAt(t0 - 60_000_000 + i, r)
    agentIds.push(id)
    const role = i === 0 ? 'admin' : i < 4 ? 'supervisor' : 'agent'
    await sink.add('app_user', [id, agentEmail(i), `${r.pick(FIRST)} ${r.pick(LAST)}`, role, null, null, 'nl', null, 1, iso(t0), iso(t0)])
    const g1 = i % groups.length
    const g2 = r.int(groups.length)
    for (const g of new Set([g1, g2])) {
      agentsOfGroup[g].push(id)
      await sink.add('group_member', [groups[g].id, id])
    }
  }
  counts.agents = shape.agents
  const customers: { id: string; org: string }[] = []
  for (let i = 0; i < shape.customers; i++) {
    const id = idAt(t0 - 50_000_000 + i, r)
    const org = orgIds[i % shape.organisations]
    customers.push({ id, org })
    await sink.add('app_user', [id, customerEmail(i, shape.organisations), `${r.pick(FIRST)} ${r.pick(LAST)}`, 'customer', null, org, 'nl', null, 1, iso(t0), iso(t0)])
  }
  counts.customers = shape.customers
  await sink.commit()

  const perYear = new Map<number, number>()
  const chunk = Math.max(1000, Math.min(50_000, Math.round(shape.tickets / 20)))
  let previousArticles = 0
  const started = Date.now()
  for (let i = 0; i < shape.tickets; i++) {
    const createdMs = t0 + Math.floor((i / shape.tickets) * SPAN_MS) + r.int(60_000)
    const ageDays = (DATA_END - createdMs) / 86_400_000
    const id = idAt(createdMs, r)
    const year = new Date(createdMs).getUTCFullYear()
    const seq = (perYear.get(year) ?? 0) + 1
    perYear.set(year, seq)
    const status = statusFor(r, ageDays)
    const g = r.next() < 0.3 ? 0 : r.int(groups.length)
    const group = groups[g]
    const customer = customers[r.skewed(customers.length, 1.3)]
    const channel = r.pick(CHANNELS)
    const assignee = status === 'new' ? null : r.pick(agentsOfGroup[g].length ? agentsOfGroup[g] : agentIds)
    // Articles: 1–9 per ticket, paired so the mean is exactly ARTICLES_PER_TICKET.
    const nArticles = i % 2 === 0 ? (previousArticles = 1 + r.int(2 * ARTICLES_PER_TICKET - 1)) : 2 * ARTICLES_PER_TICKET - previousArticles
    const subject = text.subject(r)
    let at = createdMs
    let firstResponse: number | null = null
    const articles: unknown[][] = []
    for (let a = 0; a < nArticles; a++) {
      if (a > 0) at += 60_000 + r.int(ageDays > 2 ? 2 * 86_400_000 : 3_600_000)
      const fromCustomer = a === 0 || (a % 2 === 0 && r.next() < 0.8)
      const internal = !fromCustomer && r.next() < 0.2
      if (!fromCustomer && !internal && firstResponse === null) firstResponse = at
      const body = text.body(r)
      articles.push([
        idAt(at, r), id, fromCustomer ? channel : internal ? 'api' : channel === 'api' ? 'api' : channel === 'portal' ? 'portal' : 'email',
        fromCustomer ? 'in' : 'out', internal ? 'internal' : 'public', fromCustomer ? customer.id : (assignee ?? agentIds[0]),
        body, 'text/plain', null, '{}', iso(at),
      ])
    }
    const done = status === 'resolved' || status === 'closed'
    const endMs = done ? at + 3_600_000 + r.int(86_400_000) : at
    await sink.add('ticket', [
      id, `${year}-${String(seq).padStart(5, '0')}`, subject, status, r.pick(PRIORITIES), r.pick(TYPES), channel, customer.id, customer.org,
      group.dept, group.id, assignee, iso(createdMs), iso(endMs), firstResponse === null ? null : iso(firstResponse),
      done ? iso(endMs) : null, status === 'closed' ? iso(endMs) : null,
      status === 'new' ? 1 : 2 + r.int(3),
    ])
    await sink.add('ticket_history', [idAt(createdMs, r), id, channel === 'api' ? agentIds[0] : customer.id, 'created', null, `${year}-${String(seq).padStart(5, '0')}`, iso(createdMs)])
    counts.history++
    if (status !== 'new') {
      await sink.add('ticket_history', [idAt(endMs, r), id, assignee, 'status', 'new', status, iso(endMs)])
      counts.history++
    }
    for (const [a, row] of articles.entries()) {
      await sink.add('article', row)
      await sink.search(id, a === 0 ? `${subject}\n${row[6] as string}` : (row[6] as string))
    }
    counts.tickets++
    counts.articles += articles.length
    counts.searchEntries += articles.length
    if ((i + 1) % chunk === 0 || i + 1 === shape.tickets) {
      await sink.commit()
      const s = (Date.now() - started) / 1000
      log(`  ${(i + 1).toLocaleString('en')} tickets, ${counts.articles.toLocaleString('en')} articles  (${s.toFixed(0)} s, ${Math.round((i + 1) / s).toLocaleString('en')} tickets/s)`)
    }
  }
  for (const [year, value] of perYear) await sink.add('ticket_counter', [year, value])
  await sink.commit()
  return counts
}

/** Indexes to drop before a bulk load and build once afterwards (not primary keys or unique constraints). */
const BULK_TABLES = ['ticket', 'article', 'ticket_history', 'app_user']

// --- SQLite ----------------------------------------------------------------------------------------

class SqliteSink implements Sink {
  private readonly batch = new Map<Table, { full: SQLite.Statement; one: SQLite.Statement; rows: number; buf: unknown[] }>()
  private readonly searchInsert: SQLite.Statement
  private readonly expand = memoisedExpand()
  private inTx = false

  constructor(private readonly db: SQLite.Database) {
    this.searchInsert = db.prepare('INSERT INTO search_entry (ticket_id, content) VALUES (?, ?)')
  }
  private begin() {
    if (!this.inTx) {
      this.db.exec('BEGIN')
      this.inTx = true
    }
  }
  add(table: Table, values: unknown[]) {
    this.begin()
    let b = this.batch.get(table)
    if (!b) {
      const cols = COLUMNS[table]
      const tuple = `(${cols.map(() => '?').join(',')})`
      const rows = 100
      const head = `INSERT INTO ${table} (${cols.join(',')}) VALUES `
      b = { full: this.db.prepare(head + Array(rows).fill(tuple).join(',')), one: this.db.prepare(head + tuple), rows, buf: [] }
      this.batch.set(table, b)
    }
    for (const v of values) b.buf.push(v)
    if (b.buf.length === b.rows * values.length) {
      b.full.run(b.buf)
      b.buf = []
    }
  }
  search(ticketId: string, text: string) {
    this.begin()
    const content = this.expand(text)
    if (content) this.searchInsert.run(ticketId, content)
  }
  commit() {
    for (const [table, b] of this.batch) {
      const n = COLUMNS[table].length
      for (let i = 0; i < b.buf.length; i += n) b.one.run(b.buf.slice(i, i + n))
      b.buf = []
    }
    if (this.inTx) this.db.exec('COMMIT')
    this.inTx = false
  }
}

export async function generateSqlite(file: string, shape: Shape, log: (line: string) => void = () => {}): Promise<GenerateResult> {
  const started = Date.now()
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true })
  const database = createDb({ kind: 'sqlite', file })
  await migrateToLatest(database)
  await database.close()

  const db = new SQLite(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = OFF')
    db.pragma('foreign_keys = OFF')
    db.pragma('cache_size = -1000000')
    db.pragma('temp_store = MEMORY')
    const indexes = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (${BULK_TABLES.map(() => '?').join(',')})`)
      .all(...BULK_TABLES) as { name: string; sql: string }[]
    for (const ix of indexes) db.exec(`DROP INDEX ${ix.name}`)
    const counts = await produce(shape, new SqliteSink(db), log)
    let t = Date.now()
    for (const ix of indexes) db.exec(ix.sql)
    log(`  indexes built in ${((Date.now() - t) / 1000).toFixed(0)} s`)
    t = Date.now()
    db.exec("INSERT INTO search_entry (search_entry) VALUES ('optimize')")
    db.exec('ANALYZE')
    db.pragma('wal_checkpoint(TRUNCATE)')
    log(`  full-text index optimised and statistics gathered in ${((Date.now() - t) / 1000).toFixed(0)} s`)
    return { counts, seconds: (Date.now() - started) / 1000 }
  } finally {
    db.close()
  }
}

// --- PostgreSQL ------------------------------------------------------------------------------------

const TSV = (p: string) => `to_tsvector('dutch', ${p}) || to_tsvector('english', ${p}) || to_tsvector('simple', ${p})`

class PostgresSink implements Sink {
  private readonly bufs = new Map<Table | 'search_entry', unknown[][]>()
  private readonly r = rng(99)
  private inTx = false
  /** Statements sent but not yet awaited: the next batch is generated while PostgreSQL works on this one. */
  private pending: Promise<unknown>[] = []
  constructor(private readonly client: pg.Client) {}

  private async begin() {
    if (!this.inTx) {
      await this.client.query('BEGIN')
      this.inTx = true
    }
  }
  async add(table: Table, values: unknown[]) {
    await this.push(table, values)
  }
  async search(ticketId: string, text: string) {
    const folded = foldText(text)
    if (!folded.trim()) return
    await this.push('search_entry', [idAt(Date.now(), this.r), ticketId, folded.length > 100_000 ? folded.slice(0, 100_000) : folded])
  }
  private async push(table: Table | 'search_entry', values: unknown[]) {
    let buf = this.bufs.get(table)
    if (!buf) this.bufs.set(table, (buf = []))
    buf.push(values)
    if (buf.length * values.length >= 20_000 || (table === 'search_entry' && buf.length >= 2000)) await this.flush(table)
  }
  private async flush(table: Table | 'search_entry') {
    const rows = this.bufs.get(table)
    if (!rows?.length) return
    this.bufs.set(table, [])
    await this.begin()
    const params: unknown[] = []
    const tuples = rows.map((row) => {
      const base = params.length
      for (const v of row) params.push(v)
      if (table === 'search_entry') return `($${base + 1}, $${base + 2}, ${TSV(`$${base + 3}::text`)})`
      return `(${row.map((_, i) => `$${base + i + 1}`).join(',')})`
    })
    const cols = table === 'search_entry' ? ['id', 'ticket_id', 'tsv'] : COLUMNS[table]
    const p = this.client.query(`INSERT INTO ${table} (${cols.join(',')}) VALUES ${tuples.join(',')}`, params)
    p.catch(() => {}) // awaited (and its error thrown) at commit
    this.pending.push(p)
    if (this.pending.length > 8) await this.pending.shift()
  }
  async commit() {
    for (const table of this.bufs.keys()) await this.flush(table)
    const pending = this.pending
    this.pending = []
    await Promise.all(pending)
    if (this.inTx) await this.client.query('COMMIT')
    this.inTx = false
  }
}

export async function generatePostgres(url: string, shape: Shape, log: (line: string) => void = () => {}): Promise<GenerateResult> {
  const started = Date.now()
  const database = createDb({ kind: 'postgres', url, poolSize: 2 })
  await migrateToLatest(database)
  await database.close()
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query("SET session_replication_role = replica") // no foreign-key triggers during the load
    await client.query("SET synchronous_commit = off")
    await client.query("SET maintenance_work_mem = '1GB'")
    const { rows: indexes } = await client.query<{ indexname: string; indexdef: string }>(
      `SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
      [[...BULK_TABLES, 'search_entry']],
    )
    for (const ix of indexes) await client.query(`DROP INDEX ${ix.indexname}`)
    const counts = await produce(shape, new PostgresSink(client), log)
    const t = Date.now()
    for (const ix of indexes) await client.query(ix.indexdef)
    await client.query('VACUUM ANALYZE')
    log(`  indexes built and statistics gathered in ${((Date.now() - t) / 1000).toFixed(0)} s`)
    return { counts, seconds: (Date.now() - started) / 1000 }
  } finally {
    await client.end()
  }
}

// --- cache -----------------------------------------------------------------------------------------

export const cacheDir = (root = process.cwd()) => resolve(root, 'data', 'bench')
const schemaKey = () => Object.keys(migrations).sort().join(',')

interface CacheMarker extends GenerateResult {
  scale: number
  schema: string
  generatedAt: string
}

function readMarker(file: string, scale: number): CacheMarker | undefined {
  if (!existsSync(file)) return undefined
  try {
    const m = JSON.parse(readFileSync(file, 'utf8')) as CacheMarker
    // A database generated before a newer migration is still usable (the server migrates it on start),
    // unless a migration was added before the last one it has: then it is generated again.
    const had = m.schema.split(',')
    const now = schemaKey().split(',')
    return m.scale === scale && had.every((name, i) => now[i] === name) ? m : undefined
  } catch {
    return undefined
  }
}

/** The cached SQLite database for this scale, generating it first when absent. */
export async function cachedSqlite(scale: number, log: (line: string) => void, opts: { fresh?: boolean; dir?: string } = {}) {
  const dir = opts.dir ?? cacheDir()
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `sqlite-${scale}.sqlite`)
  const markerFile = join(dir, `sqlite-${scale}.json`)
  let marker = opts.fresh ? undefined : readMarker(markerFile, scale)
  const generated = !marker || !existsSync(file)
  if (!marker || generated) {
    rmSync(markerFile, { force: true })
    log(`Generating SQLite data: ${scale.toLocaleString('en')} tickets → ${file}`)
    const result = await generateSqlite(file, shapeFor(scale), log)
    marker = { ...result, scale, schema: schemaKey(), generatedAt: new Date().toISOString() }
    writeFileSync(markerFile, JSON.stringify(marker, null, 2) + '\n')
    log(`Generated in ${result.seconds.toFixed(0)} s`)
  } else {
    log(`Using cached SQLite data ${file} (generated ${marker.generatedAt} in ${marker.seconds.toFixed(0)} s)`)
  }
  return { file, marker, generated }
}

export const postgresCacheName = (scale: number) => `loket_bench_${scale}`

export function databaseUrl(base: string, name: string) {
  const u = new URL(base)
  u.pathname = `/${name}`
  return u.toString()
}

/** The cached PostgreSQL database for this scale (a database named loket_bench_<scale>), generating it first when absent. */
export async function cachedPostgres(baseUrl: string, scale: number, log: (line: string) => void, opts: { fresh?: boolean; dir?: string } = {}) {
  const dir = opts.dir ?? cacheDir()
  mkdirSync(dir, { recursive: true })
  const name = postgresCacheName(scale)
  const markerFile = join(dir, `postgres-${scale}.json`)
  const admin = new pg.Client({ connectionString: baseUrl })
  await admin.connect()
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1
    let marker = opts.fresh ? undefined : readMarker(markerFile, scale)
    const generated = !marker || !exists
    if (!marker || generated) {
      rmSync(markerFile, { force: true })
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await admin.query(`CREATE DATABASE ${name}`)
      log(`Generating PostgreSQL data: ${scale.toLocaleString('en')} tickets → database ${name}`)
      const result = await generatePostgres(databaseUrl(baseUrl, name), shapeFor(scale), log)
      marker = { ...result, scale, schema: schemaKey(), generatedAt: new Date().toISOString() }
      writeFileSync(markerFile, JSON.stringify(marker, null, 2) + '\n')
      log(`Generated in ${result.seconds.toFixed(0)} s`)
    } else {
      log(`Using cached PostgreSQL database ${name} (generated ${marker.generatedAt} in ${marker.seconds.toFixed(0)} s)`)
    }
    return { name, marker, generated }
  } finally {
    await admin.end()
  }
}
