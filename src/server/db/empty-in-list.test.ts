import { expect, it } from 'vitest'
import { describeEachDatabase, useMigratedDatabase } from '../test/databases.js'

describeEachDatabase('an empty IN list', (database) => {
  const db = useMigratedDatabase(database)
  const at = '2026-12-07T08:00:00.000Z'

  it('selects nothing for IN () and everything for NOT IN (), in selects, subqueries, updates and deletes', async () => {
    const { db: k } = db()
    await k.insertInto('organisation').values([{ id: 'o1', name: 'Bakkerij', created_at: at, updated_at: at }, { id: 'o2', name: 'Gemeente', created_at: at, updated_at: at }]).execute()
    expect(await k.selectFrom('organisation').select('id').where('id', 'in', []).execute()).toEqual([])
    expect((await k.selectFrom('organisation').select('id').where('id', 'not in', []).orderBy('id').execute()).map((r) => r.id)).toEqual(['o1', 'o2'])
    // Nested in an OR and beside a non-empty list: only the empty one is replaced.
    const nested = await k.selectFrom('organisation').select('id').where((eb) => eb.or([eb('id', 'in', []), eb('id', 'in', ['o2'])])).execute()
    expect(nested).toEqual([{ id: 'o2' }])
    const sub = await k.selectFrom('organisation').select('id').where('id', 'in', (eb) => eb.selectFrom('organisation as o').select('o.id').where('o.name', 'in', [])).execute()
    expect(sub).toEqual([])
    expect(Number((await k.updateTable('organisation').set({ name: 'x' }).where('id', 'in', []).executeTakeFirst()).numUpdatedRows)).toBe(0)
    expect(Number((await k.deleteFrom('organisation').where('id', 'in', []).executeTakeFirst()).numDeletedRows)).toBe(0)
    expect(await k.selectFrom('organisation').select('name').orderBy('id').execute()).toEqual([{ name: 'Bakkerij' }, { name: 'Gemeente' }])
  })

  it('keeps inside a transaction (the runner a service uses)', async () => {
    const rows = await db().db.transaction().execute((trx) => trx.selectFrom('organisation').select('id').where('id', 'in', []).execute())
    expect(rows).toEqual([])
  })
})
