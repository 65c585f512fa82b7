import type { Channel, ReplyRoute } from '../../shared/api/tickets.js'
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
 * A channel's outbound half. Inbound, adapters turn outside input into an InboundMessage (with what it
 * answers in `replyTo`; ingest threads it) and call TicketService.ingest; core code never switches on
 * the kind of channel. See docs/architecture.md, "The inbound port".
 */
export interface ChannelAdapter {
  channel: Channel
  /** Sends the article; throws to have the job retried with back-off. Must be idempotent per article. */
  deliver(article: OutboundArticle, attempt?: DeliveryAttempt): Promise<void>
  /**
   * Whether this channel can carry a reply on the ticket: the address it would go to (none when the
   * customer has no usable one) and what it would be sent from (none when nothing can send).
   */
  reach?(db: Executor, ticket: ReplyTicket): Promise<{ to?: string; from?: { address: string; name: string } }>
}

/** What a channel needs to know of a ticket to tell whether a reply can reach its customer. */
export interface ReplyTicket {
  id: string
  groupId: string | null
  departmentId: string | null
  requesterEmail: string
  /**
   * Whether the requester can sign in to the portal to read a reply there: their account is active, and they have a
   * password (staff also single sign-on). Without one, only a sign-in link by mail gets them in.
   */
  requesterActive: boolean
  requesterHasPassword: boolean
}

/** An address that reaches no one: the requester of a mail without a valid sender, an erased person (`.invalid`, RFC 2606). */
export const isUnreachableAddress = (email: string | undefined | null) => !email || /(^|[@.])invalid$/i.test(email.trim())

/** Which adapter sends what: new public outbound articles reach it through the outbox (registry.ts). */
export interface ChannelRegistry {
  register(adapter: ChannelAdapter): void
  /**
   * How an agent's public reply on the ticket reaches the customer, whichever way the ticket came in:
   * by a channel that can carry it (e-mail), else only in the portal, else not at all (no address).
   * `db` may be the caller's transaction.
   */
  replyRoute(db: Executor, ticket: ReplyTicket): Promise<ReplyRoute>
}
