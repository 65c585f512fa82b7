import type { Logger } from 'pino'
import { acknowledgementOf, deliveryMetaOf, type EmailMetadata, emailMetaOf } from '../../../shared/api/article-metadata.js'
import { newId } from '../../clock.js'
import type { Deps } from '../../deps.js'
import type { Services } from '../../services.js'
import type { InboundMessage, InboundThread } from '../../tickets/ticket.service.js'
import type { ChannelArticle } from '../../tickets/channel-reads.js'
import { contentKey } from './content-key.js'
import { MAIL_FILTERS, runFilters, type Verdict } from './filters/index.js'
import type { MailboxConfig } from './mailbox.config.js'
import { autoReplyRepository, mailboxMessageRepository } from './mailbox.repository.js'
import { type EmailAttachment, type EmailMessage, parseMail, rewriteCidLinks } from './parse-mail.js'
import { DELIVERY_ADDRESS_FIELDS, readVerp } from './verp.js'
import { deliveryReasonOfReport } from './delivery-reason.js'

export const ACKNOWLEDGE_QUEUE = 'email.acknowledge'

/**
 * The ticket number in a subject: `[Loket #2026-00042]`, `[#2026-00042]`, or with the label an
 * administrator configured (LOKET_SUBJECT_TAG), also one used before a change of label.
 */
