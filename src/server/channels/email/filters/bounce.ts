import type { MailFilter } from './pipeline.js'
import { header, senderOf } from './pipeline.js'

const BOUNCE_SUBJECT = /^(undeliver(ed|able)|delivery (status notification|failure|has failed)|mail delivery (failed|failure|subsystem)|returned mail|failure notice|onbestelbaar|niet bezorgd|unzustellbar)/i
/** Postfix, Sendmail, Exim, qmail, Gmail and Exchange (MicrosoftExchange<hex>@) bounce as one of these. */
const DAEMON = /^(mailer-daemon|postmaster|mail-?delivery-?(subsystem|system)?|microsoftexchange[0-9a-f]*)@/i

/**
 * Delivery status notifications (RFC 3464 multipart/report) and classic bounces from the mailer
 * daemon: shown on the outbound article they are about, never answered, never reopening a ticket.
 */
export const bounceFilter: MailFilter = {
  name: 'bounce',
  apply(ctx, verdict) {
    const report = ctx.mail.deliveryReport
    const contentType = header(ctx, 'content-type') ?? ''
    const isReport = !!report || /multipart\/report;[^]*report-type="?delivery-status/i.test(contentType)
    // A bounce is sent with an empty return path (RFC 5321 §4.5.5), whatever its From says.
    const isDaemonBounce = (DAEMON.test(senderOf(ctx)) || header(ctx, 'return-path') === '<>') && BOUNCE_SUBJECT.test(ctx.mail.subject)
    if (!isReport && !isDaemonBounce) return
    // A "delayed" or "delivered" report is news, not a failure; it still gets no reply.
    verdict.kind = 'bounce'
    verdict.reopens = false
    verdict.noAutoReply.push('delivery status notification')
    if (report) verdict.bounce = report
  },
}
