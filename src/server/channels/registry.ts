import type { ReplyRoute } from '../../shared/api/tickets.js'
import type { Executor } from '../db/schema.js'
import type { JobQueue } from '../jobs/queue.js'
import type { Outbox } from '../outbox/outbox.js'
import { recordDelivery } from '../tickets/article-delivery.js'
import { type ChannelAdapter, type ChannelRegistry, isUnreachableAddress, type OutboundArticle, type ReplyTicket } from './channel.js'

export const DELIVERY_QUEUE = 'channel.deliver'

/**
 * Hands each new public outbound article to its channel's adapter: an outbox handler turns its
 * `article.created` event into a delivery job (committed with the event's removal, once per article),
 * which the durable job queue runs with retries. The article's delivery state starts as queued.
 */
export class JobChannelRegistry implements ChannelRegistry {
  private readonly adapters = new Map<string, ChannelAdapter>()

  constructor(jobs: JobQueue, outbox: Pick<Outbox, 'handle' | 'append'>, clock: { iso(): string } = { iso: () => new Date().toISOString() }) {
    jobs.register(DELIVERY_QUEUE, async (payload: OutboundArticle, job) => {
      const adapter = this.adapters.get(payload.channel)
      // An adapter that went away (channel switched off) leaves nothing to do.
      if (adapter) await adapter.deliver(payload, { attempt: job.attempts, maxAttempts: job.max_attempts })
    })
    outbox.handle('channel delivery', async (trx, events) => {
      for (const { event } of events) {
        // An agent's "opnieuw versturen": the same article once more, under a key of its own (its state is queued already).
        if (event.type === 'article.resend-requested' && this.adapters.has(event.channel)) {
          const payload: OutboundArticle = { articleId: event.articleId, ticketId: event.ticketId, channel: event.channel as OutboundArticle['channel'] }
          await jobs.enqueue(trx, DELIVERY_QUEUE, payload, { dedupeKey: `deliver:${event.articleId}:resend:${event.attempt}` })
          continue
        }
        // The loop guard: internal notes and what came in through a channel are never sent.
        if (event.type !== 'article.created' || event.visibility !== 'public' || event.direction !== 'out') continue
        if (!this.adapters.has(event.channel)) continue
        const payload: OutboundArticle = { articleId: event.articleId, ticketId: event.ticketId, channel: event.channel as OutboundArticle['channel'] }
        await jobs.enqueue(trx, DELIVERY_QUEUE, payload, { dedupeKey: `deliver:${event.articleId}` })
        // The reply shows "queued" from the moment its delivery job exists (the same transaction).
        await recordDelivery(trx, outbox, event.articleId, { status: 'queued', at: clock.iso() })
      }
    })
  }

  register(adapter: ChannelAdapter) {
    this.adapters.set(adapter.channel, adapter)
  }

  /**
   * A reply goes out by a channel that can reach the customer (e-mail from the ticket's department
   * mailbox or the default sending mailbox), whichever way the ticket came in: a ticket opened through
   * the API, the portal or by phone is answered by mail too. Without a mailbox that can send, the reply
   * is only in the portal, which reaches the customer only when they can sign in there. Sign-in links go
   * by mail to the requester's own address, so: a requester without an address reaches no one (a
   * Reply-To does not help them into the portal), nor does a disabled account; an active one signs in
   * with a password, or with a link once a mailbox can send one (`portalSignIn` says which).
   */
  async replyRoute(db: Executor, ticket: ReplyTicket): Promise<ReplyRoute> {
    let mailboxCanSend = false
    for (const adapter of this.adapters.values()) {
      if (!adapter.reach) continue
      const reach = await adapter.reach(db, ticket)
      if (reach.from) mailboxCanSend = true
      // Only the e-mail adapter reaches customers outside the portal today.
      if (reach.to && reach.from) {
        return { channel: adapter.channel as 'email', to: reach.to, from: `${reach.from.name} <${reach.from.address}>`, reason: null, mailboxCanSend, portalSignIn: null }
      }
    }
    const none = { channel: null, to: null, from: null, mailboxCanSend, portalSignIn: null }
    if (isUnreachableAddress(ticket.requesterEmail)) return { ...none, reason: 'no-address' }
    if (!ticket.requesterActive) return { ...none, reason: 'no-sign-in' }
    const portalSignIn = ticket.requesterHasPassword ? 'password' : mailboxCanSend ? 'link' : 'none'
    return { channel: 'portal', to: null, from: null, reason: 'no-mailbox', mailboxCanSend, portalSignIn }
  }
}
