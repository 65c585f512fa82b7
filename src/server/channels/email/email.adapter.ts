import type { Logger } from 'pino'
import type Mail from 'nodemailer/lib/mailer/index.js'
import {
  acknowledgementOf,
  ccOf,
  deliverToOf,
  type DeliveryMetadata,
  deliveryMetaOf,
  type EmailMetadata,
  emailMetaOf,
} from '../../../shared/api/article-metadata.js'
import type { Article } from '../../../shared/api/tickets.js'
import { systemActor } from '../../accounts/actor.js'
import type { Deps } from '../../deps.js'
import type { Services } from '../../services.js'
import type { ChannelArticle } from '../../tickets/channel-reads.js'
import { htmlToText, toSafeHtml } from '../../tickets/sanitize.js'
import type { Executor } from '../../db/schema.js'
import { type ChannelAdapter, type DeliveryAttempt, isUnreachableAddress, type OutboundArticle, type ReplyTicket } from '../channel.js'
import { RetryAt, retryDelayMs } from '../../jobs/queue.js'
import { describeError } from './connection-test.js'
import { type DeliveryReason, deliveryReasonOf } from './delivery-reason.js'
import { ACKNOWLEDGE_QUEUE, subjectTag } from './email.inbound.js'
import type { MailboxConfig } from './mailbox.config.js'
import { LOKET_HEADER } from './filters/own-mail.js'
import { isPermanentSmtpError, loketMessageId, type SmtpSender } from './smtp-sender.js'
import { verpAddress } from './verp.js'

const SYSTEM = systemActor('Loket')

type WithMetadata = Pick<Article, 'metadata' | 'direction'> | ChannelArticle
const emailMeta = (a: WithMetadata): EmailMetadata => emailMetaOf(a.metadata) ?? {}
const deliveryMeta = (a: WithMetadata): DeliveryMetadata => deliveryMetaOf(a.metadata) ?? {}
/** The Message-ID an article is known by in mail: the one it came in with or went out with. */
const mailIdOf = (a: WithMetadata) => (a.direction === 'in' ? emailMeta(a).messageId : deliveryMeta(a).messageId) ?? undefined

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
const fill = (template: string, values: Record<string, string>) => template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => values[k] ?? m)

/** Why a reply did not go (yet), in words an agent can act on, with the server's own answer. */
function deliveryReason(err: unknown, permanent: boolean): string {
  const code = (err as { responseCode?: number }).responseCode
  const detail = describeError(err)
  if (permanent) return `The receiving mail server refused the reply (${detail}).`
  if (typeof code === 'number') return `The mail server asked to try again later (${detail}).`
  return `The mail server could not be reached (${detail}).`
}

/** Outbound mail: agents' public replies (through the job queue, with retries) and acknowledgements. */
export class EmailAdapter implements ChannelAdapter {
  readonly channel = 'email' as const

  constructor(
    private readonly deps: Deps,
    private readonly services: Pick<Services, 'tickets' | 'mailboxes' | 'accounts' | 'signatures'>,
    private readonly sender: SmtpSender,
    private readonly logger?: Logger,
  ) {
    deps.jobs.register(ACKNOWLEDGE_QUEUE, (payload: { mailboxId: string; ticketId: string; articleId: string }, job) =>
      this.acknowledge(payload, { attempt: job.attempts, maxAttempts: job.max_attempts }),
    )
  }

  /** The ticket, its requester and its public articles (tickets' channel reads); erased further requesters get nothing. */
  private async loadThread(ticketId: string) {
    const thread = await this.services.tickets.channelReads.thread(ticketId)
    return thread && { ...thread, alsoRequesters: thread.alsoRequesters.filter((e) => !isUnreachableAddress(e)) }
  }

