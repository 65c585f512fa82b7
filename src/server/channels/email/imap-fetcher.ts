import { ImapFlow } from 'imapflow'
import type { Logger } from 'pino'
import type { Clock } from '../../clock.js'
import type { Executor } from '../../db/schema.js'
import { isRetryableConflict } from '../../db/dialect.js'
import { describeError } from './connection-test.js'
import type { EmailInbound, InboundOutcome } from './email.inbound.js'
import { imapOAuth, imapOptions, isImapAuthFailure, type MailboxConfig } from './mailbox.config.js'
import { type IntakeCounts, mailboxRepository } from './mailbox.repository.js'
import type { EmailMessage } from './parse-mail.js'

/** Keyword set on processed messages (besides \Seen), so a message a person opened is still taken in. */
export const PROCESSED_KEYWORD = '$LoketProcessed'

export interface FetcherOptions {
  db: Executor
  inbound: EmailInbound
  clock: Clock
  /** Who holds the lease: one fetcher per mailbox over all worker processes. */
  owner: string
  logger?: Logger
  /** Messages per round trip. */
  batchSize?: number
  /** Bytes per round trip (a batch stops growing past this). */
  batchBytes?: number
  leaseMs?: number
  /** First back-off after an error; doubles up to maxBackoffMs. */
  backoffMs?: number
  maxBackoffMs?: number
  /** Larger messages are not downloaded: a ticket says so and the message stays on the server. */
  maxMessageBytes?: number
  /** Messages filed at once (PostgreSQL; SQLite has one writer, so 1 there). */
  concurrency?: number
  /** Called after each committed-and-flagged batch (tests and the bench count with it). */
  onBatch?: (count: number) => void
}

/**
 * Messages filed at once. PostgreSQL runs the transactions side by side; on SQLite they still take
 * turns on the one connection, but each message's work outside its transaction (filters, attachment
 * files) overlaps another's.
 */
export const fetchConcurrency = (kind: 'sqlite' | 'postgres') => (kind === 'postgres' ? 6 : 3)

const NONE: IntakeCounts = { filed: 0, duplicate: 0, headersOnly: 0, refused: 0, machine: 0 }

type ParsedBatch = { uid: number; mail: EmailMessage }[]

/** At most n tasks at once. */
function semaphore(n: number) {
  let active = 0
  const waiting: (() => void)[] = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      return await task()
    } finally {
      active--
      waiting.shift()?.()
    }
  }
}

/** Errors of two transactions meeting (optimistic version, unique key, deadlock, serialization): worth an immediate retry. */
function isConflict(err: unknown) {
  return (err as { code?: string }).code === 'precondition_failed' || isRetryableConflict(err)
}

const sleep = (ms: number, signal: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal.wake = undefined
      resolve()
    }
    signal.wake = done
  })

/**
 * Takes in one mailbox: IDLE when the server supports it, polling otherwise. Each batch is
 * fetched, ingested (each message committed), and only then flagged processed or moved, so a
 * crash at any moment loses nothing; ingest is idempotent, so it doubles nothing either.
 * Errors back off (5 s doubling to 5 min) without touching any other mailbox's fetcher.
 */
export class MailboxFetcher {
  private running = false
  private loop: Promise<void> | undefined
  private client: ImapFlow | undefined
  /** Wakes the wait between fetches (new mail announced, connection broken, stop). */
  private readonly signal: { wake?: () => void } = {}
  /** Wakes only the back-off wait: stop(). A dying connection's events must not cut the back-off short. */
  private readonly backoffSignal: { wake?: () => void } = {}
  private backoff = 0
  private pendingWake = false
  /** Failures per UID in this session: a message that keeps failing is filed raw rather than retried forever. */
  private readonly failures = new Map<number, number>()

  constructor(
    readonly config: MailboxConfig,
    private readonly opts: FetcherOptions,
  ) {}

  start() {
    if (this.running) return
    this.running = true
    this.loop = this.run().catch((err) => this.opts.logger?.error({ err, mailbox: this.config.address }, 'mailbox fetcher stopped'))
  }

