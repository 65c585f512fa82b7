/**
 * The customer portal (issue 18), run by `npm run bench -- --only=portal` (and part of the default run): a
 * fresh database per kind with 100,000 organisations and 1,000,000 customers (bench/generate.ts, with a
 * small number of tickets: the portal's reads are per customer and per organisation), a Loket app listening
 * on loopback in this process, and sequential requests of one customer timed at the client:
 *   - what the portal's pages read: /me, /portal/organisation, /banners, the customer's ticket list
 *     (/tickets), a ticket page (/tickets/by-number and its articles), the catalogue; and for a local
 *     administrator their organisation's ticket list and members: each p95 ≤ 30 ms;
 *   - the portal's first load (index.html, and the script and style it names), gzip: ≤ 80 KB, when the
 *     portal is built (dist/web/portal).
 * The same-run baseline: a bare route on the same server answering a fixed body the size of the ticket list.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Actor } from '../src/server/accounts/actor.js'
import { buildApp } from '../src/server/app.js'
import { createRuntime } from '../src/server/runtime.js'
import { generatePostgres, generateSqlite } from './generate.js'
import { benchConfig, freshDatabase, type KnowledgeBenchRow } from './knowledge.js'
import { percentile } from './load.js'

const SYSTEM: Actor = { user: { id: 'system', role: 'admin', name: 'bench', groupIds: [] } as unknown as Actor['user'], via: 'system' }
const fmt = (n: number, digits = 1) => n.toLocaleString('en-GB', { maximumFractionDigits: digits })
const TARGET_MS = 30
const FIRST_LOAD_KB = 80

/** p50 and p95 (ms) of `n` sequential GETs, after a warm-up of 20. */
async function timeGets(base: string, path: () => string, n: number, headers: Record<string, string> = {}) {
  const times: number[] = []
  for (let i = 0; i < n + 20; i++) {
    const t0 = performance.now()
    const res = await fetch(base + path(), { headers })
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`GET ${path()} answered ${res.status}`)
    if (i >= 20) times.push(performance.now() - t0)
  }
  times.sort((a, b) => a - b)
  return { p50: percentile(times, 50), p95: percentile(times, 95) }
}

/** The gzip size (level 9, as a server would send it) of the portal's index.html and the scripts and styles it names. */
export function portalFirstLoad(webRoot: string): { bytes: number; files: number } | null {
  const index = join(webRoot, 'portal', 'index.html')
  if (!existsSync(index)) return null
  const html = readFileSync(index)
  let bytes = gzipSync(html, { level: 9 }).length
  let files = 1
  for (const m of html.toString('utf8').matchAll(/(?:src|href)="\/portal\/([^"]+\.(?:js|css))"/g)) {
    const file = join(webRoot, 'portal', m[1])
    if (!existsSync(file)) continue
    bytes += gzipSync(readFileSync(file), { level: 9 }).length
    files++
  }
  return { bytes, files }
}