  /**
   * Where a reply on the ticket would go by mail (the Reply-To of the customer's last mail, else the
   * requester's address) and which mailbox would send it; the composer shows it before sending.
   */
  async reach(db: Executor, ticket: ReplyTicket): Promise<{ to?: string; from?: { address: string; name: string } }> {
    const meta = emailMetaOf(await this.services.tickets.channelReads.lastInboundMetadata(ticket.id, 'email', db)) ?? {}
    const to = meta.replyTo?.[0]?.email || ticket.requesterEmail
    const from = await this.services.mailboxes.senderFor({ preferredId: meta.mailboxId ?? undefined, groupId: ticket.groupId, departmentId: ticket.departmentId }, db)
    return { ...(!isUnreachableAddress(to) && { to }), ...(from && { from: { address: from.address, name: from.name } }) }
  }

  async deliver(payload: OutboundArticle, attempt: DeliveryAttempt = { attempt: 1, maxAttempts: 1 }): Promise<void> {
    const { tickets, mailboxes } = this.services
    const thread = await this.loadThread(payload.ticketId)
    if (!thread) return
    const { ticket, requester, articles, alsoRequesters } = thread
    const index = articles.findIndex((a) => a.id === payload.articleId)
    const article = articles[index]
    if (!article || deliveryMeta(article).status === 'sent') return // idempotent: sent already
    const earlier = articles.slice(0, index).filter((a) => a.channel === 'email' && mailIdOf(a))
    const lastInbound = [...earlier].reverse().find((a) => a.direction === 'in')
    const mailbox = await mailboxes.configForReply({
      preferredId: (lastInbound && emailMeta(lastInbound).mailboxId) || undefined,
      groupId: ticket.group_id,
      departmentId: ticket.department_id,
    })
    if (!mailbox) return this.failed(article.id, 'No mailbox is configured to send e-mail from.', true, { reasonCode: 'no-sending-mailbox', detail: '' })

    // "Ander adres": the address an agent chose when sending a failed reply again wins.
    const chosenTo = deliverToOf(article.metadata)
    const to = chosenTo || (lastInbound && emailMeta(lastInbound).replyTo?.[0]?.email) || requester?.email
    if (!to || isUnreachableAddress(to)) return this.failed(article.id, 'The customer has no e-mail address to reply to.', true, { reasonCode: 'no-address', detail: to ?? '' })
    const chosenCc = ccOf(article.metadata) ?? emailMeta(article).cc?.map((c) => c.email) ?? []
    const cc = [...new Set([...chosenCc, ...alsoRequesters])].filter((c) => c && c !== to)
    const messageId = loketMessageId('article', article.id, mailbox.address)
    const ids = earlier.map(mailIdOf).filter((id): id is string => !!id)
    const references = ids.length > 12 ? [ids[0], ...ids.slice(-11)] : ids
    const inReplyTo = ids[ids.length - 1]
    const subject = `${/^re:/i.test(ticket.subject) ? '' : 'Re: '}${ticket.subject} ${subjectTag(ticket.number, this.deps.config.subjectTagLabel)}`
    // The one place a reply is signed: the group's signature with the author's own part, else the mailbox's.
    const signature = (await this.services.signatures.forReply(article.authorId, ticket.group_id)) || mailbox.signature
    const text = (article.contentType === 'text/html' ? htmlToText(article.body) : article.body) + (signature ? `\n\n-- \n${signature}` : '')
    const html =
      `<!doctype html><html><body>${toSafeHtml(article.body, article.contentType)}` +
      (signature ? `<br><br>-- <br>${escapeHtml(signature).replace(/\r?\n/g, '<br>')}` : '') +
      '</body></html>'
    const files = await this.services.tickets.channelReads.filesOf(article.id)
    const attachments: Mail.Attachment[] = files.map((f) => ({ filename: f.filename, contentType: f.contentType, content: this.deps.blobs.open(f.sha256) }))
    const message: Mail.Options = {
      from: { name: mailbox.senderName, address: mailbox.address },
      to,
      ...(cc.length && { cc }),
      subject,
      messageId,
      ...(inReplyTo && { inReplyTo }),
      ...(references.length && { references }),
      text,
      html,
      attachments,
      headers: { [LOKET_HEADER]: ticket.number },
      ...(mailbox.verp && { envelope: { from: verpAddress(this.deps.config.secret, 'article', article.id, mailbox.address), to: [to, ...cc] } }),
    }
    try {
      const info = await this.sender.send(mailbox, message)
      await tickets.recordDelivery(
        article.id,
        { status: 'sent', at: this.deps.clock.iso(), messageId, mailboxId: mailbox.id, to, cc, response: info.response },
        { sourceId: messageId },
      )
    } catch (err) {
      const permanent = isPermanentSmtpError(err)
      const why = deliveryReasonOf(err)
      if (permanent || attempt.attempt >= attempt.maxAttempts) {
        const reason = deliveryReason(err, permanent)
        return this.failed(article.id, permanent ? reason : `Gave up after ${attempt.attempt} tries. ${reason}`, permanent, why, attempt)
      }
      // The adapter picks the next try itself, so the agent sees when it will be.
      const next = new Date(this.deps.clock.now().getTime() + retryDelayMs(attempt.attempt))
      await tickets.recordDelivery(article.id, {
        status: 'deferred',
        at: this.deps.clock.iso(),
        nextAttemptAt: next.toISOString(),
        error: deliveryReason(err, false),
        ...why,
        attempt: attempt.attempt,
        maxAttempts: attempt.maxAttempts,
      })
      throw new RetryAt(next, describeError(err))
    }
  }

