import { sql } from 'kysely'
import { beforeAll, expect, it } from 'vitest'
import { describeEachDatabase, useMigratedDatabase } from '../test/databases.js'
import type { Executor } from './schema.js'
import { atEndOfTransaction } from './end-of-transaction.js'
import { createTransactionRunner, type TransactionRunner } from './transactions.js'

describeEachDatabase('transaction runner', (database) => {
  const db = useMigratedDatabase(database)
  let transaction: TransactionRunner
  beforeAll(() => {
    transaction = createTransactionRunner(db())
  })

  const insertDepartment = (name: string) => (trx: Executor) =>
    trx.insertInto('department').values({ id: name, name, customer_reply_allowed: 1, created_at: 'x', updated_at: 'x' }).execute()
  const departments = async () => (await db().db.selectFrom('department').select('name').orderBy('name').execute()).map((r) => r.name)

  it('units that arrive together each succeed or fail alone; end-of-transaction work runs only for the ones that succeed', async () => {
    const unit = (name: string, fail: boolean) =>
      transaction(async (trx) => {
        await insertDepartment(name)(trx)
        await atEndOfTransaction(trx, insertDepartment(`${name}-end`))
        if (fail) throw new Error(`${name} fails`)
        return name
      })
    const results = await Promise.allSettled([unit('a1', false), unit('a2', true), unit('a3', false), unit('a4', true), unit('a5', false)])
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'])
    expect(await departments()).toEqual(['a1', 'a1-end', 'a3', 'a3-end', 'a5', 'a5-end'])
  })

  it('a failing end-of-transaction step rolls back the units it belongs with', async () => {
    const failing = transaction(async (trx) => {
      await insertDepartment('b1')(trx)
      await atEndOfTransaction(trx, async () => {
        throw new Error('disk full')
      })
    })
    await expect(failing).rejects.toThrow('disk full')
    expect(await departments()).not.toContain('b1')
  })

  it('outside a transaction, end-of-transaction work runs at once', async () => {
    let ran = false
    await atEndOfTransaction(db().db, async (trx) => {
      await sql`SELECT 1`.execute(trx)
      ran = true
    })
    expect(ran).toBe(true)
  })
})
