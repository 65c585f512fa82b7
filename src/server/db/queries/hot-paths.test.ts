import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Kysely, sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { tmpdir } from 'node:os'
import type { Actor } from '../../accounts/actor.js'
import { JobChannelRegistry } from '../../channels/registry.js'
import { systemClock } from '../../clock.js'
import type { Deps } from '../../deps.js'
import { InProcessEventBus } from '../../events.js'
import { JobQueue } from '../../jobs/queue.js'
import { LocalWakeups } from '../../jobs/wakeups.js'
import { Outbox } from '../../outbox/outbox.js'
import { createServices } from '../../services.js'
import { type Answer, recordingDb } from '../../test/recording-db.js'
import { testConfig } from '../../test/test-app.js'
import { DiskBlobStore } from '../../tickets/blob-store.js'
import type { DbKind } from '../config.js'
import { dialectFor } from '../dialect.js'
import type { DB, TicketRow } from '../schema.js'
import { createTransactionRunner } from '../transactions.js'

/** One hot path whose SQL is committed: what it runs, on a recording database that answers `answer`. */
interface SqlSnapshot {
  name: string
  answer?: Answer
  run(db: Kysely<DB>, kind: DbKind): Promise<unknown>
}

const dir = fileURLToPath(new URL('./', import.meta.url))
const update = process.env.UPDATE_SQL_SNAPSHOTS === '1'

const fileText = (name: string, statements: readonly string[]) =>
  `-- ${name}: written by the SQL snapshot test (UPDATE_SQL_SNAPSHOTS=1 npx vitest run … to write it anew)\n\n` +
  statements.map((s) => `${s.trim().replace(/\n\s*\n/g, '\n')};\n`).join('\n')

/**
 * The SQL of the hot paths as each dialect compiles it is committed in db/queries/ (one file per query
 * per dialect, as immich does), so a change to a query shows as a diff of its SQL in review. These tests
 * compile them again and fail on any difference; `UPDATE_SQL_SNAPSHOTS=1` writes them anew.
 */
function describeSqlSnapshots(title: string, snapshots: readonly SqlSnapshot[]) {
  describe(title, () => {
    for (const kind of ['sqlite', 'postgres'] as const) {
      for (const snapshot of snapshots) {
        const file = `${snapshot.name}.${kind}.sql`
        it(`db/queries/${file} is what the code compiles`, async () => {
          const { db, statements } = recordingDb(kind, snapshot.answer)
          await snapshot.run(db, kind)
          const text = fileText(snapshot.name, statements)
          const path = join(dir, file)
          if (update) writeFileSync(path, text)
          expect(existsSync(path), `${file} is missing: run with UPDATE_SQL_SNAPSHOTS=1`).toBe(true)
          expect(text, `the SQL of ${snapshot.name} on ${kind} changed: run with UPDATE_SQL_SNAPSHOTS=1 and commit the diff`).toBe(readFileSync(path, 'utf8'))
        })
      }
    }
    it('db/queries/ holds no snapshot of a path that is not listed here', () => {
      const listed = new Set(snapshots.flatMap((s) => [`${s.name}.sqlite.sql`, `${s.name}.postgres.sql`]))
      expect(readdirSync(dir).filter((f) => f.endsWith('.sql') && !listed.has(f))).toEqual([])
    })
  })
}


// --- the hot paths ----------------------------------------------------------------------------------

/** Loket's real services on a recording database: the paths run as the API runs them. */
function servicesOn(db: Kysely<DB>, kind: DbKind) {
  const jobs = new JobQueue(db, kind)
  const transaction = createTransactionRunner({ db, kind })
  // On PostgreSQL the outbox's wake-up goes with its insert (jobs/wakeups.ts): a wake-up that sends it.
  const wakeups = kind === 'postgres' ? Object.assign(new LocalWakeups(), { notifyOnCommit: () => sql`` }) : new LocalWakeups()
  const outbox = new Outbox({ db, transaction, kind, wakeups })
  const deps: Deps = {
    db,
    transaction,
    outbox,
    dialect: dialectFor(kind),
    events: new InProcessEventBus(),
    clock: systemClock,
    jobs,
    blobs: new DiskBlobStore(tmpdir()),
    channels: new JobChannelRegistry(jobs, outbox),
    config: testConfig({ kind: 'sqlite', file: ':memory:' }, tmpdir()),
  }
  return createServices(deps)
}

const agent: Actor = { user: { id: 'u2', role: 'agent', name: 'Agent', email: 'agent@x.nl' } as Actor['user'], via: 'token' }
const ticket: TicketRow = {
  id: 't1', number: '2026-00001', subject: 's', status: 'open', priority: 'normal', type: 'question', channel: 'email', requester_id: 'u1',
  organisation_id: 'o1', department_id: 'd1', group_id: 'g1', assignee_id: 'u2', created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z', first_response_at: null, resolved_at: null, closed_at: null, version: 1, coordinator_id: null, merged_into_id: null, first_line_resolution: null,
  third_party_until: null, third_party_supplier: null, third_party_reference: null, third_party_back_at: null,
}
const person = { id: 'u1', name: 'Klant', email: 'klant@x.nl', role: 'customer', organisation_id: 'o1', organisation_name: 'Org', active: 1 }
const article = { id: 'a1', ticket_id: 't1', channel: 'email', direction: 'in', visibility: 'public', author_id: 'u1', body: 'b', content_type: 'text/plain', source_id: null, metadata: '{}', created_at: ticket.created_at }

/** A desk of one ticket, one customer (an existing requester) and a service desk: every step of a path runs. */
const oneTicket: Answer = (text) => {
  const s = text.trim().toLowerCase()
  if (s.includes('from pg_class')) return [{ n: 1 }]
  if (s.includes('insert into ticket_counter')) return [{ value: 1 }]
  if (s.startsWith('with n as')) return [{ number: ticket.number }]
  if (s.startsWith('select app_user.*')) return [person]
  if (!s.startsWith('select')) return []
  if (s.includes('from "agent_group"')) return [{ id: 'g1', department_id: 'd1' }]
  if (s.includes('from "ticket"')) return [ticket]
  if (s.includes('from "app_user"')) return [person]
  if (s.includes('from "organisation"')) return [{ id: 'o1', name: 'Org' }]
  if (s.includes('from "article"')) return [article]
  if (s.includes('search_entry')) return [{ ticket_id: 't1', n: 1 }]
  return []
}

describeSqlSnapshots('SQL snapshots of the hot paths', [
  {
    name: 'queue-page',
    answer: oneTicket,
    run: (db, kind) => servicesOn(db, kind).tickets.list(agent, { groupId: 'g1', status: 'open', limit: 50 }),
  },
  {
    name: 'search',
    answer: oneTicket,
    run: (db, kind) => servicesOn(db, kind).tickets.list(agent, { q: 'inloggen scherm', limit: 50 }),
  },
  {
    name: 'open-ticket',
    answer: oneTicket,
    run: async (db, kind) => {
      const { tickets } = servicesOn(db, kind)
      await tickets.get(agent, 't1')
      await tickets.listArticles(agent, 't1')
    },
  },
  {
    name: 'create-ticket',
    answer: oneTicket,
    run: (db, kind) =>
      servicesOn(db, kind).tickets.create(agent, { subject: 'Printer', body: 'De printer doet het niet.', requester: { email: 'klant@x.nl', name: 'Klant' } }),
  },
])