  async stop() {
    this.running = false
    this.signal.wake?.()
    this.backoffSignal.wake?.()
    this.client?.close()
    await this.loop
    await mailboxRepository.releaseLease(this.opts.db, this.config.id, this.opts.owner).catch(() => {})
    await this.setStatus({ state: 'stopped' }).catch(() => {})
  }

  /** Fetch now (new mail was announced, or a test wants it). */
  wake() {
    this.pendingWake = true
    this.signal.wake?.()
  }

  private async databaseAnswers() {
    try {
      await mailboxRepository.findById(this.opts.db, this.config.id)
      return true
    } catch {
      return false
    }
  }

  private setStatus(patch: Parameters<typeof mailboxRepository.setStatus>[2]) {
    return mailboxRepository.setStatus(this.opts.db, this.config.id, patch)
  }

  private leaseUntil() {
    return new Date(this.opts.clock.now().getTime() + (this.opts.leaseMs ?? 90_000)).toISOString()
  }

  private claimLease() {
    return mailboxRepository.claimLease(this.opts.db, this.config.id, this.opts.owner, this.opts.clock.iso(), this.leaseUntil())
  }

  private async run() {
    while (this.running) {
      try {
        if (!(await this.claimLease())) {
          // Another worker process has this mailbox; look again when its lease could have run out.
          await sleep((this.opts.leaseMs ?? 90_000) / 2, this.backoffSignal)
          continue
        }
        // After an error the status keeps showing it until a connection works again.
        if (this.backoff === 0) await this.setStatus({ state: 'connecting' })
        await this.session()
      } catch (err) {
        if (!this.running) break
        this.backoff = Math.min(this.opts.maxBackoffMs ?? 300_000, this.backoff ? this.backoff * 2 : (this.opts.backoffMs ?? 5000))
        const message = describeError(err)
        this.opts.logger?.warn({ err, mailbox: this.config.address, retryInMs: this.backoff }, 'mailbox fetch failed')
        await this.setStatus({ state: 'error', last_error: message, last_error_at: this.opts.clock.iso() }).catch(() => {})
        await sleep(this.backoff * (0.75 + Math.random() * 0.5), this.backoffSignal)
      } finally {
        this.client?.close()
        this.client = undefined
      }
    }
  }

  /** One connection: open the folder, then fetch, wait for news, fetch … until stopped or broken. */
  private async session(renewToken = false): Promise<void> {
    const client = new ImapFlow(imapOptions(this.config, { autoIdleDelay: 1000, ...(await imapOAuth(this.config, renewToken)) }))
    this.client = client
    let broken: Error | undefined
    const current = () => this.client === client
    client.on('error', (err: Error) => {
      broken = err
      if (current()) this.signal.wake?.()
    })
    client.on('close', () => {
      broken ??= new Error('the IMAP server closed the connection')
      if (current()) this.signal.wake?.()
    })
    client.on('exists', () => current() && this.wake())
    try {
      await client.connect()
    } catch (err) {
      // An access token the server refused (revoked, or its clock ahead of ours): once more with a new one.
      if (!this.config.oauth || renewToken || !isImapAuthFailure(err)) throw err
      client.close()
      return this.session(true)
    }
    const usesIdle = client.capabilities.has('IDLE')
    const mailbox = await client.mailboxOpen(this.config.imap.folder)
    const keywords = !mailbox.permanentFlags || mailbox.permanentFlags.has('\\*')
    if (this.config.imap.processedFolder) {
      await client.mailboxCreate(this.config.imap.processedFolder).catch(() => {
        // it exists already (or cannot be made: the move will say so)
      })
    }
    this.backoff = 0
    await this.setStatus({ state: usesIdle ? 'idle' : 'polling', uses_idle: usesIdle ? 1 : 0, last_error: null })
    while (this.running) {
      if (broken) throw broken
      this.pendingWake = false
      await this.setStatus({ state: 'fetching', last_fetch_at: this.opts.clock.iso() })
      await this.fetchPending(client, keywords)
      if (!(await this.claimLease())) throw new Error('lost the mailbox lease to another worker')
      await this.setStatus({ state: usesIdle ? 'idle' : 'polling', last_success_at: this.opts.clock.iso(), last_error: null })
      if (this.pendingWake || !this.running) continue
      // With IDLE the server announces new mail ('exists' wakes us); the timer is a safety net and keeps the lease fresh.
      const waitMs = Math.min(this.config.pollSeconds * 1000, (this.opts.leaseMs ?? 90_000) / 3)
      await sleep(waitMs, this.signal)
      if (!usesIdle && this.running && !broken) await client.noop()
    }
  }

