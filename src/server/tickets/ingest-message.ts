import { type ArticleMetadata, parseMetadata } from '../../shared/api/article-metadata.js'
import type { Article, Channel, Ticket, TicketStatus } from '../../shared/api/tickets.js'
import type { AccountService } from '../accounts/account.service.js'
import { newId } from '../clock.js'
import type { Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DomainEvent } from '../events.js'
import { mergeTarget } from './merge-ticket.js'
import type { OpenTicket } from './open-ticket.js'
import { relationRepository } from './relation.repository.js'
import { appendArticle, searchableText } from './ticket-articles.js'
import { changeStatusBySystem } from './ticket-patch.js'
import { articleRepository, attachmentRepository, ticketRepository } from './ticket.repository.js'
import { statusAfterCustomerReply } from './ticket.state.js'

/** A contact from any channel, as an adapter hands it over. Core code never looks at which channel. */
export interface InboundMessage {
  channel: Channel
  /** The channel's own id for the message (a mail's Message-ID): ingest is idempotent on it. */
  sourceId?: string
  /**
   * Who sent it, by the identifier the channel knows them by: an e-mail address, a phone number (any notation;
   * compared in E.164), a chat visitor id, or a signed-in portal customer's address. Accounts resolves it to
   * a customer (contact_identities), adding one on first contact.
   */
  from: { kind: 'email' | 'phone' | 'chat' | 'portal'; address: string; name?: string }
  subject: string
  body: string
  contentType: 'text/plain' | 'text/html'
  /** Put it on this ticket when the adapter already knows it (mail: a bounce of a reply); else ingest threads it by `replyTo`. */
  ticketId?: string
  /**
   * What the message says it answers, as the channel reads it (mail: In-Reply-To and References, the
   * number in the subject's tag): ingest finds its ticket by the ids first, the number second, else
   * opens a new ticket.
   */
  replyTo?: {
    /** The channel's ids of earlier messages it answers, oldest first (only the last 100 are looked up). */
    sourceIds?: readonly string[]
    /** A ticket number it names. */
    ticketNumber?: string
  }
  /** Files it only on a ticket it threads to: one that threads to none is not filed, and ingest answers undefined (mail: bounces, out-of-office replies). */
  onlyThreads?: boolean
  groupId?: string
  /**
   * The channel's part (`ChannelMetadata`) and any neutral parts; ingest adds `mergedFrom`/`followUpOf`.
   * A function is given how ingest threaded the message (mail notes it, and asks an acknowledgement only for a new ticket).
   */
  metadata?: ArticleMetadata | ((thread: InboundThread) => ArticleMetadata)
  /** An adapter may choose the ids (e.g. to point inline cid: images in the body at their attachment URL). */
  attachments?: { id?: string; filename: string; contentType: string; content: Buffer; contentId?: string }[]
  /** False for messages that must not reopen a ticket (e.g. out-of-office replies). */
  reopens?: boolean
}

/**
 * How ingest threaded a message: the ticket it points at (before the merged and closed rules: a merged
 * ticket's message lands on its target, a closed ticket's opens a follow-up) and by what.
 */
export interface InboundThread {
  ticketId?: string
  by?: 'ticketId' | 'sourceIds' | 'ticketNumber'
}

/**
 * The ticket a message threads to: the one the adapter named, else the newest ticket holding one of the
 * ids it answers, else the ticket its number names. Read before the transaction (as the channel read
 * it before), so the write holds its connection no longer.
 */
async function threadOf(db: Executor, msg: InboundMessage): Promise<InboundThread> {
  if (msg.ticketId) return { ticketId: msg.ticketId, by: 'ticketId' }
  const sourceIds = msg.replyTo?.sourceIds?.slice(-100) ?? []
  const bySource = sourceIds.length ? await articleRepository.findTicketIdBySourceIds(db, msg.channel, sourceIds) : undefined
  if (bySource) return { ticketId: bySource, by: 'sourceIds' }
  const number = msg.replyTo?.ticketNumber
  const byNumber = number ? (await ticketRepository.findByNumber(db, number))?.id : undefined
  return byNumber ? { ticketId: byNumber, by: 'ticketNumber' } : {}
}

/** What a channel needs back from ingest: ids, the ticket's number and version, the article's metadata. */
export interface IngestResult {
  ticket: Pick<Ticket, 'id' | 'number' | 'status' | 'version'>
  article: Pick<Article, 'id' | 'metadata'>
  created: boolean
  duplicate: boolean
}

/** ingestMessage as a service offers it: a message that may open a ticket always gets a result. */
export interface IngestMessage {
  (msg: InboundMessage & { onlyThreads?: false }): Promise<IngestResult>
  (msg: InboundMessage): Promise<IngestResult | undefined>
}

type IngestPeers = { accounts: Pick<AccountService, 'findOrCreateRequester'>; openTicket: OpenTicket }

