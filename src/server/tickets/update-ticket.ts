import type { TicketStatus, UpdateTicketBody } from '../../shared/api/tickets.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, recordedUserId } from '../accounts/actor.js'
import type { OrganisationService } from '../accounts/organisation.service.js'
import { newId } from '../clock.js'
import type { Executor, TicketRow, TicketUpdate } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import type { FieldChanges, FieldWriter, TicketFieldService } from '../fields/ticket-field.service.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { escalationRepository } from './escalation.repository.js'
import { applyPatch, staleVersion } from './ticket-patch.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { historyRepository, ticketRepository } from './ticket.repository.js'
import { assertTransition, statusTimestamps } from './ticket.state.js'

export interface UpdatePeers {
  accounts: Pick<AccountService, 'isActiveStaff'>
  organisations: Pick<OrganisationService, 'exists'>
  desk: Pick<DeskService, 'groupById' | 'departmentExists'>
  fields: Pick<TicketFieldService, 'checkValues' | 'write' | 'valuesByTicket' | 'assertRequired'>
}

/** Changes a ticket's fields (the agent's form), each change in its history; refused when someone else changed it first. */
export async function updateTicket(deps: Deps, peers: UpdatePeers, actor: Actor, id: string, expectedVersion: number | undefined, body: UpdateTicketBody): Promise<TicketRow> {
  // A customer may send only a status (closing or reopening their own ticket), or only the ticket fields
  // open to customers (their own ticket, not closed), checked against the current row below.
  const keys = Object.keys(body)
  const ownStatusOnly = !ticketPolicy.canUpdate(actor) && keys.length === 1 && body.status !== undefined
  const ownFieldsOnly = !ticketPolicy.canUpdate(actor) && keys.length === 1 && body.customFields !== undefined
  if (!ticketPolicy.canUpdate(actor) && !ownStatusOnly && !ownFieldsOnly) {
    await visibleTicket(deps.db, actor, id)
    throw AppError.forbidden('change tickets')
  }
  if (expectedVersion === undefined) {
    throw new AppError('precondition_required', 'Send the version you edited in an If-Match header, so no one else\'s change is overwritten.')
  }
  const events: DomainEvent[] = []
  if (ownFieldsOnly) {
    const current = await visibleTicket(deps.db, actor, id)
    if (!ticketPolicy.canSetOwnFields(actor, current)) throw AppError.forbidden('change the fields of this ticket')
  }
  const fieldChanges = await peers.fields.checkValues(deps.db, body.customFields, ownFieldsOnly ? 'customer' : 'staff')
  const row = await deps.transaction(async (trx) => {
    const current = await visibleTicket(trx, actor, id)
    if (current.version !== expectedVersion) throw staleVersion(current)
    if (ownStatusOnly && !ticketPolicy.canSetOwnStatus(actor, current, body.status!, deps.clock.now().getTime())) {
      throw AppError.forbidden(`set this ticket to ${body.status}`)
    }
    if (ownFieldsOnly && !ticketPolicy.canSetOwnFields(actor, current)) throw AppError.forbidden('change the fields of this ticket')
    const next = await applyTicketUpdate(deps, peers, trx, actor, current, body, fieldChanges, events, { ownStatusOnly, writer: ownFieldsOnly ? 'customer' : 'staff' })
    await deps.outbox.append(trx, events)
    return next
  })
  return row
}

/**
 * The changes of one update applied to the ticket as it is now (its version checked by the caller), inside
 * the caller's transaction: the agent's form on its own (updateTicket), or with a reply or note ("Bijwerken",
 * addArticle). Returns the changed row; its events are added to `events`.
 */
export async function applyTicketUpdate(
  deps: Deps,
  peers: UpdatePeers,
  trx: Executor,
  actor: Actor,
  current: TicketRow,
  body: UpdateTicketBody,
  fieldChanges: FieldChanges,
  events: DomainEvent[],
  opts: { ownStatusOnly?: boolean; writer?: FieldWriter } = {},
): Promise<TicketRow> {
  const patch: TicketUpdate = {}
  if (body.subject !== undefined) patch.subject = body.subject
  if (body.priority !== undefined) patch.priority = body.priority
  if (body.type !== undefined) patch.type = body.type
  if (body.status !== undefined && body.status !== current.status) {
    assertTransition(current.status as TicketStatus, body.status)
    Object.assign(patch, { status: body.status }, statusTimestamps(body.status, deps.clock.iso()))
  }
  waitOnThirdParty(deps, current, body, patch)
  if (body.groupId !== undefined) {
    const group = body.groupId ? await peers.desk.groupById(trx, body.groupId) : null
    if (body.groupId && !group) throw AppError.validation('The group does not exist.', { field: 'groupId' })
    patch.group_id = body.groupId
    // Moving to a group moves the ticket to that group's department, unless one is given too.
    if (group && body.departmentId === undefined) patch.department_id = group.department_id
  }
  if (body.departmentId !== undefined) {
    if (body.departmentId && !(await peers.desk.departmentExists(trx, body.departmentId))) {
      throw AppError.validation('The department does not exist.', { field: 'departmentId' })
    }
    patch.department_id = body.departmentId
  }
  if (body.assigneeId !== undefined) {
    if (body.assigneeId && !(await peers.accounts.isActiveStaff(trx, body.assigneeId))) {
      throw AppError.validation('Tickets can only be assigned to active staff.', { field: 'assigneeId' })
    }
    patch.assignee_id = body.assigneeId
  }
  if (body.coordinatorId !== undefined) {
    if (body.coordinatorId && !(await peers.accounts.isActiveStaff(trx, body.coordinatorId))) {
      throw AppError.validation('The coordinator must be active staff.', { field: 'coordinatorId' })
    }
    patch.coordinator_id = body.coordinatorId
  }
  if (body.organisationId !== undefined) {
    if (body.organisationId && !(await peers.organisations.exists(trx, body.organisationId))) {
      throw AppError.validation('The organisation does not exist.', { field: 'organisationId' })
    }
    patch.organisation_id = body.organisationId
  }
  const tagsChanged = body.tags !== undefined && (await replaceTags(deps, trx, current, body.tags, recordedUserId(actor)))
  const fieldsChanged = await writeFields(deps, peers, trx, current, fieldChanges, recordedUserId(actor))
  const next = await applyPatch(deps, trx, current, patch, recordedUserId(actor), events, tagsChanged || fieldsChanged)
  // Fields required in the status the ticket is now in, when the status or the fields change (not for a customer closing their own).
  if (!opts.ownStatusOnly && (next.status !== current.status || body.customFields !== undefined || next.department_id !== current.department_id)) {
    await peers.fields.assertRequired(trx, next.status, next.department_id, (await peers.fields.valuesByTicket(trx, [current.id])).get(current.id) ?? {}, opts.writer)
  }
  await followHandoff(deps, trx, current, next)
  return next
}

