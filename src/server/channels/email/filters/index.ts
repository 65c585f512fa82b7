import { autoReplyHeadersFilter } from './auto-reply-headers.js'
import { autoSubmittedFilter } from './auto-submitted.js'
import { blockListFilter } from './block-list.js'
import { bounceFilter } from './bounce.js'
import { machineMailFilter } from './machine-mail.js'
import { noReplySenderFilter } from './no-reply-sender.js'
import { outOfOfficeFilter } from './out-of-office.js'
import { ownMailFilter } from './own-mail.js'
import type { MailFilter } from './pipeline.js'
import { precedenceFilter } from './precedence.js'
import { rateLimitFilter } from './rate-limit.js'

export { runFilters, type FilterContext, type MailFilter, type Verdict } from './pipeline.js'

/** The inbound filters, in the order they run. Dropping filters first; the rate limit last. */
export const MAIL_FILTERS: readonly MailFilter[] = [
  blockListFilter,
  ownMailFilter,
  machineMailFilter,
  bounceFilter,
  autoSubmittedFilter,
  precedenceFilter,
  autoReplyHeadersFilter,
  outOfOfficeFilter,
  noReplySenderFilter,
  rateLimitFilter,
]
