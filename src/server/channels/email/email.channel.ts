import type { Logger } from 'pino'
import { newId } from '../../clock.js'
import type { Deps } from '../../deps.js'
import type { Services } from '../../services.js'
import { EmailAdapter } from './email.adapter.js'
import { EmailInbound } from './email.inbound.js'
import { type FetcherOptions, fetchConcurrency, MailboxFetcher } from './imap-fetcher.js'
import { SmtpSender } from './smtp-sender.js'
import { ACCOUNT_MAIL_QUEUE } from '../../accounts/account-links.js'
import { brandedMail } from '../../branding/branded-mail.js'
import { decryptSecret } from '../../accounts/secrets.js'
import { WaitFor } from '../../jobs/queue.js'
import { NO_SENDING_MAILBOX } from './mailbox.service.js'

export interface EmailChannelOptions {
  logger?: Logger
  /** How often the list of mailboxes is looked at again for new, changed and removed ones. */
  refreshMs?: number
  fetcher?: Partial<Pick<FetcherOptions, 'batchSize' | 'batchBytes' | 'leaseMs' | 'backoffMs' | 'maxBackoffMs' | 'onBatch' | 'concurrency'>>
}

/**
 * The e-mail channel in a process: the outbound adapter (registered in every process, so public
 * replies are queued) and, in worker processes, one fetcher per active mailbox.
 */
export class EmailChannel {
  readonly inbound: EmailInbound
  readonly adapter: EmailAdapter
  readonly sender = new SmtpSender()
  private readonly fetchers = new Map<string, MailboxFetcher>()
  private readonly owner = `fetcher-${process.pid}-${newId().slice(-8)}`
  private timer: NodeJS.Timeout | undefined
  private refreshing: Promise<void> | undefined
  private started = false

  constructor(
    private readonly deps: Deps,
    private readonly services: Services,
    private readonly opts: EmailChannelOptions = {},
  ) {
    this.inbound = new EmailInbound(deps, services, opts.logger)
    services.mailboxes.logger ??= opts.logger
    this.adapter = new EmailAdapter(deps, services, this.sender, opts.logger)
    deps.channels.register(this.adapter)
    // Account mails (invitations, password and sign-in links, address confirmations) go out through the
    // default sending mailbox, else the first. With none, they wait (never dropped) until an administrator adds one.
    deps.jobs.register(ACCOUNT_MAIL_QUEUE, async (payload: { sealed: string }, job) => {
      const mailbox = await services.mailboxes.configForReply()
      if (!mailbox) {
        const waiting = await deps.jobs.waiting(deps.db, ACCOUNT_MAIL_QUEUE)
        opts.logger?.warn({ jobId: job.id, waiting: waiting.count + 1 }, 'an account mail waits for a sending mailbox: no mailbox can send; it goes out once an administrator adds one')
        throw new WaitFor(NO_SENDING_MAILBOX)
      }
      const mail = JSON.parse(decryptSecret(deps.config.secret, payload.sealed)) as { to: string; subject: string; text: string }
      await this.sender.send(mailbox, {
        from: { name: mailbox.senderName, address: mailbox.address },
        to: mail.to,
        ...brandedMail(mail, await services.branding.forMail()),
        headers: { 'Auto-Submitted': 'auto-generated' },
      })
    })
  }

  /** Starts fetching every active mailbox and keeps the set in step with the administrators' changes. */
  async start() {
    if (this.started) return
    this.started = true
    await this.refresh()
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs ?? 30_000)
    this.timer.unref()
  }

  async stop() {
    this.started = false
    if (this.timer) clearInterval(this.timer)
    await this.refreshing
    await Promise.all([...this.fetchers.values()].map((f) => f.stop()))
    this.fetchers.clear()
    this.sender.close()
  }

  /** Fetch every mailbox now rather than at its next IDLE notice or poll. */
  wakeAll() {
    for (const f of this.fetchers.values()) f.wake()
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.reconcile()
      .catch((err) => this.opts.logger?.warn({ err }, 'could not load the mailboxes'))
      .finally(() => (this.refreshing = undefined))
    return this.refreshing
  }

  private async reconcile() {
    if (!this.started) return
    const configs = await this.services.mailboxes.activeConfigs()
    // Account mails that waited for a sending mailbox go now (also when the mailbox was added by a process that stopped before it said so).
    if (configs.length) await this.services.mailboxes.releaseWaitingMail()
    const wanted = new Map(configs.map((c) => [c.id, c]))
    for (const [id, fetcher] of this.fetchers) {
      const next = wanted.get(id)
      if (!next || next.updatedAt !== fetcher.config.updatedAt) {
        this.fetchers.delete(id)
        await fetcher.stop()
      }
    }
    for (const config of configs) {
      if (this.fetchers.has(config.id) || !this.started) continue
      const fetcher = new MailboxFetcher(config, {
        db: this.deps.db,
        inbound: this.inbound,
        clock: this.deps.clock,
        owner: this.owner,
        logger: this.opts.logger,
        concurrency: fetchConcurrency(this.deps.dialect.kind),
        ...this.opts.fetcher,
      })
      this.fetchers.set(config.id, fetcher)
      fetcher.start()
    }
  }
}
