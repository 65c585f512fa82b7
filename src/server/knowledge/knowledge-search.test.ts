import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createDb, type Database } from '../db/create-db.js'
import { migrateToLatest } from '../db/migrate.js'
import { describeEachDatabase } from '../test/databases.js'
import { knowledgeIndex } from './knowledge-search.js'

describeEachDatabase('knowledge index: words the suggestions look for', (database) => {
  let db: Database
  let drop: () => Promise<void>
  const index = knowledgeIndex({ kind: database.name })
  beforeAll(async () => {
    const made = await database.create()
    drop = made.drop
    db = createDb(made.config)
    await migrateToLatest(db)
    // 1,100 articles about computers (a common word); a handful about a flickering screen, one about a docking station.
    await db.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 1100; i++) await index.put(trx, 'article', `c${i}`, `Computer vraag ${i}`, 'Een vraag over de computer.')
      for (let i = 0; i < 5; i++) await index.put(trx, 'article', `s${i}`, `Beeldscherm flikkert ${i}`, 'Het beeldscherm van de computer flikkert.')
      await index.put(trx, 'article', 'd', 'Dockingstation', 'Het dockingstation geeft geen beeld.')
    })
  }, 120_000)
  afterAll(async () => {
    await db?.close()
    await drop?.()
  })

  it('takes the rarest telling words, leaves out one most entries have, and words the index does not hold', async () => {
    const words = await index.wordsToSuggestBy(db.db, 'Mijn computer: het beeldscherm flikkert sinds het dockingstation, graag hulp (zxqwv)')
    expect(words.slice(0, 1)).toEqual(['dockingstation'])
    expect(words).toContain('flikkert')
    expect(words).toContain('beeldscherm')
    expect(words).not.toContain('computer')
    expect(words).not.toContain('zxqwv')
    // The articles these words find: the screen and the docking station, not the 1,100 about computers.
    const match = index.match('article', words, 'any')!
    const { rows } = await sql<{ ref_id: string }>`SELECT ref_id FROM ${match.table} AS m ORDER BY score DESC`.execute(db.db)
    expect(rows.map((r) => r.ref_id).sort()).toEqual(['d', 's0', 's1', 's2', 's3', 's4'])
  })

  it('still looks for common words when a ticket has nothing rarer', async () => {
    expect((await index.wordsToSuggestBy(db.db, 'computer vraag')).sort()).toEqual(['computer', 'vraag'])
  })

  it('keeps the counts with changes and removals (what a word occurs in)', async () => {
    const before = await index.wordsToSuggestBy(db.db, 'dockingstation')
    expect(before).toEqual(['dockingstation'])
    await index.put(db.db, 'article', 'd', 'Laadstation', 'Het laadstation geeft geen beeld.')
    expect(await index.wordsToSuggestBy(db.db, 'dockingstation')).toEqual([])
    expect(await index.wordsToSuggestBy(db.db, 'laadstation')).toEqual(['laadstation'])
    await index.remove(db.db, 'article', 'd')
    expect(await index.wordsToSuggestBy(db.db, 'laadstation')).toEqual([])
  })
})
