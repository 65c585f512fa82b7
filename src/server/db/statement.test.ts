import { expect, it } from 'vitest'
import { describeEachDatabase, useMigratedDatabase } from '../test/databases.js'
import { Statement } from './statement.js'
import { createTransactionRunner } from './transactions.js'

describeEachDatabase('fixed statements', (database) => {
  const db = useMigratedDatabase(database)

  const insertDepartment = new Statement('INSERT INTO department (id, name, customer_reply_allowed, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
  const departmentsNamed = new Statement<{ id: string; name: string }>('SELECT id, name FROM department WHERE name = ? OR name = ? ORDER BY id')

  it('binds its placeholders in order, on the database itself and inside a transaction', async () => {
    await insertDepartment.rows(db().db, ['d1', 'ICT', 1, 'x', 'x'])
    await db().db.transaction().execute((trx) => insertDepartment.rows(trx, ['d2', 'HR ? of niet', 0, 'x', 'x']))
    expect(await departmentsNamed.rows(db().db, ['HR ? of niet', 'ICT'])).toEqual([
      { id: 'd1', name: 'ICT' },
      { id: 'd2', name: 'HR ? of niet' },
    ])
    expect(await departmentsNamed.first(db().db, ['Financiën', 'Facilitair'])).toBeUndefined()
  })

  it('runs inside group-commit units (directly on SQLite), each unit kept or rolled back alone', async () => {
    const transaction = createTransactionRunner(db())
    const unit = (id: string, fail: boolean) =>
      transaction(async (trx) => {
        await insertDepartment.rows(trx, [id, `Groep ${id}`, 1, 'x', 'x'])
        // A builder query in the same unit sees the fixed statement's row.
        const seen = await trx.selectFrom('department').select('id').where('id', '=', id).executeTakeFirst()
        if (fail) throw new Error(`${id} fails`)
        return seen?.id
      })
    const results = await Promise.allSettled([unit('g1', false), unit('g2', true), unit('g3', false)])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual(['g1', 'failed', 'g3'])
    expect((await departmentsNamed.rows(db().db, ['Groep g1', 'Groep g2'])).map((r) => r.id)).toEqual(['g1'])
    expect(await departmentsNamed.first(db().db, ['Groep g3', 'Groep g3'])).toEqual({ id: 'g3', name: 'Groep g3' })
  })

  it('fails with the database error when a parameter is missing', async () => {
    await expect(departmentsNamed.rows(db().db, ['ICT'])).rejects.toThrow()
  })
})
