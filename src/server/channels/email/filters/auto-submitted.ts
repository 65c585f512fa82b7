import type { MailFilter } from './pipeline.js'
import { header } from './pipeline.js'

/** RFC 3834: anything but `Auto-Submitted: no` was sent by a machine and gets no automatic answer. */
export const autoSubmittedFilter: MailFilter = {
  name: 'auto-submitted',
  apply(ctx, verdict) {
    const value = header(ctx, 'auto-submitted')?.toLowerCase().split(';')[0].trim()
    if (!value || value === 'no') return
    verdict.noAutoReply.push(`Auto-Submitted: ${value}`)
    if (value === 'auto-replied' && !verdict.kind) {
      verdict.kind = 'auto-reply'
      verdict.reopens = false
    }
  },
}
