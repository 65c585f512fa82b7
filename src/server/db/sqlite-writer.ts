import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type SQLite from 'better-sqlite3'
import type { CompiledQuery, DatabaseConnection } from 'kysely'
import { AppError, type ErrorCode } from '../errors.js'
import type { Prepare } from './statement.js'

/**
 * The SQLite writer thread. SQLite has one writer, and the server's event loop is one core: under load
 * it spent half of each new ticket running SQL. A writer procedure is a plain synchronous function over
 * fixed statements that runs on a worker thread with its own connection to the same file, while the
 * event loop goes on with HTTP. The group commit (transactions.ts) hands it whole batches, the next
 * while it runs the current one, and never while the event loop's own connection writes (WriterTurns),
 * so the two connections never wait for each other's write lock.
 */

/** What a procedure works with: the writer connection's statements, and work for the end of the transaction. */
export interface WriterConnection {
  prepare: Prepare
  /**
   * Runs `work` after every unit of the batch, just before COMMIT, and only if this unit succeeded
   * (SQLite's full-text index; see atEndOfTransaction in transactions.ts).
   */
  atEndOfTransaction(work: () => void): void
}

export type Procedure<A, R> = (conn: WriterConnection, args: A) => R
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ProcedureSet = Record<string, Procedure<any, any>>

export interface WriterUnit {
  procedure: string
  args: unknown
}

interface SerialisedError {
  message: string
  appError?: { code: ErrorCode; details?: Record<string, unknown> }
}
export type WriterOutcome = { ok: true; value: unknown } | { ok: false; error: SerialisedError }

const serialise = (err: unknown): SerialisedError =>
  err instanceof AppError
    ? { message: err.message, appError: { code: err.code, details: err.details } }
    : { message: err instanceof Error ? err.message : String(err) }

/** The error a unit failed with, as the calling thread throws it (an AppError stays one). */
export const errorOf = (e: SerialisedError): Error => (e.appError ? new AppError(e.appError.code, e.message, e.appError.details) : new Error(e.message))

/**
 * Runs a batch of units in one transaction, each in its own savepoint, as the group commit does on the
 * event loop's connection: a unit that fails rolls back alone; a failed COMMIT fails them all.
 */
export function runWriterBatch(db: SQLite.Database, prepare: Prepare, procedures: ProcedureSet, units: readonly WriterUnit[]): WriterOutcome[] {
  const outcomes: WriterOutcome[] = []
  const finishing: (() => void)[] = []
  prepare('BEGIN IMMEDIATE').run()
  try {
    for (const unit of units) {
      const unitFinishing: (() => void)[] = []
      prepare('SAVEPOINT unit').run()
      try {
        const procedure = procedures[unit.procedure]
        if (!procedure) throw new Error(`no writer procedure ${unit.procedure}`)
        const value: unknown = procedure({ prepare, atEndOfTransaction: (work) => unitFinishing.push(work) }, unit.args)
        prepare('RELEASE unit').run()
        finishing.push(...unitFinishing)
        outcomes.push({ ok: true, value })
      } catch (err) {
        prepare('ROLLBACK TO unit').run()
        prepare('RELEASE unit').run()
        outcomes.push({ ok: false, error: serialise(err) })
      }
    }
    for (const finish of finishing) finish()
    prepare('COMMIT').run()
  } catch (err) {
    if (db.inTransaction) prepare('ROLLBACK').run()
    const error = serialise(err)
    return units.map(() => ({ ok: false, error }))
  }
  return outcomes
}

/**
 * Who may write: the event loop's connection or the writer thread. SQLite has one write lock, and a
 * connection that finds it taken waits *synchronously* (busy_timeout): the event loop would stand
 * still. So the loop's connection takes a turn, asynchronously, before any write (a transaction from
 * its BEGIN to its COMMIT or ROLLBACK, or a single write); the writer thread is handed no new batch
 * while the loop holds a turn or waits for one, and the loop's turn starts once the thread's batches
 * are done.
 */
export class WriterTurns {
  private loopHolds = false
  private batchesOnWriter = 0
  private readonly loopWaiting: (() => void)[] = []
  /** Called when the loop's turn ends, so held-back writer batches can start. */
  onLoopDone: () => void = () => {}

  writerMayStart(): boolean {
    return !this.loopHolds && this.loopWaiting.length === 0
  }
  /** Batches handed to the writer thread and not yet answered. */
  get writerBatches() {
    return this.batchesOnWriter
  }
  writerStarted() {
    this.batchesOnWriter++
  }
  writerDone() {
    this.batchesOnWriter--
    if (this.batchesOnWriter === 0) this.loopWaiting.shift()?.()
  }
  async takeLoopTurn(): Promise<void> {
    if (this.loopHolds || this.batchesOnWriter > 0) await new Promise<void>((resolve) => this.loopWaiting.push(resolve))
    this.loopHolds = true
  }
  endLoopTurn() {
    this.loopHolds = false
    const next = this.loopWaiting.shift()
    if (next) next()
    else this.onLoopDone()
  }
  get loopHasTurn() {
    return this.loopHolds
  }
}