export const TICKET_NUMBER_IN_SUBJECT = /\[[^[\]#]{0,40}#\s*(\d{4}-\d{4,})\]/i
export const subjectTag = (number: string, label = 'Loket') => `[${label} #${number}]`

/** What became of an inbound message: filed (or filed before), or kept in the mailbox's list with a reason. */
export type InboundOutcome =
  | { outcome: 'ingested' | 'duplicate'; ticketId: string; articleId: string; created: boolean; verdict: Verdict }
  | { outcome: 'refused' | 'machine'; reason: string; verdict: Verdict }

/** How a mail is known to ingest (see EmailInbound.identify). */
interface MailIdentity {
  sourceId: string
  /** The earlier, different mail that was filed under the same Message-ID. */
  reusedMessageId?: { messageId: string; articleId: string; ticketId: string }
}

/** How ingest's threading shows in a mail's metadata (`email.threadedBy`). */
const THREADED_BY: Record<NonNullable<InboundThread['by']> | 'none', EmailMetadata['threadedBy']> = {
  ticketId: 'bounce',
  sourceIds: 'references',
  ticketNumber: 'subject',
  none: null,
}

/** Where a sender without a usable From address is filed. */
const UNKNOWN_SENDER = 'unknown-sender@invalid'

const RAW_FILENAME = 'message.eml'
const MAX_RAW_BODY = 256 * 1024

/**
 * Turns one raw inbound message into a ticket article: parse, filter (loop and noise protection), read
 * what it answers (In-Reply-To/References, the subject's ticket number, a bounce's reply) into an
 * InboundMessage, ingest (which threads it; idempotent by Message-ID or content hash), then note bounces
 * and queue an acknowledgement. Never throws for a bad message: what cannot be parsed is filed raw with a warning.
 */
export class EmailInbound {
  constructor(
    private readonly deps: Deps,
    private readonly services: Pick<Services, 'tickets' | 'mailboxes'>,
    private readonly logger?: Logger,
    /**
     * `keyByContent: false` keys ingest on the Message-ID alone, as before issue 14 (a different mail reusing an id is
     * taken for the first); `lookAhead: false` looks each mail's Message-ID up on its own, as session 14 did: only for
     * the bench's before/after figures.
     */
    private readonly options: { keyByContent?: boolean; lookAhead?: boolean } = {},
  ) {}

  /** What `lookAhead` found for a mail: the article first filed under its Message-ID, or null for none. */
  private readonly filedUnderId = new WeakMap<EmailMessage, ChannelArticle | null>()

  /**
   * Looks up, in one statement, which mails of a batch were filed before under their Message-ID,
   * so filing each needs no lookup of its own (one round trip per batch instead of one per mail).
   * Call it right before filing the batch. A Message-ID that occurs twice in the batch is left to
   * the lookup at filing time: the first of the two may be filed by then.
   */
  async lookAhead(mails: readonly EmailMessage[]): Promise<void> {
    if (this.options.keyByContent === false || this.options.lookAhead === false) return
    const seen = new Map<string, number>()
    for (const m of mails) if (m.messageId) seen.set(m.messageId, (seen.get(m.messageId) ?? 0) + 1)
    const ids = [...seen].filter(([, n]) => n === 1).map(([id]) => id)
    if (ids.length === 0) return
    const found = await this.services.tickets.channelReads.articlesBySources('email', ids)
    for (const m of mails) if (m.messageId && seen.get(m.messageId) === 1) this.filedUnderId.set(m, found.get(m.messageId) ?? null)
  }

  async process(mailbox: MailboxConfig, raw: Buffer): Promise<InboundOutcome> {
    return this.file(mailbox, await this.parse(raw))
  }

  /** Parses a raw message as this inbound files it (the fetcher parses a batch ahead of filing it). */
  parse(raw: Buffer): Promise<EmailMessage> {
    return parseMail(raw, this.options.keyByContent === false ? { contentKey: false } : {})
  }

  async file(mailbox: MailboxConfig, mail: EmailMessage): Promise<InboundOutcome> {
    const db = this.deps.db
    const verdict = await runFilters(
      {
        mail,
        mailbox,
        now: this.deps.clock.now(),
        // Only a mailbox that sends acknowledgements needs to count them.
        countAutoReplies: mailbox.acknowledgement.enabled ? (address, since) => autoReplyRepository.countSince(db, address, since) : undefined,
      },
      MAIL_FILTERS,
    )
    if (verdict.drop) {
      this.logger?.info({ mailbox: mailbox.address, messageId: mail.messageId, reason: verdict.drop }, 'inbound mail refused')
      await this.keep(mailbox, mail, { outcome: 'refused', kind: null, reason: verdict.drop })
      return { outcome: 'refused', reason: verdict.drop, verdict }
    }
    if (verdict.machine) {
      const reason = verdict.machine === 'dmarc-report' ? 'DMARC aggregate report' : 'abuse feedback report (ARF)'
      await this.keep(mailbox, mail, { outcome: 'machine', kind: verdict.machine, reason })
      return { outcome: 'machine', reason, verdict }
    }

    // Threading is ingest's (In-Reply-To/References first, the ticket number in the subject second, else a
    // new ticket); this channel reads the references out of the mail. A bounce names the reply it is about
    // by the VERP return path it was sent back to, or quotes one of our Message-IDs: a reply's (its
    // article's source id) or an acknowledgement's
    // (`<loket.ack.{article id}@…>`, which is not stored as a source id).
    const verp = readVerp(this.deps.config.secret, DELIVERY_ADDRESS_FIELDS.flatMap((f) => mail.headers.get(f) ?? []))
    if (verp && verdict.kind !== 'auto-reply') {
      // Only bounces and automatic answers are sent to a return path; a person never writes to it.
      verdict.kind = 'bounce'
      verdict.reopens = false
      if (!verdict.noAutoReply.length) verdict.noAutoReply.push('sent to a return path (VERP)')
      verdict.bounce ??= { recipients: [], failed: true }
    }
    const original = verdict.bounce?.originalMessageId
    const ours = verp ? ([verp.kind, verp.kind, verp.articleId] as const) : original ? /^<loket\.(article|ack)\.([^@>]+)@/.exec(original) : null
    const reads = this.services.tickets.channelReads
    const bouncedArticle = verp
      ? await reads.article(verp.articleId)
      : original
        ? ((await reads.articleBySource('email', original)) ?? (ours ? await reads.article(ours[2]) : undefined))
        : undefined
    const bounceOf: 'delivery' | 'acknowledgement' = ours?.[1] === 'ack' ? 'acknowledgement' : 'delivery'
    const identity = await this.identify(mail)
    const message = this.toInboundMessage(mailbox, mail, verdict, bouncedArticle?.ticketId, identity)
    const result = await this.services.tickets.ingest(message)

    // A bounce or an automatic answer that belongs to no ticket opens none (onlyThreads): it is machine mail.
    if (!result) {
      const kind = verdict.kind === 'bounce' ? 'delivery-status' : 'auto-reply'
      const reason = verdict.kind === 'bounce' ? 'delivery status notification about no known reply' : 'automatic reply (out of office) to no known ticket'
      await this.keep(mailbox, mail, { outcome: 'machine', kind, reason })
      return { outcome: 'machine', reason, verdict }
    }

    if (bouncedArticle && verdict.bounce) {
      const report = {
        status: verdict.bounce.failed ? ('bounced' as const) : ('reported' as const),
        at: this.deps.clock.iso(),
        recipients: verdict.bounce.recipients,
        ...deliveryReasonOfReport(verdict.bounce.recipients),
        reportArticleId: result.article.id,
        permanent: verdict.bounce.failed,
      }
      // Kept: the Message-ID the reply went out with (answers to it still thread).
      const earlier = bounceOf === 'delivery' ? deliveryMetaOf(bouncedArticle.metadata) : acknowledgementOf(bouncedArticle.metadata)
      // A reply's new state reaches the timeline and, when it failed, its author.
      if (bounceOf === 'delivery') await this.services.tickets.recordDelivery(bouncedArticle.id, { ...earlier, ...report })
      else await this.services.tickets.annotateArticle(bouncedArticle.id, { acknowledgement: { ...earlier, ...report } })
    }
    // Queued after the ticket committed; the dedupe key makes a re-run after a crash send it once.
    const ackAsked = emailMetaOf(result.article.metadata)?.ackWanted
    if (ackAsked && (result.created || result.duplicate)) {
      await this.deps.jobs.enqueue(
        db,
        ACKNOWLEDGE_QUEUE,
        { mailboxId: mailbox.id, ticketId: result.ticket.id, articleId: result.article.id },
        { dedupeKey: `email.ack:${result.article.id}` },
      )
      await db
        .insertInto('mailbox_auto_reply')
        .values({ id: `ack:${result.article.id}`, mailbox_id: mailbox.id, address: message.from.address, sent_at: this.deps.clock.iso() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
    }
    if (result.duplicate) {
      await this.keep(mailbox, mail, {
        outcome: 'duplicate',
        kind: null,
        reason: `already filed as article ${result.article.id} of ticket ${result.ticket.number}`,
        articleId: result.article.id,
        ticketId: result.ticket.id,
      })
    }
    return {
      outcome: result.duplicate ? 'duplicate' : 'ingested',
      ticketId: result.ticket.id,
      articleId: result.article.id,
      created: result.created,
      verdict,
    }
  }

  /**
   * Lists a message that became no article of its own in the mailbox's list for administrators;
   * machine mail and refused mail keep their raw message there. Once per message and outcome.
   */
  private async keep(
    mailbox: MailboxConfig,
    mail: EmailMessage,
    entry: { outcome: 'machine' | 'refused' | 'duplicate'; kind: string | null; reason: string; articleId?: string; ticketId?: string },
  ) {
    const rawSha256 = entry.outcome === 'duplicate' ? null : await this.deps.blobs.put(mail.raw)
    await mailboxMessageRepository.record(this.deps.db, {
      id: newId(),
      mailbox_id: mailbox.id,
      outcome: entry.outcome,
      kind: entry.kind,
      reason: entry.reason.slice(0, 1000),
      message_id: mail.messageId ?? null,
      content_key: mail.contentKey,
      from_address: mail.from?.email ?? mail.senderUnknown?.raw ?? null,
      subject: mail.subject.slice(0, 500),
      article_id: entry.articleId ?? null,
      ticket_id: entry.ticketId ?? null,
      raw_sha256: rawSha256,
      size: mail.raw.length,
      received_at: this.deps.clock.iso(),
    })
  }

  /**
   * The source id a mail is filed under. Its Message-ID, unless an earlier, different mail was filed
   * under that id (form mailers and some systems send one id for every mail): then the id and the
   * content key together, so that mail is filed too, and a re-read of either stays one article.
   */
  private async identify(mail: EmailMessage): Promise<MailIdentity> {
    if (!mail.messageId || this.options.keyByContent === false) return { sourceId: mail.sourceId }
    // Known from lookAhead (used once: a retry of the same mail looks again), else looked up now.
    const known = this.filedUnderId.get(mail)
    this.filedUnderId.delete(mail)
    const first = known !== undefined ? (known ?? undefined) : await this.services.tickets.channelReads.articleBySource('email', mail.messageId)
    if (!first || (await this.contentKeyOf(first)) === mail.contentKey) return { sourceId: mail.messageId }
    return { sourceId: `${mail.messageId}#${mail.contentKey}`, reusedMessageId: { messageId: mail.messageId, articleId: first.id, ticketId: first.ticketId } }
  }

  /** The content key of a filed mail: in its metadata, or (filed before there was one) from its raw message. */
  private async contentKeyOf(article: ChannelArticle): Promise<string | undefined> {
    const email = emailMetaOf(article.metadata)
    if (email?.contentKey) return email.contentKey
    const raw = email?.rawAttachmentId ? await this.services.tickets.channelReads.file(email.rawAttachmentId) : undefined
    if (!raw) return undefined
    const chunks: Buffer[] = []
    for await (const chunk of this.deps.blobs.open(raw.sha256)) chunks.push(chunk as Buffer)
    return contentKey(Buffer.concat(chunks))
  }

  private toInboundMessage(
    mailbox: MailboxConfig,
    mail: EmailMessage,
    verdict: Verdict,
    /** The ticket of the reply or acknowledgement a bounce is about. */
    bouncedTicketId: string | undefined,
    identity: MailIdentity,
  ): InboundMessage {
    const rawAttachment: EmailAttachment = {
      id: newId(),
      filename: RAW_FILENAME,
      contentType: 'message/rfc822',
      content: mail.raw,
      inline: false,
    }
    const warnings: string[] = [...mail.warnings]
    let body: string
    let contentType: InboundMessage['contentType']
    if (mail.parseError) {
      warnings.push(`This message could not be read (${mail.parseError}). It is shown as received; the original is attached as ${RAW_FILENAME}.`)
      body = `⚠ ${warnings[warnings.length - 1]}\n\n${mail.raw.toString('latin1').slice(0, MAX_RAW_BODY)}`
      contentType = 'text/plain'
    } else if (mail.html) {
      body = rewriteCidLinks(mail.html, mail.attachments)
      contentType = 'text/html'
    } else {
      body = mail.text
      contentType = 'text/plain'
    }
    if (!body.trim()) body = mail.attachments.length ? '(no text; see the attachments)' : '(empty message)'
    if (mail.senderUnknown) warnings.push(`The sender's address is not valid (From: ${mail.senderUnknown.raw}); choose the requester.`)
    else if (!mail.from) warnings.push('The message has no readable sender address.')
    if (identity.reusedMessageId) warnings.push(`This message reuses the Message-ID ${identity.reusedMessageId.messageId} of an earlier, different message; it is filed as a message of its own.`)
    return {
      channel: 'email',
      sourceId: identity.sourceId,
      from: { kind: 'email', address: mail.from?.email ?? UNKNOWN_SENDER, ...(mail.from?.name && { name: mail.from.name }) },
      subject: mail.subject.replace(TICKET_NUMBER_IN_SUBJECT, '').replace(/\s+/g, ' ').trim() || '(no subject)',
      body,
      contentType,
      ticketId: bouncedTicketId,
      replyTo: { sourceIds: [...mail.inReplyTo, ...mail.references], ticketNumber: TICKET_NUMBER_IN_SUBJECT.exec(mail.subject)?.[1] },
      onlyThreads: !!verdict.kind,
      groupId: mailbox.groupId ?? undefined,
      reopens: verdict.reopens,
      attachments: [...mail.attachments, rawAttachment].map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
        contentId: a.contentId,
      })),
      // Written once ingest has threaded it: how, and whether a new ticket's acknowledgement is wanted.
      metadata: (thread) => ({
        email: {
          mailboxId: mailbox.id,
          messageId: mail.messageId ?? null,
          contentKey: mail.contentKey,
          ...(identity.reusedMessageId && { reusedMessageId: identity.reusedMessageId }),
          from: mail.from ?? null,
          ...(mail.senderUnknown && { senderUnknown: mail.senderUnknown }),
          to: mail.to,
          cc: mail.cc,
          replyTo: mail.replyTo,
          date: mail.date ?? null,
          subject: mail.subject,
          inReplyTo: mail.inReplyTo,
          references: mail.references.slice(-20),
          rawAttachmentId: rawAttachment.id,
          threadedBy: THREADED_BY[thread.by ?? 'none'],
          kind: verdict.kind ?? null,
          noAutoReply: verdict.noAutoReply,
          filters: verdict.matched,
          ackWanted: !thread.ticketId && mailbox.acknowledgement.enabled && verdict.noAutoReply.length === 0 && !mail.parseError && !!mail.from,
          ...(verdict.bounce && { deliveryReport: verdict.bounce }),
          ...(warnings.length && { warnings }),
        },
      }),
    }
  }
}
