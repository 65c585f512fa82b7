import { parseMetadata } from '../../shared/api/article-metadata.js'
import { DELIVERY_REASON_CODES, type Delivery, type DeliveryReasonCode } from '../../shared/api/tickets.js'
import type { Executor } from '../db/schema.js'
import type { DomainEvent } from '../events.js'
import type { OutboxWriter } from '../outbox/outbox.js'
import { articleRepository, ticketRepository } from './ticket.repository.js'

/**
 * What a channel stores in an outgoing article's `metadata.delivery`. `bounced` and `reported` are
 * written when a delivery report comes back for a reply that had been sent; `retrying` by older versions.
 */
export interface DeliveryRecord {
  status: 'queued' | 'sent' | 'deferred' | 'failed' | 'bounced' | 'reported' | 'retrying'
  at: string
  response?: string
  error?: string
  /** deferred, failed, bounced: the class of failure (see delivery-reason.ts) and the raw answer it was read from. */
  reasonCode?: DeliveryReasonCode
  detail?: string
  nextAttemptAt?: string
  [key: string]: unknown
}

const isReasonCode = (code: unknown): code is DeliveryReasonCode => DELIVERY_REASON_CODES.includes(code as DeliveryReasonCode)

/**
 * The class of failure and the raw answer, for the agent's explanation; a record written before
 * there were classes has its English sentence as the detail and `other` as the class.
 */
function why(r: Partial<DeliveryRecord>, fallback: DeliveryReasonCode) {
  const reasonCode = isReasonCode(r.reasonCode) ? r.reasonCode : fallback
  const detail = typeof r.detail === 'string' && r.detail ? r.detail : typeof r.error === 'string' ? r.error : undefined
  return { reasonCode, ...(detail && { detail }) }
}

/** The delivery state an agent sees, from what the channel stored; none for articles that are not sent out. */
export function deliveryOf(metadata: Record<string, unknown>): Delivery | undefined {
  const r = metadata.delivery as Partial<DeliveryRecord> | undefined
  if (!r || typeof r !== 'object' || typeof r.at !== 'string') return undefined
  switch (r.status) {
    case 'queued':
      return { state: 'queued', at: r.at }
    case 'sent':
    case 'reported': // a delay notice: the receiving side has it and is still trying
      return { state: 'sent', at: r.at, ...(typeof r.response === 'string' && { serverResponse: r.response }) }
    case 'deferred':
    case 'retrying':
      return {
        state: 'deferred',
        at: r.at,
        ...(typeof r.nextAttemptAt === 'string' && { nextAttemptAt: r.nextAttemptAt }),
        ...(typeof r.error === 'string' && { reason: r.error }),
        ...why(r, 'deferred'),
      }
    case 'failed':
      return { state: 'failed', at: r.at, reason: typeof r.error === 'string' ? r.error : 'The reply could not be delivered.', ...why(r, 'other') }
    case 'bounced':
      return { state: 'failed', at: r.at, reason: 'The receiving mail server sent the reply back as undeliverable.', ...why(r, 'bounced') }
    default:
      return undefined
  }
}

/**
 * Replaces an article's delivery record and tells the desk (an `article.delivery` event, staff only),
 * in the caller's transaction.
 */
export async function recordDelivery(trx: Executor, outbox: Pick<OutboxWriter, 'append'>, articleId: string, record: DeliveryRecord, sourceId?: string) {
  const row = await articleRepository.findById(trx, articleId)
  if (!row) return
  const ticket = await ticketRepository.findById(trx, row.ticket_id)
  if (!ticket) return
  // Unreadable metadata is replaced rather than blocking the channel (parseMetadata: {}).
  const metadata = parseMetadata(row.metadata)
  await trx
    .updateTable('article')
    .set({ metadata: JSON.stringify({ ...metadata, delivery: record }), ...(sourceId !== undefined && { source_id: sourceId }) })
    .where('id', '=', articleId)
    .execute()
  const state = deliveryOf({ delivery: record })?.state ?? 'failed'
  const events: DomainEvent[] = []
  // The author hears of a failure once: not again when the same failure is recorded twice (a re-run).
  const wasFailed = deliveryOf(metadata)?.state === 'failed'
  if (state === 'failed' && !wasFailed && row.author_id) {
    events.push({ type: 'article.delivery-failed', ticketId: ticket.id, ticketNumber: ticket.number, articleId, authorId: row.author_id, at: record.at })
  }
  events.unshift({
    type: 'article.delivery',
    ticketId: ticket.id,
    articleId,
    requesterId: ticket.requester_id,
    organisationId: ticket.organisation_id,
    groupId: ticket.group_id,
    assigneeId: ticket.assignee_id,
    state,
    at: record.at,
  })
  await outbox.append(trx, events)
}
