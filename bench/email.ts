/**
 * The e-mail channel's benchmark (issue 4): real Dovecot (IMAP) in, a real SMTP server out.
 *
 *   ingest:   messages appended to Dovecot beforehand, then timed from the first FETCH until every
 *             message is parsed, filtered, threaded, stored (ticket, article, attachments, raw
 *             message, search index) and flagged processed in IMAP: msgs/s with ~20 KB mail,
 *             MB/s with attachment-heavy mail;
 *   outbound: agents' replies already queued, timed until the SMTP server has accepted them all;
 *   baseline: mailparser alone on the same messages; nodemailer alone sending the same replies.
 *
 * Called by bench/run.ts (`npm run bench`, `--only=email`); can also run alone:
 *   npx tsx bench/email.ts [--db=sqlite|postgres|both]
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { simpleParser } from 'mailparser'
import nodemailer from 'nodemailer'
import pg from 'pg'
import type { Actor } from '../src/server/accounts/actor.js'
import { EmailInbound } from '../src/server/channels/email/email.inbound.js'
import { fetchConcurrency, MailboxFetcher } from '../src/server/channels/email/imap-fetcher.js'
import { PARSER_OPTIONS, parseMail } from '../src/server/channels/email/parse-mail.js'
import { startDovecot } from '../src/server/channels/email/test/dovecot.js'
import { startSmtpSink } from '../src/server/channels/email/test/smtp-sink.js'
import type { Config } from '../src/server/config.js'
import type { DbConfig } from '../src/server/db/config.js'
import { createRuntime, type Runtime } from '../src/server/runtime.js'

export interface EmailBenchRow {
  db: string
  figure: string
  measured: string
  target: string
  baseline: string
  pass: boolean | null
  /** The same figure as numbers, for tools. */
  name: string
  value: number
  unit: string
  targetValue: number
  baselineValue: number
}

export interface EmailBenchOptions {
  kinds?: ('sqlite' | 'postgres')[]
  pgBaseUrl?: string
  log?: (line: string) => void
  /** ~20 KB messages for the msgs/s figure. */
  messages?: number
  /** Attachment-heavy messages (~2.5 MB each) for the MB/s figure. */
  heavyMessages?: number
  replies?: number
}

const SYSTEM: Actor = { user: { id: 'system', role: 'admin', name: 'bench' } as Actor['user'], via: 'system' }
const fmt = (n: number, digits = 0) => n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits })

// --- workloads ---------------------------------------------------------------------------------------

const WORDS = 'melding storing printer wachtwoord account laptop factuur balie rooster inloggen scherm netwerk koppeling formulier aanvraag bestelling levering afspraak graag vandaag morgen spoed kapot werkt niet meer sinds update fout bericht'.split(' ')
function text(seed: number, bytes: number) {
  let s = seed
  const out: string[] = []
  let size = 0
  while (size < bytes) {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    const w = WORDS[s % WORDS.length]
    out.push(w)
    size += w.length + 1
    if (s % 13 === 0) out.push('\r\n')
  }
  return out.join(' ')
}

/** A typical customer mail of about 20 KB: text and HTML alternatives; one in five replies to an earlier one. */
function typicalMessage(i: number, run: string) {
  const body = text(i + 1, 9_000)
  const html = `<html><body><p>${body.replace(/\r\n/g, '</p><p>')}</p></body></html>`
  const reply = i % 5 === 4 ? `In-Reply-To: <bench-${run}-${i - 1}@klant.nl>\r\nReferences: <bench-${run}-${i - 1}@klant.nl>\r\n` : ''
  return Buffer.from(
    `From: Klant ${i % 200} <klant${i % 200}@org${i % 40}.nl>\r\nTo: desk@loket.test\r\nSubject: Melding ${i}: ${body.slice(0, 40)}\r\n` +
      `Message-ID: <bench-${run}-${i}@klant.nl>\r\n${reply}Date: Mon, 23 Nov 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\n` +
      `Content-Type: multipart/alternative; boundary="alt"\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}\r\n` +
      `--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n--alt--\r\n`,
  )
}

/** Attachment-heavy mail: a short text and two ~1 MB binary attachments (~2.5 MB encoded). */
function heavyMessage(i: number, run: string) {
  const b64 = (n: number) => randomBytes(n).toString('base64').replace(/.{76}/g, '$&\r\n')
  return Buffer.from(
    `From: Scanner <scanner${i % 10}@org${i % 7}.nl>\r\nTo: desk@loket.test\r\nSubject: Scans ${i}\r\nMessage-ID: <heavy-${run}-${i}@klant.nl>\r\n` +
      `MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="mix"\r\n\r\n--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nZie de bijlagen.\r\n` +
      `--mix\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="scan-${i}-a.pdf"\r\n\r\n${b64(900_000)}\r\n` +
      `--mix\r\nContent-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="foto-${i}.jpg"\r\n\r\n${b64(900_000)}\r\n--mix--\r\n`,
  )
}

