import type { Draft, PutDraftBody } from '../../shared/api/drafts.js'
import type { TicketStatus } from '../../shared/api/tickets.js'
import { type Actor, isStaff } from '../accounts/actor.js'
import type { TicketDraftTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { TicketService } from '../tickets/ticket.service.js'
import { draftRepository } from './draft.repository.js'

const toDraft = (r: TicketDraftTable): Draft => ({
  ticketId: r.ticket_id,
  body: r.body,
  visibility: r.visibility === 'internal' ? 'internal' : 'public',
  status: (r.status as TicketStatus | null) ?? null,
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
    return row ? toDraft(row) : null
  }

  async put(actor: Actor, ticketId: string, body: PutDraftBody): Promise<Draft> {
    await this.check(actor, ticketId)
    const row: TicketDraftTable = {
      ticket_id: ticketId,
      user_id: actor.user.id,
      body: body.body,
      visibility: body.visibility,
      status: body.status ?? null,
      updated_at: this.deps.clock.iso(),
    }
    await draftRepository.upsert(this.deps.db, row)
    return toDraft(row)
  }

  async remove(actor: Actor, ticketId: string): Promise<void> {
    await this.check(actor, ticketId)
    await draftRepository.remove(this.deps.db, ticketId, actor.user.id)
  }
}
