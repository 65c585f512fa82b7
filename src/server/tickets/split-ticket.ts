import { parseMetadata } from '../../shared/api/article-metadata.js'
import type { SplitBody } from '../../shared/api/relations.js'
import type { Channel, Priority, TicketType } from '../../shared/api/tickets.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, recordedUserId } from '../accounts/actor.js'
import type { TicketRow } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { historyStep, mergedConflict } from './merge-ticket.js'
import type { OpenTicket } from './open-ticket.js'
import { relationRepository } from './relation.repository.js'
import { applyPatch, staleVersion } from './ticket-patch.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { articleRepository, historyRepository, ticketRepository } from './ticket.repository.js'

/**
 * Splits a customer's message off into a ticket of its own, opened through the one openTicket command (so
 * routing rules see it like any new ticket): the message, its attachments and its Message-ID (answers to it
 * thread there) move; the two tickets are linked. Needs the version of the ticket it leaves (If-Match).
 */
export async function splitTicket(
  deps: Deps,
  peers: { accounts: Pick<AccountService, 'requesterById'>; openTicket: OpenTicket },
  actor: Actor,
  id: string,
  expectedVersion: number | undefined,
  body: SplitBody,
): Promise<{ source: TicketRow; created: TicketRow }> {
  await visibleTicket(deps.db, actor, id)
  if (!ticketPolicy.canUpdate(actor)) throw AppError.forbidden('split tickets')
  if (expectedVersion === undefined) {
    throw new AppError('precondition_required', 'Send the version you saw in an If-Match header, so a split does not cross another change.')
  }
  const article = await articleRepository.findById(deps.db, body.articleId)
  if (!article || article.ticket_id !== id) throw new AppError('unprocessable', 'The message is not on this ticket.', { field: 'articleId' })
  if (article.visibility !== 'public' || article.direction !== 'in') {
    throw new AppError('unprocessable', "Only a customer's message is split off into a ticket of its own.", { field: 'articleId' })
  }
  const source0 = await ticketRepository.findById(deps.db, id)
  const subject = body.subject?.trim() || source0!.subject
  const firstArticle = { body: article.body, contentType: article.content_type as 'text/plain' | 'text/html' }
  const searchText = await peers.openTicket.searchText({ subject, firstArticle })
  await peers.openTicket.prepare(deps.db)
  return deps.transaction(async (trx) => {
    const source = await visibleTicket(trx, actor, id)
    if (source.version !== expectedVersion) throw staleVersion(source)
    if (source.merged_into_id) throw mergedConflict(source, await ticketRepository.findById(trx, source.merged_into_id))
    if (source.status === 'closed') throw AppError.conflict('This ticket is closed; nothing is split off a closed ticket.')
    const current = await articleRepository.findById(trx, article.id)
    if (!current || current.ticket_id !== source.id) throw new AppError('unprocessable', 'The message is not on this ticket.', { field: 'articleId' })
    const others = await trx.selectFrom('article').select('id').where('ticket_id', '=', source.id).where('id', '!=', article.id).limit(1).execute()
    if (others.length === 0) throw new AppError('unprocessable', "This is the ticket's only message; nothing would be left.", { field: 'articleId' })

    const events: DomainEvent[] = []
    const actorId = recordedUserId(actor)
    const requester = await peers.accounts.requesterById(trx, current.author_id ?? source.requester_id)
    if (!requester) throw new AppError('unprocessable', "The message's author is unknown.", { field: 'articleId' })
    // The message leaves the old ticket: its files are kept aside and its Message-ID goes with it to the new one.
    const files = (await trx.selectFrom('attachment').select('id').where('article_id', '=', current.id).execute()).map((f) => f.id)
    if (files.length) await trx.updateTable('attachment').set({ article_id: null }).where('id', 'in', files).execute()
    await trx.deleteFrom('article').where('id', '=', current.id).execute()
    // Unreadable metadata is not carried over (parseMetadata: {}).
    const metadata = parseMetadata(current.metadata)
    const opened = await peers.openTicket.within(
      trx,
      {
        subject,
        channel: current.channel as Channel,
        requester: { userId: requester.id },
        priority: source.priority as Priority,
        type: source.type as TicketType,
        groupId: source.group_id ?? undefined,
        actorId,
        recordedBy: null,
        firstArticle: { ...firstArticle, sourceId: current.source_id ?? undefined, metadata: { ...metadata, splitFrom: { id: source.id, number: source.number } } },
      },
      requester,
      searchText,
      events,
    )
    if (files.length) await trx.updateTable('attachment').set({ ticket_id: opened.row.id, article_id: opened.articleId }).where('id', 'in', files).execute()
    const now = deps.clock.iso()
    await relationRepository.link(trx, source.id, opened.row.id, actorId, now)
    const next = await applyPatch(deps, trx, source, {}, actorId, events, true)
    await historyRepository.insertMany(trx, [
      historyStep(source.id, actorId, 'splitTo', null, opened.row.number, now),
      historyStep(opened.row.id, actorId, 'splitFrom', null, source.number, now),
    ])
    await deps.outbox.append(trx, events)
    return { source: next, created: opened.row }
  })
}
