import { type ChildProcess, spawn } from 'node:child_process'
import { Worker } from 'node:worker_threads'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { deskMailbox, type Dovecot, startDovecot } from '../channels/email/test/dovecot.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

/**
 * One long word must not stall Loket: the stemmers take super-linear time on long words (issue 13), so
 * every text field, every search and every mail is fuzzed with long words (and with texts of many
 * different words) while a probe keeps asking a real server (`loket serve` in a process of its own,
 * requests over HTTP) for /healthz and a ticket. Each probe must be answered within 2 s: a stall from super-linear stemming lasts tens of seconds, while a
 * busy CI machine answered a probe during a 975,844-character HTML article in 1,004 ms (session 15).
 */

const STALL_MS = 2000

/** The shapes a long word takes: a run of one letter, two letters alternating (the Dutch stemmer's
 * worst case: every i and y between vowels is rewritten), or letters at random, accents included. */
const WordShape = fc.record({
  kind: fc.constantFrom('run', 'alternating', 'mixed'),
  letters: fc.constantFrom('a', 'y', 'i', 'e', 'ay', 'ai', 'ei', 'oy', 'abcdefghijklmnopqrstuvwxyz', 'aeiouyijé', 'ÄëïöüÿáéíóúÉ'),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
})
type WordShape = { kind: string; letters: string; seed: number }

/** Builds a word of `length` letters without fast-check generating it character by character. */
function longWord(shape: WordShape, length: number): string {
  const letters = [...shape.letters]
  if (shape.kind === 'run') return letters[0].repeat(length)
  if (shape.kind === 'alternating') {
    const pair = letters.length >= 2 ? letters[0] + letters[1] : letters[0] + 'y'
    return pair.repeat(Math.ceil(length / 2)).slice(0, length)
  }
  let x = shape.seed
  let word = ''
  // Pieces of 1000 letters repeated keep the cost of building a megabyte small.
  for (let i = 0; i < Math.min(length, 1000); i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    word += letters[x % letters.length]
  }
  return word.repeat(Math.ceil(length / word.length)).slice(0, length)
}

/** Many different words of up to 64 letters (each stemmed, none remembered from before): the most stemming work a text of this length can ask for. */
function manyWords(seed: number, length: number): string {
  let x = seed >>> 0
  const random = () => {
    // mulberry32
    x = (x + 0x6d2b79f5) >>> 0
    let r = Math.imul(x ^ (x >>> 15), 1 | x)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 2 ** 32
  }
  const parts: string[] = []
  let total = 0
  while (total < length) {
    const n = 3 + Math.floor(random() * 62)
    let word = ''
    for (let i = 0; i < n; i++) word += 'abcdefghijklmnopqrstuvwxyzaeiouy'[Math.floor(random() * 32)]
    parts.push(word)
    total += n + 1
  }
  return parts.join(' ').slice(0, length)
}

/** A length for a field: mostly just past the stemming cap, sometimes up to the field's maximum. */
const lengthUpTo = (max: number) => fc.oneof(fc.integer({ min: 65, max: Math.min(max, 5_000) }), fc.integer({ min: Math.min(max, 5_000), max }))

interface ProbeResult {
  rounds: number
  worst: { ms: number; startedAt: number }
  failures: string[]
}

