import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type SQLite from 'better-sqlite3'
import { AppError, type ErrorCode } from '../errors.js'
import type { Prepare } from './statement.js'

/**
 * The SQLite writer thread. SQLite has one writer, and the server's event loop is one core: under load
 * it spent half of each new ticket running SQL. A writer procedure is a plain synchronous function over
 * fixed statements that runs on a worker thread with its own connection to the same file, while the
 * event loop goes on with HTTP. The group commit (transactions.ts) hands it whole batches, one at a
 * time and never while a transaction of the event loop's own connection is open, so the two
 * connections never wait for each other's write lock.
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

/** The compiled module beside this one, or under the test runner (TypeScript sources) the .ts file. */
function moduleFile(url: URL): URL {
  if (existsSync(fileURLToPath(url))) return url
  const ts = new URL(url.href.replace(/\.js$/, '.ts'))
  if (existsSync(fileURLToPath(ts))) return ts
  throw new Error(`${fileURLToPath(url)} is missing; run npm run build`)
}

/** A worker for an ES module; a TypeScript one (tests, npm run dev) through tsx's loader. */
function moduleWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData })
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(entry.href)})`
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData })
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
