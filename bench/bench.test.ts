import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { expandForIndex } from '../src/server/db/text-search.js'
import { ARTICLES_PER_TICKET, generateSqlite, shapeFor } from './generate.js'

describe('benchmark data generator [sqlite]', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loket-bench-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('fills a migrated database with the requested scale, consistently', async () => {
    const file = join(dir, 'bench.sqlite')
    const shape = shapeFor(200)
    const result = await generateSqlite(file, shape)
    const db = new SQLite(file, { readonly: true })
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n
      expect(result.counts.tickets).toBe(200)
      expect(count('SELECT count(*) AS n FROM ticket')).toBe(200)
      expect(count('SELECT count(*) AS n FROM article')).toBe(200 * ARTICLES_PER_TICKET)
      expect(count('SELECT count(*) AS n FROM search_entry')).toBe(200 * ARTICLES_PER_TICKET)
      expect(count("SELECT count(*) AS n FROM app_user WHERE role = 'customer'")).toBe(shape.customers)
      expect(count("SELECT count(*) AS n FROM app_user WHERE role <> 'customer'")).toBe(shape.agents)
      expect(count('SELECT count(*) AS n FROM agent_group')).toBe(20)
      expect(count('SELECT count(*) AS n FROM ticket_history')).toBe(result.counts.history)
      // Every ticket has articles; numbers are unique and the counter continues after them.
      expect(count('SELECT count(*) AS n FROM ticket t WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.ticket_id = t.id)')).toBe(0)
      expect(count('SELECT count(DISTINCT number) AS n FROM ticket')).toBe(200)
      expect(count('SELECT sum(value) AS n FROM ticket_counter')).toBe(200)
      // Indexes dropped for the load are back, and foreign keys hold.
      expect(count("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'ticket_group_queue'")).toBe(1)
      expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([])
      // The index holds what the application itself would write for that text.
      const first = db.prepare('SELECT t.subject, a.body, a.ticket_id FROM ticket t JOIN article a ON a.ticket_id = t.id ORDER BY a.created_at LIMIT 1').get() as {
        subject: string; body: string; ticket_id: string
      }
      const entry = db.prepare('SELECT content FROM search_entry WHERE ticket_id = ? ORDER BY rowid LIMIT 1').get(first.ticket_id) as { content: string }
      expect(entry.content).toBe(expandForIndex(`${first.subject}\n${first.body}`))
      expect(count("SELECT count(*) AS n FROM search_entry WHERE search_entry MATCH 'printer'")).toBeGreaterThan(0)
    } finally {
      db.close()
    }
  })
})