  private async fetchPending(client: ImapFlow, keywords: boolean) {
    const query = this.config.imap.processedFolder ? { all: true } : keywords ? { unKeyword: PROCESSED_KEYWORD } : { seen: false }
    const found = await client.search(query, { uid: true })
    const uids = (Array.isArray(found) ? found : []).sort((a, b) => a - b)
    if (uids.length === 0) return
    const sizes = new Map<number, number>()
    for (const m of await client.fetchAll(uids, { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0)
    const batchSize = this.opts.batchSize ?? 100
    const batchBytes = this.opts.batchBytes ?? 32 * 1024 * 1024
    const max = this.opts.maxMessageBytes ?? 64 * 1024 * 1024
    const tooLarge = uids.filter((u) => (sizes.get(u) ?? 0) > max)
    if (tooLarge.length) {
      await this.fileTooLarge(client, tooLarge, sizes, max, keywords)
      uids.splice(0, uids.length, ...uids.filter((u) => (sizes.get(u) ?? 0) <= max))
    }
    let i = 0
    const takeBatch = () => {
      const batch: number[] = []
      let bytes = 0
      while (i < uids.length && batch.length < batchSize && (batch.length === 0 || bytes + (sizes.get(uids[i]) ?? 0) <= batchBytes)) {
        bytes += sizes.get(uids[i]) ?? 0
        batch.push(uids[i++])
      }
      return batch
    }
    // Pipelined: the next batch is fetched and parsed while this one is filed, so neither the IMAP
    // round trips nor the parsing leave the database idle.
    let next: Promise<ParsedBatch> | undefined = this.loadBatch(client, takeBatch())
    while (next && this.running) {
      const current: ParsedBatch = await next
      next = i < uids.length ? this.loadBatch(client, takeBatch()) : undefined
      // Nothing is lost if filing throws while the next batch loads: it is unflagged and comes again.
      next?.catch(() => {})
      await this.fileBatch(client, current, keywords)
      // A long backlog keeps the lease fresh batch by batch.
      if (!(await this.claimLease())) throw new Error('lost the mailbox lease to another worker')
    }
  }

  /**
   * Files one message; what became of it once it is committed (or was already), undefined when it
   * was not. A conflict with a concurrent change (the same ticket, the same message) is tried again
   * at once; a message that keeps failing is filed raw with a warning after three rounds. Throws
   * only when the database is away.
   */
  private async fileOne(uid: number, mail: EmailMessage): Promise<InboundOutcome['outcome'] | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        const { outcome } = await this.opts.inbound.file(this.config, mail)
        this.failures.delete(uid)
        return outcome
      } catch (err) {
        // The database is away: not this message's fault. The back-off retries it all.
        if (!(await this.databaseAnswers())) throw err
        if (attempt < 4 && isConflict(err)) continue
        const failures = (this.failures.get(uid) ?? 0) + 1
        this.failures.set(uid, failures)
        this.opts.logger?.warn({ err, uid, mailbox: this.config.address, failures }, 'inbound message could not be filed')
        if (failures < 3) return undefined
        // Keeps failing: file it raw with a warning, so it is seen and the fetcher moves on.
        try {
          return (await this.opts.inbound.file(this.config, { ...mail, html: undefined, attachments: [], parseError: `filing failed ${failures} times: ${describeError(err)}` })).outcome
        } catch (e) {
          this.opts.logger?.error({ err: e, uid }, 'inbound message could not be filed raw either')
          return undefined
        }
      }
    }
  }

  /** A message too large to take in: its headers become a ticket with a warning; the message itself stays on the server. */
  private async fileTooLarge(client: ImapFlow, uids: number[], sizes: Map<number, number>, max: number, keywords: boolean) {
    const heads = await client.fetchAll(uids, { uid: true, headers: true }, { uid: true })
    const done: number[] = []
    for (const m of heads) {
      const size = sizes.get(m.uid) ?? 0
      const note = `This message is ${(size / 1024 / 1024).toFixed(1)} MB, more than the ${(max / 1024 / 1024).toFixed(0)} MB Loket takes in. It was left on the mail server; open it there.`
      const mail = await this.opts.inbound.parse(Buffer.concat([m.headers ?? Buffer.alloc(0), Buffer.from(`\r\n\r\n${note}\r\n`)]))
      await this.opts.inbound.file(this.config, { ...mail, text: note, html: undefined, attachments: [], warnings: [note] })
      done.push(m.uid)
    }
    if (done.length) {
      await this.markProcessed(client, done, keywords)
      await mailboxRepository.addFetched(this.opts.db, this.config.id, { ...NONE, headersOnly: done.length })
    }
  }

  private async markProcessed(client: ImapFlow, uids: number[], keywords: boolean) {
    if (this.config.imap.processedFolder) await client.messageMove(uids, this.config.imap.processedFolder, { uid: true })
    else await client.messageFlagsAdd(uids, keywords ? ['\\Seen', PROCESSED_KEYWORD] : ['\\Seen'], { uid: true })
  }

  private async loadBatch(client: ImapFlow, uids: number[]): Promise<ParsedBatch> {
    const messages = await client.fetchAll(uids, { uid: true, source: true }, { uid: true })
    return Promise.all(messages.map(async (m) => ({ uid: m.uid, mail: await this.opts.inbound.parse(m.source ?? Buffer.alloc(0)) })))
  }

  /**
   * Files a parsed batch several at once, each message after the earlier ones of the batch it replies
   * to (a reply lands after what it answers) and after the earlier ones from the same sender.
   */
  private async fileBatch(client: ImapFlow, parsed: ParsedBatch, keywords: boolean) {
    const done: number[] = []
    const counts: IntakeCounts = { ...NONE }
    const slots = semaphore(Math.max(1, this.opts.concurrency ?? 1))
    const filed: Promise<void>[] = []
    const latest = new Map<string, number>()
    // Which of these mails were filed before under their Message-ID: one statement for the batch.
    await this.opts.inbound.lookAhead(parsed.map((p) => p.mail))
    let fatal: unknown
    for (let i = 0; i < parsed.length; i++) {
      const { uid, mail } = parsed[i]
      // One sender's messages in order too: the per-sender rate limit of automatic replies counts them one by one.
      const sender = `from:${mail.from?.email ?? ''}`
      const after = [...mail.inReplyTo, ...mail.references, mail.sourceId, sender].map((id) => latest.get(id)).filter((j): j is number => j !== undefined)
      latest.set(mail.sourceId, i)
      latest.set(sender, i)
      const before = after.map((j) => filed[j])
      filed.push(
        (async () => {
          await Promise.all(before)
          await slots(async () => {
            if (!this.running || fatal) return
            try {
              const outcome = await this.fileOne(uid, mail)
              if (!outcome) return
              done.push(uid)
              counts[outcome === 'ingested' ? 'filed' : outcome]++
            } catch (err) {
              fatal ??= err
            }
          })
        })(),
      )
    }
    await Promise.all(filed)
    if (fatal) {
      // Flag what did commit (and count it, should the database answer), then let the session fail and back off.
      if (done.length) {
        await this.markProcessed(client, done, keywords)
        await mailboxRepository.addFetched(this.opts.db, this.config.id, counts).catch(() => {})
      }
      throw fatal
    }
    if (done.length === 0) return
    // Only now, with every ticket committed, is the mail marked processed on the server.
    await this.markProcessed(client, done, keywords)
    await mailboxRepository.addFetched(this.opts.db, this.config.id, counts)
    this.opts.onBatch?.(done.length)
  }
}
