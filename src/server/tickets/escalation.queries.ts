import { handoffOf, parseMetadata } from '../../shared/api/article-metadata.js'
import type { Escalation, EscalationQueueItem, EscalationQueueQuery } from '../../shared/api/escalations.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isAdmin, isStaff } from '../accounts/actor.js'
import type { EscalationRow, Executor } from '../db/schema.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import { decodeCursor, pageOf } from '../pagination.js'
import { escalationRepository } from './escalation.repository.js'
import type { HandoffClock } from './handoff-clock.js'
import { visibleTicket } from './ticket.queries.js'

export interface EscalationReadPeers {
  accounts: Pick<AccountService, 'peopleByIds'>
  desk: Pick<DeskService, 'groupIdsOf' | 'groupIdsOfDepartmentsOf'>
}

/** The handoffs of a ticket, and the queues "Mijn escalaties", "Terug van backoffice" and "Voor ons". Staff only. */
export class EscalationQueries {
  constructor(
    private readonly db: Executor,
    private readonly peers: EscalationReadPeers,
    private readonly clock: Pick<HandoffClock, 'standing'>,
    private readonly now: () => Date,
  ) {}

  async forTicket(actor: Actor, ticketId: string): Promise<Escalation[]> {
    await visibleTicket(this.db, actor, ticketId)
    if (!isStaff(actor)) throw AppError.forbidden('see the handoffs of a ticket')
    return this.hydrate(await escalationRepository.listForTicket(this.db, ticketId))
  }

  async queue(actor: Actor, query: EscalationQueueQuery): Promise<{ items: EscalationQueueItem[]; nextCursor: string | null }> {
    if (!isStaff(actor)) throw AppError.forbidden('see handoff queues')
    const limit = query.limit ?? 50
    const cursor = decodeCursor(query.cursor, ['at', 'id', 'view'] as const)
    if (cursor && cursor.view !== query.view) throw AppError.validation(`The cursor belongs to view=${cursor.view}.`, { field: 'cursor' })
    const after = cursor && { at: cursor.at, id: cursor.id }
    const rows =
      query.view === 'ours'
        ? await escalationRepository.waitingIn(this.db, await this.peers.desk.groupIdsOf(this.db, actor.user.id), { after, limit: limit + 1 })
        : query.view === 'overdue'
          ? await escalationRepository.overdueIn(this.db, await this.overdueScope(actor), this.now().toISOString(), { after, limit: limit + 1 })
          : await escalationRepository.coordinatedBy(this.db, actor.user.id, { onlyReturned: query.view === 'returned', after, limit: limit + 1 })
    const page = pageOf(rows, limit, (r) => r, (r) => ({ at: r.escalated_at, id: r.id, view: query.view }))
    const [escalations, tickets] = await Promise.all([this.hydrate(page.items), this.ticketsOf(page.items.map((r) => r.ticket_id))])
    return {
      items: escalations.map((escalation) => ({ escalation, ticket: tickets.get(escalation.ticketId)! })).filter((i) => i.ticket),
      nextCursor: page.nextCursor,
    }
  }

  /** Whose overdue handoffs a person sees: a team lead those of their departments' groups, an administrator all. */
  private async overdueScope(actor: Actor): Promise<string[] | null> {
    if (isAdmin(actor)) return null
    if (actor.user.role !== 'supervisor') throw AppError.forbidden('see the overdue handoffs (team leads only)')
    return this.peers.desk.groupIdsOfDepartmentsOf(this.db, actor.user.id)
  }

  private async ticketsOf(ids: string[]) {
    if (ids.length === 0) return new Map<string, EscalationQueueItem['ticket']>()
    const rows = await escalationRepository.ticketSummaries(this.db, ids)
    const people = new Map((await this.peers.accounts.peopleByIds(this.db, [...new Set(rows.map((r) => r.requester_id))])).map((p) => [p.id, p.name]))
    return new Map(
      rows.map((r) => [r.id, { id: r.id, number: r.number, subject: r.subject, status: r.status, priority: r.priority, requesterName: people.get(r.requester_id) ?? '', version: r.version }]),
    )
  }

  private async hydrate(rows: EscalationRow[]): Promise<Escalation[]> {
    if (rows.length === 0) return []
    const proposalIds = rows.map((r) => r.proposed_reply_id).filter((x): x is string => !!x)
    const proposals = new Map((await escalationRepository.articles(this.db, proposalIds)).map((a) => [a.id, a]))
    const personIds = new Set<string>()
    for (const r of rows) for (const id of [r.coordinator_id, r.escalated_by, r.picked_up_by, r.returned_by]) if (id) personIds.add(id)
    for (const p of proposals.values()) if (p.author_id) personIds.add(p.author_id)
    const people = new Map((await this.peers.accounts.peopleByIds(this.db, [...personIds])).map((p) => [p.id, { id: p.id, name: p.name }]))
    const clocks = await this.clock.standing(this.db, rows, this.now())
    const person = (id: string | null) => (id ? (people.get(id) ?? null) : null)
    return rows.map((r) => {
      const proposal = r.proposed_reply_id ? proposals.get(r.proposed_reply_id) : undefined
      const department = proposal ? handoffOf(parseMetadata(proposal.metadata))?.departmentName : undefined
      return {
        id: r.id,
        ticketId: r.ticket_id,
        state: r.state as Escalation['state'],
        fromGroupId: r.from_group_id,
        groupId: r.group_id,
        departmentId: r.department_id,
        coordinator: person(r.coordinator_id),
        escalatedBy: person(r.escalated_by),
        escalatedAt: r.escalated_at,
        pickedUpAt: r.picked_up_at,
        pickedUpBy: person(r.picked_up_by),
        returnedAt: r.returned_at,
        returnedBy: person(r.returned_by),
        doneAt: r.done_at,
        handoffNoteId: r.handoff_note_id,
        returnNoteId: r.return_note_id,
        proposedReply:
          proposal && r.proposed_reply_id
            ? { articleId: r.proposed_reply_id, body: proposal.body, author: person(proposal.author_id), departmentName: typeof department === 'string' ? department : null }
            : null,
        clock: clocks.get(r.id)!,
      }
    })
  }
}
