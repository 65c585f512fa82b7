import { type ArticleMetadata, parseMetadata } from '../../shared/api/article-metadata.js'
import type { AccountService } from '../accounts/account.service.js'
import type { Executor, TicketRow } from '../db/schema.js'
import { relationRepository } from './relation.repository.js'
import { articleRepository, attachmentRepository, ticketRepository } from './ticket.repository.js'

/** An article as a channel reads it: what it needs to thread a reply or a bounce, its metadata parsed. */
export interface ChannelArticle {
  id: string
  ticketId: string
  channel: string
  direction: string
  body: string
  contentType: string
  /** Read its parts with their readers (shared/api/article-metadata.ts: `emailMetaOf`, `deliveryMetaOf`, …). */
  metadata: ArticleMetadata
  authorId: string | null
}

/** A stored file as a channel sends or reads it; the bytes are in the blob store under `sha256`. */
export interface ChannelFile {
  id: string
  filename: string
  contentType: string
  sha256: string
}

const toChannelArticle = (row: { id: string; ticket_id: string; channel: string; direction: string; body: string; content_type: string; metadata: string; author_id: string | null }): ChannelArticle => ({
  id: row.id,
  ticketId: row.ticket_id,
  channel: row.channel,
  direction: row.direction,
  body: row.body,
  contentType: row.content_type,
  metadata: parseMetadata(row.metadata),
  authorId: row.author_id,
})

const toChannelFile = (row: { id: string; filename: string; content_type: string; sha256: string }): ChannelFile => ({
  id: row.id,
  filename: row.filename,
  contentType: row.content_type,
  sha256: row.sha256,
})

/**
 * What channels read of tickets, so no channel imports a ticket repository: the article a bounce or a
 * reply points at, a thread to reply on, stored files. Which ticket a message threads to is ingest's
 * (InboundMessage.replyTo), not a channel's.
 * Reads only; a channel changes tickets through TicketService's commands.
 */
export class ChannelReads {
  constructor(
    private readonly db: Executor,
    private readonly accounts: Pick<AccountService, 'requesterById' | 'peopleByIds'>,
  ) {}

  async article(id: string): Promise<ChannelArticle | undefined> {
    const row = await articleRepository.findById(this.db, id)
    return row && toChannelArticle(row)
  }

  /** The article a channel filed under its own id for the message (a mail's Message-ID). */
  async articleBySource(channel: string, sourceId: string): Promise<ChannelArticle | undefined> {
    const row = await articleRepository.findBySource(this.db, channel, sourceId)
    return row && toChannelArticle(row)
  }

  /** The article first filed under each of these ids of the channel, by id (mail ingest looks a fetched batch up at once). */
  async articlesBySources(channel: string, sourceIds: readonly string[]): Promise<Map<string, ChannelArticle>> {
    const found = new Map<string, ChannelArticle>()
    if (sourceIds.length === 0) return found
    for (const row of await articleRepository.findFirstBySources(this.db, channel, sourceIds)) {
      if (row.source_id && !found.has(row.source_id)) found.set(row.source_id, toChannelArticle(row))
    }
    return found
  }

  /** The metadata of the customer's newest message on the ticket by this channel; `db` may be the caller's transaction. */
  async lastInboundMetadata(ticketId: string, channel: string, db: Executor = this.db): Promise<ArticleMetadata> {
    const metadata = await articleRepository.lastInboundMetadata(db, ticketId, channel)
    return metadata ? parseMetadata(metadata) : {}
  }

  /**
   * A ticket as a reply on it is sent: its row, its requester, the further requesters (their tickets were
   * merged into it) and its public articles, straight from storage rather than rendered for display.
   */
  async thread(ticketId: string): Promise<
    | { ticket: TicketRow; requester: { email: string | null; name: string; language: string } | undefined; alsoRequesters: string[]; articles: ChannelArticle[] }
    | undefined
  > {
    const [ticket, rows] = await Promise.all([ticketRepository.findById(this.db, ticketId), articleRepository.listForTicket(this.db, ticketId, false)])
    if (!ticket) return undefined
    const [requester, others] = await Promise.all([
      this.accounts.requesterById(this.db, ticket.requester_id),
      relationRepository.requestersOf(this.db, ticketId).then((ids) => this.accounts.peopleByIds(this.db, ids)),
    ])
    return {
      ticket,
      requester: requester && { email: requester.email, name: requester.name, language: requester.language },
      alsoRequesters: others.flatMap((o) => (o.email ? [o.email] : [])),
      articles: rows.map(toChannelArticle),
    }
  }

  async file(id: string): Promise<ChannelFile | undefined> {
    const row = await attachmentRepository.findById(this.db, id)
    return row && toChannelFile(row)
  }

  async filesOf(articleId: string): Promise<ChannelFile[]> {
    const rows = (await attachmentRepository.listForArticles(this.db, [articleId])).get(articleId) ?? []
    return rows.map(toChannelFile)
  }
}