const WRITE = /^\s*(insert|update|delete|replace|with|create|drop|alter)\b/i
const WRITE_NODES = new Set(['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode', 'MergeQueryNode'])

/**
 * Kysely's SQLite connection, taking turns with the writer thread (WriterTurns): an onCreateConnection
 * hook. Kysely gives a transaction the connection for its whole length, so a query that arrives while
 * the loop holds its turn belongs to that transaction.
 */
export const takingTurns =
  (turns: WriterTurns) =>
  async (connection: DatabaseConnection): Promise<void> => {
    const run = connection.executeQuery.bind(connection) as DatabaseConnection['executeQuery']
    connection.executeQuery = (async (query: CompiledQuery) => {
      const text = query.sql.trimStart().toLowerCase()
      if (turns.loopHasTurn) {
        if (text.startsWith('rollback') && !text.startsWith('rollback to')) {
          try {
            return await run(query)
          } finally {
            turns.endLoopTurn()
          }
        }
        const result = await run(query)
        if (text.startsWith('commit') || text.startsWith('end')) turns.endLoopTurn()
        return result
      }
      if (text.startsWith('begin')) {
        await turns.takeLoopTurn()
        try {
          return await run(query)
        } catch (err) {
          turns.endLoopTurn()
          throw err
        }
      }
      if (WRITE_NODES.has(query.query.kind) || WRITE.test(text)) {
        await turns.takeLoopTurn()
        try {
          return await run(query)
        } finally {
          turns.endLoopTurn()
        }
      }
      return run(query)
    }) as DatabaseConnection['executeQuery']
  }

/** The compiled module beside this one, or under the test runner (TypeScript sources) the .ts file. */
function moduleFile(url: URL): URL {
  if (existsSync(fileURLToPath(url))) return url
  const ts = new URL(url.href.replace(/\.js$/, '.ts'))
  if (existsSync(fileURLToPath(ts))) return ts
  throw new Error(`${fileURLToPath(url)} is missing; run npm run build`)
}

// The thread keeps a statement cache and a memory of word stems; what it allocates per batch is
// short-lived. A small young generation keeps the server within its memory budget.
const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 }

/** A worker for an ES module; a TypeScript one (tests, npm run dev) through tsx's loader. */
function moduleWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData, resourceLimits })
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry.href)})`
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData, resourceLimits })
}

export interface WriterOptions {
  /** The module whose `procedures` export the thread runs (compiled .js; .ts is found under the test runner). */
  procedures: URL
  autocheckpointPages: number
}

/** The event loop's side. The thread runs the batches it is handed one after the other. */
export class SqliteWriter {
  private worker: Worker | undefined
  /** Batches handed to the thread, in order: it answers them in that order. */
  private readonly waiting: { resolve: (o: WriterOutcome[]) => void; reject: (e: Error) => void }[] = []
  private ready: Promise<void> | undefined
  /** Whose turn it is to write: this thread's or the event loop connection's. */
  readonly turns = new WriterTurns()
  /** Batches the thread has answered so far, and the units in them (tests, /metrics). */
  batches = 0
  units = 0

  constructor(
    private readonly file: string,
    private readonly opts: WriterOptions,
  ) {}

  /** Starts the thread (also again after it died); resolves when its connection is open. */
  private start(): Promise<void> {
    const worker = moduleWorker(moduleFile(new URL('./sqlite-writer.worker.js', import.meta.url)), {
      file: this.file,
      procedures: moduleFile(this.opts.procedures).href,
      autocheckpointPages: this.opts.autocheckpointPages,
    })
    worker.unref()
    this.worker = worker
    const ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: { type: 'ready' } | { type: 'done'; outcomes: WriterOutcome[] }) => {
        if (m.type === 'ready') return resolve()
        this.batches++
        this.units += m.outcomes.length
        this.waiting.shift()?.resolve(m.outcomes)
        if (this.waiting.length === 0) worker.unref()
      })
      const died = (err: Error) => {
        if (this.worker === worker) this.worker = this.ready = undefined
        reject(err)
        for (const waiting of this.waiting.splice(0)) waiting.reject(err)
      }
      worker.on('error', died)
      worker.on('exit', (code) => died(new Error(`the SQLite writer thread stopped (exit code ${code})`)))
    })
    return ready
  }

  async run(units: readonly WriterUnit[]): Promise<WriterOutcome[]> {
    await (this.ready ??= this.start())
    const worker = this.worker!
    return new Promise<WriterOutcome[]>((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      worker.ref() // a batch in flight keeps the process alive
      worker.postMessage(units)
    })
  }

  async stop(): Promise<void> {
    const worker = this.worker
    this.worker = this.ready = undefined
    if (!worker) return
    worker.ref()
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    worker.postMessage('stop')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())])
    await worker.terminate()
  }
}
