import type { Insertable } from 'kysely'
import type {
  Article, Channel, CreateArticleBody, CreateTicketBody, Direction, Priority, Ticket, TicketQuery, TicketStatus, TicketType,
  UpdateTicketBody, Visibility,
} from '../../shared/api/tickets.js'
import { CHANNELS, PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from '../../shared/api/tickets.js'
import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import type { AccountService, RequesterRow } from '../accounts/account.service.js'
import { newId } from '../clock.js'
import type { NewTicket } from '../db/dialect.js'
import type { AppUserRow, ArticleTable, Executor, TicketRow, TicketUpdate } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { decodeCursor, pageOf } from '../pagination.js'
import { customerTextMatch } from './customer-search.js'
import { recordedByMetadata } from './recorded-by.js'
import { plainTextOf } from './sanitize.js'
import { hydrateTickets, toArticle, toAttachment, toHistoryEntry, toTicket } from './ticket.mappers.js'
import { ticketPolicy } from './ticket.policy.js'
import { articleRepository, attachmentRepository, historyRepository, ticketRepository } from './ticket.repository.js'
import { assertTransition, statusAfterCustomerReply, statusTimestamps } from './ticket.state.js'

/** A contact from any channel, as an adapter hands it over. Core code never looks at which channel. */
export interface InboundMessage {
  channel: Channel
  /** The channel's own id for the message (a mail's Message-ID): ingest is idempotent on it. */
  sourceId?: string
  from: { email: string; name?: string }
  subject: string
  body: string
  contentType: 'text/plain' | 'text/html'
  /** Put it on this ticket when the adapter already knows it (threading); else a new ticket is opened. */
  ticketId?: string
  groupId?: string
  metadata?: Record<string, unknown>
  /** An adapter may choose the ids (e.g. to point inline cid: images in the body at their attachment URL). */
  attachments?: { id?: string; filename: string; contentType: string; content: Buffer; contentId?: string }[]
  /** False for messages that must not reopen a ticket (e.g. out-of-office replies). */
  reopens?: boolean
}

/** What a channel needs back from ingest: ids, the ticket's number and version, the article's metadata. */
export interface IngestResult {
  ticket: Pick<Ticket, 'id' | 'number' | 'status' | 'version'>
  article: Pick<Article, 'id' | 'metadata'>
  created: boolean
  duplicate: boolean
}

/** A comma-separated filter value, each part checked against what exists. */
function listParam(value: string | undefined, allowed: readonly string[], field: string): string[] | undefined {
  const parts = value?.split(',').map((s) => s.trim()).filter(Boolean)
  for (const part of parts ?? []) if (!allowed.includes(part)) throw AppError.validation(`Unknown ${field} "${part}".`, { field })
  return parts
}

/** What opening a ticket takes, from the API or a channel. */
interface NewTicketInput {
  subject: string
  requester: Pick<AppUserRow, 'id' | 'organisation_id'>
  channel: Channel
  priority?: Priority
  type?: TicketType
  groupId?: string
  actorId: string | null
  firstArticle: { body: string; contentType: 'text/plain' | 'text/html'; sourceId?: string; metadata: Record<string, unknown> }
}

const TRACKED_FIELDS = ['subject', 'status', 'priority', 'type', 'department_id', 'group_id', 'assignee_id', 'organisation_id'] as const

/** An article as the service writes it, from any channel or from an agent. */
interface NewArticle {
  channel: Channel
  direction: Direction
  visibility: Visibility
  authorId: string | null
  body: string
  contentType: 'text/plain' | 'text/html'
  sourceId?: string
  metadata: Record<string, unknown>
}

const articleRow = (ticketId: string, id: string, a: NewArticle, at: string): Insertable<ArticleTable> => ({
  id,
  ticket_id: ticketId,
  channel: a.channel,
  direction: a.direction,
  visibility: a.visibility,
  author_id: a.authorId,
  body: a.body,
  content_type: a.contentType,
  source_id: a.sourceId ?? null,
  metadata: JSON.stringify(a.metadata),
  created_at: at,
})

/** What the search index takes of an article: its text, HTML reduced to text. */
const searchableText = (a: Pick<NewArticle, 'body' | 'contentType'>) => plainTextOf(a.body, a.contentType)

const articleCreated = (ticket: Pick<TicketRow, 'id' | 'requester_id' | 'organisation_id'>, articleId: string, a: NewArticle, at: string): DomainEvent => ({
  type: 'article.created',
  ticketId: ticket.id,
  articleId,
  requesterId: ticket.requester_id,
  organisationId: ticket.organisation_id,
  visibility: a.visibility,
  direction: a.direction,
  channel: a.channel,
  at,
})

export class TicketService {
  constructor(
    private readonly deps: Deps,
    private readonly accounts: AccountService,
  ) {}

  // --- reading ---------------------------------------------------------------------------------

  async list(actor: Actor, query: TicketQuery) {
    const limit = query.limit ?? 50
    const sort = query.sort ?? '-updated_at'
    const sortKey = sort.replace('-', '') as 'updated_at' | 'created_at'
    const descending = sort.startsWith('-')
    // A cursor names the order it was made in: under another order it would point nowhere.
    const cursor = decodeCursor(query.cursor, ['at', 'id', 'sort'] as const)
    if (cursor && cursor.sort !== sort) throw AppError.validation(`The cursor belongs to sort=${cursor.sort}; send that sort, or start again without a cursor.`, { field: 'cursor' })
    const statuses = listParam(query.status, TICKET_STATUSES, 'status')
    const priorities = listParam(query.priority, PRIORITIES, 'priority')
    const types = listParam(query.type, TICKET_TYPES, 'type')
    const channels = listParam(query.channel, CHANNELS, 'channel')
    const escalatedBy = query.escalatedBy === 'me' ? actor.user.id : query.escalatedBy
    const assigneeId = query.assigneeId === 'none' ? null : query.assigneeId === 'me' ? actor.user.id : query.assigneeId
    // A customer's list is always their own tickets, whatever filters they send, and their search
    // never looks into internal notes.
    const requesterId = isStaff(actor) ? await this.requesterFilter(query.requesterId) : actor.user.id
    const search = !query.q ? undefined : isStaff(actor) ? this.deps.dialect.ticketMatches(query.q) : await customerTextMatch(this.deps.db, actor.user.id, query.q)
    if (query.q && search === null) return { items: [], nextCursor: null }
    const rows = await ticketRepository.list(this.deps.db, {
      statuses,
      groupId: query.groupId,
      assigneeId,
      requesterId,
      organisationId: query.organisationId,
      priorities,
      types,
      channels,
      escalatedBy,
      search,
      sort: sortKey,
      descending,
      after: cursor,
      limit: limit + 1,
    })
    const page = pageOf(rows, limit, (r) => r, (r) => ({ at: r[sortKey], id: r.id, sort }))
    return { items: await this.hydrateFor(actor, page.items), nextCursor: page.nextCursor }
  }

  /**
   * Tickets as this reader sees them. Customers see neither the desk's own labels ("lastige-klant")
   * nor the assigned agent's e-mail address: they answer on the ticket, not to a person's inbox.
   */
  private async hydrateFor(actor: Actor, rows: TicketRow[]): Promise<Ticket[]> {
    const tickets = await hydrateTickets(this.deps.db, rows)
    if (isStaff(actor)) return tickets
    return tickets.map((ticket) => ({ ...ticket, tags: [], assignee: ticket.assignee && { id: ticket.assignee.id, name: ticket.assignee.name } }))
  }

  /** A requester filter as given (an id) or as an e-mail address; an unknown address matches no one. */
  private async requesterFilter(idOrEmail: string | undefined): Promise<string | undefined> {
    if (!idOrEmail?.includes('@')) return idOrEmail
    return (await this.accounts.userIdByEmail(idOrEmail)) ?? '-'
  }

  /** The ticket row if the actor may see it; 404 otherwise, so existence does not leak to customers. */
  private async visibleRow(db: Executor, actor: Actor, id: string): Promise<TicketRow> {
    const row = await ticketRepository.findById(db, id)
    if (!row || !ticketPolicy.canView(actor, row)) throw AppError.notFound('Ticket', id)
    return row
  }

  async get(actor: Actor, id: string): Promise<Ticket> {
    const row = await this.visibleRow(this.deps.db, actor, id)
    return (await this.hydrateFor(actor, [row]))[0]
  }

  async getByNumber(actor: Actor, number: string): Promise<Ticket> {
    const row = await ticketRepository.findByNumber(this.deps.db, number)
    if (!row || !ticketPolicy.canView(actor, row)) throw AppError.notFound('Ticket', number)
    return (await this.hydrateFor(actor, [row]))[0]
  }

  async listArticles(actor: Actor, ticketId: string): Promise<Article[]> {
    const db = this.deps.db
    await this.visibleRow(db, actor, ticketId)
    const rows = await articleRepository.listForTicket(db, ticketId, ticketPolicy.canSeeInternal(actor))
    const articles = await this.hydrateArticles(db, rows)
    // Channel metadata (mail headers, filter verdicts, delivery results) is the desk's business.
    return isStaff(actor) ? articles : articles.map((a) => ({ ...a, metadata: {} }))
  }

  private async hydrateArticles(db: Executor, rows: Awaited<ReturnType<typeof articleRepository.listForTicket>>) {
    const authorIds = [...new Set(rows.map((r) => r.author_id).filter((x): x is string => !!x))]
    const [authors, attachments] = await Promise.all([
      authorIds.length ? db.selectFrom('app_user').selectAll().where('id', 'in', authorIds).execute() : Promise.resolve([] as AppUserRow[]),
      attachmentRepository.listForArticles(db, rows.map((r) => r.id)),
    ])
    const byId = new Map(authors.map((a) => [a.id, a]))
    return rows.map((r) => toArticle(r, r.author_id ? byId.get(r.author_id) : undefined, attachments.get(r.id) ?? []))
  }

  async history(actor: Actor, ticketId: string) {
    const db = this.deps.db
    await this.visibleRow(db, actor, ticketId)
    if (!isStaff(actor)) throw AppError.forbidden('see the history of a ticket')
    const rows = await historyRepository.listForTicket(db, ticketId)
    const actorIds = [...new Set(rows.map((r) => r.actor_id).filter((x): x is string => !!x))]
    const actors = actorIds.length ? await db.selectFrom('app_user').selectAll().where('id', 'in', actorIds).execute() : []
    const byId = new Map(actors.map((a) => [a.id, a]))
    return rows.map((r) => toHistoryEntry(r, r.actor_id ? byId.get(r.actor_id) : undefined))
  }

  // --- creating --------------------------------------------------------------------------------

  async create(actor: Actor, body: CreateTicketBody): Promise<Ticket> {
    const staff = isStaff(actor)
    if (!staff && body.requester.email.trim().toLowerCase() !== actor.user.email) {
      throw AppError.forbidden('open a ticket for someone else')
    }
    if (!staff && (body.groupId || body.tags)) throw AppError.forbidden('choose a group or tags')
    const channel: Channel = body.channel ?? (staff ? 'api' : 'portal')
    const events: DomainEvent[] = []
    const db = this.deps.db
    await this.deps.dialect.prepareTicketNumbers(db, this.deps.clock.now().getUTCFullYear())
    const input = (requester: NewTicketInput['requester'], metadata: Record<string, unknown>): NewTicketInput => ({
      subject: body.subject,
      requester,
      channel,
      priority: body.priority,
      type: body.type,
      groupId: body.groupId,
      actorId: recordedUserId(actor),
      firstArticle: { body: body.body, contentType: 'text/plain', metadata },
    })
    const recordedBy = staff ? actor.user.id : null
    const open = async (trx: Executor, requester: RequesterRow) => {
      const { ticket } = await this.openTicket(trx, { ...input(requester, recordedByMetadata(recordedBy, requester.id)), tags: body.tags, events })
      return { row: ticket, requester }
    }
    let created: { row: TicketRow; requester: RequesterRow } | undefined
    const dialect = this.deps.dialect
    if ((this.deps.procedures || dialect.insertNewTicketWithRequester) && !body.tags?.length) {
      // The requester is settled where the ticket is written, with no round trip between: SQLite's
      // writer thread runs the whole unit while the event loop goes on; PostgreSQL writes it in one
      // statement, no transaction. The draft's requester (and recordedBy) is filled in there.
      const draft = this.draftTicket(input({ id: '', organisation_id: null }, {}), await this.ticketGroup(db, body.groupId))
      const opened = this.deps.procedures
        ? await this.deps.procedures('openTicket', {
            requester: staff ? { candidate: this.accounts.customerCandidate(body.requester) } : { id: actor.user.id },
            ticket: draft.newTicket,
            recordedBy,
          })
        : await dialect.insertNewTicketWithRequester!<RequesterRow>(
            db,
            draft.newTicket,
            staff ? this.accounts.requesterSourceByAddress(body.requester) : this.accounts.requesterSourceById(actor.user.id),
            recordedBy,
          )
      // Undefined: a concurrent request added the same new address first; the transaction below finds it.
      if (opened) {
        draft.newTicket.row.requester_id = opened.requester.id
        draft.newTicket.row.organisation_id = opened.requester.organisation_id
        created = { row: this.ticketOpened(draft, opened.number, events), requester: opened.requester }
      }
    }
    const { row, requester } = created ?? (await this.deps.transaction(async (trx) => {
      const requester = staff
        ? await this.accounts.findOrCreateRequester(trx, body.requester)
        : await this.accounts.requesterById(trx, actor.user.id)
      if (!requester) throw AppError.unauthenticated()
      return open(trx, requester)
    }))
    await this.publish(events)
    // Everything the answer needs is at hand: no re-read of the ticket.
    const organisations = new Map(row.organisation_id && requester.organisation_name !== null ? [[row.organisation_id, { id: row.organisation_id, name: requester.organisation_name }]] : [])
    return toTicket(row, new Map([[requester.id, requester]]), organisations, [...new Set(body.tags ?? [])].sort())
  }

  /** Files an inbound message from any channel onto its ticket, or opens a new one. Idempotent by sourceId. */
  async ingest(msg: InboundMessage): Promise<IngestResult> {
    const events: DomainEvent[] = []
    const db = this.deps.db
    await this.deps.dialect.prepareTicketNumbers(db, this.deps.clock.now().getUTCFullYear())
    // Files go to the blob store first (content-addressed, so a retry writes nothing new): the
    // transaction then holds no connection while the disk works.
    const files = await Promise.all((msg.attachments ?? []).map(async (file) => ({ ...file, hash: await this.deps.blobs.put(file.content) })))
    const result = await this.deps.transaction(async (trx) => {
      if (msg.sourceId) {
        const existing = await articleRepository.findBySource(trx, msg.channel, msg.sourceId)
        if (existing) {
          const ticket = (await ticketRepository.findById(trx, existing.ticket_id))!
          return { ticket, articleId: existing.id, metadata: JSON.parse(existing.metadata) as Record<string, unknown>, created: false, duplicate: true }
        }
      }
      const requester = await this.accounts.findOrCreateRequester(trx, msg.from)
      let ticket = msg.ticketId ? await ticketRepository.findById(trx, msg.ticketId) : undefined
      // A message about a closed ticket starts a follow-up rather than reopening history.
      if (ticket?.status === 'closed') {
        msg = { ...msg, metadata: { ...msg.metadata, followUpOf: ticket.number } }
        ticket = undefined
      }
      const created = !ticket
      const firstArticle = { body: msg.body, contentType: msg.contentType, sourceId: msg.sourceId, metadata: msg.metadata ?? {} }
      let articleId: string
      if (!ticket) {
        ;({ ticket, articleId } = await this.openTicket(trx, {
          subject: msg.subject || '(no subject)',
          requester,
          channel: msg.channel,
          groupId: msg.groupId,
          actorId: requester.id,
          events,
          firstArticle,
        }))
      } else {
        if (msg.reopens !== false && ticket.requester_id === requester.id) {
          ticket = await this.changeStatusBySystem(trx, ticket, statusAfterCustomerReply(ticket.status as TicketStatus), requester.id, events)
        }
        articleId = await this.appendArticle(trx, ticket, {
          ...firstArticle,
          channel: msg.channel,
          direction: 'in',
          visibility: 'public',
          authorId: requester.id,
          events,
        })
      }
      for (const { hash, ...file } of files) {
        await attachmentRepository.insert(trx, {
          id: file.id ?? newId(),
          ticket_id: ticket.id,
          article_id: articleId,
          filename: file.filename,
          content_type: file.contentType,
          size: file.content.length,
          sha256: hash,
          content_id: file.contentId ?? null,
          uploaded_by: requester.id,
          created_at: this.deps.clock.iso(),
        })
      }
      return { ticket, articleId, metadata: msg.metadata ?? {}, created, duplicate: false }
    })
    await this.publish(events)
    const { ticket, articleId, metadata, created, duplicate } = result
    return {
      ticket: { id: ticket.id, number: ticket.number, status: ticket.status as TicketStatus, version: ticket.version },
      article: { id: articleId, metadata },
      created,
      duplicate,
    }
  }

  /**
   * Records what a channel learned about an article after it was stored: merges `patch` into its
   * metadata (e.g. `delivery` for a sent, failed or bounced reply) and may set its source id (the
   * Message-ID a reply went out with, so answers to it thread). For channel adapters; no actor.
   */
  async annotateArticle(articleId: string, patch: Record<string, unknown>, opts: { sourceId?: string } = {}): Promise<void> {
    await this.deps.transaction(async (trx) => {
      const row = await articleRepository.findById(trx, articleId)
      if (!row) throw AppError.notFound('Article', articleId)
      let metadata: Record<string, unknown> = {}
      try {
        metadata = JSON.parse(row.metadata) as Record<string, unknown>
      } catch {
        // unreadable metadata is replaced rather than blocking the channel
      }
      await trx
        .updateTable('article')
        .set({ metadata: JSON.stringify({ ...metadata, ...patch }), ...(opts.sourceId !== undefined && { source_id: opts.sourceId }) })
        .where('id', '=', articleId)
        .execute()
    })
  }

  /** Opens a ticket with its first (inbound, public) article: one unit for the dialect to write. */
  private async openTicket(trx: Executor, input: NewTicketInput & { tags?: string[]; events: DomainEvent[] }): Promise<{ ticket: TicketRow; articleId: string }> {
    const draft = this.draftTicket(input, await this.ticketGroup(trx, input.groupId))
    const number = await this.deps.dialect.insertNewTicket(trx, draft.newTicket)
    if (input.tags?.length) await ticketRepository.setTags(trx, draft.newTicket.row.id, [...new Set(input.tags)])
    return { ticket: this.ticketOpened(draft, number, input.events), articleId: draft.articleId }
  }

  /** The group a new ticket goes to: the one asked for (which must exist), or the service desk. */
  private async ticketGroup(db: Executor, groupId: string | undefined) {
    if (!groupId) return this.defaultGroup(db)
    const group = await db.selectFrom('agent_group').select(['id', 'department_id']).where('id', '=', groupId).executeTakeFirst()
    if (!group) throw AppError.validation('The group does not exist.', { field: 'groupId' })
    return group
  }

  /** A new ticket's rows, ready for the dialect (or the writer thread) to number and write. */
  private draftTicket(input: NewTicketInput, group: { id: string; department_id: string } | undefined) {
    const now = this.deps.clock.now()
    const nowIso = now.toISOString()
    const unnumbered: Omit<TicketRow, 'number'> = {
      id: newId(),
      subject: input.subject,
      status: 'new',
      priority: input.priority ?? 'normal',
      type: input.type ?? 'question',
      channel: input.channel,
      requester_id: input.requester.id,
      organisation_id: input.requester.organisation_id,
      department_id: group?.department_id ?? null,
      group_id: group?.id ?? null,
      assignee_id: null,
      created_at: nowIso,
      updated_at: nowIso,
      first_response_at: null,
      resolved_at: null,
      closed_at: null,
      version: 1,
    }
    const article: NewArticle = { ...input.firstArticle, channel: input.channel, direction: 'in', visibility: 'public', authorId: input.requester.id }
    const articleId = newId()
    const newTicket: NewTicket = {
      row: unnumbered,
      year: now.getUTCFullYear(),
      history: { id: newId(), actorId: input.actorId },
      article: articleRow(unnumbered.id, articleId, article, nowIso),
      searchText: `${input.subject}\n${searchableText(article)}`,
    }
    return { newTicket, article, articleId, nowIso }
  }

  /** The written ticket, numbered, and its events. */
  private ticketOpened(draft: ReturnType<TicketService['draftTicket']>, number: string, events: DomainEvent[]): TicketRow {
    const row: TicketRow = { ...draft.newTicket.row, number }
    events.push(
      { type: 'ticket.created', ticketId: row.id, number, requesterId: row.requester_id, organisationId: row.organisation_id, groupId: row.group_id, at: draft.nowIso },
      articleCreated(row, draft.articleId, draft.article, draft.nowIso),
    )
    return row
  }

  /**
   * New tickets start with the service desk: the first 1st-line group. Asked for on every new ticket
   * and almost never changed, so it is remembered for ten seconds.
   */
  private async defaultGroup(db: Executor) {
    const now = Date.now()
    if (this.defaultGroupCache && this.defaultGroupCache.until > now) return this.defaultGroupCache.group
    const group = await db.selectFrom('agent_group').select(['id', 'department_id']).where('line', '=', 1).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst()
    // An empty answer is not remembered: the first group may be created any moment (set-up, tests).
    if (group) this.defaultGroupCache = { group, until: now + 10_000 }
    return group
  }
  private defaultGroupCache: { group: { id: string; department_id: string }; until: number } | undefined

  private async appendArticle(trx: Executor, ticket: TicketRow, a: NewArticle & { events: DomainEvent[] }): Promise<string> {
    const id = newId()
    const now = this.deps.clock.iso()
    await articleRepository.insert(trx, articleRow(ticket.id, id, a, now))
    await this.deps.channels.enqueueDelivery(trx, {
      articleId: id,
      ticketId: ticket.id,
      channel: a.channel,
      visibility: a.visibility,
      direction: a.direction,
      sourceId: a.sourceId ?? null,
    })
    await this.deps.dialect.indexText(trx, ticket.id, searchableText(a))
    a.events.push(articleCreated(ticket, id, a, now))
    return id
  }

  // --- changing --------------------------------------------------------------------------------

  async update(actor: Actor, id: string, expectedVersion: number | undefined, body: UpdateTicketBody): Promise<Ticket> {
    if (!ticketPolicy.canUpdate(actor)) {
      await this.visibleRow(this.deps.db, actor, id)
      throw AppError.forbidden('change tickets')
    }
    if (expectedVersion === undefined) {
      throw new AppError('precondition_required', 'Send the version you edited in an If-Match header, so no one else\'s change is overwritten.')
    }
    const events: DomainEvent[] = []
    const row = await this.deps.transaction(async (trx) => {
      const current = await this.visibleRow(trx, actor, id)
      if (current.version !== expectedVersion) throw this.staleVersion(current)
      const patch: TicketUpdate = {}
      if (body.subject !== undefined) patch.subject = body.subject
      if (body.priority !== undefined) patch.priority = body.priority
      if (body.type !== undefined) patch.type = body.type
      if (body.status !== undefined && body.status !== current.status) {
        assertTransition(current.status as TicketStatus, body.status)
        Object.assign(patch, { status: body.status }, statusTimestamps(body.status, this.deps.clock.iso()))
      }
      if (body.groupId !== undefined) {
        const group = body.groupId ? await trx.selectFrom('agent_group').select(['id', 'department_id']).where('id', '=', body.groupId).executeTakeFirst() : null
        if (body.groupId && !group) throw AppError.validation('The group does not exist.', { field: 'groupId' })
        patch.group_id = body.groupId
        // Moving to a group moves the ticket to that group's department, unless one is given too.
        if (group && body.departmentId === undefined) patch.department_id = group.department_id
      }
      if (body.departmentId !== undefined) {
        if (body.departmentId && !(await trx.selectFrom('department').select('id').where('id', '=', body.departmentId).executeTakeFirst())) {
          throw AppError.validation('The department does not exist.', { field: 'departmentId' })
        }
        patch.department_id = body.departmentId
      }
      if (body.assigneeId !== undefined) {
        if (body.assigneeId) {
          const assignee = await trx.selectFrom('app_user').select(['id', 'role', 'active']).where('id', '=', body.assigneeId).executeTakeFirst()
          if (!assignee || assignee.role === 'customer' || assignee.active !== 1) {
            throw AppError.validation('Tickets can only be assigned to active staff.', { field: 'assigneeId' })
          }
        }
        patch.assignee_id = body.assigneeId
      }
      if (body.organisationId !== undefined) {
        if (body.organisationId && !(await trx.selectFrom('organisation').select('id').where('id', '=', body.organisationId).executeTakeFirst())) {
          throw AppError.validation('The organisation does not exist.', { field: 'organisationId' })
        }
        patch.organisation_id = body.organisationId
      }
      const tagsChanged = body.tags !== undefined && (await this.replaceTags(trx, current, body.tags, recordedUserId(actor)))
      return this.applyPatch(trx, current, patch, recordedUserId(actor), events, tagsChanged)
    })
    await this.publish(events)
    return (await hydrateTickets(this.deps.db, [row]))[0]
  }

  private staleVersion(current: TicketRow) {
    return new AppError('precondition_failed', 'Someone else changed this ticket in the meantime. Reload it to see their change.', {
      currentVersion: current.version,
    })
  }

  private async replaceTags(trx: Executor, current: TicketRow, tags: string[], actorId: string | null) {
    const before = (await ticketRepository.tagsOf(trx, [current.id])).get(current.id) ?? []
    const after = [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort()
    if (before.join('\n') === after.join('\n')) return false
    await ticketRepository.setTags(trx, current.id, after)
    await historyRepository.insertMany(trx, [
      { id: newId(), ticket_id: current.id, actor_id: actorId, field: 'tags', old_value: before.join(', '), new_value: after.join(', '), created_at: this.deps.clock.iso() },
    ])
    return true
  }

  /** Writes changed fields with a history entry each, bumping the version; a no-op patch changes nothing. */
  private async applyPatch(trx: Executor, current: TicketRow, patch: TicketUpdate, actorId: string | null, events: DomainEvent[], forceBump = false) {
    const now = this.deps.clock.iso()
    const changed = TRACKED_FIELDS.filter((f) => f in patch && patch[f] !== current[f])
    const differs = (Object.keys(patch) as (keyof TicketRow)[]).some((k) => patch[k as keyof TicketUpdate] !== current[k])
    if (!differs && !forceBump) return current
    const next: TicketRow = { ...current, ...(patch as Partial<TicketRow>), updated_at: now, version: current.version + 1 }
    const ok = await ticketRepository.updateIfVersion(trx, current.id, current.version, { ...patch, updated_at: now, version: next.version })
    if (!ok) throw this.staleVersion(current)
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
      changes: changed.map(String),
      version: next.version,
      at: now,
    })
    return next
  }

  private changeStatusBySystem(trx: Executor, ticket: TicketRow, to: TicketStatus, actorId: string | null, events: DomainEvent[]) {
    if (to === ticket.status) return Promise.resolve(ticket)
    assertTransition(ticket.status as TicketStatus, to)
    return this.applyPatch(trx, ticket, { status: to, ...statusTimestamps(to, this.deps.clock.iso()) }, actorId, events)
  }

  async addArticle(actor: Actor, ticketId: string, body: CreateArticleBody): Promise<Article> {
    const visibility = body.visibility ?? 'public'
    const staff = isStaff(actor)
    const events: DomainEvent[] = []
    const db = this.deps.db
    const articleId = await this.deps.transaction(async (trx) => {
      const ticket = await this.visibleRow(trx, actor, ticketId)
      if (visibility === 'internal' && !ticketPolicy.canWriteInternal(actor)) throw AppError.forbidden('write internal notes')
      if (visibility === 'public' && !ticketPolicy.canAddPublicArticle(actor, ticket)) {
        throw AppError.conflict('This ticket is closed. Please open a new one.')
      }
      if (!staff && body.status) throw AppError.forbidden('change the status')
      if (staff && visibility === 'public' && !ticketPolicy.canReplyToCustomer(actor, await this.groupsOf(trx, actor.user.id))) {
        throw AppError.forbidden('reply to customers from a back office; add an internal note with a proposed answer for the service desk')
      }
      if (body.status && body.status !== ticket.status) assertTransition(ticket.status as TicketStatus, body.status)
      const direction: Direction = staff ? 'out' : 'in'
      const channel: Channel = staff ? (visibility === 'internal' ? 'api' : this.replyChannel(ticket)) : 'portal'
      const id = await this.appendArticle(trx, ticket, {
        channel,
        direction,
        visibility,
        authorId: recordedUserId(actor),
        body: body.body,
        contentType: body.contentType ?? 'text/plain',
        // Who else gets the reply (mail); only staff choose, only for what the customer sees.
        metadata: staff && visibility === 'public' && body.cc?.length ? { cc: [...new Set(body.cc.map((c) => c.trim().toLowerCase()))] } : {},
        events,
      })
      if (body.attachmentIds?.length) {
        const linked = await attachmentRepository.linkToArticle(trx, ticket.id, id, body.attachmentIds)
        if (linked !== new Set(body.attachmentIds).size) throw AppError.validation('An attachment is unknown or already sent.', { field: 'attachmentIds' })
      }
      // The status the agent chose wins; otherwise a reply opens a new ticket and a customer's message reopens.
      const nextStatus: TicketStatus =
        body.status ?? (staff ? (visibility === 'public' && ticket.status === 'new' ? 'open' : (ticket.status as TicketStatus)) : statusAfterCustomerReply(ticket.status as TicketStatus))
      const patch: TicketUpdate = {}
      if (nextStatus !== ticket.status) Object.assign(patch, { status: nextStatus }, statusTimestamps(nextStatus, this.deps.clock.iso()))
      if (staff && visibility === 'public' && !ticket.first_response_at) patch.first_response_at = this.deps.clock.iso()
      const changed = await this.applyPatch(trx, ticket, patch, recordedUserId(actor), events)
      // New activity moves the ticket up its queue even when no field changed.
      if (changed === ticket) await trx.updateTable('ticket').set({ updated_at: this.deps.clock.iso() }).where('id', '=', ticket.id).execute()
      return id
    })
    await this.publish(events)
    const [article] = await this.hydrateArticles(db, [(await articleRepository.findById(db, articleId))!])
    return staff ? article : { ...article, metadata: {} }
  }

  /** Replies go out on the channel the customer used; a chat or call that ended is answered by mail. */
  private replyChannel(ticket: TicketRow): Channel {
    return ticket.channel === 'portal' || ticket.channel === 'api' ? (ticket.channel as Channel) : 'email'
  }

  private async groupsOf(db: Executor, userId: string) {
    const rows = await db
      .selectFrom('group_member')
      .innerJoin('agent_group', 'agent_group.id', 'group_member.group_id')
      .innerJoin('department', 'department.id', 'agent_group.department_id')
      .select(['agent_group.line', 'department.customer_reply_allowed'])
      .where('group_member.user_id', '=', userId)
      .execute()
    return rows.map((r) => ({ line: r.line, customerReplyAllowed: r.customer_reply_allowed === 1 }))
  }

  // --- attachments -----------------------------------------------------------------------------

  async uploadAttachment(actor: Actor, ticketId: string, file: { filename: string; contentType: string; content: Buffer }) {
    const row = await this.visibleRow(this.deps.db, actor, ticketId)
    if (!ticketPolicy.canAddPublicArticle(actor, row)) throw AppError.conflict('This ticket is closed.')
    if (file.content.length > this.deps.config.attachmentMaxBytes) {
      throw new AppError('payload_too_large', `Attachments may be at most ${this.deps.config.attachmentMaxBytes} bytes.`)
    }
    const hash = await this.deps.blobs.put(file.content)
    const attachment = {
      id: newId(),
      ticket_id: ticketId,
      article_id: null,
      filename: file.filename,
      content_type: file.contentType,
      size: file.content.length,
      sha256: hash,
      content_id: null,
      uploaded_by: recordedUserId(actor),
      created_at: this.deps.clock.iso(),
    }
    await attachmentRepository.insert(this.deps.db, attachment)
    return toAttachment(attachment)
  }

  async openAttachment(actor: Actor, attachmentId: string) {
    const db = this.deps.db
    const attachment = await attachmentRepository.findById(db, attachmentId)
    if (!attachment) throw AppError.notFound('Attachment', attachmentId)
    const ticket = await ticketRepository.findById(db, attachment.ticket_id)
    if (!ticket || !ticketPolicy.canView(actor, ticket)) throw AppError.notFound('Attachment', attachmentId)
    if (attachment.article_id) {
      const article = await articleRepository.findById(db, attachment.article_id)
      if (article?.visibility === 'internal' && !ticketPolicy.canSeeInternal(actor)) throw AppError.notFound('Attachment', attachmentId)
    } else if (!isStaff(actor) && attachment.uploaded_by !== actor.user.id) {
      throw AppError.notFound('Attachment', attachmentId)
    }
    return { attachment, stream: this.deps.blobs.open(attachment.sha256) }
  }

  /**
   * Events go out after the commit. The answer does not wait for them: on PostgreSQL a NOTIFY is one
   * more round trip, and the PostgreSQL bus reports its own failures. A failing listener must not
   * turn a committed write into an error either.
   */
  private async publish(events: DomainEvent[]) {
    this.deps.events.publishAll(events).catch(() => {})
  }
}
