import type { Kysely, Transaction } from 'kysely'
import type { Database } from './create-db.js'
import type { DB, Executor } from './schema.js'
import { errorOf, type SqliteWriter, type WriterUnit } from './sqlite-writer.js'
import { directStatements, type Prepare, Statement } from './statement.js'

/** Runs a unit of work in a transaction; resolves only after it is committed. */
export type TransactionRunner = <T>(work: (trx: Transaction<DB>) => Promise<T>) => Promise<T>

/** Runs a writer procedure (sqlite-writer.ts) by name; resolves with its value once committed. */
export type ProcedureRunner = (procedure: string, args: unknown) => Promise<unknown>

export interface WriteRunners {
  transaction: TransactionRunner
  /** Only where a SQLite writer thread runs. */
  procedure?: ProcedureRunner
}

export function createWriteRunners(database: Pick<Database, 'db' | 'kind' | 'sqliteStatement' | 'writer'>): WriteRunners {
  const { db } = database
  if (database.kind === 'postgres') return { transaction: (work) => db.transaction().execute(work) }
  const groupCommit = new SqliteGroupCommit(db, database.sqliteStatement, database.writer)
  return { transaction: groupCommit.run, procedure: database.writer && groupCommit.runProcedure }
}

export const createTransactionRunner = (database: Pick<Database, 'db' | 'kind' | 'sqliteStatement' | 'writer'>): TransactionRunner =>
  createWriteRunners(database).transaction

type Pending = ({ work: (trx: Transaction<DB>) => Promise<unknown>; unit?: never } | { unit: WriterUnit; work?: never }) & {
  resolve: (value: unknown) => void
  reject: (error: unknown) => void
}

const MAX_BATCH = 64
/** Writer batches handed over at once: the one it runs and the next. */
const WRITER_DEPTH = 2
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
class SqliteGroupCommit {
  private readonly queue: Pending[] = []

  constructor(
    private readonly db: Kysely<DB>,
    private readonly sqliteStatement?: Prepare,
    private readonly writer?: SqliteWriter,
  ) {
    if (writer) writer.turns.onLoopDone = () => this.schedule()
  }

  /** The transaction holds the connection until it ends: its fixed statements may run directly. */
  private runsDirectly(trx: Transaction<DB>) {
    if (this.sqliteStatement) directStatements.set(trx, this.sqliteStatement)
  }

  run = <T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => this.enqueue({ work, resolve: resolve as (v: unknown) => void, reject }))

  runProcedure = (procedure: string, args: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => this.enqueue({ unit: { procedure, args }, resolve, reject }))

  private enqueue(pending: Pending) {
    this.queue.push(pending)
    this.schedule()
  }

  private scheduled = false
  /** A batch of this connection's units is running (the writer thread's are counted by its WriterTurns). */
  private loopBatchRunning = false

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

  /**
   * Batches in arrival order, each of one kind: procedures for the writer thread, or units of work on
   * this connection. The two connections never write at once (WriterTurns in sqlite-writer.ts: this
   * connection's BEGIN waits for the writer's batches to end, and the writer gets no new batch while
   * this connection writes or waits to). The writer is handed its next batch while it runs the
   * current one, so it does not wait for the event loop in between.
   */
  private startBatches() {
    while (this.queue.length > 0 && !this.loopBatchRunning) {
      const forWriter = this.queue[0].unit !== undefined
      if (forWriter && (this.writer!.turns.writerBatches >= WRITER_DEPTH || !this.writer!.turns.writerMayStart())) return
      let n = 1
      while (n < this.queue.length && n < MAX_BATCH && (this.queue[n].unit !== undefined) === forWriter) n++
      const batch = this.queue.splice(0, n)
      if (forWriter) {
        this.writer!.turns.writerStarted()
        void this.runOnWriter(batch).finally(() => {
          this.writer!.turns.writerDone()
          this.schedule()
        })
      } else {
        this.loopBatchRunning = true
        void this.runBatch(batch).finally(() => {
          this.loopBatchRunning = false
          this.schedule()
        })
      }
    }
  }

  private async runOnWriter(batch: Pending[]) {
    try {
      const outcomes = await this.writer!.run(batch.map((p) => p.unit!))
      batch.forEach((item, i) => {
        const outcome = outcomes[i]
        if (outcome.ok) item.resolve(outcome.value)
        else item.reject(errorOf(outcome.error))
      })
    } catch (err) {
      for (const item of batch) item.reject(err)
    }
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
            const value = await only.work!(trx)
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
          const value = await item.work!(trx)
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

type EndOfTransactionWork = (trx: Executor) => Promise<unknown>
const endOfTransactionWork = new WeakMap<object, EndOfTransactionWork[]>()

/**
 * Runs `work` at the end of the transaction `trx` belongs to, just before COMMIT (after every unit of a
 * SQLite group commit, and only if this unit succeeded), or at once outside one. For writes to SQLite's
 * full-text index: FTS5 writes out what it holds in memory at every SAVEPOINT, so an index write inside
 * each unit costs a new index segment per ticket, and one after all units a segment per COMMIT.
 */
export async function atEndOfTransaction(trx: Executor, work: EndOfTransactionWork): Promise<void> {
  const list = endOfTransactionWork.get(trx)
  if (list) list.push(work)
  else await work(trx)
}
