import { expect, it } from 'vitest'
import { describeEachDatabase, useMigratedDatabase } from '../test/databases.js'
import { Statement } from './statement.js'

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

  it('fails with the database error when a parameter is missing', async () => {
    await expect(departmentsNamed.rows(db().db, ['ICT'])).rejects.toThrow()
  })
})
