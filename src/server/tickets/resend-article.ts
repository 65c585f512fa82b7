import { parseMetadata } from '../../shared/api/article-metadata.js'
import type { ResendArticleBody } from '../../shared/api/tickets.js'
import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import type { AuditService } from '../audit/audit.service.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import { deliveryOf, recordDelivery } from './article-delivery.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { articleRepository } from './ticket.repository.js'

/**
 * "Opnieuw versturen" and "ander adres": a reply whose delivery failed is queued again, to the same
 * address or to another one the agent gives. The channel takes it up from the outbox
 * (`article.resend-requested`); the article and its text stay as they were.
 */
export async function resendArticle(
  deps: Deps,
  peers: { desk: Pick<DeskService, 'linesOf'>; audit: Pick<AuditService, 'record'> },
  actor: Actor,
  ticketId: string,
  articleId: string,
  body: ResendArticleBody,
): Promise<void> {
  await deps.transaction(async (trx) => {
    const ticket = await visibleTicket(trx, actor, ticketId)
    if (!isStaff(actor)) throw AppError.forbidden('send a reply again')
    if (!ticketPolicy.canReplyToCustomer(actor, await peers.desk.linesOf(trx, actor.user.id))) throw AppError.forbidden('reply to customers from a back office')
    const row = await articleRepository.findById(trx, articleId)
    if (!row || row.ticket_id !== ticket.id) throw AppError.notFound('Article', articleId)
    // Unreadable: no delivery to read, refused below (parseMetadata: {}).
    const metadata = parseMetadata(row.metadata)
    if (deliveryOf(metadata)?.state !== 'failed') {
      throw AppError.conflict('Only a reply whose delivery failed can be sent again.')
    }
    const to = body.to?.trim().toLowerCase()
    const attempt = (typeof metadata.resends === 'number' ? metadata.resends : 0) + 1
    const now = deps.clock.iso()
    await articleRepository.annotate(trx, articleId, JSON.stringify({ ...metadata, resends: attempt, ...(to && { deliverTo: to }) }))
    await recordDelivery(trx, deps.outbox, articleId, { status: 'queued', at: now, resend: attempt, ...(to && { to }) })
    await deps.outbox.append(trx, [{ type: 'article.resend-requested', ticketId: ticket.id, articleId, channel: row.channel, attempt, at: now }])
    await peers.audit.record(trx, {
      actorId: recordedUserId(actor),
      action: 'article.resent',
      details: { ticketId: ticket.id, ticketNumber: ticket.number, articleId, attempt, ...(to && { to }) },
    })
  })
}
