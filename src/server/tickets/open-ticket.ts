import type { ArticleMetadata } from '../../shared/api/article-metadata.js'
import type { Channel, Priority, TicketType } from '../../shared/api/tickets.js'
import type { AccountService, RequesterRow } from '../accounts/account.service.js'
import { newId } from '../clock.js'
import type { SearchText } from '../db/dialect.js'
import type { Executor, TicketRow } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import type { FieldWriter, TicketFieldService } from '../fields/ticket-field.service.js'
import type { CustomFieldValues } from '../../shared/api/tickets.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { recordedByMetadata } from './recorded-by.js'
import { articleRow, type NewArticle, searchableText } from './ticket-articles.js'
import { articleCreated, ticketCreated } from './ticket.events.js'
import type { NewTicket, TicketWriter } from './ticket-writer.js'

/** Who a new ticket is for: an address (a customer is added on first contact), or a known user. */
export type RequesterRef = { email: string; name?: string } | { userId: string }

/** What opening a ticket takes, from any way in (the API, a channel, later the portal, chat, phone, import). */
export interface OpenTicketCommand {
  subject: string
  channel: Channel
  requester: RequesterRef
  priority?: Priority
  type?: TicketType
  groupId?: string
  tags?: readonly string[]
  /** Who the history names as having opened it: the agent or customer, or the requester for a channel; null for the system. */
  actorId: string | null
  /** The agent who records the ticket on someone's behalf (tickets/recorded-by.ts). */
  recordedBy: string | null
  firstArticle: { body: string; contentType: 'text/plain' | 'text/html'; sourceId?: string; metadata?: ArticleMetadata }
  /** Values of the ticket fields an administrator added, checked by type; `fieldWriter` says who sends them (default system). */
  customFields?: CustomFieldValues
  fieldWriter?: FieldWriter
  /** Whether fields required in status "new" must be given (the API and portal; not mail, which cannot fill them in). */
  requireFields?: boolean
}

/**
 * A new ticket as the hooks see it, after its requester is settled and before it is written: what
 * routing rules read and may change (a hook returns the changed draft, or nothing to keep it).
 */
export interface TicketDraft {
  subject: string
  channel: Channel
  readonly requester: Readonly<RequesterRow>
  priority: Priority
  type: TicketType
  /** The group asked for; none: the service desk (DeskService.groupForNewTicket). */
  groupId: string | undefined
  tags: string[]
  firstArticle: { body: string; contentType: 'text/plain' | 'text/html'; sourceId?: string; metadata: ArticleMetadata }
}

/** Runs before a new ticket is written, inside its unit of work; routing rules plug in here. */
export type TicketHook = (draft: TicketDraft, db: Executor) => TicketDraft | void | Promise<TicketDraft | void>

export interface OpenedTicket {
  row: TicketRow
  requester: RequesterRow
  articleId: string
  tags: string[]
}

/**
 * The one command that opens a ticket, for every way in: settles the requester (accounts), runs the
 * hooks, picks the group (desk), and hands the complete rows to the TicketWriter of the database in use.
 */
export class OpenTicket {
  constructor(
    private readonly deps: Pick<Deps, 'clock' | 'dialect'>,
    private readonly peers: {
      accounts: Pick<AccountService, 'findOrCreateRequester' | 'requesterById'>
      desk: Pick<DeskService, 'groupForNewTicket' | 'assigneeFor'>
      fields: Pick<TicketFieldService, 'checkValues' | 'assertRequired' | 'rowsForNewTicket'>
    },
    private readonly writer: TicketWriter,
    private readonly hooks: readonly TicketHook[] = [],
  ) {}

  /** Opens a ticket as a unit of its own (the API); the writer stores its events with it. */
  async run(command: OpenTicketCommand): Promise<OpenedTicket> {
    const searchText = await this.searchText(command)
    const { number, ...decided } = await this.writer.open(
      async (db) => this.decide(db, command, await this.requester(db, command.requester), searchText),
      (d, n) => this.opened(d, n).events,
    )
    return this.opened(decided, number).ticket
  }

  /** Opens a ticket inside the caller's transaction (ingest), for a requester it has settled; its events go to `events`. */
  async within(trx: Executor, command: OpenTicketCommand, requester: RequesterRow, searchText: SearchText, events: DomainEvent[]): Promise<OpenedTicket> {
    const decided = await this.decide(trx, command, requester, searchText)
    const opened = this.opened(decided, await this.writer.write(trx, decided.ticket))
    events.push(...opened.events)
    return opened.ticket
  }

  /** Call before a transaction that may open a ticket (within): the year's numbers are prepared outside it. */
  prepare(db: Executor) {
    return this.writer.prepare(db, this.deps.clock.now().getUTCFullYear())
  }

