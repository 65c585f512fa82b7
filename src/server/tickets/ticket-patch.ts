import type { TicketStatus } from '../../shared/api/tickets.js'
import { newId } from '../clock.js'
import type { Executor, TicketRow, TicketUpdate } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { historyRepository, ticketRepository } from './ticket.repository.js'
import { assertTransition, statusTimestamps } from './ticket.state.js'

const TRACKED_FIELDS = ['subject', 'status', 'priority', 'type', 'department_id', 'group_id', 'assignee_id', 'organisation_id', 'coordinator_id',
  'third_party_until', 'third_party_supplier', 'third_party_reference'] as const

export function staleVersion(current: TicketRow) {
  return new AppError('precondition_failed', 'Someone else changed this ticket in the meantime. Reload it to see their change.', {
    currentVersion: current.version,
  })
}

/** Writes changed fields with a history entry each, bumping the version; a no-op patch changes nothing. */
export async function applyPatch(
  deps: Pick<Deps, 'clock'>,
  trx: Executor,
  current: TicketRow,
  patch: TicketUpdate,
  actorId: string | null,
  events: DomainEvent[],
  forceBump = false,
): Promise<TicketRow> {
  const now = deps.clock.iso()
  patch = await withFirstLineResolution(trx, current, patch)
  const changed = TRACKED_FIELDS.filter((f) => f in patch && patch[f] !== current[f])
  const differs = (Object.keys(patch) as (keyof TicketRow)[]).some((k) => patch[k as keyof TicketUpdate] !== current[k])
  if (!differs && !forceBump) return current
  const next: TicketRow = { ...current, ...(patch as Partial<TicketRow>), updated_at: now, version: current.version + 1 }
  const ok = await ticketRepository.updateIfVersion(trx, current.id, current.version, { ...patch, updated_at: now, version: next.version })
  if (!ok) throw staleVersion(current)
  await historyRepository.insertMany(
    trx,
    changed.map((field) => ({
      id: newId(),
      ticket_id: current.id,
      actor_id: actorId,
      field: field.replace(/_id$/, 'Id'),
      old_value: current[field] === null ? null : String(current[field]),
      new_value: next[field] === null ? null : String(next[field]),
      created_at: now,
    })),
  )
  events.push({
    type: 'ticket.updated',
    ticketId: next.id,
    number: next.number,
    requesterId: next.requester_id,
    organisationId: next.organisation_id,
    groupId: next.group_id,
    assigneeId: next.assignee_id,
    ...((next.coordinator_id ?? current.coordinator_id) && { coordinatorId: next.coordinator_id ?? current.coordinator_id }),
    ...(current.group_id !== next.group_id && { previousGroupId: current.group_id }),
    ...(current.assignee_id !== next.assignee_id && { previousAssigneeId: current.assignee_id }),
    changes: changed.map(String),
    version: next.version,
    at: now,
    actorId,
  })
  return next
}

/**
 * First-line resolution, recorded as the ticket is resolved (or closed without being resolved first): whether
 * it was solved without a back office (no escalation ever). Reopening clears it; a merged duplicate has none.
 */
async function withFirstLineResolution(trx: Executor, current: TicketRow, patch: TicketUpdate): Promise<TicketUpdate> {
  const to = patch.status
  if (to === undefined || to === current.status || patch.merged_into_id) return patch
  if (to === 'resolved' || (to === 'closed' && current.first_line_resolution === null)) {
    const escalated = await trx.selectFrom('escalation').select('id').where('ticket_id', '=', current.id).limit(1).executeTakeFirst()
    return { ...patch, first_line_resolution: escalated ? 0 : 1 }
  }
  if (to !== 'closed' && current.first_line_resolution !== null) return { ...patch, first_line_resolution: null }
  return patch
}

/** A status change the desk did not ask for (a customer's reply reopens): checked against the state machine all the same. */
export function changeStatusBySystem(deps: Pick<Deps, 'clock'>, trx: Executor, ticket: TicketRow, to: TicketStatus, actorId: string | null, events: DomainEvent[]) {
  if (to === ticket.status) return Promise.resolve(ticket)
  assertTransition(ticket.status as TicketStatus, to)
  return applyPatch(deps, trx, ticket, { status: to, ...statusTimestamps(to, deps.clock.iso()) }, actorId, events)
}
