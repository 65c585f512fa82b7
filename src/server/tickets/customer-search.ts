import { type Expression, type SqlBool, sql } from 'kysely'
import type { Executor } from '../db/schema.js'
import { indexTokens, searchTerms, stemVariants } from '../db/text-search.js'
import { plainTextOf } from './sanitize.js'

/** A customer's search looks through their most recently updated tickets, no further. */
export const CUSTOMER_SEARCH_TICKETS = 1000

/**
 * Full-text search for a customer: over the subjects and public articles of their own tickets only.
 * The search index also holds internal notes (the desk searches those), so it must not answer a
 * customer. A customer has few tickets; their texts are matched here as the SQLite index matches: every
 * query word, by itself or by one of its Dutch or English stems. Returns a condition on `ticket.id`,
 * or null when the query has no words.
 */
export async function customerTextMatch(db: Executor, requesterId: string, query: string): Promise<Expression<SqlBool> | null> {
  const words = searchTerms(query).slice(0, 16)
  if (words.length === 0) return null
  const tickets = await db
    .selectFrom('ticket')
    .select(['id', 'subject'])
    .where('requester_id', '=', requesterId)
    .orderBy('updated_at', 'desc')
    .limit(CUSTOMER_SEARCH_TICKETS)
    .execute()
  if (tickets.length === 0) return sql<SqlBool>`1 = 0`
  const wordsOf = new Map(tickets.map((t) => [t.id, new Set(indexTokens(t.subject))]))
  const articles = await db
    .selectFrom('article')
    .select(['ticket_id', 'body', 'content_type'])
    .where('ticket_id', 'in', tickets.map((t) => t.id))
    .where('visibility', '=', 'public')
    .execute()
  for (const a of articles) {
    const ticketWords = wordsOf.get(a.ticket_id)!
    for (const token of indexTokens(plainTextOf(a.body, a.content_type))) ticketWords.add(token)
  }
  const wanted = words.map(stemVariants)
  const matching = tickets.filter((t) => wanted.every((variants) => variants.some((v) => wordsOf.get(t.id)!.has(v))))
  if (matching.length === 0) return sql<SqlBool>`1 = 0`
  return sql<SqlBool>`ticket.id IN (${sql.join(matching.map((t) => t.id))})`
}
