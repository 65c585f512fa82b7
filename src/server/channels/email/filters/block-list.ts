import type { MailFilter } from './pipeline.js'
import { senderOf } from './pipeline.js'

/** The administrator's block list: whole addresses (jan@x.nl) or domains (@x.nl, subdomains included). */
export const blockListFilter: MailFilter = {
  name: 'block-list',
  apply(ctx, verdict) {
    const sender = senderOf(ctx)
    if (!sender) return
    const domain = sender.slice(sender.lastIndexOf('@') + 1)
    for (const entry of ctx.mailbox.blockList) {
      const e = entry.toLowerCase()
      const hit = e.startsWith('@') ? domain === e.slice(1) || domain.endsWith(`.${e.slice(1)}`) : sender === e
      if (hit) {
        verdict.drop = `sender ${sender} is on the block list (${entry})`
        return
      }
    }
  },
}
