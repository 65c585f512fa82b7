import type { Insertable } from 'kysely'
import type { Channel, Direction, Visibility } from '../../shared/api/tickets.js'
import { newId } from '../clock.js'
import type { SearchText } from '../db/dialect.js'
import type { ArticleTable, Executor, TicketRow } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DomainEvent } from '../events.js'
import { plainTextOf } from './sanitize.js'
import { articleCreated } from './ticket.events.js'
import { articleRepository } from './ticket.repository.js'

/** An article as the commands write it, from any channel or from an agent. */
export interface NewArticle {
  channel: Channel
  direction: Direction
  visibility: Visibility
  authorId: string | null
  body: string
  contentType: 'text/plain' | 'text/html'
  sourceId?: string
  metadata: Record<string, unknown>
}

export const articleRow = (ticketId: string, id: string, a: NewArticle, at: string): Insertable<ArticleTable> => ({
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
export const searchableText = (a: Pick<NewArticle, 'body' | 'contentType'>) => plainTextOf(a.body, a.contentType)

/**
 * Adds an article to an existing ticket: the row, its search entry (its text made ready before the
 * transaction, Dialect.searchText), its event (which delivers a public reply).
 */
export async function appendArticle(deps: Pick<Deps, 'clock' | 'dialect'>, trx: Executor, ticket: TicketRow, a: NewArticle & { searchText: SearchText }, events: DomainEvent[]): Promise<string> {
  const id = newId()
  const now = deps.clock.iso()
  await articleRepository.insert(trx, articleRow(ticket.id, id, a, now))
  await deps.dialect.indexText(trx, ticket.id, a.searchText)
  events.push(articleCreated(ticket, id, a, now))
  return id
}
