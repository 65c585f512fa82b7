/**
 * A job worker in its own process that polls only once a minute, for the wake-up test:
 * `node --import tsx job-waker.ts '{"url": "postgres://…"}'`. Prints `ready`, then `ran <n>` for each
 * job of the queue `wake-test` it runs: only a wake-up from another process can make that quick.
 */
import { createDb } from '../../db/create-db.js'
import { JobQueue } from '../../jobs/queue.js'
import { PostgresWakeups } from '../../jobs/wakeups.js'

const { url } = JSON.parse(process.argv[2]) as { url: string }
const database = createDb({ kind: 'postgres', url, poolSize: 2 })
const wakeups = await PostgresWakeups.start(url)
const queue = new JobQueue(database.db, 'postgres', { wakeups, pollMs: 60_000 })
queue.register('wake-test', async (payload: { n: number }) => void process.stdout.write(`ran ${payload.n}\n`))
queue.start(1)
setTimeout(() => process.stdout.write('ready\n'), 300) // after its first look found nothing