/**
 * Files an inbound message from any channel onto the ticket it threads to, or opens a new one (openTicket).
 * Idempotent by sourceId. Undefined only for an `onlyThreads` message that threads to no ticket.
 */
export async function ingestMessage(deps: Deps, peers: IngestPeers, msg: InboundMessage & { onlyThreads?: false }): Promise<IngestResult>
export async function ingestMessage(deps: Deps, peers: IngestPeers, msg: InboundMessage): Promise<IngestResult | undefined>
export async function ingestMessage(deps: Deps, peers: IngestPeers, inbound: InboundMessage): Promise<IngestResult | undefined> {
  const events: DomainEvent[] = []
  const thread = await threadOf(deps.db, inbound)
  if (!thread.ticketId && inbound.onlyThreads) return undefined
  let msg = { ...inbound, ticketId: thread.ticketId, metadata: typeof inbound.metadata === 'function' ? inbound.metadata(thread) : inbound.metadata }
  await peers.openTicket.prepare(deps.db)
  // Files go to the blob store first (content-addressed, so a retry writes nothing new): the
  // transaction then holds no connection while the disk works.
  const files = await Promise.all((msg.attachments ?? []).map(async (file) => ({ ...file, hash: await deps.blobs.put(file.content) })))
  // Ready for the search index before the transaction: as a new ticket, and (when the channel threaded
  // it) as an article on its ticket.
  const subject = msg.subject || '(no subject)'
  const [ticketSearchText, articleSearchText] = await Promise.all([
    deps.dialect.searchText(`${subject}\n${searchableText(msg)}`),
    msg.ticketId ? deps.dialect.searchText(searchableText(msg)) : undefined,
  ])
  const result = await deps.transaction(async (trx) => {
    if (msg.sourceId) {
      const existing = await articleRepository.findBySource(trx, msg.channel, msg.sourceId)
      if (existing) {
        const ticket = (await ticketRepository.findById(trx, existing.ticket_id))!
        return { ticket, articleId: existing.id, metadata: parseMetadata(existing.metadata), created: false, duplicate: true }
      }
    }
    const requester = await peers.accounts.findOrCreateRequester(trx, msg.from)
    let ticket = msg.ticketId ? await ticketRepository.findById(trx, msg.ticketId) : undefined
    // Mail that threads to a merged ticket lands on the ticket it went into.
    if (ticket?.merged_into_id) {
      msg = { ...msg, metadata: { ...msg.metadata, mergedFrom: ticket.number } }
      ticket = await mergeTarget(trx, ticket)
    }
    // A message about a closed ticket starts a follow-up rather than reopening history.
    if (ticket?.status === 'closed') {
      msg = { ...msg, metadata: { ...msg.metadata, followUpOf: ticket.number } }
      ticket = undefined
    }
    const created = !ticket
    const firstArticle = { body: msg.body, contentType: msg.contentType, sourceId: msg.sourceId, metadata: msg.metadata ?? {} }
    let articleId: string
    if (!ticket) {
      const opened = await peers.openTicket.within(
        trx,
        { subject, channel: msg.channel, requester: { userId: requester.id }, groupId: msg.groupId, actorId: requester.id, recordedBy: null, firstArticle },
        requester,
        ticketSearchText,
        events,
      )
      ;({ row: ticket, articleId } = opened)
    } else {
      if (msg.reopens !== false && (ticket.requester_id === requester.id || (await relationRepository.isRequester(trx, ticket.id, requester.id)))) {
        ticket = await changeStatusBySystem(deps, trx, ticket, statusAfterCustomerReply(ticket.status as TicketStatus), requester.id, events)
      }
      const searchText = articleSearchText!
      articleId = await appendArticle(deps, trx, ticket, { ...firstArticle, channel: msg.channel, direction: 'in', visibility: 'public', authorId: requester.id, searchText }, events)
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
        created_at: deps.clock.iso(),
      })
    }
    await deps.outbox.append(trx, events)
    return { ticket, articleId, metadata: msg.metadata ?? {}, created, duplicate: false }
  })
  const { ticket, articleId, metadata, created, duplicate } = result
  return {
    ticket: { id: ticket.id, number: ticket.number, status: ticket.status as TicketStatus, version: ticket.version },
    article: { id: articleId, metadata },
    created,
    duplicate,
  }
}

/** ingestMessage bound to its dependencies, as TicketService offers it. */
export function ingestWith(deps: Deps, peers: IngestPeers): IngestMessage {
  function ingest(msg: InboundMessage & { onlyThreads?: false }): Promise<IngestResult>
  function ingest(msg: InboundMessage): Promise<IngestResult | undefined>
  function ingest(msg: InboundMessage) {
    return ingestMessage(deps, peers, msg)
  }
  return ingest
}
