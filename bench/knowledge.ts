/**
 * Templates and the knowledge base (issue 17), run by `npm run bench` (and `--only=knowledge`): a fresh
 * database per kind with 10,000 articles and 2,000 templates, a Loket app listening on loopback in this
 * process, and sequential requests timed at the client:
 *   - suggestions for a ticket (GET /api/v1/tickets/:id/suggestions), p95 ≤ 50 ms;
 *   - the public article page (GET /kennisbank/:slug), p95 ≤ 20 ms server time (Fastify's elapsed time
 *     from the request to the response sent; the client's time is printed beside it);
 *   - template search as you type (GET /api/v1/templates?q=<prefix>), p95 ≤ 20 ms.
 * The same-run baseline: a bare route on the same server answering a fixed body of the same size (what
 * HTTP, Fastify and the measuring cost by themselves).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import pg from 'pg'
import type { Actor } from '../src/server/accounts/actor.js'
import { buildApp } from '../src/server/app.js'
import { createDb } from '../src/server/db/create-db.js'
import { newId } from '../src/server/clock.js'
import type { Config } from '../src/server/config.js'
import type { DbConfig } from '../src/server/db/config.js'
import { knowledgeIndex } from '../src/server/knowledge/knowledge-search.js'
import { createRuntime } from '../src/server/runtime.js'
import { percentile } from './load.js'
import { rareWords, rng, textGenerator, type Rng } from './words.js'

export interface KnowledgeBenchRow {
  db: string
  figure: string
  measured: string
  target: string
  baseline: string
  pass: boolean | null
}

const ARTICLES = 10_000
const TEMPLATES = 2_000
const SYSTEM: Actor = { user: { id: 'system', role: 'admin', name: 'bench', groupIds: [] } as unknown as Actor['user'], via: 'system' }
const fmt = (n: number, digits = 1) => n.toLocaleString('en-GB', { maximumFractionDigits: digits })

/** An empty database of its own for one part of the benchmark (`purpose` names it). */
export async function freshDatabase(kind: 'sqlite' | 'postgres', pgBaseUrl: string, dir: string, purpose = 'knowledge'): Promise<{ config: DbConfig; drop(): Promise<void> }> {
  if (kind === 'sqlite') return { config: { kind: 'sqlite', file: join(dir, `${purpose}.sqlite`) }, drop: async () => {} }
  const name = `loket_bench_${purpose}_${process.pid}`
  const admin = new pg.Client({ connectionString: pgBaseUrl })
  await admin.connect()
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(pgBaseUrl)
  url.pathname = `/${name}`
  return {
    config: { kind: 'postgres', url: url.toString(), poolSize: 10 },
    async drop() {
      const c = new pg.Client({ connectionString: pgBaseUrl })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

/** p50 and p95 (ms) of `n` sequential GETs, after a warm-up of 20. */
async function timeGets(base: string, paths: () => string, n: number, headers: Record<string, string> = {}) {
  const times: number[] = []
  for (let i = 0; i < n + 20; i++) {
    const t0 = performance.now()
    const res = await fetch(base + paths(), { headers })
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`GET answered ${res.status}`)
    if (i >= 20) times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p95: percentile(times, 95) }
}

const TOPICS = ['wachtwoord', 'printer', 'verlof', 'factuur', 'laptop', 'vergaderruimte', 'salaris', 'declaratie', 'toegangspas', 'vpn', 'parkeren', 'catering']

/** The bench's configuration for a database (no mail, no listening port of its own). */
export function benchConfig(db: DbConfig, dir: string): Config {
  return {
    db,
    port: 0,
    host: '127.0.0.1',
    secret: randomBytes(32),
    publicUrl: 'http://127.0.0.1',
    dataDir: dir,
    attachmentMaxBytes: 5 * 1024 * 1024,
    bodyLimitBytes: 2 * 1024 * 1024,
    logLevel: 'silent',
    subjectTagLabel: 'Loket',
  } as Config
}

/**
 * Fills an empty database with the benchmark's knowledge base: groups, an agent with a token (through
 * the services), then `articles` articles and `templates` templates written in bulk on a plain
 * connection, with their search entries as the application writes them.
 */
export async function fillKnowledge(kind: 'sqlite' | 'postgres', config: Config, sizes = { articles: ARTICLES, templates: TEMPLATES }) {
  const setup = await createRuntime(config)
  const dep = await setup.services.desk.createDepartment(SYSTEM, { name: 'ICT' })
  const groups: { id: string }[] = []
  for (let g = 0; g < 10; g++) groups.push(await setup.services.desk.createGroup(SYSTEM, { name: `Groep ${g}`, departmentId: dep.id, line: g === 0 ? 1 : 2 }))
  const agent = await setup.services.accounts.createUser(SYSTEM, { email: 'bench.kb@bench.loket.test', name: 'Bench Agent', role: 'agent', groupIds: [groups[0].id, groups[1].id] })
  const { token } = await setup.services.accounts.createToken(SYSTEM, agent.id, 'bench')
  await setup.close()
  const r: Rng = rng(17)
  const text = textGenerator(rareWords(20_000))
  const slugs: string[] = []
  const bulk = createDb(config.db)
  try {
    const index = knowledgeIndex({ kind })
    const now = new Date().toISOString()
    for (let start = 0; start < sizes.articles; start += 1000) {
      await bulk.db.transaction().execute(async (trx) => {
        for (let i = start; i < Math.min(sizes.articles, start + 1000); i++) {
          const topic = TOPICS[i % TOPICS.length]
          const title = `${text.subject(r)} ${topic} ${i}`
          const body = `<p>${text.body(r)} ${topic}</p><p>${text.body(r)}</p>`
          const slug = `artikel-${i}`
          const visibility = i % 3 === 0 ? 'internal' : 'public'
          const row = { id: newId(), slug, title, body, language: 'nl', category_id: null, visibility, status: 'published', owner_group_id: groups[i % 10].id,
            review_at: null, source_ticket_id: null, created_by: null, updated_by: null, created_at: now, updated_at: now, version: 1 }
          await trx.insertInto('kb_article').values(row).execute()
          await trx.insertInto('kb_article_version').values({ article_id: row.id, version: 1, title, body, language: 'nl', category_id: null, visibility, status: 'published', owner_group_id: row.owner_group_id, review_at: null, changed_by: null, created_at: now }).execute()
          await index.put(trx, 'article', row.id, title, body.replace(/<[^>]+>/g, ' '))
          if (visibility === 'public') slugs.push(slug)
        }
      })
    }
    for (let start = 0; start < sizes.templates; start += 1000) {
      await bulk.db.transaction().execute(async (trx) => {
        for (let i = start; i < Math.min(sizes.templates, start + 1000); i++) {
          const topic = TOPICS[i % TOPICS.length]
          const title = `${topic[0].toUpperCase()}${topic.slice(1)}: ${text.subject(r)} ${i}`
          const body = `Beste {{klant.voornaam}},\n\n${text.body(r)}\n\nMet vriendelijke groet,\n{{agent.voornaam}}`
          const id = newId()
          await trx.insertInto('template').values({ id, title, shortcut: `t${i}`, body, language: 'nl', variants: '[]', scope: 'group', owner_id: null, group_id: groups[i % 10].id,
            department_id: null, usage_count: i % 17, search_text: `${title} t${i} ${body}`.toLowerCase(), created_by: null, created_at: now, updated_at: now, version: 1 }).execute()
          await index.put(trx, 'template', id, title, body)
        }
      })
    }
    // What autovacuum does soon after a bulk load (the planner's row counts), before anything is measured.
    if (kind === 'postgres') await sql`ANALYZE knowledge_search, knowledge_term, kb_article, template`.execute(bulk.db)
  } finally {
    await bulk.close()
  }
  return { agent, token, slugs }
}

/** Tickets to ask suggestions for: the generator's subjects and texts, with a topic word each. */
export async function benchTickets(runtime: Awaited<ReturnType<typeof createRuntime>>, agent: Actor['user'], n = 20) {
  const r: Rng = rng(23)
  const text = textGenerator(rareWords(20_000))
  const tickets: string[] = []
  for (let i = 0; i < n; i++) {
    const topic = TOPICS[i % TOPICS.length]
    const ticket = await runtime.services.tickets.create({ user: agent, via: 'token' }, { subject: `${topic} ${text.subject(r)}`, body: `${text.body(r)} ${topic} ${text.body(r)}`, requester: { email: `klant${i}@example.nl`, name: `Klant ${i}` } })
    tickets.push(ticket.id)
  }
  return tickets
}

export async function runKnowledgeBench(options: { kinds: ('sqlite' | 'postgres')[]; pgBaseUrl: string; log(line: string): void }): Promise<KnowledgeBenchRow[]> {
  const rows: KnowledgeBenchRow[] = []
  for (const kind of options.kinds) {
    const dir = mkdtempSync(join(tmpdir(), 'loket-bench-knowledge-'))
    const database = await freshDatabase(kind, options.pgBaseUrl, dir)
    const config = benchConfig(database.config, dir)
    options.log(`\n=== ${kind}: templates and knowledge base, ${fmt(ARTICLES)} articles and ${fmt(TEMPLATES)} templates ===`)
    const t = performance.now()
    const { agent, token, slugs } = await fillKnowledge(kind, config)
    const auth = { authorization: `Bearer ${token}` }
    const r: Rng = rng(31)
    options.log(`Articles and templates written in ${fmt((performance.now() - t) / 1000)} s`)
    const runtime = await createRuntime(config)
    try {
      const tickets = await benchTickets(runtime, agent)

      const app = await buildApp(runtime, { webRoot: join(dir, 'no-web') })
      // Server time per route: from the request's arrival to its response sent (Fastify's elapsedTime).
      const serverMs = new Map<string, number[]>()
      app.addHook('onResponse', async (request, reply) => {
        const route = request.routeOptions.url ?? ''
        if (!serverMs.has(route)) serverMs.set(route, [])
        serverMs.get(route)!.push(reply.elapsedTime)
      })
      /** p95 of the server times of a route's last `n` requests. */
      const serverP95 = (route: string, n: number) => percentile((serverMs.get(route) ?? []).slice(-n).sort((a, b) => a - b), 95)
      let sampleBody = ''
      app.get('/bench-baseline', { config: { public: true }, schema: { hide: true } }, (_req, reply) => reply.type('text/html; charset=utf-8').send(sampleBody))
      await app.listen({ port: 0, host: '127.0.0.1' })
      sampleBody = (await app.inject({ method: 'GET', url: `/kennisbank/${slugs[0]}` })).body
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
      try {
        const baseline = await timeGets(base, () => '/bench-baseline', 300)
        const baselineText = `${fmt(baseline.p95, 2)} ms`
        const baselineServer = serverP95('/bench-baseline', 300)
        let n = 0
        const suggestions = await timeGets(base, () => `/api/v1/tickets/${tickets[n++ % tickets.length]}/suggestions`, 200, auth)
        rows.push({ db: kind, figure: `suggestions for a ticket p95 (p50 ${fmt(suggestions.p50, 2)} ms; 10,000 articles, 2,000 templates)`, measured: `${fmt(suggestions.p95, 2)} ms`, target: '≤ 50 ms', baseline: baselineText, pass: suggestions.p95 <= 50 })
        const page = await timeGets(base, () => `/kennisbank/${slugs[Math.floor(r.next() * slugs.length)]}`, 300)
        const pageServer = serverP95('/kennisbank/:slug', 300)
        rows.push({
          db: kind,
          figure: `public article page p95, server time (client p95 ${fmt(page.p95, 2)} ms, p50 ${fmt(page.p50, 2)} ms)`,
          measured: `${fmt(pageServer, 2)} ms`,
          target: '≤ 20 ms',
          baseline: `${fmt(baselineServer, 2)} ms server, ${baselineText} client`,
          pass: pageServer <= 20,
        })
        // As typed: "w", "wa", "wac", … of the topic words, and shortcuts.
        const typed = TOPICS.flatMap((w) => [1, 2, 3, 4, 5].map((k) => w.slice(0, k))).concat(['t1', 't12', 't123'])
        let k = 0
        const search = await timeGets(base, () => `/api/v1/templates?q=${encodeURIComponent(typed[k++ % typed.length])}&limit=8`, 300, auth)
        rows.push({ db: kind, figure: `template search as you type p95 (p50 ${fmt(search.p50, 2)} ms; 2,000 templates)`, measured: `${fmt(search.p95, 2)} ms`, target: '≤ 20 ms', baseline: baselineText, pass: search.p95 <= 20 })
        for (const row of rows.filter((x) => x.db === kind)) options.log(`  → ${row.figure}: ${row.measured} (target ${row.target}, baseline ${row.baseline})${row.pass ? ' PASS' : ' FAIL'}`)
      } finally {
        await app.close()
      }
    } finally {
      await runtime.close()
      await database.drop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return rows
}
