import type { MailFilter } from './pipeline.js'
import { header } from './pipeline.js'

/** RFC 7489 §7.2.1.1: "Report Domain: example.nl Submitter: google.com Report-ID: …". */
const DMARC_SUBJECT = /\breport[ -]?domain:/i
/** The report's file: receiver!policy domain!begin!end[!id].xml(.gz|.zip). */
const DMARC_FILE = /^[^!\s]+![^!\s]+!\d+!\d+(![^.]*)?\.(xml|zip|gz|xml\.gz)$/i

/**
 * Reports that machines send to machines: DMARC aggregate reports and abuse feedback reports
 * (ARF, RFC 5965). No person wrote them and no one waits for an answer: they never open a ticket
 * and get no acknowledgement; they are kept in the mailbox's machine mail list.
 */
export const machineMailFilter: MailFilter = {
  name: 'machine-mail',
  apply(ctx, verdict) {
    const contentType = header(ctx, 'content-type') ?? ''
    const { mail } = ctx
    if (/multipart\/report;[^]*report-type="?feedback-report/i.test(contentType) || mail.attachments.some((a) => a.contentType === 'message/feedback-report')) {
      verdict.machine = 'abuse-report'
    } else if (DMARC_SUBJECT.test(mail.subject) || mail.attachments.some((a) => DMARC_FILE.test(a.filename))) {
      verdict.machine = 'dmarc-report'
    } else return
    verdict.reopens = false
    verdict.noAutoReply.push(verdict.machine === 'abuse-report' ? 'abuse feedback report' : 'DMARC aggregate report')
  },
}
