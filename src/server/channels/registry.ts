import type { JobQueue } from '../jobs/queue.js'
import type { ChannelAdapter, ChannelRegistry, OutboundArticle } from './channel.js'

export const DELIVERY_QUEUE = 'channel.deliver'

/** Hands each new public outbound article to its channel's adapter, through the durable job queue. */
export class JobChannelRegistry implements ChannelRegistry {
  private readonly adapters = new Map<string, ChannelAdapter>()

  constructor(private readonly jobs: JobQueue) {
    jobs.register(DELIVERY_QUEUE, async (payload: OutboundArticle, job) => {
      const adapter = this.adapters.get(payload.channel)
      // An adapter that went away (channel switched off) leaves nothing to do.
      if (adapter) await adapter.deliver(payload, { attempt: job.attempts, maxAttempts: job.max_attempts })
    })
  }

  register(adapter: ChannelAdapter) {
    this.adapters.set(adapter.channel, adapter)
  }

  async enqueueDelivery(db: Parameters<ChannelRegistry['enqueueDelivery']>[0], article: Parameters<ChannelRegistry['enqueueDelivery']>[1]) {
    // The loop guard: internal notes, what came in, and what came from the channel itself are never sent.
    if (article.visibility !== 'public' || article.direction !== 'out' || article.sourceId) return
    if (!this.adapters.has(article.channel)) return
    const payload: OutboundArticle = { articleId: article.articleId, ticketId: article.ticketId, channel: article.channel }
    await this.jobs.enqueue(db, DELIVERY_QUEUE, payload, { dedupeKey: `deliver:${article.articleId}` })
  }
}
