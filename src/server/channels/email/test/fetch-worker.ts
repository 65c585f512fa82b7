/**
 * A fetcher in its own process, for the kill-and-restart test: `node --import tsx fetch-worker.ts '<json>'`.
 * With `crashAfter`, it kills itself with SIGKILL right after that many messages were committed,
 * before they are flagged in IMAP: the worst moment for a crash.
 */
import { createRuntime } from '../../../runtime.js'
import { testConfig } from '../../../test/test-app.js'
import { fetchConcurrency, MailboxFetcher } from '../imap-fetcher.js'

const args = JSON.parse(process.argv[2]) as { db: Parameters<typeof testConfig>[0]; dataDir: string; mailboxId: string; crashAfter?: number; batchSize: number }
const runtime = await createRuntime(testConfig(args.db, args.dataDir), { migrate: false })
const config = await runtime.services.mailboxes.configById(args.mailboxId)
if (!config) throw new Error('no such mailbox')
let filed = 0
const inbound = runtime.email.inbound
const file = inbound.file.bind(inbound)
inbound.file = async (mailbox, mail) => {
  const result = await file(mailbox, mail)
  filed++
  process.stdout.write(`filed ${filed}\n`)
  if (args.crashAfter && filed >= args.crashAfter) process.kill(process.pid, 'SIGKILL')
  return result
}
const fetcher = new MailboxFetcher(config, {
  db: runtime.deps.db,
  inbound,
  clock: runtime.deps.clock,
  owner: 'kill-test',
  concurrency: fetchConcurrency(runtime.deps.dialect.kind),
  batchSize: args.batchSize,
  leaseMs: 5000,
  onBatch: (n) => process.stdout.write(`batch ${n}\n`),
})
fetcher.start()
process.stdout.write('started\n')
process.on('SIGTERM', async () => {
  await fetcher.stop()
  await runtime.close()
  process.exit(0)
})
