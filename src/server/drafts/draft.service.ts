import type { Draft, PutDraftBody } from '../../shared/api/drafts.js'
import type { ProposedReply } from '../../shared/api/escalations.js'
import type { TicketStatus } from '../../shared/api/tickets.js'
import { type Actor, isStaff } from '../accounts/actor.js'
import type { TicketDraftTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { TicketService } from '../tickets/ticket.service.js'
import { draftRepository } from './draft.repository.js'

type DraftRow = Omit<TicketDraftTable, 'proposed_reply_id'> & { proposed_reply_id?: string | null }

const toDraft = (r: DraftRow, proposal: ProposedReply | null): Draft => ({
  ticketId: r.ticket_id,
  body: r.body,
  visibility: r.visibility === 'internal' ? 'internal' : 'public',
  status: (r.status as TicketStatus | null) ?? null,
  proposal,
  updatedAt: r.updated_at,
})

/** Reply drafts of staff, per ticket and user: only its author ever sees a draft. */
export class DraftService {
  constructor(
    private readonly deps: Deps,
    private readonly tickets: TicketService,
  ) {}

  /** Only staff write drafts, and only on tickets they may see (the ticket service decides that). */
  private async check(actor: Actor, ticketId: string) {
    if (!isStaff(actor)) throw AppError.forbidden('keep reply drafts')
    await this.tickets.get(actor, ticketId)
  }

  async get(actor: Actor, ticketId: string): Promise<Draft | null> {
    await this.check(actor, ticketId)
    const row = await draftRepository.find(this.deps.db, ticketId, actor.user.id)
    if (!row) return null
    // A proposal that is no longer there (its ticket split or anonymised) is simply not shown.
    const proposal = row.proposed_reply_id ? ((await this.tickets.proposedReply(ticketId, row.proposed_reply_id)) ?? null) : null
    return toDraft(row, proposal)
  }

  async put(actor: Actor, ticketId: string, body: PutDraftBody): Promise<Draft> {
    await this.check(actor, ticketId)
    // The proposed reply it is made from: one of this ticket's, sent only as a reply to the customer.
    const proposal = body.proposedReplyId ? await this.tickets.proposedReply(ticketId, body.proposedReplyId) : undefined
    if (body.proposedReplyId && !proposal) throw new AppError('unprocessable', 'This is not a proposed reply on this ticket.', { field: 'proposedReplyId' })
    if (proposal && body.visibility !== 'public') throw new AppError('unprocessable', 'A proposed reply is sent as a public reply.', { field: 'proposedReplyId' })
    const row: DraftRow = {
      ticket_id: ticketId,
      user_id: actor.user.id,
      body: body.body,
      visibility: body.visibility,
      status: body.status ?? null,
      proposed_reply_id: proposal?.articleId ?? null,
      updated_at: this.deps.clock.iso(),
    }
    await draftRepository.upsert(this.deps.db, row)
    return toDraft(row, proposal ?? null)
  }

  async remove(actor: Actor, ticketId: string): Promise<void> {
    await this.check(actor, ticketId)
    await draftRepository.remove(this.deps.db, ticketId, actor.user.id)
  }
}
