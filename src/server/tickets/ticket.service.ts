import type { EscalateBody, EscalationQueueQuery, ReturnBody } from '../../shared/api/escalations.js'
import type { MergeBody, SplitBody } from '../../shared/api/relations.js'
import type { Article, Channel, CreateArticleBody, CustomFieldValues, CreateTicketBody, ReplyRoute, ResendArticleBody, Ticket, TicketQuery, UpdateTicketBody } from '../../shared/api/tickets.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import type { OrganisationService } from '../accounts/organisation.service.js'
import type { AuditService } from '../audit/audit.service.js'
import type { Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import type { TicketFieldService } from '../fields/ticket-field.service.js'
import { AppError } from '../errors.js'
import { addArticle, annotateArticle, replyRouteOf } from './add-article.js'
import { visibleTicket } from './ticket.queries.js'
import { type DeliveryRecord, recordDelivery } from './article-delivery.js'
import { attachStoredFiles, openAttachment, type StoredFile, uploadAttachment } from './attachments.js'
import { type IngestMessage, ingestWith } from './ingest-message.js'
import { escalateTicket } from './escalate-ticket.js'
import { linkTickets, unlinkTickets } from './link-tickets.js'
import { mergeTicket } from './merge-ticket.js'
import { splitTicket } from './split-ticket.js'
import { EscalationQueries } from './escalation.queries.js'
import { HandoffClock } from './handoff-clock.js'
import { TicketTimers } from './ticket-timers.js'
import type { CalendarService } from '../calendars/calendar.service.js'
import { OpenTicket, type TicketHook } from './open-ticket.js'
import { resendArticle } from './resend-article.js'
import { returnTicket } from './return-ticket.js'
import { proposalOf } from './proposed-reply.js'
import { postgresTicketWriter } from './postgres-ticket-writer.js'
import { sqliteTicketWriter } from './sqlite-ticket-writer.js'
import { toTicket } from './ticket.mappers.js'
import { ChannelReads } from './channel-reads.js'
import { TicketQueries } from './ticket.queries.js'
import { articleRepository, seenRepository, ticketRepository } from './ticket.repository.js'
import { relationRepository } from './relation.repository.js'
import type { TicketWriter } from './ticket-writer.js'
import { updateTicket } from './update-ticket.js'

export type { InboundMessage, InboundThread, IngestResult } from './ingest-message.js'

/** The other modules tickets asks, through their services. */
export interface TicketPeers {
  accounts: AccountService
  organisations: OrganisationService
  desk: DeskService
  audit: AuditService
  fields: TicketFieldService
  calendars: CalendarService
}

/** The database's TicketWriter, chosen once at start-up. */
export const ticketWriterFor = (deps: Pick<Deps, 'db' | 'dialect' | 'transaction' | 'outbox'>): TicketWriter =>
  deps.dialect.kind === 'sqlite' ? sqliteTicketWriter(deps.transaction, deps.dialect, deps.outbox) : postgresTicketWriter(deps.db, deps.transaction, deps.outbox)

/**
 * Tickets as the routes and channels see them: the commands (open-ticket, ingest-message,
 * update-ticket, add-article, attachments) and the read side (ticket.queries) behind one front.
 */
export class TicketService {
  private readonly queries: TicketQueries
  private readonly openTicket: OpenTicket
  private readonly escalations: EscalationQueries
  /** The handoff clock (OLA): due times per back-office group in business time. */
  readonly handoffClock: HandoffClock
  /** Once a minute: waits on a third party that ran out, near and overdue handoffs (ticket-timers.ts). */
  readonly timers: TicketTimers
  /** What channels read of tickets (threading, replies, stored files): no channel imports a ticket repository. */
  readonly channelReads: ChannelReads
  /** Files an inbound message from any channel onto the ticket it threads to, or opens a new one. Idempotent by sourceId. */
  readonly ingest: IngestMessage

  constructor(
    private readonly deps: Deps,
    private readonly peers: TicketPeers,
    /** Run before a new ticket is written, whatever way it came in: where routing rules plug in. */
    hooks: readonly TicketHook[] = [],
  ) {
    this.queries = new TicketQueries(deps, peers)
    this.openTicket = new OpenTicket(deps, peers, ticketWriterFor(deps), hooks)
    this.handoffClock = new HandoffClock(deps, peers)
    this.timers = new TicketTimers(deps, this.handoffClock)
    this.channelReads = new ChannelReads(deps.db, peers.accounts)
    this.ingest = ingestWith(deps, { accounts: peers.accounts, openTicket: this.openTicket })
    this.escalations = new EscalationQueries(deps.db, peers, this.handoffClock, () => deps.clock.now())
  }

  /** Two customers merged (accounts, inside its transaction): the tickets of the one go to the other, as requester and as further requester. */
  requesterMerged = (trx: Executor, fromUserId: string, toUserId: string) => relationRepository.moveRequesterEverywhere(trx, fromUserId, toUserId)

  list = (actor: Actor, query: TicketQuery) => this.queries.list(actor, query)
  get = (actor: Actor, id: string) => this.queries.get(actor, id)
  getByNumber = (actor: Actor, number: string) => this.queries.getByNumber(actor, number)
  findByNumber = (actor: Actor, text: string) => this.queries.findByNumber(actor, text)
  counts = (actor: Actor, queries: readonly TicketQuery[], cap: number) => this.queries.counts(actor, queries, cap)
  openPerAssignee = (actor: Actor, groupIds?: string[]) => this.queries.openPerAssignee(actor, groupIds)
  listArticles = (actor: Actor, ticketId: string) => this.queries.listArticles(actor, ticketId)
  history = (actor: Actor, ticketId: string) => this.queries.history(actor, ticketId)

  /** For reactions (notifications), not for requests: a ticket's number and subject, with no reader to check. */
  async summaryForReaction(db: Executor, id: string): Promise<{ number: string; subject: string } | undefined> {
    const row = await ticketRepository.findById(db, id)
    return row && { number: row.number, subject: row.subject }
  }

  /** For notifications: the current subjects of these tickets (so an anonymised ticket's subject is never kept elsewhere). */
  async subjectsForReaction(db: Executor, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map()
    return new Map((await ticketRepository.subjectsByIds(db, ids)).map((r) => [r.id, r.subject]))
  }

  /** For reactions (notifications): an article's author and body, with no reader to check. */
  async articleForReaction(db: Executor, id: string): Promise<{ authorId: string | null; body: string; contentType: string } | undefined> {
    const row = await articleRepository.findById(db, id)
    return row && { authorId: row.author_id, body: row.body, contentType: row.content_type }
  }

  /**
   * A back office's proposed reply on this ticket, as the composer shows it; undefined when the article is
   * not one (or not of this ticket). For drafts, which check that the reader may see the ticket first.
   */
  proposedReply(ticketId: string, articleId: string) {
    return proposalOf(this.deps.db, this.peers.accounts, ticketId, articleId)
  }

  /**
   * Which of these tickets have a customer message newer than the reader last opened them (never opened
   * counts as not seen); staff only, and only tickets they may see (staff see every ticket).
   */
  async unseenByCustomerMessage(actor: Actor, ids: readonly string[]): Promise<string[]> {
    if (!isStaff(actor)) throw AppError.forbidden('see which tickets you have read')
    if (ids.length === 0) return []
    return seenRepository.unseen(this.deps.db, actor.user.id, ids)
  }

  /** The reader opened the ticket now (its customer messages until now are seen). */
  async markSeen(actor: Actor, ticketId: string): Promise<void> {
    if (!isStaff(actor)) throw AppError.forbidden('see which tickets you have read')
    await this.get(actor, ticketId)
    await seenRepository.mark(this.deps.db, actor.user.id, ticketId, this.deps.clock.iso())
  }

  /** A ticket opened through the API: by staff for anyone, by a customer for themselves. */
  async create(actor: Actor, body: CreateTicketBody): Promise<Ticket> {
    const staff = isStaff(actor)
    if (!staff && body.requester.email.trim().toLowerCase() !== actor.user.email) {
      throw AppError.forbidden('open a ticket for someone else')
    }
    if (!staff && (body.groupId || body.tags)) throw AppError.forbidden('choose a group or tags')
    // The desk decides how urgent a question is; a customer's ticket arrives through the portal.
    if (!staff && (body.priority !== undefined || body.channel !== undefined)) throw AppError.forbidden('choose the priority or channel of a ticket')
    const { row, requester, tags } = await this.openTicket.run(
      {
        subject: body.subject,
        channel: body.channel ?? (staff ? 'api' : 'portal') satisfies Channel,
        requester: staff ? body.requester : { userId: actor.user.id },
        priority: body.priority,
        type: body.type,
        groupId: body.groupId,
        tags: body.tags,
        actorId: recordedUserId(actor),
        recordedBy: staff ? actor.user.id : null,
        firstArticle: { body: body.body, contentType: 'text/plain' },
        customFields: body.customFields,
        fieldWriter: staff ? 'staff' : 'customer',
        requireFields: true,
      },
    )
    // Everything the answer needs is at hand: no re-read of the ticket (unless it has field values or its group's rule assigned it).
    if ((body.customFields && Object.keys(body.customFields).length > 0) || row.assignee_id) return this.queries.get(actor, row.id)
    const organisations = new Map(row.organisation_id && requester.organisation_name !== null ? [[row.organisation_id, { id: row.organisation_id, name: requester.organisation_name }]] : [])
    return toTicket(row, new Map([[requester.id, requester]]), organisations, tags)
  }

  /**
   * A customer's request from the service catalogue: a ticket of type request in the item's group, whose first
   * article is the answers as a table (HTML, sanitised like any other). Routing rules see it like any new ticket.
   */
  async openRequest(
    actor: Actor,
    request: { subject: string; html: string; groupId: string; metadata: Record<string, unknown>; customFields?: CustomFieldValues },
  ): Promise<{ id: string; number: string }> {
    const { row } = await this.openTicket.run({
      subject: request.subject,
      channel: 'portal',
      requester: { userId: actor.user.id },
      type: 'request',
      groupId: request.groupId,
      actorId: recordedUserId(actor),
      recordedBy: null,
      firstArticle: { body: request.html, contentType: 'text/html', metadata: request.metadata },
      // Values the catalogue item sets (its administrator chose them): written as the system's.
      customFields: request.customFields,
    })
    return { id: row.id, number: row.number }
  }


  /** A channel's news about an outgoing reply (queued, sent, deferred, failed), shown on the timeline and streamed to the desk. */
  recordDelivery = (articleId: string, record: DeliveryRecord, opts: { sourceId?: string } = {}) =>
    this.deps.transaction((trx) => recordDelivery(trx, this.deps.outbox, articleId, record, opts.sourceId))

  annotateArticle = (articleId: string, patch: Record<string, unknown>, opts: { sourceId?: string } = {}) => annotateArticle(this.deps, articleId, patch, opts)

  async update(actor: Actor, id: string, expectedVersion: number | undefined, body: UpdateTicketBody): Promise<Ticket> {
    const row = await updateTicket(this.deps, this.peers, actor, id, expectedVersion, body)
    // As the actor may see it: a customer closing their ticket gets it without the desk's tags.
    return (await this.queries.hydrateFor(actor, [row]))[0]
  }

  /** A reply or note; with `body.ticket`, field changes saved with it in one unit (If-Match: `expectedVersion`). */
  async addArticle(actor: Actor, ticketId: string, body: CreateArticleBody, expectedVersion?: number): Promise<Article> {
    return this.queries.article(actor, await addArticle(this.deps, this.peers, actor, ticketId, body, expectedVersion))
  }

  /** How a public reply on the ticket would reach the customer: the composer shows it before sending. Staff only. */
  async replyRoute(actor: Actor, ticketId: string): Promise<ReplyRoute> {
    const ticket = await visibleTicket(this.deps.db, actor, ticketId)
    if (!isStaff(actor)) throw AppError.forbidden('see how replies reach the customer')
    return replyRouteOf(this.deps, this.peers, this.deps.db, ticket)
  }

  /** "Opnieuw versturen" (body without `to`) or "ander adres" for a reply whose delivery failed; the article as it is now (queued). */
  async resend(actor: Actor, ticketId: string, articleId: string, body: ResendArticleBody): Promise<Article> {
    await resendArticle(this.deps, this.peers, actor, ticketId, articleId, body)
    return this.queries.article(actor, articleId)
  }

  /** Hands the ticket to a back-office group with a handoff note; the escalating desk agent becomes its coordinator. */
  async escalate(actor: Actor, id: string, expectedVersion: number | undefined, body: EscalateBody): Promise<Ticket> {
    const row = await escalateTicket(this.deps, { ...this.peers, handoffClock: this.handoffClock }, actor, id, expectedVersion, body)
    return (await this.queries.hydrate(this.deps.db, [row]))[0]
  }

  /** Hands an escalated ticket back to its coordinator with a note and perhaps a proposed reply. */
  async returnToDesk(actor: Actor, id: string, expectedVersion: number | undefined, body: ReturnBody): Promise<Ticket> {
    const row = await returnTicket(this.deps, { ...this.peers, handoffClock: this.handoffClock }, actor, id, expectedVersion, body)
    return (await this.queries.hydrate(this.deps.db, [row]))[0]
  }

  /** Merges a duplicate into another ticket; both as they are now. */
  async merge(actor: Actor, id: string, expectedVersion: number | undefined, body: MergeBody): Promise<{ ticket: Ticket; target: Ticket }> {
    const { source, target } = await mergeTicket(this.deps, actor, id, expectedVersion, body)
    const [ticket, into] = await this.queries.hydrate(this.deps.db, [source, target])
    return { ticket, target: into }
  }

  /** Splits a customer's message off into a new ticket; the old ticket and the new one. */
  async split(actor: Actor, id: string, expectedVersion: number | undefined, body: SplitBody): Promise<{ ticket: Ticket; created: Ticket }> {
    const { source, created } = await splitTicket(this.deps, { accounts: this.peers.accounts, openTicket: this.openTicket }, actor, id, expectedVersion, body)
    const [ticket, made] = await this.queries.hydrate(this.deps.db, [source, created])
    return { ticket, created: made }
  }

  link = (actor: Actor, id: string, otherId: string) => linkTickets(this.deps, actor, id, otherId)
  unlink = (actor: Actor, id: string, otherId: string) => unlinkTickets(this.deps, actor, id, otherId)
  relations = (actor: Actor, id: string) => this.queries.relations(actor, id)

  escalationsOf = (actor: Actor, ticketId: string) => this.escalations.forTicket(actor, ticketId)
  escalationQueue = (actor: Actor, query: EscalationQueueQuery) => this.escalations.queue(actor, query)

  uploadAttachment = (actor: Actor, ticketId: string, file: { filename: string; contentType: string; content: Buffer }) => uploadAttachment(this.deps, actor, ticketId, file)
  openAttachment = (actor: Actor, attachmentId: string) => openAttachment(this.deps, actor, attachmentId)
  /** Files already stored (a template's) as uploads for the next reply, in the caller's transaction; none when the ticket takes no reply. */
  attachStoredFiles = (db: Executor, actor: Actor, ticketId: string, files: readonly StoredFile[]) => attachStoredFiles(this.deps, db, actor, ticketId, files)
}
