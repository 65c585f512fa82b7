import type { MailFilter } from './pipeline.js'
import { header, senderOf } from './pipeline.js'

const MACHINE_SENDER = /^(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply|bounces?|notifications?-noreply)([-+.][^@]*)?@/i

/** Machines that read nothing: mailer-daemon, postmaster, no-reply addresses, and mail with an empty return path. */
export const noReplySenderFilter: MailFilter = {
  name: 'no-reply-sender',
  apply(ctx, verdict) {
    const sender = senderOf(ctx)
    if (!sender) verdict.noAutoReply.push('no sender address')
    else if (MACHINE_SENDER.test(sender)) verdict.noAutoReply.push(`machine sender ${sender}`)
    else if (header(ctx, 'return-path') === '<>') verdict.noAutoReply.push('empty return path')
  },
}