  /**
   * The subject and first article made ready for the search index (Dialect.searchText), before the
   * unit that writes them: a SQLite transaction that waited for it would hold up every other query.
   */
  searchText(command: Pick<OpenTicketCommand, 'subject' | 'firstArticle'>): Promise<SearchText> {
    return this.deps.dialect.searchText(`${command.subject}\n${searchableText(command.firstArticle)}`)
  }

  private async requester(db: Executor, ref: RequesterRef): Promise<RequesterRow> {
    if ('email' in ref) return this.peers.accounts.findOrCreateRequester(db, { kind: 'email', address: ref.email, name: ref.name })
    const requester = await this.peers.accounts.requesterById(db, ref.userId)
    if (!requester) throw AppError.unauthenticated()
    return requester
  }

  private async decide(db: Executor, command: OpenTicketCommand, requester: RequesterRow, searchText: SearchText) {
    const fieldChanges = await this.peers.fields.checkValues(db, command.customFields, command.fieldWriter ?? 'system')
    let draft: TicketDraft = {
      subject: command.subject,
      channel: command.channel,
      requester,
      priority: command.priority ?? 'normal',
      type: command.type ?? 'question',
      groupId: command.groupId,
      tags: [...new Set(command.tags ?? [])].sort(),
      firstArticle: { ...command.firstArticle, metadata: { ...command.firstArticle.metadata, ...recordedByMetadata(command.recordedBy, requester.id) } },
    }
    for (const hook of this.hooks) draft = (await hook(draft, db)) ?? draft
    // A hook that rewrote the text has it made ready again (a rare case: it waits inside the unit).
    const rewritten = draft.subject !== command.subject || draft.firstArticle.body !== command.firstArticle.body || draft.firstArticle.contentType !== command.firstArticle.contentType
    if (rewritten) searchText = await this.searchText(draft)
    const group = await this.peers.desk.groupForNewTicket(db, draft.groupId)
    if (command.requireFields) await this.peers.fields.assertRequired(db, 'new', group?.department_id ?? null, command.customFields ?? {}, command.fieldWriter)
    // The group's assignment rule may give it to one of its members at once (desk/assignment.ts).
    const assigneeId = group ? await this.peers.desk.assigneeFor(db, group) : null
    const ticket = this.rows(draft, group, assigneeId, command.actorId, searchText)
    return { ticket: { ...ticket, fieldValues: this.peers.fields.rowsForNewTicket(ticket.row.id, fieldChanges) }, draft }
  }

  /** The new ticket's rows, ready for the writer to number and write. */
  private rows(draft: TicketDraft, group: { id: string; department_id: string } | undefined, assigneeId: string | null, actorId: string | null, searchText: SearchText): NewTicket & { articleId: string; firstArticle: NewArticle } {
    const now = this.deps.clock.now()
    const nowIso = now.toISOString()
    const id = newId()
    const article: NewArticle = { ...draft.firstArticle, channel: draft.channel, direction: 'in', visibility: 'public', authorId: draft.requester.id }
    const articleId = newId()
    return {
      row: {
        id,
        subject: draft.subject,
        status: 'new',
        priority: draft.priority,
        type: draft.type,
        channel: draft.channel,
        requester_id: draft.requester.id,
        organisation_id: draft.requester.organisation_id,
        department_id: group?.department_id ?? null,
        group_id: group?.id ?? null,
        assignee_id: assigneeId,
        created_at: nowIso,
        updated_at: nowIso,
        first_response_at: null,
        resolved_at: null,
        closed_at: null,
        version: 1,
        coordinator_id: null,
        merged_into_id: null,
        first_line_resolution: null,
        third_party_until: null,
        third_party_supplier: null,
        third_party_reference: null,
        third_party_back_at: null,
      },
      year: now.getUTCFullYear(),
      history: { id: newId(), actorId },
      tags: draft.tags,
      articleId,
      article: articleRow(id, articleId, article, nowIso),
      firstArticle: article,
      searchText,
    }
  }

  /** The written ticket, numbered, and its events. */
  private opened(decided: { ticket: ReturnType<OpenTicket['rows']> & Pick<NewTicket, 'fieldValues'>; draft: TicketDraft }, number: string): { ticket: OpenedTicket; events: DomainEvent[] } {
    const { ticket, draft } = decided
    const row: TicketRow = { ...ticket.row, number }
    return {
      ticket: { row, requester: draft.requester as RequesterRow, articleId: ticket.articleId, tags: draft.tags },
      events: [ticketCreated(row, row.created_at), articleCreated(row, ticket.articleId, ticket.firstArticle, row.created_at)],
    }
  }
}
