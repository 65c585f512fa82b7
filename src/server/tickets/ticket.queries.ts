import type { TicketRelations } from '../../shared/api/relations.js'
import type { Article, Ticket, TicketQuery } from '../../shared/api/tickets.js'
import { CHANNELS, OPEN_STATUSES, PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../shared/api/tickets.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isLocalAdminOf, isStaff } from '../accounts/actor.js'
import type { OrganisationService } from '../accounts/organisation.service.js'
import type { ArticleRow, Executor, TicketRow } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { decodeCursor, pageOf } from '../pagination.js'
import type { TicketFieldService } from '../fields/ticket-field.service.js'
import { customerTextMatch } from './customer-search.js'
import { toArticle, toHistoryEntry, toTicket } from './ticket.mappers.js'
import { ticketPolicy } from './ticket.policy.js'
import { formatTicketNumber } from './ticket-writer.js'
import { escalationRepository } from './escalation.repository.js'
import { relationRepository } from './relation.repository.js'
import { articleRepository, attachmentRepository, historyRepository, keysetFrom, type TicketFilter, type TicketSortKey, ticketRepository } from './ticket.repository.js'

/** What the read side asks other modules: people and organisations by id. */
export interface TicketReadPeers {
  accounts: Pick<AccountService, 'peopleByIds' | 'userIdByEmail' | 'recordPersonRead'>
  organisations: Pick<OrganisationService, 'namesByIds'>
  fields: Pick<TicketFieldService, 'valuesByTicket' | 'visibleValues' | 'filterOf'>
}

/** A comma-separated filter value, each part checked against what exists. */
function listParam(value: string | undefined, allowed: readonly string[], field: string): string[] | undefined {
  const parts = value?.split(',').map((s) => s.trim()).filter(Boolean)
  for (const part of parts ?? []) if (!allowed.includes(part)) throw AppError.validation(`Unknown ${field} "${part}".`, { field })
  return parts
}

/** The ticket row if the actor may see it; 404 otherwise, so existence does not leak to customers. */
export async function visibleTicket(db: Executor, actor: Actor, id: string): Promise<TicketRow> {
  const row = await ticketRepository.findById(db, id)
  if (row && ticketPolicy.canView(actor, row)) return row
  // A further requester, brought by merging their ticket into this one, sees it too.
  if (row && !isStaff(actor) && (await relationRepository.isRequester(db, row.id, actor.user.id))) return row
  throw AppError.notFound('Ticket', id)
}

/** The read side of tickets: queues, search, a ticket with its timeline and history. */
export class TicketQueries {
  constructor(
    private readonly deps: Pick<Deps, 'db' | 'dialect'>,
    private readonly peers: TicketReadPeers,
  ) {}

  async list(actor: Actor, query: TicketQuery) {
    const limit = query.limit ?? 50
    const sort = query.sort ?? '-updated_at'
    const sortKey = sort.replace('-', '') as TicketSortKey
    const descending = sort.startsWith('-')
    // A cursor names the order it was made in: under another order it would point nowhere.
    const cursor = decodeCursor(query.cursor, ['k', 'at', 'id', 'sort'] as const)
    if (cursor && cursor.sort !== sort) throw AppError.validation(`The cursor belongs to sort=${cursor.sort}; send that sort, or start again without a cursor.`, { field: 'cursor' })
    const filter = await this.filterOf(actor, query)
    if (!filter) return { items: [], nextCursor: null }
    const rows = await ticketRepository.list(this.deps.db, {
      ...filter,
      sort: sortKey,
      descending,
      after: cursor && keysetFrom(sortKey, cursor),
      limit: limit + 1,
    })
    const page = pageOf(rows, limit, (r) => r, (r) => ({ k: String(r.sort_key), at: r.updated_at, id: r.id, sort }))
    return { items: await this.hydrateFor(actor, page.items), nextCursor: page.nextCursor }
  }

