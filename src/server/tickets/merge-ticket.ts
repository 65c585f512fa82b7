import type { MergeBody } from '../../shared/api/relations.js'
import { type Actor, recordedUserId } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { Executor, TicketRow } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { escalationRepository } from './escalation.repository.js'
import { relationRepository } from './relation.repository.js'
import { searchableText } from './ticket-articles.js'
import { applyPatch, staleVersion } from './ticket-patch.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { historyRepository, ticketRepository } from './ticket.repository.js'

/** Where a ticket merged in a chain of merges ended up (at most a few steps; a cycle cannot be written). */
export async function mergeTarget(db: Executor, ticket: TicketRow): Promise<TicketRow> {
  let current = ticket
  for (let i = 0; i < 10 && current.merged_into_id; i++) {
    const next = await ticketRepository.findById(db, current.merged_into_id)
    if (!next) break
    current = next
  }
  return current
}

/** The refusal for anything new on a merged ticket: the answer names where it went. */
export const mergedConflict = (ticket: TicketRow, target: Pick<TicketRow, 'id' | 'number'> | undefined) =>
  AppError.conflict(`This ticket was merged into ${target?.number ?? 'another ticket'}; add to that ticket instead.`, {
    mergedInto: target ? { id: target.id, number: target.number } : { id: ticket.merged_into_id },
  })

/** One history row, for a step that is not a field change (merge, link, split). */
export const historyStep = (ticketId: string, actorId: string | null, field: string, oldValue: string | null, newValue: string | null, at: string) => ({
  id: newId(),
  ticket_id: ticketId,
  actor_id: actorId,
  field,
  old_value: oldValue,
  new_value: newValue,
  created_at: at,
})

/**
 * Merges a duplicate into another ticket: its articles (with their attachments and search entries), tags and
 * requester move to the target; the duplicate is closed and points at the target, so it takes no new articles
 * and mail that threads to it lands on the target. Needs the duplicate's version (If-Match).
 */
export async function mergeTicket(deps: Deps, actor: Actor, id: string, expectedVersion: number | undefined, body: MergeBody): Promise<{ source: TicketRow; target: TicketRow }> {
  await visibleTicket(deps.db, actor, id)
  if (!ticketPolicy.canUpdate(actor)) throw AppError.forbidden('merge tickets')
  if (expectedVersion === undefined) {
    throw new AppError('precondition_required', 'Send the version you saw in an If-Match header, so a merge does not cross another change.')
  }
  if (body.targetId === id) throw new AppError('unprocessable', 'A ticket cannot be merged into itself.', { field: 'targetId' })
  // The texts go into the target's search entries; made ready outside the transaction (Dialect.searchText).
  const texts = await deps.db.selectFrom('article').select(['body', 'content_type']).where('ticket_id', '=', id).execute()
  const searchTexts = await Promise.all(texts.map((a) => deps.dialect.searchText(searchableText({ body: a.body, contentType: a.content_type as 'text/plain' | 'text/html' }))))
  return deps.transaction(async (trx) => {
    const source = await visibleTicket(trx, actor, id)
    if (source.version !== expectedVersion) throw staleVersion(source)
    if (source.merged_into_id) throw new AppError('unprocessable', 'This ticket was merged already.', { field: 'id', mergedInto: source.merged_into_id })
    const target = await ticketRepository.findById(trx, body.targetId)
    if (!target) throw new AppError('unprocessable', 'The ticket to merge into does not exist.', { field: 'targetId' })
    if (target.merged_into_id) {
      throw new AppError('unprocessable', `Ticket ${target.number} was itself merged into another ticket; merge into that one.`, { field: 'targetId', mergedInto: target.merged_into_id })
    }
    if (target.status === 'closed') throw new AppError('unprocessable', `Ticket ${target.number} is closed; a closed ticket takes nothing new.`, { field: 'targetId' })

    const now = deps.clock.iso()
    const actorId = recordedUserId(actor)
    const events: DomainEvent[] = []
    await trx.updateTable('article').set({ ticket_id: target.id }).where('ticket_id', '=', source.id).execute()
    await trx.updateTable('attachment').set({ ticket_id: target.id }).where('ticket_id', '=', source.id).execute()
    for (const text of searchTexts) await deps.dialect.indexText(trx, target.id, text)
    const [sourceTags, targetTags] = await Promise.all([ticketRepository.tagsOf(trx, [source.id]), ticketRepository.tagsOf(trx, [target.id])])
    const tags = [...new Set([...(targetTags.get(target.id) ?? []), ...(sourceTags.get(source.id) ?? [])])].sort()
    if (tags.length !== (targetTags.get(target.id) ?? []).length) await ticketRepository.setTags(trx, target.id, tags)
    if (source.requester_id !== target.requester_id) await relationRepository.addRequester(trx, target.id, source.requester_id, source.id, now)
    await relationRepository.moveRequesters(trx, source.id, target.id, target.requester_id)
    // A handoff under way for the duplicate ends: the work goes on on the target.
    await escalationRepository.finish(trx, source.id, now, ['escalated', 'picked_up', 'returned'])

    const closed = source.status === 'closed' ? {} : { status: 'closed', closed_at: now }
    const merged = await applyPatch(deps, trx, source, { merged_into_id: target.id, ...closed }, actorId, events, true)
    const grown = await applyPatch(deps, trx, target, {}, actorId, events, true)
    await historyRepository.insertMany(trx, [
      historyStep(source.id, actorId, 'mergedInto', null, target.number, now),
      historyStep(target.id, actorId, 'mergedFrom', null, source.number, now),
    ])
    await deps.outbox.append(trx, events)
    return { source: merged, target: grown }
  })
}
