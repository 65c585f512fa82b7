import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { expandForIndex, matchingGroups } from './text-search.js'

/**
 * Stemming of long texts on a thread of its own. The stemmers cost some 30 µs a word (the Dutch one
 * more on long words): the 100,000 characters of one text that SQLite's index holds can take half a
 * second, and the text one customer's search may read several, which on the event loop would hold up
 * every request. Short texts (most) are stemmed at once; longer ones go to the thread, one job after
 * the other. Only for work outside a transaction: a SQLite transaction that waited for the thread would
 * hold the event loop's connection, and with it every other query.
 */
export const TEXT_JOBS = {
  /** SQLite's search index content of a text (dialect.ts: searchText). */
  indexContent: (text: string) => expandForIndex(text),
  /** A customer's search (tickets/customer-search.ts). */
  matchingGroups: ({ words, groups }: { words: string[]; groups: string[][] }) => matchingGroups(words, groups),
}
export type TextJob = keyof typeof TEXT_JOBS
type Input<J extends TextJob> = Parameters<(typeof TEXT_JOBS)[J]>[0]
type Output<J extends TextJob> = ReturnType<(typeof TEXT_JOBS)[J]>

/** Texts up to this many characters are stemmed on the spot: a few milliseconds at most. */
export const STEM_ON_THE_SPOT = 4_000

let thread: Worker | undefined
let nextId = 0
const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>()

/** The compiled thread module beside this one; under the test runner or `npm run dev` the TypeScript one, through tsx's loader. */
function startThread(): Worker {
  const compiled = new URL('./text-worker.thread.js', import.meta.url)
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled)
  const source = new URL('./text-worker.thread.ts', import.meta.url)
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(source.href)})`
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`))
}

function textThread(): Worker {
  if (thread) return thread
  const worker = startThread()
  worker.unref()
  worker.on('message', (m: { id: number; value?: unknown; error?: string }) => {
    const job = waiting.get(m.id)
    waiting.delete(m.id)
    if (waiting.size === 0) worker.unref()
    if (m.error !== undefined) job?.reject(new Error(m.error))
    else job?.resolve(m.value)
  })
  const died = (err: Error) => {
    if (thread === worker) thread = undefined
    for (const job of waiting.values()) job.reject(err)
    waiting.clear()
  }
  worker.on('error', died)
  worker.on('exit', (code) => died(new Error(`the text thread stopped (exit code ${code})`)))
  return (thread = worker)
}

/** Runs a text job: at once when its texts are short (`size` characters together), else on the text thread. */
export function runTextJob<J extends TextJob>(job: J, input: Input<J>, size: number): Promise<Output<J>> {
  if (size <= STEM_ON_THE_SPOT) return Promise.resolve((TEXT_JOBS[job] as (input: Input<J>) => Output<J>)(input))
  const worker = textThread()
  const id = nextId++
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
    worker.ref() // a job in flight keeps the process alive
    worker.postMessage({ id, job, input })
  })
}