  /**
   * How many tickets each queue's filter lets through, exact up to `cap` (a number above it says "more"),
   * all in one statement. The same filters and permissions as `list`.
   */
  async counts(actor: Actor, queries: readonly TicketQuery[], cap: number): Promise<number[]> {
    const filters = []
    for (const query of queries) filters.push(await this.filterOf(actor, query, { recordRead: false }))
    return ticketRepository.countsUpTo(this.deps.db, filters, cap)
  }

  /** Open tickets per assignee (null: nobody), in these groups when given: a team lead's view of the load. */
  async openPerAssignee(actor: Actor, groupIds?: string[]) {
    if (!isStaff(actor)) throw AppError.forbidden('see the workload of the desk')
    return ticketRepository.openPerAssignee(this.deps.db, OPEN_STATUSES, groupIds)
  }

  /** A query's filters as the repository takes them; undefined when it can match nothing (a search with no words). */
  private async filterOf(actor: Actor, query: TicketQuery, opts = { recordRead: true }): Promise<TicketFilter | undefined> {
    const statuses = listParam(query.status, TICKET_STATUSES, 'status')
    const priorities = listParam(query.priority, PRIORITIES, 'priority')
    const types = listParam(query.type, TICKET_TYPES, 'type')
    const channels = listParam(query.channel, CHANNELS, 'channel')
    const groupIds = query.groupIds?.split(',').map((id) => id.trim()).filter(Boolean)
    const escalatedBy = query.escalatedBy === 'me' ? actor.user.id : query.escalatedBy
    const assigneeId = query.assigneeId === 'none' ? null : query.assigneeId === 'me' ? actor.user.id : query.assigneeId
    // A customer's list is always their own tickets, whatever filters they send, and their search
    // never looks into internal notes. A local administrator may ask for their organisation's tickets
    // (organisationId = their own): any other organisation still gives their own tickets only.
    const orgScope = !isStaff(actor) && isLocalAdminOf(actor, query.organisationId)
    const requesterId = isStaff(actor) ? await this.requesterFilter(query.requesterId) : orgScope ? undefined : actor.user.id
    // ... and the tickets theirs were merged into, when they have a further requester's place on any.
    const alsoTicketIds = isStaff(actor) || orgScope ? undefined : await relationRepository.ticketsOfRequester(this.deps.db, actor.user.id)
    // Staff listing one person's tickets read that person's data: recorded unless it is their own work.
    if (requesterId && isStaff(actor) && opts.recordRead) await this.peers.accounts.recordPersonRead(actor, requesterId, 'tickets')
    const search = !query.q ? undefined : isStaff(actor) ? this.deps.dialect.ticketMatches(query.q) : await customerTextMatch(this.deps.db, orgScope ? { organisationId: query.organisationId! } : { requesterId: actor.user.id }, query.q)
    if (query.q && search === null) return undefined
    const fields = await this.peers.fields.filterOf(actor, query.fields)
    return {
      fields,
      statuses,
      groupId: query.groupId,
      groupIds,
      assigneeId,
      requesterId,
      ...(alsoTicketIds?.length && { alsoTicketIds }),
      organisationId: isStaff(actor) || orgScope ? query.organisationId : undefined,
      priorities,
      types,
      channels,
      escalatedBy,
      search,
    }
  }

  /** A requester filter as given (an id) or as an e-mail address; an unknown address matches no one. */
  private async requesterFilter(idOrEmail: string | undefined): Promise<string | undefined> {
    if (!idOrEmail?.includes('@')) return idOrEmail
    return (await this.peers.accounts.userIdByEmail(idOrEmail)) ?? '-'
  }

