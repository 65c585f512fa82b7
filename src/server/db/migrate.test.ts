import { expect, it } from 'vitest'
import { sql } from 'kysely'
import { describeEachDatabase } from '../test/databases.js'
import { createDb } from './create-db.js'
import { migrateToLatest } from './migrate.js'
import { migrations } from './migrations/index.js'

describeEachDatabase('migrations', (database) => {
  // Several processes share one database only on PostgreSQL; SQLite is one process, so there they run in turn.
  it('run safely from several processes at once (PostgreSQL) and again on every start', async () => {
    const created = await database.create()
    const handles = [createDb(created.config), createDb(created.config), createDb(created.config)]
    try {
      const results =
        database.name === 'postgres'
          ? await Promise.all(handles.map((h) => migrateToLatest(h)))
          : [await migrateToLatest(handles[0]), await migrateToLatest(handles[1]), await migrateToLatest(handles[2])]
      // Exactly one runner applied each migration; the others found nothing to do.
      expect(results.flat().sort()).toEqual(Object.keys(migrations).sort())
      expect(await migrateToLatest(handles[0])).toEqual([])
      const count = await sql<{ n: number }>`SELECT count(*) AS n FROM kysely_migration`.execute(handles[0].db)
      expect(Number(count.rows[0].n)).toBe(Object.keys(migrations).length)
    } finally {
      for (const h of handles) await h.close()
      await created.drop()
    }
  })
})
