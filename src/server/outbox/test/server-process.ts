/**
 * A Loket server in its own process, for the outbox's kill test:
 * `node --import tsx server-process.ts '{"db": …, "dataDir": …, "reactions": true}'`. It prints
 * `listening <port>` once it serves. With `reactions` it runs the outbox's handlers and the jobs,
 * as a worker process does; without, it only serves requests, as a web process does.
 */
import { buildApp } from '../../app.js'
import { createRuntime } from '../../runtime.js'
import { testConfig } from '../../test/test-app.js'

const args = JSON.parse(process.argv[2]) as { db: Parameters<typeof testConfig>[0]; dataDir: string; reactions: boolean; jobLeaseMs: number }
const runtime = await createRuntime(testConfig(args.db, args.dataDir), { migrate: false, reactions: args.reactions, jobLeaseMs: args.jobLeaseMs })
const app = await buildApp(runtime, { webRoot: `${args.dataDir}/no-web` })
if (args.reactions) runtime.deps.jobs.start(2)
await app.listen({ port: 0, host: '127.0.0.1' })
const address = app.server.address()
process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`)