  /**
   * Tickets with the people, organisations and tags they refer to, in a few queries for any number of
   * tickets. `forCustomer` leaves out what a customer never sees (the desk's tags and handoffs): two
   * queries fewer on every page of the portal.
   */
  async hydrate(db: Executor, rows: TicketRow[], opts: { forCustomer?: boolean } = {}): Promise<Ticket[]> {
    if (rows.length === 0) return []
    const staffView = !opts.forCustomer
    const userIds = [...new Set(rows.flatMap((r) => [r.requester_id, r.assignee_id, r.coordinator_id].filter((x): x is string => !!x)))]
    const orgIds = [...new Set(rows.map((r) => r.organisation_id).filter((x): x is string => !!x))]
    const mergedIds = [...new Set(rows.map((r) => r.merged_into_id).filter((x): x is string => !!x))]
    const [users, orgs, tags, escalations, merged, fieldValues] = await Promise.all([
      this.peers.accounts.peopleByIds(db, userIds),
      this.peers.organisations.namesByIds(db, orgIds),
      staffView ? ticketRepository.tagsOf(db, rows.map((r) => r.id)) : new Map<string, string[]>(),
      staffView ? escalationRepository.activeOf(db, rows.map((r) => r.id)) : new Map<string, never>(),
      // Only merged tickets name another: no query at all for a page without them.
      mergedIds.length ? db.selectFrom('ticket').select(['id', 'number']).where('id', 'in', mergedIds).execute() : [],
      this.peers.fields.valuesByTicket(db, rows.map((r) => r.id)),
    ])
    const userById = new Map(users.map((u) => [u.id, u]))
    const orgById = new Map(orgs.map((o) => [o.id, o]))
    const mergedById = new Map(merged.map((m) => [m.id, m]))
    return rows.map((r) =>
      toTicket(r, userById, orgById, tags.get(r.id) ?? [], escalations.get(r.id), r.merged_into_id ? mergedById.get(r.merged_into_id) : undefined, fieldValues.get(r.id)),
    )
  }

  /**
   * Tickets as this reader sees them. Customers see neither the desk's own labels ("lastige-klant")
   * nor the assigned agent's e-mail address: they answer on the ticket, not to a person's inbox.
   */
  async hydrateFor(actor: Actor, rows: TicketRow[]): Promise<Ticket[]> {
    const tickets = await this.hydrate(this.deps.db, rows, { forCustomer: !isStaff(actor) })
    if (isStaff(actor)) return tickets
    // Nor how the desk hands the ticket around behind the counter (coordinator, handoffs), nor its internal fields.
    const customFields = await Promise.all(tickets.map((ticket) => this.peers.fields.visibleValues(actor, ticket.customFields)))
    return tickets.map((ticket, i) => ({ ...ticket, tags: [], customFields: customFields[i], assignee: ticket.assignee && { id: ticket.assignee.id, name: ticket.assignee.name }, coordinator: null, escalation: null, thirdParty: null, firstLineResolution: null }))
  }

  async get(actor: Actor, id: string): Promise<Ticket> {
    const row = await visibleTicket(this.deps.db, actor, id)
    return (await this.hydrateFor(actor, [row]))[0]
  }

  async getByNumber(actor: Actor, number: string): Promise<Ticket> {
    const row = await ticketRepository.findByNumber(this.deps.db, number)
    if (!row || !ticketPolicy.canView(actor, row)) throw AppError.notFound('Ticket', number)
    return (await this.hydrateFor(actor, [row]))[0]
  }

  /**
   * Tickets the text names by number: the whole number (2026-00297) or its sequence (00297, 297, #297) in
   * any year that has tickets, newest year first. A customer finds only their own.
   */
  async findByNumber(actor: Actor, text: string): Promise<Ticket[]> {
    const numbers = await this.numbersNamedBy(text.trim())
    const rows = await ticketRepository.findByNumbers(this.deps.db, numbers, isStaff(actor) ? undefined : actor.user.id)
    return this.hydrateFor(actor, rows)
  }

