import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../schema.js'
import { directStatements, type Prepare, Statement } from '../statement.js'
import { type EndOfTransactionWork, endOfTransactionWork } from '../end-of-transaction.js'

interface Pending {
  work: (trx: Transaction<DB>) => Promise<unknown>
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

const MAX_BATCH = 64
const SAVEPOINT = new Statement('SAVEPOINT unit')
const RELEASE = new Statement('RELEASE unit')
const ROLLBACK_TO = new Statement('ROLLBACK TO unit')

/**
 * Group commit for SQLite. SQLite has one writer, and each COMMIT writes every page the transaction
 * touched to the WAL: for a new ticket about twenty pages of table, indexes and search segments, which
 * costs more than the statements themselves. Units of work that arrive while a transaction is running
 * share the next one, each inside its own savepoint: a unit that fails rolls back alone, and every unit
 * resolves only after the shared COMMIT, so nothing is acknowledged before it is stored.
 */
export class SqliteGroupCommit {
  private readonly queue: Pending[] = []

  constructor(
    private readonly db: Kysely<DB>,
    private readonly sqliteStatement?: Prepare,
  ) {}

  /** The transaction holds the connection until it ends: its fixed statements may run directly. */
  private runsDirectly(trx: Transaction<DB>) {
    if (this.sqliteStatement) directStatements.set(trx, this.sqliteStatement)
  }

  run = <T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => this.enqueue({ work, resolve: resolve as (v: unknown) => void, reject }))

  private enqueue(pending: Pending) {
    this.queue.push(pending)
    this.schedule()
  }

  private scheduled = false
  private batchRunning = false

  private schedule() {
    if (this.scheduled) return
    this.scheduled = true
    // better-sqlite3 is synchronous, so a transaction runs start to finish in one turn of the event
    // loop and nothing could join it. Waiting for the end of this turn lets every request that came
    // in with it (under load, several) share the transaction.
    setImmediate(() => {
      this.scheduled = false
      this.startBatches()
    })
  }

  /** The units that arrived while the last batch ran, at most MAX_BATCH at a time, as the next batch. */
  private startBatches() {
    if (this.queue.length === 0 || this.batchRunning) return
    this.batchRunning = true
    void this.runBatch(this.queue.splice(0, MAX_BATCH)).finally(() => {
      this.batchRunning = false
      this.schedule()
    })
  }

  private async runBatch(batch: Pending[]) {
    if (batch.length === 1) {
      const [only] = batch
      try {
        only.resolve(
          await this.db.transaction().execute(async (trx) => {
            this.runsDirectly(trx)
            const finishing: EndOfTransactionWork[] = []
            endOfTransactionWork.set(trx, finishing)
            const value = await only.work(trx)
            for (const finish of finishing) await finish(trx)
            return value
          }),
        )
      } catch (err) {
        only.reject(err)
      }
      return
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = []
    const finishing: EndOfTransactionWork[] = []
    const trx = await this.db.startTransaction().execute()
    this.runsDirectly(trx)
    try {
      // Every unit runs on the transaction itself, inside its own savepoint (fixed statements: a
      // savepoint builder and a transaction object per unit cost more than the savepoint).
      for (const item of batch) {
        await SAVEPOINT.rows(trx, [])
        const unitFinishing: EndOfTransactionWork[] = []
        endOfTransactionWork.set(trx, unitFinishing)
        try {
          const value = await item.work(trx)
          await RELEASE.rows(trx, [])
          finishing.push(...unitFinishing)
          outcomes.push({ ok: true, value })
        } catch (error) {
          await ROLLBACK_TO.rows(trx, [])
          await RELEASE.rows(trx, [])
          outcomes.push({ ok: false, error })
        }
      }
      endOfTransactionWork.delete(trx)
      for (const finish of finishing) await finish(trx)
      await trx.commit().execute()
    } catch (err) {
      await trx.rollback().execute().catch(() => {})
      for (const item of batch) item.reject(err)
      return
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]
      if (outcome.ok) item.resolve(outcome.value)
      else item.reject(outcome.error)
    })
  }
}

