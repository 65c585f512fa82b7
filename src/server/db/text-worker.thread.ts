// The text thread (see text-worker.ts): stemming jobs in, answers out, one at a time.
import { parentPort } from 'node:worker_threads'
import { TEXT_JOBS, type TextJob } from './text-worker.js'

const port = parentPort!
port.on('message', ({ id, job, input }: { id: number; job: TextJob; input: never }) => {
  try {
    port.postMessage({ id, value: TEXT_JOBS[job](input) })
  } catch (err) {
    port.postMessage({ id, error: (err as Error).message })
  }
})
