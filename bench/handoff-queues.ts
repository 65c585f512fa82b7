/**
 * The handoff queues of issue 16 at the bench's scale: "Mijn escalaties" (a coordinator's handoffs under
 * way) and "Voor ons" (a back office's incoming handoffs, oldest first), p95 under the same concurrent load
 * as the queue page. `topUpHandoffs` runs on the working copy before the server starts: the open tickets of
 * back-office groups, up to 100,000 (13,067 in the 1,000,000-ticket data set), get a handoff under way
 * (escalated, picked up or returned, within the last 60 days, with due moments); every 50th is coordinated by the bench agent, who
 * also joins two back-office groups.
 */
import type { DayOneRow, DayOneRun } from './day-one.js'

const HANDOFFS = 100_000
/** Every 50th handoff is the bench agent's (at a small scale more often, so its "Mijn escalaties" has two pages). */
const AGENTS_SHARE = 50
const fmt = (n: number, digits = 1) => n.toLocaleString('en-GB', { maximumFractionDigits: digits })

export async function topUpHandoffs(run: Pick<DayOneRun, 'kind' | 'sql' | 'log'>, agentEmail: string): Promise<number> {
  const t = Date.now()
  const [{ n: existing }] = await run.sql<{ n: number | string }>('SELECT count(*) AS n FROM escalation WHERE done_at IS NULL')
  const [{ id: agentId }] = await run.sql<{ id: string }>(`SELECT id FROM app_user WHERE email = '${agentEmail}'`)
  const [{ id: deskId }] = await run.sql<{ id: string }>('SELECT id FROM agent_group WHERE line = 1 ORDER BY created_at LIMIT 1')
  const eligible = `
      FROM ticket JOIN agent_group g ON g.id = ticket.group_id
      WHERE g.line = 2 AND ticket.status = 'open' AND ticket.merged_into_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM escalation e WHERE e.ticket_id = ticket.id AND e.done_at IS NULL)`
  const adding = Math.max(0, HANDOFFS - Number(existing))
  const [{ n: available }] = await run.sql<{ n: number | string }>(`SELECT count(*) AS n FROM (SELECT 1 ${eligible} LIMIT ${adding}) AS x`)
  const share = Math.max(1, Math.min(AGENTS_SHARE, Math.floor(Number(available) / 120)))
  // Moments as the application writes them (ISO 8601 text, UTC): due four and sixteen hours after the escalation.
  const later = (column: string, hours: number) =>
    run.kind === 'postgres'
      ? `to_char((${column}::timestamptz + interval '${hours} hours') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : `strftime('%Y-%m-%dT%H:%M:%fZ', ${column}, '+${hours} hours')`
  // Escalated within the last 60 days, an hour apart: open handoffs are days or weeks old, not the years
  // the tickets' own ages span (the handoff clock counts business time from the escalation on).
  const escalatedAt =
    run.kind === 'postgres'
      ? `to_char((now() - (t.n % 1440) * interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : `strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-' || (t.n % 1440) || ' hours')`
  await run.sql(`
    INSERT INTO escalation (id, ticket_id, from_group_id, group_id, department_id, coordinator_id, escalated_by, state, handoff_note_id,
      escalated_at, picked_up_at, picked_up_by, returned_at, returned_by, pickup_due_at, return_due_at)
    SELECT 'bench-handoff-' || t.id, t.id, '${deskId}', t.group_id, t.department_id,
      CASE WHEN t.n % ${share} = 0 THEN '${agentId}' ELSE t.assignee_id END,
      CASE WHEN t.n % ${share} = 0 THEN '${agentId}' ELSE t.assignee_id END,
      CASE t.n % 3 WHEN 0 THEN 'escalated' WHEN 1 THEN 'picked_up' ELSE 'returned' END,
      'bench-note-' || t.id, ${escalatedAt},
      CASE WHEN t.n % 3 > 0 THEN ${escalatedAt} END, CASE WHEN t.n % 3 > 0 THEN t.assignee_id END,
      CASE WHEN t.n % 3 = 2 THEN ${escalatedAt} END, CASE WHEN t.n % 3 = 2 THEN t.assignee_id END,
      ${later(`(${escalatedAt})`, 4)}, ${later(`(${escalatedAt})`, 16)}
    FROM (
      SELECT ticket.id, ticket.group_id, ticket.department_id, ticket.assignee_id, ticket.created_at, row_number() OVER (ORDER BY ticket.id) AS n
      ${eligible}
      ORDER BY ticket.id
      LIMIT ${adding}
    ) AS t`)
  await run.sql(`
    INSERT INTO group_member (group_id, user_id)
    SELECT g.id, '${agentId}' FROM agent_group g
    WHERE g.line = 2 AND NOT EXISTS (SELECT 1 FROM group_member m WHERE m.group_id = g.id AND m.user_id = '${agentId}')
    ORDER BY g.created_at LIMIT 2`)
  await run.sql(run.kind === 'postgres' ? 'VACUUM (ANALYZE) escalation' : 'ANALYZE escalation')
  const [{ n }] = await run.sql<{ n: number | string }>('SELECT count(*) AS n FROM escalation WHERE done_at IS NULL')
  run.log(`Handoffs under way: ${fmt(Number(n), 0)} (${fmt(Number(n) - Number(existing), 0)} added) in ${fmt((Date.now() - t) / 1000)} s`)
  return Number(n)
}

/** "Mijn escalaties" and "Voor ons", first page and a later one, each p95 under the queue page's load. */
export async function handoffQueueFigures(run: DayOneRun): Promise<DayOneRow[]> {
  const rows: DayOneRow[] = []
  for (const [view, name] of [['mine', 'Mijn escalaties'], ['ours', 'Voor ons']] as const) {
    const first = `/api/v1/escalations?view=${view}&limit=50`
    const page = (await (await fetch(run.url + first, { headers: run.auth })).json()) as { items: unknown[]; nextCursor: string | null }
    // A figure of an empty queue would say nothing.
    if (page.items.length < 50 || !page.nextCursor) throw new Error(`handoff queue ${view}: only ${page.items.length} handoffs on its first page`)
    const paths = [first, `${first}&cursor=${encodeURIComponent(page.nextCursor)}`]
    await run.loadReads(run.url, paths, 2, run.auth)
    const result = await run.loadReads(run.url, paths, run.duration, run.auth)
    if (result.ok === 0 || result.failed > 0) throw new Error(`handoff queue ${view}: ${result.failed} failed answers ${JSON.stringify(result.statusCodes)}`)
    rows.push({
      db: run.kind,
      figure: `handoff queue "${name}" (GET /escalations?view=${view}), 50 a page, first and second page (p50 ${fmt(result.latency.p50)}, p99 ${fmt(result.latency.p99)} ms; ${fmt(result.rate)} req/s)`,
      measured: `${fmt(result.latency.p95)} ms`,
      target: '≤ 25 ms',
      baseline: '',
      pass: result.latency.p95 <= 25,
    })
  }
  return rows
}
