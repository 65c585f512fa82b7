import type { Channel } from '../../shared/api/tickets.js'
import type { Executor } from '../db/schema.js'

/** What a channel adapter gets to send: an article that an agent wrote for the customer. */
export interface OutboundArticle {
  articleId: string
  ticketId: string
  channel: Channel
}

/** Which try this is: the job queue retries with back-off; on the last one an adapter records the failure for good. */
export interface DeliveryAttempt {
  attempt: number
  maxAttempts: number
}

/**
 * A channel's outbound half. Inbound, adapters turn outside input into an InboundMessage and call
 * TicketService.ingest; core code never switches on the kind of channel.
 */
export interface ChannelAdapter {
  channel: Channel
  /** Sends the article; throws to have the job retried with back-off. Must be idempotent per article. */
  deliver(article: OutboundArticle, attempt?: DeliveryAttempt): Promise<void>
}

export interface ChannelRegistry {
  register(adapter: ChannelAdapter): void
  /**
   * Called inside the transaction that stores a public outbound article, so the delivery job is
   * committed with it (never sent without being stored, never stored without being sent).
   */
  enqueueDelivery(db: Executor, article: OutboundArticle & { visibility: string; direction: string; sourceId: string | null }): Promise<void>
}