export async function runPortalBench(options: {
  kinds: ('sqlite' | 'postgres')[]
  pgBaseUrl: string
  log(line: string): void
  organisations?: number
  customers?: number
  requests?: number
  webRoot?: string
}): Promise<KnowledgeBenchRow[]> {
  const organisations = options.organisations ?? 100_000
  const customers = options.customers ?? 1_000_000
  const n = options.requests ?? 300
  const rows: KnowledgeBenchRow[] = []
  for (const kind of options.kinds) {
    const dir = mkdtempSync(join(tmpdir(), 'loket-bench-portal-'))
    const database = await freshDatabase(kind, options.pgBaseUrl, dir, 'portal')
    const config = benchConfig(database.config, dir)
    options.log(`\n=== ${kind}: customer portal, ${fmt(organisations)} organisations and ${fmt(customers)} customers ===`)
    const t = performance.now()
    // Few tickets: the portal reads one customer's and one organisation's; the people are what is large here.
    const shape = { tickets: 20_000, organisations, customers, agents: 10 }
    if (database.config.kind === 'sqlite') await generateSqlite(database.config.file, shape)
    else await generatePostgres(database.config.url, shape)
    options.log(`Organisations, customers and ${fmt(shape.tickets)} tickets written in ${fmt((performance.now() - t) / 1000)} s`)
    const runtime = await createRuntime(config)
    try {
      const { accounts, banners, catalogue, desk, localAdmins, tickets } = runtime.services
      // The measured customer: the one of organisation 0 with the most tickets, made its local administrator, with 50 more tickets.
      const customer = (await accounts.listUsers(SYSTEM, { q: 'klant0@org0.example.nl' })).items.find((u) => u.email === 'klant0@org0.example.nl')
      if (!customer?.organisationId) throw new Error('the generated customer klant0@org0.example.nl is missing')
      await localAdmins.setLocalAdministrators(SYSTEM, customer.organisationId, { userIds: [customer.id], requestedBy: 'bench' })
      const group = (await desk.listGroups(SYSTEM))[0]
      const admin = (await accounts.listUsers(SYSTEM, { role: 'admin', limit: 1 })).items[0]
      const asAdmin: Actor = { user: admin, via: 'token' }
      let number = ''
      for (let i = 0; i < 50; i++) {
        const tk = await tickets.create(asAdmin, { subject: `Portaalvraag ${i}`, body: `Vraag ${i} van de klant.`, requester: { email: customer.email! }, groupId: group.id })
        if (i % 5 === 0) await tickets.addArticle(asAdmin, tk.id, { body: `Antwoord op vraag ${i}.`, visibility: 'public' })
        number = tk.number
      }
      await banners.create(SYSTEM, { kind: 'outage', textNl: 'Storing e-mail', textEn: 'E-mail outage' })
      await banners.create(SYSTEM, { kind: 'announcement', textNl: 'Nieuw portaal', textEn: 'New portal' })
      for (let c = 0; c < 4; c++) {
        const category = await catalogue.createCategory(asAdmin, { name: `Thema ${c}` })
        for (let i = 0; i < 4; i++) {
          await catalogue.createItem(asAdmin, { categoryId: category.id, title: `Aanvraag ${c}.${i}`, description: 'Een aanvraag.', groupId: group.id, fields: [{ key: 'wat', label: 'Wat?', type: 'text', required: true }], steps: [] })
        }
      }
      const { token } = await accounts.createToken(SYSTEM, customer.id, 'bench')
      const auth = { authorization: `Bearer ${token}` }
      const ticketId = (await tickets.getByNumber(asAdmin, number)).id

      const app = await buildApp(runtime, { webRoot: join(dir, 'no-web') })
      let sampleBody = ''
      app.get('/bench-baseline', { config: { public: true }, schema: { hide: true } }, (_req, reply) => reply.type('application/json; charset=utf-8').send(sampleBody))
      await app.listen({ port: 0, host: '127.0.0.1' })
      sampleBody = (await app.inject({ method: 'GET', url: '/api/v1/tickets?limit=25', headers: auth })).body
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
      try {
        const baseline = await timeGets(base, () => '/bench-baseline', n)
        const baselineText = `${fmt(baseline.p95, 2)} ms`
        const figures: [string, string][] = [
          ['/me (every page)', '/api/v1/me'],
          ['/portal/organisation (start page: who the local administrator is)', '/api/v1/portal/organisation'],
          ['/banners (every page)', '/api/v1/banners'],
          ["the customer's ticket list (25 of 50+)", '/api/v1/tickets?limit=25'],
          ['a ticket page: the ticket by number', `/api/v1/tickets/by-number/${encodeURIComponent(number)}`],
          ['a ticket page: its articles', `/api/v1/tickets/${ticketId}/articles`],
          ['the catalogue: items (16)', '/api/v1/catalog/items'],
          ["a local administrator's organisation ticket list", `/api/v1/tickets?limit=25&organisationId=${customer.organisationId}`],
          ["a local administrator's members", '/api/v1/portal/members'],
        ]
        for (const [name, path] of figures) {
          const m = await timeGets(base, () => path, n, auth)
          rows.push({ db: kind, figure: `portal: ${name} p95 (p50 ${fmt(m.p50, 2)} ms)`, measured: `${fmt(m.p95, 2)} ms`, target: `≤ ${TARGET_MS} ms`, baseline: baselineText, pass: m.p95 <= TARGET_MS })
        }
        const load = options.webRoot ? portalFirstLoad(options.webRoot) : null
        if (load) {
          rows.push({ db: kind, figure: `portal first load, gzip (${load.files} files)`, measured: `${fmt(load.bytes / 1024, 1)} KB`, target: `≤ ${FIRST_LOAD_KB} KB`, baseline: '', pass: load.bytes <= FIRST_LOAD_KB * 1024 })
        }
        for (const row of rows.filter((x) => x.db === kind)) options.log(`  → ${row.figure}: ${row.measured} (target ${row.target}${row.baseline ? `, baseline ${row.baseline}` : ''})${row.pass ? ' PASS' : ' FAIL'}`)
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
