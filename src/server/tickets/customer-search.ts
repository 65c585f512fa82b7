import { type Expression, type SqlBool, sql } from 'kysely'
import type { Executor } from '../db/schema.js'
import { MAX_INDEXED_TEXT, queryTerms } from '../db/text-search.js'
import { runTextJob } from '../db/text-worker.js'
import { plainTextOf } from './sanitize.js'

/** A customer's search looks through their most recently updated tickets, no further. */
export const CUSTOMER_SEARCH_TICKETS = 1000

/**
 * The most text one customer search reads and stems, in characters, over all their tickets (most
 * recently updated first; of each text the part the desk's index holds). Stemming half a megabyte can take
 * seconds on the text thread; this keeps one search, however much its customer wrote, from holding it longer.
 */
export const CUSTOMER_SEARCH_TEXT = 500_000

/** Tickets whose articles are read at once: what a search holds in memory stays small. */
const TICKETS_PER_READ = 100

/**
 * Full-text search for a customer: over the subjects and public articles of their own tickets only.
 * The search index also holds internal notes (the desk searches those), so it must not answer a
 * customer. A customer has few tickets; their texts are matched here as the SQLite index matches: every
 * query word, by itself or by one of its Dutch or English stems (on the text thread when the texts are
 * long, text-worker.ts). Returns a condition on `ticket.id`, or null when the query has no words.
 */
export async function customerTextMatch(db: Executor, scope: { requesterId: string } | { organisationId: string }, query: string): Promise<Expression<SqlBool> | null> {
  const words = queryTerms(query)
  if (words.length === 0) return null
  const tickets = await db
    .selectFrom('ticket')
    .select(['id', sql<string>`substr(subject, 1, ${MAX_INDEXED_TEXT})`.as('subject')])
    .$call((qb) => ('requesterId' in scope ? qb.where('requester_id', '=', scope.requesterId) : qb.where('organisation_id', '=', scope.organisationId)))
    .orderBy('updated_at', 'desc')
    .limit(CUSTOMER_SEARCH_TICKETS)
    .execute()
  // Each text as far as the budget reaches: an HTML body cut to it first, then turned into text.
  let budget = CUSTOMER_SEARCH_TEXT
  const take = (text: string, contentType = 'text/plain') => {
    const part = plainTextOf(text.slice(0, budget), contentType).slice(0, budget)
    budget -= part.length
    return part
  }
  const groups: { id: string; texts: string[] }[] = []
  for (let i = 0; i < tickets.length && budget > 0; i += TICKETS_PER_READ) {
    const chunk = tickets.slice(i, i + TICKETS_PER_READ)
    const articles = await db
      .selectFrom('article')
      .select(['ticket_id', sql<string>`substr(body, 1, ${MAX_INDEXED_TEXT})`.as('body'), 'content_type'])
      .where('ticket_id', 'in', chunk.map((t) => t.id))
      .where('visibility', '=', 'public')
      .execute()
    const articlesOf = new Map(chunk.map((t) => [t.id, [] as typeof articles]))
    for (const a of articles) articlesOf.get(a.ticket_id)!.push(a)
    for (const t of chunk) {
      const texts = [take(t.subject)]
      for (const a of articlesOf.get(t.id)!) if (budget > 0) texts.push(take(a.body, a.content_type))
      groups.push({ id: t.id, texts })
      if (budget <= 0) break
    }
  }
  const matching = await runTextJob('matchingGroups', { words, groups: groups.map((g) => g.texts) }, CUSTOMER_SEARCH_TEXT - budget)
  if (matching.length === 0) return sql<SqlBool>`1 = 0`
  return sql<SqlBool>`ticket.id IN (${sql.join(matching.map((i) => groups[i].id))})`
}
