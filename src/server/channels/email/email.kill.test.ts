import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { PROCESSED_KEYWORD } from './imap-fetcher.js'
import { deskMailbox, type Dovecot, startDovecot } from './test/dovecot.js'

const WORKER = fileURLToPath(new URL('./test/fetch-worker.ts', import.meta.url))
const N = 120

function message(i: number) {
  // Every fifth has no Message-ID: those are deduplicated by a hash of their bytes.
  const id = i % 5 === 0 ? '' : `Message-ID: <kill-${i}@klant.nl>\r\n`
  const padding = 'Regel met wat tekst om het bericht een normale omvang te geven.\r\n'.repeat(20)
  return Buffer.from(`From: klant${i % 7}@klant.nl\r\nTo: desk@loket.test\r\nSubject: Melding ${i}\r\n${id}Date: Mon, 23 Nov 2026 10:00:00 +0100\r\n\r\nBericht ${i}\r\n${padding}`)
}

describeEachDatabase('e-mail ingest survives kill -9 at any moment: nothing lost, nothing doubled', (database) => {
  let t: TestApp
  let dovecot: Dovecot
  let mailboxId: string
  const children: ChildProcess[] = []

  beforeAll(async () => {
    dovecot = await startDovecot(['desk'])
    t = await createTestApp(database)
    const admin = await t.user('admin')
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: deskMailbox(dovecot, { smtpPort: 25 }),
    })
    mailboxId = res.json().id
    await dovecot.appendMany('desk', Array.from({ length: N }, (_, i) => message(i)))
  })
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
    await t?.close()
    await dovecot?.stop()
  })

  /** Runs the fetcher in a child process until `until` says so or it dies; returns its output. */
  function runWorker(opts: { crashAfter?: number; killWhen?: (out: string) => boolean; until?: (out: string) => boolean }) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WORKER, JSON.stringify({ db: t.runtime.config.db, dataDir: t.runtime.config.dataDir, mailboxId, crashAfter: opts.crashAfter, batchSize: 7 })],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    children.push(child)
    let out = ''
    let err = ''
    child.stderr!.on('data', (d) => (err += d))
    return new Promise<{ out: string; signal: NodeJS.Signals | null }>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`worker timed out; output:\n${out}\n${err}`))
      }, 120_000)
      child.stdout!.on('data', (d) => {
        out += d
        if (opts.killWhen?.(out)) child.kill('SIGKILL')
        if (opts.until?.(out)) child.kill('SIGTERM')
      })
      child.on('exit', (_code, signal) => {
        clearTimeout(timer)
        resolve({ out, signal })
      })
    })
  }

  const articleCount = async () =>
    Number((await t.runtime.deps.db.selectFrom('article').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('counts every message exactly once after a crash between commit and flag, a kill -9 mid-batch, and a restart', async () => {
    // 1. Dies by its own hand right after the 25th commit, before flagging that batch in IMAP.
    const first = await runWorker({ crashAfter: 25 })
    expect(first.signal).toBe('SIGKILL')
    // On PostgreSQL a few more may have committed alongside (messages are filed several at once).
    const committed = await articleCount()
    expect(committed).toBeGreaterThanOrEqual(25)
    expect(committed).toBeLessThanOrEqual(25 + 6)
    const flagged = (await dovecot.list('desk')).filter((m) => m.flags.includes(PROCESSED_KEYWORD)).length
    expect(flagged).toBeLessThan(committed) // the batch in flight was committed but not flagged

    // 2. Killed from outside, mid-stream.
    const second = await runWorker({ killWhen: (out) => (out.match(/^filed /gm) ?? []).length >= 40 })
    expect(second.signal).toBe('SIGKILL')

    // 3. Runs until every message is flagged processed.
    const third = runWorker({})
    const deadline = Date.now() + 90_000
    while (Date.now() < deadline) {
      const list = await dovecot.list('desk')
      if (list.length === N && list.every((m) => m.flags.includes(PROCESSED_KEYWORD))) break
      await new Promise((r) => setTimeout(r, 200))
    }
    children[children.length - 1].kill('SIGTERM')
    await third

    const rows = await t.runtime.deps.db.selectFrom('article').select(['source_id', 'ticket_id']).execute()
    expect(rows).toHaveLength(N)
    expect(new Set(rows.map((r) => r.source_id)).size).toBe(N)
    expect(new Set(rows.map((r) => r.ticket_id)).size).toBe(N)
    const subjects = await t.runtime.deps.db.selectFrom('ticket').select('subject').execute()
    expect(subjects.map((s) => s.subject).sort()).toEqual(Array.from({ length: N }, (_, i) => `Melding ${i}`).sort())
    expect((await dovecot.list('desk')).every((m) => m.flags.includes(PROCESSED_KEYWORD))).toBe(true)
  }, 180_000) // three child processes, each starting Node and tsx: slow on a busy machine
})