/**
 * "Wacht op derde tot <datum>" (body.thirdParty): the status becomes waiting_for_third_party with the supplier,
 * their reference and the moment the ticket comes back on its group's queue (third-party.ts puts it back);
 * null ends the wait (a waiting ticket becomes open, unless a status is given). Any other status change by an
 * agent clears the "back from the third party" marker.
 */
function waitOnThirdParty(deps: Pick<Deps, 'clock'>, current: TicketRow, body: UpdateTicketBody, patch: TicketUpdate) {
  const wait = body.thirdParty
  if (wait === undefined) {
    if (patch.status !== undefined && current.third_party_back_at) patch.third_party_back_at = null
    return
  }
  if (wait === null) {
    Object.assign(patch, { third_party_until: null, third_party_supplier: null, third_party_reference: null, third_party_back_at: null })
    if (current.status === 'waiting_for_third_party' && body.status === undefined) {
      assertTransition('waiting_for_third_party', 'open')
      Object.assign(patch, { status: 'open' }, statusTimestamps('open', deps.clock.iso()))
    }
    return
  }
  const until = new Date(wait.until)
  if (!(until.getTime() > deps.clock.now().getTime())) {
    throw new AppError('unprocessable', 'That moment has passed; choose a date in the future to wait until.', { field: 'thirdParty.until' })
  }
  if (body.status !== undefined && body.status !== 'waiting_for_third_party') {
    throw new AppError('unprocessable', `A ticket waiting on a third party has the status waiting_for_third_party, not ${body.status}.`, { field: 'status' })
  }
  if (current.status !== 'waiting_for_third_party') {
    assertTransition(current.status as TicketStatus, 'waiting_for_third_party')
    Object.assign(patch, { status: 'waiting_for_third_party' }, statusTimestamps('waiting_for_third_party', deps.clock.iso()))
  }
  Object.assign(patch, {
    third_party_until: until.toISOString(),
    third_party_supplier: wait.supplier.trim(),
    third_party_reference: wait.reference?.trim() || null,
    third_party_back_at: null,
  })
}

/**
 * What a change does to a handoff under way: a back-office member taking the ticket picks it up; resolving
 * or closing ends it; a new coordinator takes over the contact.
 */
async function followHandoff(deps: Pick<Deps, 'clock'>, trx: Executor, before: TicketRow, after: TicketRow) {
  if (!before.coordinator_id && !after.coordinator_id) return
  const now = deps.clock.iso()
  if (after.assignee_id && after.assignee_id !== before.assignee_id && after.assignee_id !== after.coordinator_id) {
    await escalationRepository.markPickedUp(trx, after.id, after.assignee_id, now)
  }
  if (after.status !== before.status && (after.status === 'resolved' || after.status === 'closed')) {
    await escalationRepository.finish(trx, after.id, now, ['escalated', 'picked_up', 'returned'])
  }
  if (after.coordinator_id !== before.coordinator_id) await escalationRepository.setCoordinator(trx, after.id, after.coordinator_id)
}

/** Writes the ticket fields' values, each change in the history; whether any changed. */
async function writeFields(deps: Pick<Deps, 'clock'>, peers: UpdatePeers, trx: Executor, current: TicketRow, changes: FieldChanges, actorId: string | null) {
  const changed = await peers.fields.write(trx, current.id, changes)
  if (changed.length === 0) return false
  const now = deps.clock.iso()
  await historyRepository.insertMany(
    trx,
    changed.map((c) => ({ id: newId(), ticket_id: current.id, actor_id: actorId, field: c.field, old_value: c.old, new_value: c.new, created_at: now })),
  )
  return true
}

async function replaceTags(deps: Pick<Deps, 'clock'>, trx: Executor, current: TicketRow, tags: string[], actorId: string | null) {
  const before = (await ticketRepository.tagsOf(trx, [current.id])).get(current.id) ?? []
  const after = [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort()
  if (before.join('\n') === after.join('\n')) return false
  await ticketRepository.setTags(trx, current.id, after)
  await historyRepository.insertMany(trx, [
    { id: newId(), ticket_id: current.id, actor_id: actorId, field: 'tags', old_value: before.join(', '), new_value: after.join(', '), created_at: deps.clock.iso() },
  ])
  return true
}
