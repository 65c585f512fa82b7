import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { historyStep } from './merge-ticket.js'
import { relationRepository } from './relation.repository.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { historyRepository, ticketRepository } from './ticket.repository.js'

/** Links two related tickets (shown on both); staff only. Returns whether a new link was made. */
export async function linkTickets(deps: Pick<Deps, 'db' | 'transaction' | 'clock'>, actor: Actor, id: string, otherId: string): Promise<boolean> {
  await visibleTicket(deps.db, actor, id)
  if (!ticketPolicy.canUpdate(actor)) throw AppError.forbidden('link tickets')
  if (otherId === id) throw new AppError('unprocessable', 'A ticket cannot be linked to itself.', { field: 'ticketId' })
  return deps.transaction(async (trx) => {
    const [ticket, other] = await Promise.all([visibleTicket(trx, actor, id), ticketRepository.findById(trx, otherId)])
    if (!other) throw new AppError('unprocessable', 'The ticket to link does not exist.', { field: 'ticketId' })
    const now = deps.clock.iso()
    const actorId = recordedUserId(actor)
    const made = await relationRepository.link(trx, ticket.id, other.id, actorId, now)
    if (made) {
      await historyRepository.insertMany(trx, [historyStep(ticket.id, actorId, 'link', null, other.number, now), historyStep(other.id, actorId, 'link', null, ticket.number, now)])
    }
    return made
  })
}

/** Removes the link between two tickets; 404 when there was none. */
export async function unlinkTickets(deps: Pick<Deps, 'db' | 'transaction' | 'clock'>, actor: Actor, id: string, otherId: string): Promise<void> {
  await visibleTicket(deps.db, actor, id)
  if (!isStaff(actor)) throw AppError.forbidden('unlink tickets')
  await deps.transaction(async (trx) => {
    const [ticket, other] = await Promise.all([ticketRepository.findById(trx, id), ticketRepository.findById(trx, otherId)])
    if (!ticket || !other || !(await relationRepository.unlink(trx, id, otherId))) throw AppError.notFound('Link to ticket', otherId)
    const now = deps.clock.iso()
    const actorId = recordedUserId(actor)
    await historyRepository.insertMany(trx, [historyStep(id, actorId, 'link', other.number, null, now), historyStep(otherId, actorId, 'link', ticket.number, null, now)])
  })
}
