import { sql } from 'kysely'
import { expect, it } from 'vitest'
import { describeEachDatabase, useMigratedDatabase } from '../test/databases.js'
import { recordingDb } from '../test/recording-db.js'
import { ticketRepository } from './ticket.repository.js'

/**
 * The portal's two ticket lists (a customer's own tickets, a local administrator's organisation's) read
 * their page straight from an index, in its order: no sort of all the requester's or organisation's
 * tickets first, whatever plan the database picks (PostgreSQL's generic plan of a prepared statement too).
 */
describeEachDatabase('the portal ticket lists read their page from an index', (database) => {
  const db = useMigratedDatabase(database)

  async function plan(filter: { requesterId?: string; organisationId?: string }): Promise<string> {
    // The list query exactly as the repository sends it, compiled on a recording database of the same dialect.
    const { db: recording, statements } = recordingDb(db().kind)
    await ticketRepository.list(recording, { ...filter, sort: 'updated_at', descending: true, limit: 26 })
    const text = statements[0]
    const value = filter.requesterId ?? filter.organisationId!
    if (db().kind === 'sqlite') {
      const rows = await sql.raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${text.replace('?', `'${value}'`).replace('?', '26')}`).execute(db().db)
      return rows.rows.map((r) => r.detail).join('\n')
    }
    // PostgreSQL: as a prepared statement under its generic plan (the one that guesses how many rows a value has).
    return db().db.connection().execute(async (c) => {
      await sql`SET enable_seqscan = off`.execute(c)
      await sql`SET plan_cache_mode = force_generic_plan`.execute(c)
      await sql.raw(`PREPARE portal_list AS ${text}`).execute(c)
      const rows = await sql.raw<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE portal_list('${value}', 26)`).execute(c)
      await sql`DEALLOCATE portal_list`.execute(c)
      await sql`RESET plan_cache_mode`.execute(c)
      await sql`RESET enable_seqscan`.execute(c)
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n')
    })
  }

  it("a customer's own tickets, newest first: by the requester index, nothing sorted", async () => {
    const text = await plan({ requesterId: '018bec32-4780-7b18-b60c-d9a460a14cb5' })
    expect(text).toMatch(/ticket_requester_page/)
    expect(text).not.toMatch(/Sort|TEMP B-TREE/)
  })

  it("a local administrator's organisation's tickets, newest first: by the organisation index, nothing sorted", async () => {
    const text = await plan({ organisationId: '018bea06-dc00-7ed7-9576-1927485ad811' })
    expect(text).toMatch(/ticket_organisation_page/)
    expect(text).not.toMatch(/Sort|TEMP B-TREE/)
  })
})