// --- databases ---------------------------------------------------------------------------------------

async function freshDatabase(kind: 'sqlite' | 'postgres', pgBaseUrl: string): Promise<{ config: DbConfig; drop(): Promise<void> }> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'loket-bench-email-'))
    return { config: { kind: 'sqlite', file: join(dir, 'loket.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const name = `loket_bench_email_${process.pid}_${Date.now()}`
  const admin = new pg.Client({ connectionString: pgBaseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  const url = new URL(pgBaseUrl)
  url.pathname = `/${name}`
  return {
    config: { kind: 'postgres', url: url.toString(), poolSize: 10 },
    async drop() {
      const c = new pg.Client({ connectionString: pgBaseUrl })
      await c.connect()
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await c.end()
    },
  }
}

function benchConfig(db: DbConfig, dataDir: string): Config {
  return {
    db,
    port: 0,
    host: '127.0.0.1',
    secret: randomBytes(32),
    publicUrl: 'http://localhost',
    dataDir,
    attachmentMaxBytes: 25 * 1024 * 1024,
    bodyLimitBytes: 2 * 1024 * 1024,
    logLevel: 'silent',
    subjectTagLabel: 'Loket',
  }
}

// --- measurements ------------------------------------------------------------------------------------

async function parserBaseline(messages: Buffer[]) {
  const started = performance.now()
  for (const m of messages) await simpleParser(m, PARSER_OPTIONS)
  return (performance.now() - started) / 1000
}

/**
 * Loket's own parse of the same messages, with and without the charset check (issue 14): the process's CPU seconds
 * each (parsing is CPU work in this process; CPU time is not stretched by other processes on a busy machine as
 * wall-clock time is), best of five rounds after a warm-up round of each; the rounds alternate, so neither side gets
 * the colder JIT.
 */
async function charsetCost(messages: Buffer[]) {
  const once = async (detectCharsets: boolean) => {
    const started = process.cpuUsage()
    for (const m of messages) await parseMail(m, { detectCharsets })
    const used = process.cpuUsage(started)
    return (used.user + used.system) / 1e6
  }
  await once(false)
  await once(true)
  let without = Infinity
  let withCheck = Infinity
  for (let round = 0; round < 5; round++) {
    without = Math.min(without, await once(false))
    withCheck = Math.min(withCheck, await once(true))
  }
  return { without, withCheck }
}

/**
 * Fetches everything in the mailbox with the real fetcher; seconds until the last message is flagged processed.
 * `inbound` defaults to the runtime's (ingest keyed on Message-ID and content key).
 */
async function timedIngest(runtime: Runtime, mailboxId: string, expected: number, inbound: EmailInbound = runtime.email.inbound) {
  const config = (await runtime.services.mailboxes.configById(mailboxId))!
  let done = 0
  let finish: () => void = () => {}
  const finished = new Promise<void>((resolve) => (finish = resolve))
  const fetcher = new MailboxFetcher(config, {
    db: runtime.deps.db,
    inbound,
    clock: runtime.deps.clock,
    owner: `bench-${process.pid}`,
    concurrency: fetchConcurrency(runtime.deps.dialect.kind),
    onBatch: (n) => {
      done += n
      if (done >= expected) finish()
    },
  })
  const started = performance.now()
  fetcher.start()
  await finished
  const seconds = (performance.now() - started) / 1000
  await fetcher.stop()
  return seconds
}

async function benchOne(kind: 'sqlite' | 'postgres', opts: Required<Omit<EmailBenchOptions, 'kinds'>>): Promise<EmailBenchRow[]> {
  const log = opts.log
  const run = Date.now().toString(36)
  const dovecot = await startDovecot(['desk', 'heavy', 'before'])
  const sink = await startSmtpSink({ parse: false })
  const database = await freshDatabase(kind, opts.pgBaseUrl)
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-bench-email-data-'))
  const runtime = await createRuntime(benchConfig(database.config, dataDir))
  const rows: EmailBenchRow[] = []
  const add = (r: Omit<EmailBenchRow, 'db' | 'measured' | 'target' | 'baseline' | 'pass' | 'figure'> & { figure: string; higherIsBetter?: boolean }) => {
    const row: EmailBenchRow = {
      db: kind,
      figure: r.figure,
      name: r.name,
      value: r.value,
      unit: r.unit,
      targetValue: r.targetValue,
      baselineValue: r.baselineValue,
      measured: `${fmt(r.value, r.value < 100 ? 1 : 0)} ${r.unit}`,
      target: `≥ ${fmt(r.targetValue)} ${r.unit}`,
      baseline: `${fmt(r.baselineValue, r.baselineValue < 100 ? 1 : 0)} ${r.unit} (${r.name.startsWith('email.outbound') ? 'nodemailer alone' : 'mailparser alone'})`,
      pass: r.value >= r.targetValue,
    }
    rows.push(row)
    log(`  → ${row.figure}: ${row.measured} (target ${row.target}, baseline ${row.baseline}) ${row.pass ? 'PASS' : 'FAIL'}`)
  }
  try {
    const mailbox = (name: string, user: string) =>
      runtime.services.mailboxes.create(SYSTEM, {
        name,
        address: `${user}@loket.test`,
        imap: { host: '127.0.0.1', port: dovecot.port, tls: 'none', user, password: dovecot.password },
        smtp: { host: '127.0.0.1', port: sink.port, tls: 'none' },
        signature: 'Servicedesk\nTelefoon 14 020',
      })
    const desk = await mailbox('Servicedesk', 'desk')
    const heavy = await mailbox('Scans', 'heavy')

    // 1. typical mail, msgs/s
    log(`email [${kind}]: appending ${opts.messages} messages of ~20 KB to Dovecot`)
    const typical = Array.from({ length: opts.messages }, (_, i) => typicalMessage(i, run))
    await dovecot.appendMany('desk', typical)
    const parseSeconds = await parserBaseline(typical)
    const cost = await charsetCost(typical.slice(0, 500))
    const share = ((cost.withCheck - cost.without) / cost.without) * 100
    const charsetRow: EmailBenchRow = {
      db: kind,
      figure: 'charset detection added to parse time (the same 500 messages, parseMail with and without it, CPU time, best of 5 alternating rounds)',
      name: 'email.parse.charsetOverhead',
      value: share,
      unit: '%',
      targetValue: 10,
      baselineValue: cost.without,
      measured: `${fmt(share, 1)} % (${fmt(cost.withCheck * 1000)} ms CPU with, ${fmt(cost.without * 1000)} ms without)`,
      target: '≤ 10 %',
      baseline: `${fmt(cost.without * 1000)} ms CPU (without the check)`,
      pass: share <= 10,
    }
    rows.push(charsetRow)
    log(`  → ${charsetRow.figure}: ${charsetRow.measured} (target ${charsetRow.target}) ${charsetRow.pass ? 'PASS' : 'FAIL'}`)
    // Before/after for the content key (issue 14), in this run: the same kind of mail (other Message-IDs) filed first
    // with ingest keyed on the Message-ID alone, as before it, into a mailbox of its own, then the mail above with it.
    const beforeMailbox = await mailbox('Voor', 'before')
    const beforeMail = Array.from({ length: opts.messages }, (_, i) => typicalMessage(i, `${run}-before`))
    await dovecot.appendMany('before', beforeMail)
    const beforeSeconds = await timedIngest(runtime, beforeMailbox.id, beforeMail.length, new EmailInbound(runtime.deps, runtime.services, undefined, { keyByContent: false }))
    const ingestSeconds = await timedIngest(runtime, desk.id, typical.length)
    const avgKb = typical.reduce((s, m) => s + m.length, 0) / typical.length / 1024
    const after = typical.length / ingestSeconds
    const beforeRate = beforeMail.length / beforeSeconds
    const keyRow: EmailBenchRow = {
      db: kind,
      figure: `mail ingest with the content key (Message-ID and content), against the Message-ID alone in the same run (${opts.messages} messages each)`,
      name: 'email.ingest.contentKey',
      value: after,
      unit: 'msgs/s',
      targetValue: 200,
      baselineValue: beforeRate,
      measured: `${fmt(after)} msgs/s after (${fmt(((after - beforeRate) / beforeRate) * 100, 1)} % against before)`,
      target: '≥ 200 msgs/s',
      baseline: `${fmt(beforeRate)} msgs/s before (Message-ID alone)`,
      pass: after >= 200,
    }
    rows.push(keyRow)
    log(`  → ${keyRow.figure}: ${keyRow.measured} (target ${keyRow.target}, baseline ${keyRow.baseline}) ${keyRow.pass ? 'PASS' : 'FAIL'}`)
    add({
      figure: `mail ingest from Dovecot, ${fmt(avgKb)} KB messages (fetch, parse, filter, thread, store, index, flag)`,
      name: 'email.ingest.messages',
      value: after,
      unit: 'msgs/s',
      targetValue: 200,
      baselineValue: typical.length / parseSeconds,
    })

    // 2. attachment-heavy mail, MB/s
    log(`email [${kind}]: appending ${opts.heavyMessages} attachment-heavy messages to Dovecot`)
    const heavyMail = Array.from({ length: opts.heavyMessages }, (_, i) => heavyMessage(i, run))
    await dovecot.appendMany('heavy', heavyMail)
    const bytes = heavyMail.reduce((s, m) => s + m.length, 0)
    const heavyParse = await parserBaseline(heavyMail)
    const heavySeconds = await timedIngest(runtime, heavy.id, heavyMail.length)
    add({
      figure: `mail ingest from Dovecot, attachment-heavy (${fmt(bytes / heavyMail.length / 1024 / 1024, 1)} MB messages)`,
      name: 'email.ingest.bytes',
      value: bytes / 1024 / 1024 / heavySeconds,
      unit: 'MB/s',
      targetValue: 20,
      baselineValue: bytes / 1024 / 1024 / heavyParse,
    })

    // 3. outbound replies/s: agents' replies queued (in the same transaction as the article), then delivered
    const agentUser = await runtime.services.accounts.createUser(SYSTEM, { email: `bench.agent.${run}@loket.test`, name: 'Bench Agent', role: 'agent' })
    const agent: Actor = { user: agentUser, via: 'token' }
    const tickets = await runtime.deps.db.selectFrom('ticket').select('id').where('channel', '=', 'email').limit(opts.replies).execute()
    for (let i = 0; i < opts.replies; i++) {
      await runtime.services.tickets.addArticle(agent, tickets[i % tickets.length].id, { body: `Dank voor uw melding. ${text(i, 1500)}` })
    }
    const before = sink.count
    const started = performance.now()
    runtime.deps.jobs.start(8)
    await sink.waitFor(before + opts.replies, 300_000)
    const outSeconds = (performance.now() - started) / 1000
    await runtime.deps.jobs.stop()
    // baseline: nodemailer alone, the same number of similar mails over one pooled transport
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: sink.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 4 })
    const baseStarted = performance.now()
    await Promise.all(
      Array.from({ length: opts.replies }, (_, i) =>
        transport.sendMail({ from: 'desk@loket.test', to: `klant${i % 200}@org.nl`, subject: `Re: Melding ${i}`, text: text(i, 1500), html: `<p>${text(i, 1500)}</p>` }),
      ),
    )
    const baseSeconds = (performance.now() - baseStarted) / 1000
    transport.close()
    add({
      figure: 'outbound replies to the SMTP server (job queue, thread headers, HTML + text, store Message-ID)',
      name: 'email.outbound.replies',
      value: opts.replies / outSeconds,
      unit: 'replies/s',
      targetValue: 100,
      baselineValue: opts.replies / baseSeconds,
    })
  } finally {
    await runtime.close()
    await Promise.all([dovecot.stop(), sink.stop()])
    await database.drop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  return rows
}

/** Runs the mail benchmark on each database; returns one row per figure and database. */
export async function runEmailBench(options: EmailBenchOptions = {}): Promise<EmailBenchRow[]> {
  const opts = {
    pgBaseUrl: options.pgBaseUrl ?? process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    log: options.log ?? ((line: string) => console.log(line)),
    messages: options.messages ?? Number(process.env.BENCH_EMAIL_MESSAGES ?? 2000),
    heavyMessages: options.heavyMessages ?? Number(process.env.BENCH_EMAIL_HEAVY ?? 40),
    replies: options.replies ?? Number(process.env.BENCH_EMAIL_REPLIES ?? 1000),
  }
  const rows: EmailBenchRow[] = []
  for (const kind of options.kinds ?? ['sqlite']) rows.push(...(await benchOne(kind, opts)))
  return rows
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('/bench/email.ts')) {
  const flag = process.argv.find((a) => a.startsWith('--db='))?.slice(5) ?? 'sqlite'
  const kinds = (flag === 'both' ? ['sqlite', 'postgres'] : [flag]) as ('sqlite' | 'postgres')[]
  const rows = await runEmailBench({ kinds })
  console.table(rows.map((r) => ({ db: r.db, figure: r.name, measured: r.measured, target: r.target, baseline: r.baseline, pass: r.pass })))
}
