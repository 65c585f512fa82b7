import type { Logger } from 'pino'
import { newId } from '../../clock.js'
import type { Deps } from '../../deps.js'
import type { Services } from '../../services.js'
import type { IngestResult, InboundMessage } from '../../tickets/ticket.service.js'
import { articleRepository, ticketRepository } from '../../tickets/ticket.repository.js'
import { MAIL_FILTERS, runFilters, type Verdict } from './filters/index.js'
import type { MailboxConfig } from './mailbox.config.js'
import { autoReplyRepository } from './mailbox.repository.js'
import { type EmailAttachment, type EmailMessage, parseMail, rewriteCidLinks } from './parse-mail.js'

export const ACKNOWLEDGE_QUEUE = 'email.acknowledge'

/**
 * The ticket number in a subject: `[Loket #2026-00042]`, `[#2026-00042]`, or with the label an
 * administrator configured (LOKET_SUBJECT_TAG), also one used before a change of label.
 */
export const TICKET_NUMBER_IN_SUBJECT = /\[[^\[\]#]{0,40}#\s*(\d{4}-\d{4,})\]/i
export const subjectTag = (number: string, label = 'Loket') => `[${label} #${number}]`

export type InboundOutcome =
  | { outcome: 'ingested' | 'duplicate'; ticketId: string; articleId: string; created: boolean; verdict: Verdict }
  | { outcome: 'dropped'; reason: string; verdict: Verdict }

/** Where a sender without a usable From address is filed. */
const UNKNOWN_SENDER = 'unknown-sender@invalid'

const RAW_FILENAME = 'message.eml'
const MAX_RAW_BODY = 256 * 1024

/**
 * Turns one raw inbound message into a ticket article: parse, filter (loop and noise protection),
 * thread, ingest (idempotent by Message-ID or content hash), then note bounces and queue an
 * acknowledgement. Never throws for a bad message: what cannot be parsed is filed raw with a warning.
 */
export class EmailInbound {
  constructor(
    private readonly deps: Deps,
    private readonly services: Pick<Services, 'tickets' | 'mailboxes'>,
    private readonly logger?: Logger,
  ) {}

  async process(mailbox: MailboxConfig, raw: Buffer): Promise<InboundOutcome> {
    return this.file(mailbox, await parseMail(raw))
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
      this.logger?.info({ mailbox: mailbox.address, messageId: mail.messageId, reason: verdict.drop }, 'inbound mail dropped')
      return { outcome: 'dropped', reason: verdict.drop, verdict }
    }

    // Threading: In-Reply-To/References first, the ticket number in the subject second, else a new ticket.
    // A bounce is about one of our replies (its Message-ID is the article's source id) or one of our
    // acknowledgements (`<loket.ack.{article id}@…>`, which is not stored as a source id).
    const original = verdict.bounce?.originalMessageId
    const ours = original ? /^<loket\.(article|ack)\.([^@>]+)@/.exec(original) : null
    const bouncedArticle = original
      ? ((await articleRepository.findBySource(db, 'email', original)) ?? (ours ? await articleRepository.findById(db, ours[2]) : undefined))
      : undefined
    const bounceOf: 'delivery' | 'acknowledgement' = ours?.[1] === 'ack' ? 'acknowledgement' : 'delivery'
    let threadedBy: 'references' | 'subject' | 'bounce' | undefined
    let ticketId: string | undefined = bouncedArticle?.ticket_id
    if (ticketId) threadedBy = 'bounce'
    if (!ticketId) {
      ticketId = await articleRepository.findTicketIdBySourceIds(db, 'email', [...mail.inReplyTo, ...mail.references].slice(-100))
      if (ticketId) threadedBy = 'references'
    }
    if (!ticketId) {
      const number = TICKET_NUMBER_IN_SUBJECT.exec(mail.subject)?.[1]
      const ticket = number ? await ticketRepository.findByNumber(db, number) : undefined
      if (ticket) {
        ticketId = ticket.id
        threadedBy = 'subject'
      }
    }

    const ackWanted = !ticketId && mailbox.acknowledgement.enabled && verdict.noAutoReply.length === 0 && !mail.parseError
    const message = this.toInboundMessage(mailbox, mail, verdict, { ticketId, threadedBy, ackWanted })
    const result: IngestResult = await this.services.tickets.ingest(message)

    if (bouncedArticle && verdict.bounce) {
      await this.services.tickets.annotateArticle(bouncedArticle.id, {
        [bounceOf]: {
          ...(bounceOf === 'acknowledgement' && (JSON.parse(bouncedArticle.metadata) as { acknowledgement?: object }).acknowledgement),
          status: verdict.bounce.failed ? 'bounced' : 'reported',
          at: this.deps.clock.iso(),
          recipients: verdict.bounce.recipients,
          reportArticleId: result.article.id,
          permanent: verdict.bounce.failed,
        },
      })
    }
    // Queued after the ticket committed; the dedupe key makes a re-run after a crash send it once.
    const ackAsked = (result.article.metadata.email as { ackWanted?: boolean } | undefined)?.ackWanted
    if (ackAsked && (result.created || result.duplicate)) {
      await this.deps.jobs.enqueue(
        db,
        ACKNOWLEDGE_QUEUE,
        { mailboxId: mailbox.id, ticketId: result.ticket.id, articleId: result.article.id },
        { dedupeKey: `email.ack:${result.article.id}` },
      )
      await db
        .insertInto('mailbox_auto_reply')
        .values({ id: `ack:${result.article.id}`, mailbox_id: mailbox.id, address: message.from.email, sent_at: this.deps.clock.iso() })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute()
    }
    return {
      outcome: result.duplicate ? 'duplicate' : 'ingested',
      ticketId: result.ticket.id,
      articleId: result.article.id,
      created: result.created,
      verdict,
    }
  }

  private toInboundMessage(
    mailbox: MailboxConfig,
    mail: EmailMessage,
    verdict: Verdict,
    thread: { ticketId?: string; threadedBy?: string; ackWanted: boolean },
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
    if (!mail.from) warnings.push('The message has no readable sender address.')
    return {
      channel: 'email',
      sourceId: mail.sourceId,
      from: mail.from ? { email: mail.from.email, name: mail.from.name } : { email: UNKNOWN_SENDER },
      subject: mail.subject.replace(TICKET_NUMBER_IN_SUBJECT, '').replace(/\s+/g, ' ').trim() || '(no subject)',
      body,
      contentType,
      ticketId: thread.ticketId,
      groupId: mailbox.groupId ?? undefined,
      reopens: verdict.reopens,
      attachments: [...mail.attachments, rawAttachment].map((a) => ({
        id: a.id,
        filename: a.filename,
        contentType: a.contentType,
        content: a.content,
        contentId: a.contentId,
      })),
      metadata: {
        email: {
          mailboxId: mailbox.id,
          messageId: mail.messageId ?? null,
          from: mail.from ?? null,
          to: mail.to,
          cc: mail.cc,
          replyTo: mail.replyTo,
          date: mail.date ?? null,
          subject: mail.subject,
          inReplyTo: mail.inReplyTo,
          references: mail.references.slice(-20),
          rawAttachmentId: rawAttachment.id,
          threadedBy: thread.threadedBy ?? null,
          kind: verdict.kind ?? null,
          noAutoReply: verdict.noAutoReply,
          filters: verdict.matched,
          ackWanted: thread.ackWanted,
          ...(verdict.bounce && { deliveryReport: verdict.bounce }),
          ...(warnings.length && { warnings }),
        },
      },
    }
  }
}
