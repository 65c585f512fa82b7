import type { MailFilter } from './pipeline.js'
import { header } from './pipeline.js'

/** Bulk mail and mailing lists: `Precedence: bulk|junk|list`, or List-Id / List-Unsubscribe headers. */
export const precedenceFilter: MailFilter = {
  name: 'precedence',
  apply(ctx, verdict) {
    const precedence = header(ctx, 'precedence')?.toLowerCase()
    if (precedence && /^(bulk|junk|list)\b/.test(precedence)) verdict.noAutoReply.push(`Precedence: ${precedence}`)
    else if (header(ctx, 'list-id') !== undefined || header(ctx, 'list-unsubscribe') !== undefined) verdict.noAutoReply.push('mailing list')
  },
}
