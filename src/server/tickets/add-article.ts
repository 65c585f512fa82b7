import { parseMetadata } from '../../shared/api/article-metadata.js'
import type { Channel, CreateArticleBody, Direction, ReplyRoute, TicketStatus } from '../../shared/api/tickets.js'
import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import type { Executor, TicketRow, TicketUpdate } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { AccountService } from '../accounts/account.service.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { placeholdersLeftIn } from '../templates/placeholders.js'
import { escalationRepository } from './escalation.repository.js'
import { mergedConflict } from './merge-ticket.js'
import { proposalUsed } from './proposed-reply.js'
import { appendArticle, searchableText } from './ticket-articles.js'
import { applyPatch, staleVersion } from './ticket-patch.js'
import { applyTicketUpdate, type UpdatePeers } from './update-ticket.js'
import { ticketPolicy } from './ticket.policy.js'
import { visibleTicket } from './ticket.queries.js'
import { articleRepository, attachmentRepository, ticketRepository } from './ticket.repository.js'
import { assertTransition, statusAfterCustomerReply, statusTimestamps } from './ticket.state.js'

/**
 * An agent's reply or internal note, or a customer's message from the portal, on an existing ticket,
 * with the status change it brings. Returns the new article's id.
 */
export async function addArticle(
  deps: Deps,
  peers: UpdatePeers & { desk: Pick<DeskService, 'linesOf'>; accounts: Pick<AccountService, 'peopleByIds' | 'signInOf'> },
  actor: Actor,
  ticketId: string,
  body: CreateArticleBody,
  expectedVersion?: number,
): Promise<string> {
  const visibility = body.visibility ?? 'public'
  const staff = isStaff(actor)
  const events: DomainEvent[] = []
  // "Bijwerken": field changes saved with the reply or note, in one unit, on the version the agent saw.
  const change = body.ticket
  if (change) {
    if (!ticketPolicy.canUpdate(actor)) throw AppError.forbidden('change tickets')
    if (expectedVersion === undefined) {
      throw new AppError('precondition_required', "Send the version you edited in an If-Match header with the ticket's changes, so no one else's change is overwritten.")
    }
    if (change.status !== undefined && body.status !== undefined && change.status !== body.status) {
      throw AppError.validation('The status is given twice, differently: in status and in ticket.status.', { field: 'ticket.status' })
    }
  }
  const fieldChanges = change ? await peers.fields.checkValues(deps.db, change.customFields, 'staff') : undefined
  const contentType = body.contentType ?? 'text/plain'
  // A template's placeholder left unfilled never reaches a customer (the workspace lists them too).
  const left = staff && visibility === 'public' ? placeholdersLeftIn(body.body) : []
  if (left.length) {
    throw new AppError('unprocessable', `Fill in these placeholders before sending: ${left.map((m) => `{{${m}}}`).join(', ')}.`, { field: 'body', missing: left })
  }
  const searchText = await deps.dialect.searchText(searchableText({ body: body.body, contentType }))
  const articleId = await deps.transaction(async (trx) => {
    let ticket = await visibleTicket(trx, actor, ticketId)
    // A merged ticket lives on in the one it went into: new articles go there.
    if (ticket.merged_into_id) throw mergedConflict(ticket, await ticketRepository.findById(trx, ticket.merged_into_id))
    if (change) {
      if (ticket.version !== expectedVersion) throw staleVersion(ticket)
      // The status goes with the article (below), so a reply's own status rules apply to it once.
      const { status, ...rest } = change
      ticket = await applyTicketUpdate(deps, peers, trx, actor, ticket, rest, fieldChanges!, events)
      if (status !== undefined) body = { ...body, status }
    }
    if (visibility === 'internal' && !ticketPolicy.canWriteInternal(actor)) throw AppError.forbidden('write internal notes')
    if (visibility === 'public' && !ticketPolicy.canAddPublicArticle(actor, ticket)) {
      throw AppError.conflict('This ticket is closed. Please open a new one.')
    }
    if (!staff && body.status) throw AppError.forbidden('change the status')
    if (staff && visibility === 'public' && !ticketPolicy.canReplyToCustomer(actor, await peers.desk.linesOf(trx, actor.user.id))) {
      throw new AppError(
        'forbidden',
        "Your department's policy is that the service desk answers customers (customerReplyAllowed is off). Return the ticket to the desk with a proposed reply instead.",
        { policy: 'customerReplyAllowed', instead: `/api/v1/tickets/${ticket.id}/returns` },
      )
    }
    if (!staff && body.proposedReplyId) throw AppError.forbidden('send a proposed reply')
    if (body.proposedReplyId && visibility !== 'public') throw AppError.validation('A proposed reply is sent as a public reply.', { field: 'proposedReplyId' })
    const proposal = body.proposedReplyId ? await proposalUsed(trx, peers.accounts, ticket.id, body.proposedReplyId, body.body) : undefined
    if (body.status && body.status !== ticket.status) assertTransition(ticket.status as TicketStatus, body.status)
    const direction: Direction = staff ? 'out' : 'in'
    let channel: Channel = staff ? 'api' : 'portal'
    if (staff && visibility === 'public') {
      // A reply always has a way to the customer, or it is not written: by mail, else only in the portal.
      const route = await replyRouteOf(deps, peers, trx, ticket)
      if (!route.channel) {
        throw AppError.conflict(
          route.reason === 'no-sign-in'
            ? "No mailbox can send, and this customer's account is disabled, so they cannot read a reply in the portal either. Enable the account, change the requester, or add an internal note."
            : 'This customer has no e-mail address, so a reply cannot reach them. Change the requester to one with an address, or add an internal note.',
          { reason: route.reason },
        )
      }
      channel = route.channel
    }
    const id = await appendArticle(
      deps,
      trx,
      ticket,
      {
        channel,
        direction,
        visibility,
        authorId: recordedUserId(actor),
        body: body.body,
        contentType,
        // Who else gets the reply (mail); only staff choose, only for what the customer sees.
        metadata: {
          ...(staff && visibility === 'public' && body.cc?.length && { cc: [...new Set(body.cc.map((c) => c.trim().toLowerCase()))] }),
          ...(proposal && { proposal }),
        },
        searchText,
      },
      events,
    )
    if (body.attachmentIds?.length) {
      const linked = await attachmentRepository.linkToArticle(trx, ticket.id, id, body.attachmentIds)
      if (linked !== new Set(body.attachmentIds).size) throw AppError.validation('An attachment is unknown or already sent.', { field: 'attachmentIds' })
    }
    // The status the agent chose wins; otherwise a reply opens a new ticket and a customer's message reopens.
    const nextStatus: TicketStatus =
      body.status ?? (staff ? (visibility === 'public' && ticket.status === 'new' ? 'open' : (ticket.status as TicketStatus)) : statusAfterCustomerReply(ticket.status as TicketStatus))
    const patch: TicketUpdate = {}
    if (nextStatus !== ticket.status) Object.assign(patch, { status: nextStatus }, statusTimestamps(nextStatus, deps.clock.iso()))
    // An agent resolving with a reply: the fields required in the new status must be filled in first.
    if (staff && body.status && nextStatus !== ticket.status) {
      await peers.fields.assertRequired(trx, nextStatus, ticket.department_id, (await peers.fields.valuesByTicket(trx, [ticket.id])).get(ticket.id) ?? {})
    }
    if (staff && visibility === 'public' && !ticket.first_response_at) patch.first_response_at = deps.clock.iso()
    await followHandoff(deps, trx, ticket, { staff, visibility, authorId: recordedUserId(actor), status: nextStatus })
    const changed = await applyPatch(deps, trx, ticket, patch, recordedUserId(actor), events)
    // New activity moves the ticket up its queue even when no field changed.
    if (changed === ticket) await ticketRepository.touch(trx, ticket.id, deps.clock.iso())
    await deps.outbox.append(trx, events)
    return id
  })
  return articleId
}