  private async numbersNamedBy(text: string): Promise<string[]> {
    const whole = /^#?(\d{4})-(\d{1,9})$/.exec(text)
    if (whole) return [formatTicketNumber(Number(whole[1]), Number(whole[2]))]
    const sequence = /^#?(\d{1,9})$/.exec(text)
    if (!sequence || Number(sequence[1]) === 0) return []
    return (await ticketRepository.numberYears(this.deps.db)).map((year) => formatTicketNumber(year, Number(sequence[1])))
  }

  async listArticles(actor: Actor, ticketId: string): Promise<Article[]> {
    const db = this.deps.db
    await visibleTicket(db, actor, ticketId)
    const rows = await articleRepository.listForTicket(db, ticketId, ticketPolicy.canSeeInternal(actor))
    const articles = await this.hydrateArticles(rows)
    return articles.map((a) => this.articleFor(actor, a))
  }

  /** One article as its writer sees it, just after writing it. */
  async article(actor: Actor, articleId: string): Promise<Article> {
    const [article] = await this.hydrateArticles([(await articleRepository.findById(this.deps.db, articleId))!])
    return this.articleFor(actor, article)
  }

  /**
   * An article as this reader sees it. Channel metadata (mail headers, filter verdicts, delivery results)
   * is the desk's business, and a customer sees the desk's people by name only, not their address.
   */
  private articleFor(actor: Actor, article: Article): Article {
    if (isStaff(actor)) return article
    const author = article.author && article.author.id !== actor.user.id ? { id: article.author.id, name: article.author.name } : article.author
    const { delivery: _staffOnly, ...rest } = article
    return { ...rest, author, metadata: {} }
  }

  private async hydrateArticles(rows: ArticleRow[]) {
    const db = this.deps.db
    const authorIds = [...new Set(rows.map((r) => r.author_id).filter((x): x is string => !!x))]
    const [authors, attachments] = await Promise.all([
      this.peers.accounts.peopleByIds(db, authorIds),
      attachmentRepository.listForArticles(db, rows.map((r) => r.id)),
    ])
    const byId = new Map(authors.map((a) => [a.id, a]))
    return rows.map((r) => toArticle(r, r.author_id ? byId.get(r.author_id) : undefined, attachments.get(r.id) ?? []))
  }

  /**
   * Linked tickets, tickets merged into this one and its further requesters. A customer sees only links
   * and merges between tickets of their own: never a desk's link to someone else's ticket.
   */
  async relations(actor: Actor, ticketId: string): Promise<TicketRelations> {
    const db = this.deps.db
    const ticket = await visibleTicket(db, actor, ticketId)
    const [links, merged, requesterIds] = await Promise.all([
      relationRepository.linksOf(db, ticket.id),
      relationRepository.mergedInto(db, ticket.id),
      relationRepository.requestersOf(db, ticket.id),
    ])
    const staff = isStaff(actor)
    const own = (r: { requester_id: string }) => staff || r.requester_id === actor.user.id
    const ref = (r: { id: string; number: string; subject: string; status: string }) => ({ id: r.id, number: r.number, subject: r.subject, status: r.status })
    return {
      links: links.filter(own).map((l) => ({ ...ref(l), linkedAt: l.linked_at })),
      merged: merged.filter(own).map(ref),
      requesters: staff ? await this.peers.accounts.peopleByIds(db, requesterIds) : [],
    }
  }

  async history(actor: Actor, ticketId: string) {
    const db = this.deps.db
    await visibleTicket(db, actor, ticketId)
    if (!isStaff(actor)) throw AppError.forbidden('see the history of a ticket')
    const rows = await historyRepository.listForTicket(db, ticketId)
    const actors = await this.peers.accounts.peopleByIds(db, [...new Set(rows.map((r) => r.actor_id).filter((x): x is string => !!x))])
    const byId = new Map(actors.map((a) => [a.id, a]))
    return rows.map((r) => toHistoryEntry(r, r.actor_id ? byId.get(r.actor_id) : undefined))
  }
}