  private async failed(articleId: string, error: string, permanent: boolean, why: DeliveryReason, attempt?: DeliveryAttempt) {
    this.logger?.warn({ articleId, error, reasonCode: why.reasonCode }, 'e-mail reply could not be delivered')
    await this.services.tickets.recordDelivery(articleId, {
      status: 'failed',
      at: this.deps.clock.iso(),
      error,
      ...why,
      permanent,
      ...(attempt && { attempts: attempt.attempt }),
    })
  }

  /** The automatic acknowledgement with the ticket number, in the customer's language; never to machines (the filters decided). */
  private async acknowledge(payload: { mailboxId: string; ticketId: string; articleId: string }, attempt: DeliveryAttempt) {
    const { tickets, mailboxes, accounts } = this.services
    const mailbox: MailboxConfig | undefined = await mailboxes.configById(payload.mailboxId)
    if (!mailbox || !mailbox.acknowledgement.enabled) return
    const [ticket, articles] = await Promise.all([tickets.get(SYSTEM, payload.ticketId), tickets.listArticles(SYSTEM, payload.ticketId)])
    const article = articles.find((a) => a.id === payload.articleId)
    if (!article || acknowledgementOf(article.metadata)?.status === 'sent') return
    const requester = await accounts.getUserRow(ticket.requester.id)
    const template = requester?.language === 'en' ? mailbox.acknowledgement.en : mailbox.acknowledgement.nl
    const values = { number: ticket.number, subject: ticket.subject, name: ticket.requester.name || ticket.requester.email || '' }
    const meta = emailMeta(article)
    const to = meta.replyTo?.[0]?.email || meta.from?.email || ticket.requester.email
    if (!to) return // a requester known only by phone or chat, on a ticket that came in by no mail: nothing to acknowledge to
    const messageId = loketMessageId('ack', article.id, mailbox.address)
    const body = fill(template.body, values) + (mailbox.signature ? `\n\n-- \n${mailbox.signature}` : '')
    try {
      await this.sender.send(mailbox, {
        from: { name: mailbox.senderName, address: mailbox.address },
        to,
        subject: `${fill(template.subject, values)} ${subjectTag(ticket.number, this.deps.config.subjectTagLabel)}`,
        messageId,
        ...(meta.messageId && { inReplyTo: meta.messageId, references: [meta.messageId] }),
        text: body,
        headers: { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All', [LOKET_HEADER]: ticket.number },
        ...(mailbox.verp && { envelope: { from: verpAddress(this.deps.config.secret, 'ack', article.id, mailbox.address), to: [to] } }),
      })
      await tickets.annotateArticle(article.id, { acknowledgement: { status: 'sent', at: this.deps.clock.iso(), messageId, to } })
    } catch (err) {
      const permanent = isPermanentSmtpError(err)
      if (permanent || attempt.attempt >= attempt.maxAttempts) {
        await tickets.annotateArticle(article.id, { acknowledgement: { status: 'failed', at: this.deps.clock.iso(), error: describeError(err) } })
        return
      }
      throw err
    }
  }
}
