import type { Migration, MigrationProvider } from 'kysely'
import * as core from './2026-11-23T00-00-core.js'
import * as drafts from './2026-11-23T01-00-drafts.js'
import * as mailboxes from './2026-11-23T02-00-mailboxes.js'
import * as perf from './2026-11-23T03-00-perf.js'
import * as escalations from './2026-12-02T00-00-escalations.js'

/** Static list, so the compiled server needs no folder scanning. Names sort by their ISO date. */
export const migrations: Record<string, Migration> = {
  '2026-11-23T00-00-core': core,
  '2026-11-23T01-00-drafts': drafts,
  '2026-11-23T02-00-mailboxes': mailboxes,
  '2026-11-23T03-00-perf': perf,
  '2026-12-02T00-00-escalations': escalations,
}
export const migrationProvider: MigrationProvider = { getMigrations: async () => migrations }
