import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'

/**
 * Moves SQLite's WAL checkpoints off the server's event loop. A checkpoint copies every page written
 * since the last one from the WAL into the database file and fsyncs both; run inside a COMMIT (SQLite's
 * automatic checkpoint) it stalls every request for that time. A worker thread with its own connection
 * runs PASSIVE checkpoints instead, which never block the writer, on the other core.
 *
 * The main connection keeps a large automatic checkpoint as a fallback, so the WAL stays bounded even
 * if this worker were to stop.
 */
export interface SqliteCheckpointer {
  stop(): Promise<void>
}

/** The worker's code, run with eval so that it works the same from TypeScript sources and from dist/. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const SQLite = require(workerData.driver)
const db = new SQLite(workerData.file)
db.pragma('busy_timeout = 1000')
db.pragma('cache_size = -2048')
let stopped = false
const tick = () => {
  if (stopped) return
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    // A large WAL that a passive checkpoint could not finish: try again soon rather than wait.
    const behind = result && result.log - result.checkpointed > workerData.minPages
    setTimeout(tick, behind ? 10 : workerData.intervalMs)
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) })
    setTimeout(tick, workerData.intervalMs * 10)
  }
}
parentPort.on('message', (msg) => {
  if (msg !== 'stop') return
  stopped = true
  try { db.close() } catch {}
  process.exit(0)
})
setTimeout(tick, workerData.intervalMs)
`

export function startSqliteCheckpointer(file: string, opts: { intervalMs?: number; minPages?: number; onError?: (message: string) => void } = {}): SqliteCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, intervalMs: opts.intervalMs ?? 250, minPages: opts.minPages ?? 4000 },
    // The checkpoint reads WAL frames and writes pages; it needs little of its own heap.
    resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
  })
  worker.unref()
  worker.on('message', (msg: { error?: string }) => msg.error && opts.onError?.(msg.error))
  worker.on('error', (err) => opts.onError?.(err.message))
  let stopped: Promise<void> | undefined
  return {
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        worker.once('exit', () => resolve())
        worker.ref() // keep the process alive until the worker has closed its connection
        worker.postMessage('stop')
      })),
  }
}
