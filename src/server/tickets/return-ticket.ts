import type { ReturnBody } from '../../shared/api/escalations.js'
import { type Actor, recordedUserId } from '../accounts/actor.js'
import type { TicketRow } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { AccountService } from '../accounts/account.service.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import type { HandoffPeers } from './escalate-ticket.js'
import { escalationRepository } from './escalation.repository.js'
import { appendArticle, searchableText } from './ticket-articles.js'
import { applyPatch, staleVersion } from './ticket-patch.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { handoffEvent } from './ticket.events.js'

export type ReturnPeers = HandoffPeers & { accounts: Pick<AccountService, 'isActiveStaff'> }

/**
 * The back office hands the ticket back to the desk: to its coordinator (or, when the coordinator is
 * gone, to the desk group it came from), with a note and optionally a proposed reply. Both are internal
 * articles in the handoff thread; the proposal waits in the coordinator's composer until the desk sends
 * it as its own answer. 409 when no handoff is waiting for the back office.
 */
export async function returnTicket(deps: Deps, peers: ReturnPeers, actor: Actor, id: string, expectedVersion: number | undefined, body: ReturnBody): Promise<TicketRow> {
  if (!ticketPolicy.canUpdate(actor)) {
    await visibleTicket(deps.db, actor, id)
    throw AppError.forbidden('return tickets to the desk')
  }
  if (expectedVersion === undefined) {
    throw new AppError('precondition_required', 'Send the version you saw in an If-Match header, so two returns of one ticket cannot cross.')
  }
  const note = body.note.trim()
  const proposal = body.proposedReply?.trim()
  const [noteText, proposalText] = await Promise.all([
    deps.dialect.searchText(searchableText({ body: note, contentType: 'text/plain' })),
    proposal ? deps.dialect.searchText(searchableText({ body: proposal, contentType: 'text/plain' })) : undefined,
  ])
  return deps.transaction(async (trx) => {
    const current = await visibleTicket(trx, actor, id)
    if (current.version !== expectedVersion) throw staleVersion(current)
    const escalation = await escalationRepository.findActive(trx, current.id)
    if (!escalation || escalation.state === 'returned') {
      throw AppError.conflict(escalation ? 'This ticket is already back at the desk.' : 'This ticket is not escalated, so there is nothing to return.')
    }
    const now = deps.clock.iso()
    const actorId = recordedUserId(actor)
    const coordinatorId = escalation.coordinator_id && (await peers.accounts.isActiveStaff(trx, escalation.coordinator_id)) ? escalation.coordinator_id : null
    const deskGroup = (escalation.from_group_id && (await peers.desk.groupForHandoff(trx, escalation.from_group_id))) || (await peers.desk.serviceDeskGroup(trx))
    const department = await peers.desk.groupForHandoff(trx, escalation.group_id)
    const events: DomainEvent[] = []
    const next = await applyPatch(
      deps,
      trx,
      current,
      { group_id: deskGroup?.id ?? null, department_id: deskGroup?.department_id ?? current.department_id, assignee_id: coordinatorId, coordinator_id: coordinatorId },
      actorId,
      events,
      true,
    )
    const handoff = { escalationId: escalation.id, groupId: escalation.group_id, groupName: department?.name ?? null, departmentName: department?.department_name ?? null }
    const internal = { channel: 'api' as const, direction: 'out' as const, visibility: 'internal' as const, authorId: actorId, contentType: 'text/plain' as const }
    const noteId = await appendArticle(deps, trx, next, { ...internal, body: note, metadata: { handoff: { kind: 'returned', ...handoff } }, searchText: noteText }, events)
    const proposalId = proposal
      ? await appendArticle(deps, trx, next, { ...internal, body: proposal, metadata: { handoff: { kind: 'proposed_reply', ...handoff } }, searchText: proposalText! }, events)
      : null
    await escalationRepository.update(trx, escalation.id, {
      state: 'returned',
      returned_at: now,
      returned_by: actorId,
      return_note_id: noteId,
      proposed_reply_id: proposalId,
      // Returned without anyone taking it first: it was picked up by returning it.
      ...(!escalation.picked_up_at && { picked_up_at: now, picked_up_by: actorId }),
    })
    events.push(handoffEvent('ticket.returned', current, next, escalation.id, now, actorId))
    await deps.outbox.append(trx, events)
    return next
  })
}