/** The probe thread: /healthz and one ticket, every 25 ms, until told to stop; then its figures. */
const PROBE = `
const { parentPort, workerData: { base, path, token } } = require('node:worker_threads')
let running = true
parentPort.once('message', () => (running = false))
const result = { rounds: 0, worst: { ms: 0, startedAt: 0 }, failures: [] }
;(async () => {
  while (running) {
    await new Promise((r) => setTimeout(r, 25))
    const startedAt = Date.now()
    const started = performance.now()
    const statuses = await Promise.all([
      fetch(base + '/healthz').then((r) => r.status),
      fetch(base + path, { headers: { authorization: 'Bearer ' + token } }).then((r) => r.status),
    ]).catch((err) => [String(err)])
    const ms = performance.now() - started
    if (ms > result.worst.ms) result.worst = { ms, startedAt }
    if (statuses.join() !== '200,200') result.failures.push(statuses.join())
    result.rounds++
  }
  parentPort.postMessage(result)
})()
`

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describeEachDatabase('no long word stalls the server', (database) => {
  let t: TestApp
  let server: ChildProcess
  let dovecot: Dovecot
  let base: string
  let agent: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  let admin: Awaited<ReturnType<TestApp['user']>>
  let probeTicketId: string
  let customerTicketId: string

  const http = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    return { status: res.status, json: () => JSON.parse(text) }
  }

  /** What the fuzz is doing since when, to name it in a failure. */
  const doing: { at: number; what: string }[] = []
  const during = (what: string) => doing.push({ at: Date.now(), what })

  /**
   * Asks for /healthz and a ticket over and over while `work` runs, from a thread of its own (what the
   * test's own thread does cannot delay it); fails when an answer took a second or more.
   */
  async function withoutStalls(work: () => Promise<void>) {
    doing.length = 0
    const probe = new Worker(PROBE, { eval: true, workerData: { base, path: `/api/v1/tickets/${probeTicketId}`, token: agent.token } })
    const result = new Promise<ProbeResult>((resolve, reject) => {
      probe.once('message', resolve)
      probe.once('error', reject)
    })
    try {
      await work()
    } finally {
      probe.postMessage('stop')
    }
    const { rounds, worst, failures } = await result
    await probe.terminate()
    const what = doing.findLast((d) => d.at <= worst.startedAt)?.what ?? 'set-up'
    if (process.env.LOKET_SHOW_STALLS) console.log(`${database.name}: worst ${Math.round(worst.ms)} ms over ${rounds} probes, during ${what}`)
    expect(failures).toEqual([])
    expect(rounds).toBeGreaterThan(0)
    expect(worst.ms, `a probe during ${what} took ${Math.round(worst.ms)} ms`).toBeLessThan(STALL_MS)
  }

  beforeAll(async () => {
    dovecot = await startDovecot(['desk'])
    // Set-up goes through this process's Loket; the server under test is `loket serve` in a process of
    // its own, on the same database and data folder, so that nothing the test itself does (building
    // megabytes of words, sending them) counts as the server's stall.
    t = await createTestApp(database)
    admin = await t.user('admin')
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'ICT' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Servicedesk', departmentId: dep.id, line: 1 } })).json()
    agent = await t.user('agent', { groupIds: [group.id] })
    customer = await t.user('customer')
    const mailbox = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: deskMailbox(dovecot, { pollSeconds: 5 }),
    })
    expect(mailbox.statusCode).toBe(201)
    const { config } = t.runtime
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: config.db.kind === 'sqlite' ? `sqlite:${config.db.file}` : config.db.url,
        LOKET_DATA_DIR: config.dataDir,
        LOKET_SECRET: config.secret.toString('hex'),
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    server.stderr!.on('data', (d) => (output += d))
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start: ${output}`)), 110_000)
      server.stdout!.on('data', (d) => {
        output += d
        const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)
        if (m) {
          clearTimeout(timer)
          resolve(Number(m[1]))
        }
      })
      server.once('exit', (code) => reject(new Error(`the server stopped (${code}): ${output}`)))
    })
    base = `http://127.0.0.1:${port}`
    probeTicketId = (await http('POST', '/api/v1/tickets', agent.token, { subject: 'Printer kapot', body: 'De printer doet het niet.', requester: { email: 'probe@example.nl' } })).json().id
    customerTicketId = (await http('POST', '/api/v1/tickets', customer.token, { subject: 'Mijn vraag', body: 'Graag hulp.', requester: { email: customer.email } })).json().id
  }, 180_000) // Dovecot and a server process through tsx: slow on a busy machine
  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r))
      server.kill('SIGTERM')
      await exited
    }
    await t?.close()
    await dovecot?.stop()
  })

  it('takes a 999,000-letter subject, files it and finds the ticket by its words', async () => {
    await withoutStalls(async () => {
      during('a 999,000-letter subject')
      const subject = `Storingen gemeld: ${'ay'.repeat(499_500)}`
      const res = await http('POST', '/api/v1/tickets', agent.token, { subject, body: 'Printers op de gang', requester: { email: 'lang@example.nl' } })
      expect(res.status).toBe(201)
      const id = res.json().id
      expect((await http('GET', `/api/v1/tickets/${id}`, agent.token)).json().subject).toBe(subject)
      // Normal words beside the long one are found as before, by a stem too.
      const found = await http('GET', '/api/v1/tickets?q=storing%20gemeld', agent.token)
      expect(found.json().items.map((x: { id: string }) => x.id)).toContain(id)
    })
  })

  it('ticket subjects and article bodies of long words', async () => {
    await withoutStalls(() =>
      fc.assert(
        fc.asyncProperty(WordShape, lengthUpTo(1_000_000), fc.boolean(), fc.constantFrom('subject', 'body', 'html', 'reply', 'note', 'rename'), async (shape, length, words, field) => {
          const word = words ? manyWords(shape.seed, length) : longWord(shape, length)
          during(`${field}: ${words ? 'words' : shape.kind} of ${length}`)
          const ticket = { subject: 'Lang woord', body: 'Zie bijlage.', requester: { email: 'fuzz@example.nl' } }
          let res
          if (field === 'subject' || field === 'body') res = await http('POST', '/api/v1/tickets', agent.token, { ...ticket, [field]: word })
          else if (field === 'html') res = await http('POST', `/api/v1/tickets/${probeTicketId}/articles`, agent.token, { body: `<p>${word}</p>`.slice(0, 1_000_000), contentType: 'text/html' })
          else if (field === 'rename') {
            const current = (await http('GET', `/api/v1/tickets/${customerTicketId}`, agent.token)).json()
            const res = await fetch(`${base}/api/v1/tickets/${customerTicketId}`, {
              method: 'PATCH',
              headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json', 'if-match': `"${current.version}"` },
              body: JSON.stringify({ subject: word }),
            })
            expect(res.status, await res.text()).toBe(200)
            return
          } else {
            const visibility = field === 'note' ? 'internal' : 'public'
            res = await http('POST', `/api/v1/tickets/${probeTicketId}/articles`, agent.token, { body: word, visibility })
          }
          expect(res.status, JSON.stringify(res.json())).toBe(201)
        }),
        { numRuns: 12 },
      ),
    )
  })

  it('a customer\'s own tickets of long words, and their searches', async () => {
    await withoutStalls(() =>
      fc.assert(
        fc.asyncProperty(WordShape, lengthUpTo(1_000_000), fc.boolean(), WordShape, lengthUpTo(490), async (shape, length, words, queryShape, queryLength) => {
          const word = words ? manyWords(shape.seed, length) : longWord(shape, length)
          during(`customer: ${words ? 'words' : shape.kind} of ${length}`)
          const own = await http('POST', '/api/v1/tickets', customer.token, { subject: `Vraag ${word.slice(0, 5000)}`, body: word, requester: { email: customer.email } })
          expect(own.status, JSON.stringify(own.json())).toBe(201)
          expect((await http('POST', `/api/v1/tickets/${customerTicketId}/articles`, customer.token, { body: word })).status).toBe(201)
          // The customer's search matches the texts of all their tickets: each search stems them.
          const q = encodeURIComponent(longWord(queryShape, queryLength))
          expect((await http('GET', `/api/v1/tickets?q=${q}`, customer.token)).status).toBe(200)
          expect((await http('GET', `/api/v1/tickets?q=vraag%20${q}`, customer.token)).status).toBe(200)
        }),
        { numRuns: 8 },
      ),
    )
  })

  it('searches by the desk and customer names of long words', async () => {
    await withoutStalls(() =>
      fc.assert(
        fc.asyncProperty(WordShape, lengthUpTo(490), WordShape, lengthUpTo(200), async (shape, length, nameShape, nameLength) => {
          during(`search and names: ${shape.kind} of ${length}, name ${nameShape.kind} of ${nameLength}`)
          const q = encodeURIComponent(longWord(shape, length))
          expect((await http('GET', `/api/v1/tickets?q=${q}`, agent.token)).status).toBe(200)
          expect((await http('GET', `/api/v1/tickets?q=printer%20${q}&status=new`, agent.token)).status).toBe(200)
          const name = longWord(nameShape, nameLength)
          const renamed = await http('PATCH', '/api/v1/me', customer.token, { name })
          expect(renamed.status, JSON.stringify(renamed.json())).toBe(200)
          const created = await http('POST', '/api/v1/tickets', agent.token, { subject: 'Naam', body: 'Lange naam', requester: { email: `naam${nameLength}@example.nl`, name } })
          expect(created.status).toBe(201)
          expect((await http('GET', `/api/v1/users?q=${encodeURIComponent(name)}`, agent.token)).status).toBe(200)
        }),
        { numRuns: 10 },
      ),
    )
  })

  it('mail of long words, through IMAP and the mail ingest path', async () => {
    let n = 0
    await withoutStalls(() =>
      fc.assert(
        fc.asyncProperty(WordShape, lengthUpTo(400_000), fc.boolean(), WordShape, lengthUpTo(2_000), fc.boolean(), async (shape, length, words, subjectShape, subjectLength, html) => {
          const word = words ? manyWords(shape.seed, length) : longWord(shape, length)
          during(`mail: ${words ? 'words' : shape.kind} of ${length}`)
          const messageId = `<lang-${process.pid}-${++n}@example.nl>`
          // Quoted-printable soft line breaks keep the word one word, however long, in lines a mail server accepts.
          const body = (html ? `<html><body><p>${word}</p></body></html>` : word).replace(/[^\n]{1,72}/g, (line) => `${line}=\r\n`)
          const raw = Buffer.from(
            [
              `From: =?utf-8?B?${Buffer.from(longWord(subjectShape, Math.min(subjectLength, 500))).toString('base64')}?= <lang${n}@example.nl>`,
              'To: desk@loket.test',
              `Subject: =?utf-8?B?${Buffer.from(longWord(subjectShape, subjectLength)).toString('base64')}?=`,
              `Message-ID: ${messageId}`,
              'Date: Mon, 7 Dec 2026 10:00:00 +0100',
              'MIME-Version: 1.0',
              `Content-Type: ${html ? 'text/html' : 'text/plain'}; charset=utf-8`,
              'Content-Transfer-Encoding: quoted-printable',
              '',
              body,
            ].join('\r\n'),
          )
          await dovecot.append('desk', raw)
          const deadline = Date.now() + 30_000
          while (!(await t.runtime.deps.db.selectFrom('article').select('id').where('source_id', '=', messageId).executeTakeFirst())) {
            if (Date.now() > deadline) throw new Error(`mail ${messageId} was not filed`)
            await sleep(50)
          }
        }),
        { numRuns: 6 },
      ),
    )
  }, 240_000)
})
