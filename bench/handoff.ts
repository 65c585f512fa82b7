/**
 * Handoff times (issue 16), run with `--only=routing` (routing rules and business time) and in the default run:
 * the business-time due moments of 100,000 open handoffs computed again after a calendar change, ≤ 5 s.
 * Baseline, same run and rows: one bare UPDATE setting both due columns of the same rows to a constant
 * (what writing alone costs, without reading or business-time arithmetic).
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import type { Actor } from '../src/server/accounts/actor.js'
import type { Config } from '../src/server/config.js'
import { createRuntime } from '../src/server/runtime.js'
import { freshDatabase } from './knowledge.js'
import type { RoutingBenchRow } from './routing.js'

const SYSTEM: Actor = { user: { id: 'system', role: 'admin', name: 'bench', groupIds: [] } as unknown as Actor['user'], via: 'system' }
const fmt = (n: number, digits = 0) => n.toLocaleString('en-GB', { maximumFractionDigits: digits })

export async function runHandoffBench(options: { kinds: ('sqlite' | 'postgres')[]; pgBaseUrl: string; handoffs?: number; log(line: string): void }): Promise<RoutingBenchRow[]> {
  const n = options.handoffs ?? 100_000
  const rows: RoutingBenchRow[] = []
  for (const kind of options.kinds) {
    const dir = mkdtempSync(join(tmpdir(), 'loket-bench-handoff-'))
    const database = await freshDatabase(kind, options.pgBaseUrl, dir, 'handoff')
    const config = {
      db: database.config, port: 0, host: '127.0.0.1', secret: randomBytes(32), publicUrl: 'http://127.0.0.1', dataDir: dir,
      attachmentMaxBytes: 5 * 1024 * 1024, bodyLimitBytes: 2 * 1024 * 1024, logLevel: 'silent', subjectTagLabel: 'Loket',
    } as Config
    const runtime = await createRuntime(config)
    try {
      options.log(`\n=== ${kind}: ${fmt(n)} open handoffs, due moments computed again after a calendar change ===`)
      const { services, deps } = runtime
      const week = [{ from: '08:30', to: '17:00' }]
      const calendar = await services.calendars.create(SYSTEM, { name: 'Kantoor', hours: { monday: week, tuesday: week, wednesday: week, thursday: week, friday: week, saturday: [], sunday: [] } })
      const dep = await services.desk.createDepartment(SYSTEM, { name: 'ICT' })
      const groups: string[] = []
      for (let g = 0; g < 10; g++) {
        const group = await services.desk.createGroup(SYSTEM, { name: `Backoffice ${g}`, departmentId: dep.id, line: 2 })
        await services.desk.updateGroup(SYSTEM, group.id, { pickupTargetMinutes: 60 + g * 30, returnTargetMinutes: 480 + g * 60 })
        groups.push(group.id)
      }
      const ticket = await services.tickets.create(SYSTEM, { subject: 'Sjabloon', body: 'x', requester: { email: 'klant@example.nl' }, channel: 'email' })
      const template = await deps.db.selectFrom('ticket').selectAll().where('id', '=', ticket.id).executeTakeFirstOrThrow()
      const start = Date.UTC(2026, 0, 5, 7)
      for (let i = 0; i < n; i += 1000) {
        const ids = Array.from({ length: Math.min(1000, n - i) }, (_, k) => i + k)
        await deps.transaction(async (trx) => {
          await trx.insertInto('ticket').values(ids.map((k) => ({ ...template, id: `h-t-${k}`, number: `H-${k}` }))).execute()
          await trx
            .insertInto('escalation')
            .values(ids.map((k) => ({
              id: `h-e-${String(k).padStart(7, '0')}`, ticket_id: `h-t-${k}`, group_id: groups[k % groups.length], state: k % 3 ? 'escalated' : 'picked_up',
              handoff_note_id: 'n', escalated_at: new Date(start + k * 97_000).toISOString(),
            })))
            .execute()
        })
      }
      // Baseline: the same rows, one bare UPDATE.
      const b0 = performance.now()
      await sql`UPDATE escalation SET pickup_due_at = ${'2026-01-01T00:00:00.000Z'}, return_due_at = ${'2026-01-01T00:00:00.000Z'} WHERE state IN ('escalated', 'picked_up')`.execute(deps.db)
      const baseline = performance.now() - b0
      // The figure: a calendar change (a closing day) and everything it sets off, timed from the request's start to its end.
      const t0 = performance.now()
      await services.calendars.update(SYSTEM, calendar.id, { closingDays: [{ date: '2026-12-31', label: 'Oudejaarsdag' }] })
      const took = performance.now() - t0
      const checked = await deps.db.selectFrom('escalation').select((eb) => eb.fn.countAll<number>().as('n')).where('pickup_due_at', '!=', '2026-01-01T00:00:00.000Z').executeTakeFirst()
      options.log(`${kind}: ${fmt(Number(checked?.n ?? 0))} of ${fmt(n)} handoffs got new due moments in ${fmt(took)} ms (bare UPDATE ${fmt(baseline)} ms)`)
      rows.push({
        db: kind,
        figure: `business-time due moments of ${fmt(n)} open handoffs computed again after a calendar change (10 groups, office hours with Dutch holidays)`,
        measured: `${fmt(took / 1000, 2)} s`,
        target: '≤ 5 s',
        baseline: `${fmt(baseline / 1000, 2)} s (one bare UPDATE of the same rows)`,
        pass: took <= 5000 && Number(checked?.n ?? 0) === n,
      })
    } finally {
      await runtime.close()
      await database.drop()
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return rows
}
