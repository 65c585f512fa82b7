import type { Channel, Direction, Visibility } from '../../shared/api/tickets.js'
import type { TicketRow } from '../db/schema.js'
import type { DomainEvent } from '../events.js'

export const ticketCreated = (row: TicketRow, at: string): DomainEvent => ({
  type: 'ticket.created',
  ticketId: row.id,
  number: row.number,
  requesterId: row.requester_id,
  organisationId: row.organisation_id,
  groupId: row.group_id,
  assigneeId: row.assignee_id,
  at,
})

/** A handoff to a back office or back to the desk (escalate-ticket, return-ticket). */
export const handoffEvent = (
  type: 'ticket.escalated' | 'ticket.returned',
  before: TicketRow,
  after: TicketRow,
  escalationId: string,
  at: string,
  actorId: string | null = null,
): DomainEvent => ({
  type,
  ticketId: after.id,
  number: after.number,
  requesterId: after.requester_id,
  organisationId: after.organisation_id,
  groupId: after.group_id,
  assigneeId: after.assignee_id,
  coordinatorId: after.coordinator_id,
  previousGroupId: before.group_id,
  previousAssigneeId: before.assignee_id,
  escalationId,
  version: after.version,
  at,
  actorId,
})

export const articleCreated = (
  ticket: Pick<TicketRow, 'id' | 'requester_id' | 'organisation_id' | 'group_id' | 'assignee_id'> & Partial<Pick<TicketRow, 'coordinator_id'>>,
  articleId: string,
  a: { visibility: Visibility; direction: Direction; channel: Channel },
  at: string,
): DomainEvent => ({
  type: 'article.created',
  ticketId: ticket.id,
  articleId,
  requesterId: ticket.requester_id,
  organisationId: ticket.organisation_id,
  groupId: ticket.group_id,
  assigneeId: ticket.assignee_id,
  ...(ticket.coordinator_id && { coordinatorId: ticket.coordinator_id }),
  visibility: a.visibility,
  direction: a.direction,
  channel: a.channel,
  at,
})