/** How a public reply on the ticket would reach its customer (the channels decide; see ChannelRegistry.replyRoute). */
export async function replyRouteOf(
  deps: Pick<Deps, 'channels'>,
  peers: { accounts: Pick<AccountService, 'signInOf'> },
  db: Executor,
  ticket: Pick<TicketRow, 'id' | 'group_id' | 'department_id' | 'requester_id'>,
): Promise<ReplyRoute> {
  const requester = await peers.accounts.signInOf(db, ticket.requester_id)
  return deps.channels.replyRoute(db, {
    id: ticket.id,
    groupId: ticket.group_id,
    departmentId: ticket.department_id,
    requesterEmail: requester?.email ?? '',
    requesterActive: requester?.active ?? false,
    requesterHasPassword: requester?.hasPassword ?? false,
  })
}

/**
 * What an article does to a handoff under way: a note by someone other than the coordinator means the
 * back office picked it up; the desk's public reply after a return, or resolving, ends it.
 */
async function followHandoff(deps: Pick<Deps, 'clock'>, trx: Executor, ticket: TicketRow, a: { staff: boolean; visibility: string; authorId: string | null; status: TicketStatus }) {
  if (!ticket.coordinator_id) return
  const now = deps.clock.iso()
  if (a.staff && a.visibility === 'internal' && a.authorId !== ticket.coordinator_id) await escalationRepository.markPickedUp(trx, ticket.id, a.authorId, now)
  if (a.status === 'resolved' || a.status === 'closed') await escalationRepository.finish(trx, ticket.id, now, ['escalated', 'picked_up', 'returned'])
  else if (a.staff && a.visibility === 'public') await escalationRepository.finish(trx, ticket.id, now, ['returned'])
}

/**
 * Records what a channel learned about an article after it was stored: merges `patch` into its
 * metadata (e.g. `delivery` for a sent, failed or bounced reply) and may set its source id (the
 * Message-ID a reply went out with, so answers to it thread). For channel adapters; no actor.
 */
export async function annotateArticle(deps: Pick<Deps, 'transaction'>, articleId: string, patch: Record<string, unknown>, opts: { sourceId?: string } = {}): Promise<void> {
  await deps.transaction(async (trx) => {
    const row = await articleRepository.findById(trx, articleId)
    if (!row) throw AppError.notFound('Article', articleId)
    // Unreadable metadata is replaced rather than blocking the channel (parseMetadata: {}).
    const metadata = parseMetadata(row.metadata)
    await articleRepository.annotate(trx, articleId, JSON.stringify({ ...metadata, ...patch }), opts.sourceId)
  })
}
