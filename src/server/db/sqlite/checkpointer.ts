import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/**
 * Copies the SQLite write-ahead log back into the database file on a worker thread, so the server's
 * event loop never waits for it. With automatic checkpoints the connection that happens to commit the
 * 10,000th page copies and fsyncs everything: 40–50 ms on a busy machine, during which no request is
 * served. In WAL mode a PASSIVE checkpoint on a second connection runs beside the writer and never
 * blocks it; the writer starts the log afresh once a checkpoint has caught up.
 */
export interface BackgroundCheckpointer {
  stop(): Promise<void>
}

// Plain JavaScript evaluated by the worker: the same code under tsx (tests) and from dist (serve).
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads')
const SQLite = require(workerData.betterSqlite3)
const db = new SQLite(workerData.file)
db.pragma('busy_timeout = 5000')
db.pragma('cache_size = -2048') // a checkpoint copies log frames; it needs no cache of its own
db.pragma('wal_autocheckpoint = 0')
const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)')
    parentPort.postMessage({ type: 'checkpointed', ...result })
  } catch (err) {
    parentPort.postMessage({ type: 'failed', message: String(err && err.message || err) })
  }
}
const timer = setInterval(checkpoint, workerData.intervalMs)
parentPort.on('message', (m) => {
  if (m === 'stop') { clearInterval(timer); checkpoint(); db.close(); parentPort.close() }
})
`

export function startBackgroundCheckpointer(
  file: string,
  opts: { intervalMs?: number; onResult?: (r: { type: 'checkpointed'; busy: number; log: number; checkpointed: number } | { type: 'failed'; message: string }) => void } = {},
): BackgroundCheckpointer {
  const worker = new Worker(WORKER_CODE, {
    eval: true,
    workerData: { file, intervalMs: opts.intervalMs ?? 250, betterSqlite3: createRequire(import.meta.url).resolve('better-sqlite3') },
    // A small heap: the thread holds one connection and a timer.
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 2 },
  })
  worker.unref()
  if (opts.onResult) worker.on('message', opts.onResult)
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  worker.on('error', (err) => opts.onResult?.({ type: 'failed', message: err.message }))
  return {
    async stop() {
      // Held from here on: otherwise a process with nothing else left to do ends while it waits here
      // (a failed start-up then exited with 0 and without its message).
      worker.ref()
      worker.postMessage('stop')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000).unref())])
      await worker.terminate()
    },
  }
}
