import type { MailFilter } from './pipeline.js'
import { senderOf } from './pipeline.js'

export const AUTO_REPLY_LIMIT = { perHour: 3, perDay: 10 }

/**
 * At most a few automatic replies per sender per hour and per day, whatever else the pipeline
 * missed: two auto-responders answering each other stop after the limit.
 */
export const rateLimitFilter: MailFilter = {
  name: 'rate-limit',
  async apply(ctx, verdict) {
    if (verdict.noAutoReply.length || !ctx.countAutoReplies) return
    const sender = senderOf(ctx)
    const now = ctx.now.getTime()
    const hour = await ctx.countAutoReplies(sender, new Date(now - 3600_000).toISOString())
    if (hour >= AUTO_REPLY_LIMIT.perHour) {
      verdict.noAutoReply.push(`${hour} automatic replies to ${sender} in the last hour`)
      return
    }
    const day = await ctx.countAutoReplies(sender, new Date(now - 86_400_000).toISOString())
    if (day >= AUTO_REPLY_LIMIT.perDay) verdict.noAutoReply.push(`${day} automatic replies to ${sender} in the last day`)
  },
}
