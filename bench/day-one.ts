/**
 * Day one of a desk (issue 15), on the bench's data set: finding a ticket by the number a caller reads
 * out, or a caller by their phone number, among 1,000,000 customers; the counts of the agent's queues;
 * a queue page sorted by priority. `topUpCustomers` runs on the working copy after migrations and before
 * the server starts; `dayOneFigures` measures through HTTP like every read figure.
 */
import type { LoadResult } from './load.js'

/** What the figures need of the run: its SQL (on the working copy), its server, and how it loads reads. */
export interface DayOneRun {
  kind: 'sqlite' | 'postgres'
  sql: <T>(text: string) => Promise<T[]>
  url: string
  auth: Record<string, string>
  duration: number
  loadReads: (url: string, paths: string[], seconds: number, headers: Record<string, string>) => Promise<LoadResult>
  log: (line: string) => void
}

export interface DayOneRow {
  db: string
  figure: string
  measured: string
  target: string
  baseline: string
  pass: boolean | null
}

const TARGET_CUSTOMERS = 1_000_000
const fmt = (n: number, digits = 1) => n.toLocaleString('en-GB', { maximumFractionDigits: digits })
/** The bench's extra customers have mobile numbers 06 1000 0000 upwards (E.164 +31610000000). */
const mobile = (i: number) => String(10_000_000 + i)

/**
 * Adds customers with phone numbers until there are 1,000,000, in one statement per dialect; and makes the
 * bench agent a member of six groups, so its queue list is a desk agent's (built-in queues and its groups').
 */
export async function topUpCustomers(run: Pick<DayOneRun, 'kind' | 'sql' | 'log'>, agentEmail: string): Promise<number> {
  const t = Date.now()
  const [{ n }] = await run.sql<{ n: number | string }>(`SELECT count(*) AS n FROM app_user WHERE role = 'customer'`)
  const missing = Math.max(0, TARGET_CUSTOMERS - Number(n))
  if (missing > 0) {
    const numbers =
      run.kind === 'postgres'
        ? `SELECT g FROM generate_series(1, ${missing}) AS g`
        : `WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < ${missing}) SELECT g FROM s`
    const pad = run.kind === 'postgres' ? `lpad(g::text, 7, '0')` : `printf('%07d', g)`
    const phone = run.kind === 'postgres' ? `(10000000 + g)::text` : `CAST(10000000 + g AS TEXT)`
    await run.sql(`
      INSERT INTO app_user (id, email, name, role, password_hash, organisation_id, language, phone, phone_e164, active, created_at, updated_at)
      SELECT 'bench-caller-' || ${pad}, 'beller' || ${pad} || '@particulier.example.nl', 'Beller ' || ${pad}, 'customer', NULL, NULL, 'nl',
        '06 ' || ${phone}, '+316' || ${phone}, 1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
      FROM (${numbers}) AS numbers`)
    // Each caller's number and address as their identities, as the application adds them (contact_identities).
    for (const [kind, column] of [['phone', 'phone_e164'], ['email', 'email']]) {
      await run.sql(`
        INSERT INTO contact_identities (kind, value, user_id, created_at)
        SELECT '${kind}', ${column}, id, created_at FROM app_user WHERE id LIKE 'bench-caller-%'
        ON CONFLICT DO NOTHING`)
    }
  }
  await run.sql(`
    INSERT INTO group_member (group_id, user_id)
    SELECT g.id, u.id FROM agent_group g, app_user u WHERE u.email = '${agentEmail}' AND g.id IN (SELECT id FROM agent_group ORDER BY id LIMIT 6)`)
  // Settled before anything is measured: on PostgreSQL the added rows would otherwise bring autovacuum
  // (insert-triggered) into the middle of the read figures.
  for (const table of ['app_user', 'contact_identities']) await run.sql(run.kind === 'postgres' ? `VACUUM (ANALYZE) ${table}` : `ANALYZE ${table}`)
  run.log(`Customers topped up to ${fmt(TARGET_CUSTOMERS, 0)} (${fmt(missing, 0)} added, with phone numbers) in ${fmt((Date.now() - t) / 1000)} s`)
  return missing
}

/** The three figures of issue 15, each p95 under the same concurrent load as the queue page. */
export async function dayOneFigures(run: DayOneRun): Promise<DayOneRow[]> {
  const rows: DayOneRow[] = []
  const measure = async (paths: string[]) => {
    await run.loadReads(run.url, paths, 2, run.auth)
    const result = await run.loadReads(run.url, paths, run.duration, run.auth)
    // A figure of failed answers would be no figure at all.
    if (result.ok === 0 || result.failed > 0) throw new Error(`day-one figure on ${paths[0]}: ${result.failed} failed answers ${JSON.stringify(result.statusCodes)}`)
    return result
  }
  const row = (figure: string, result: LoadResult, target: number, baseline = '') =>
    rows.push({
      db: run.kind,
      figure: `${figure} (p50 ${fmt(result.latency.p50)}, p99 ${fmt(result.latency.p99)} ms; ${fmt(result.rate)} req/s)`,
      measured: `${fmt(result.latency.p95)} ms`,
      target: `≤ ${target} ms`,
      baseline,
      pass: result.latency.p95 <= target,
    })
  const search = (q: string) => `/api/v1/search?q=${encodeURIComponent(q)}`

  // Numbers spread over the whole table, in the forms a caller reads them out: whole, or the last digits.
  const numbers = await run.sql<{ number: string }>(
    run.kind === 'postgres' ? 'SELECT number FROM ticket TABLESAMPLE SYSTEM (1) LIMIT 200' : 'SELECT number FROM ticket WHERE rowid % 5000 = 0 LIMIT 200',
  )
  const byNumber = numbers.flatMap(({ number }, i) => [search(number), search(i % 2 ? number.slice(5) : String(Number(number.slice(5))))])
  row('search by ticket number, whole or its last digits', await measure(byNumber), 20)

  // Callers among the 1,000,000 customers, in the notations people type.
  const notations = [(m: string) => `06 ${m}`, (m: string) => `+31 6 ${m}`, (m: string) => `06-${m.slice(0, 4)} ${m.slice(4)}`, (m: string) => `00316${m}`]
  const byPhone = Array.from({ length: 400 }, (_, i) => search(notations[i % notations.length](mobile(1 + ((i * 2_147) % 899_000)))))
  row('search by phone number among 1,000,000 customers', await measure(byPhone), 20)

  const counts = (await (await fetch(`${run.url}/api/v1/queues/counts`, { headers: run.auth })).json()) as { items: unknown[] }
  row(`queue counts, one answer for the agent's ${counts.items.length} queues`, await measure(['/api/v1/queues/counts']), 30)

  const groups = ((await (await fetch(`${run.url}/api/v1/groups`, { headers: run.auth })).json()) as { items: { id: string }[] }).items.map((g) => g.id)
  const byPriority = groups.map((g) => `/api/v1/tickets?groupId=${g}&status=open&sort=-priority&limit=50`)
  row('queue page sorted by priority, urgent first', await measure(byPriority), 25)
  return rows
}
