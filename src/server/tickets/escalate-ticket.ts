import type { EscalateBody } from '../../shared/api/escalations.js'
import type { TicketStatus } from '../../shared/api/tickets.js'
import { type Actor, recordedUserId } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { TicketRow } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { AccountService } from '../accounts/account.service.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { escalationRepository } from './escalation.repository.js'
import type { HandoffClock } from './handoff-clock.js'
import { appendArticle, searchableText } from './ticket-articles.js'
import { applyPatch, staleVersion } from './ticket-patch.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { handoffEvent } from './ticket.events.js'
import { assertTransition, statusTimestamps } from './ticket.state.js'

export type HandoffPeers = { desk: Pick<DeskService, 'groupForHandoff' | 'serviceDeskGroup' | 'linesOf' | 'assigneeFor'>; handoffClock?: Pick<HandoffClock, 'dueTimes'> }
export type EscalatePeers = HandoffPeers & { accounts: Pick<AccountService, 'isActiveStaff'> }

/**
 * Escalation as a step: the ticket moves to a back-office group and its department with a handoff note
 * (an internal article that opens the handoff thread), its assignee is cleared, and the escalating desk
 * agent becomes its coordinator, who keeps the customer contact (or the colleague named as coordinatorId). Needs the version the agent saw
 * (If-Match): of two agents escalating at once one wins, the other gets 412 with their note unsaved.
 */
export async function escalateTicket(deps: Deps, peers: EscalatePeers, actor: Actor, id: string, expectedVersion: number | undefined, body: EscalateBody): Promise<TicketRow> {
  if (!ticketPolicy.canUpdate(actor)) {
    await visibleTicket(deps.db, actor, id)
    throw AppError.forbidden('escalate tickets')
  }
  if (expectedVersion === undefined) {
    throw new AppError('precondition_required', 'Send the version you saw in an If-Match header, so two escalations of one ticket cannot cross.')
  }
  const note = body.handoffNote.trim()
  const searchText = await deps.dialect.searchText(searchableText({ body: note, contentType: 'text/plain' }))
  return deps.transaction(async (trx) => {
    const current = await visibleTicket(trx, actor, id)
    if (current.version !== expectedVersion) throw staleVersion(current)
    if (current.status === 'closed') throw AppError.conflict('This ticket is closed; a closed ticket is not escalated.')
    const group = await peers.desk.groupForHandoff(trx, body.groupId)
    if (!group) throw new AppError('unprocessable', 'The group does not exist.', { field: 'groupId' })
    if (group.id === current.group_id) throw new AppError('unprocessable', 'The ticket is already with this group.', { field: 'groupId' })
    const from = current.group_id ? await peers.desk.groupForHandoff(trx, current.group_id) : undefined
    if (group.line === 1 || (from && from.line === group.line)) {
      throw new AppError('unprocessable', `${group.name} is in the same line as the ticket's group; escalate to a group in a later line.`, { field: 'groupId', line: group.line })
    }
    if (group.member_count === 0) throw new AppError('unprocessable', `${group.name} has no members yet, so no one would pick this ticket up.`, { field: 'groupId' })

    const now = deps.clock.iso()
    const actorId = recordedUserId(actor)
    const previous = await escalationRepository.findActive(trx, current.id)
    // A desk agent who escalates keeps the contact; a back office escalating further keeps the desk's coordinator.
    const deskAgent = actorId !== null && (await peers.desk.linesOf(trx, actorId)).some((g) => g.line === 1)
    // Or whom the escalating agent chose, in the same step (no second change that could cross another's).
    if (body.coordinatorId && !(await peers.accounts.isActiveStaff(trx, body.coordinatorId))) {
      throw new AppError('unprocessable', 'The coordinator must be active staff.', { field: 'coordinatorId' })
    }
    const coordinatorId = body.coordinatorId ?? (deskAgent || !current.coordinator_id ? actorId : current.coordinator_id)
    if (previous) await escalationRepository.update(trx, previous.id, { state: 'done', done_at: now })

    const events: DomainEvent[] = []
    // Cleared, or a member of the back office by its assignment rule (desk/assignment.ts).
    const assigneeId = await peers.desk.assigneeFor(trx, group)
    const patch = { group_id: group.id, department_id: group.department_id, assignee_id: assigneeId, coordinator_id: coordinatorId }
    // A new ticket is being worked on once it is escalated.
    if (current.status === 'new' || current.status === 'resolved') {
      assertTransition(current.status as TicketStatus, 'open')
      Object.assign(patch, { status: 'open' }, statusTimestamps('open', now))
    }
    // The version-checked update comes first: it locks the row, so a second escalation waits and then gets 412.
    const next = await applyPatch(deps, trx, current, patch, actorId, events, true)
    const escalationId = newId()
    const noteId = await appendArticle(
      deps,
      trx,
      next,
      {
        channel: 'api',
        direction: 'out',
        visibility: 'internal',
        authorId: actorId,
        body: note,
        contentType: 'text/plain',
        metadata: { handoff: { kind: 'escalated', escalationId, groupId: group.id, groupName: group.name, departmentName: group.department_name } },
        searchText,
      },
      events,
    )
    await escalationRepository.insert(trx, {
      id: escalationId,
      ticket_id: current.id,
      from_group_id: previous ? previous.from_group_id : current.group_id,
      group_id: group.id,
      department_id: group.department_id,
      coordinator_id: coordinatorId,
      escalated_by: actorId,
      state: 'escalated',
      handoff_note_id: noteId,
      escalated_at: now,
      // The handoff clock starts: due moments on the group's calendar.
      ...(peers.handoffClock && (await peers.handoffClock.dueTimes(trx, group.id, now))),
    })
    events.push(handoffEvent('ticket.escalated', current, next, escalationId, now, recordedUserId(actor)))
    await deps.outbox.append(trx, events)
    return next
  })
}
