import { type Expression, type Insertable, type RawBuilder, type SqlBool, sql } from 'kysely'
import { TicketTextMatch } from '../db/dialect.js'
import { groupBy } from '../db/rows.js'
import type {
  ArticleTable, AttachmentTable, Executor, TicketHistoryTable, TicketRow, TicketUpdate,
} from '../db/schema.js'

export interface TicketFilter {
  statuses?: string[]
  groupId?: string
  /** Tickets in any of these groups (an agent's own groups). */
  groupIds?: string[]
  assigneeId?: string | null
  requesterId?: string
  /** With requesterId: these tickets too (where the requester is a further requester, after a merge). */
  alsoTicketIds?: string[]
  organisationId?: string
  priorities?: string[]
  types?: string[]
  channels?: string[]
  /** Tickets this user moved to a 2nd- or 3rd-line group that are still there. */
  escalatedBy?: string
  search?: Expression<SqlBool> | null
  /** Conditions on ticket fields an administrator added (fields/ builds them). */
  fields?: Expression<SqlBool>[]
}

export interface TicketListFilter extends TicketFilter {
  sort: TicketSortKey
  descending: boolean
  after?: TicketKeyset
  limit: number
}

/** What a queue can be sorted by. */
export type TicketSortKey = 'updated_at' | 'created_at' | 'priority' | 'status' | 'assignee' | 'group' | 'number'
/** Where a page ended: the sort key's value, the last update (the tie-breaker of the other keys) and the id. */
export interface TicketKeyset {
  key: string | number
  at: string
  id: string
}

// The expressions a queue sorts by. Priority and status by their meaning (urgent first, new first), written
// exactly as in the indexes of migration 2026-12-07T06-50-queues, so both databases sort from the index.
const PRIORITY_RANK = sql<number>`(CASE priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END)`
const STATUS_RANK = sql<number>`(CASE status WHEN 'new' THEN 1 WHEN 'open' THEN 2 WHEN 'waiting_for_customer' THEN 3 WHEN 'waiting_for_third_party' THEN 4 WHEN 'resolved' THEN 5 ELSE 6 END)`
const sortExpressions: Record<Exclude<TicketSortKey, 'updated_at' | 'created_at' | 'number'>, RawBuilder<string | number>> = {
  priority: PRIORITY_RANK,
  status: STATUS_RANK,
  assignee: sql<string>`coalesce((SELECT name FROM app_user WHERE app_user.id = ticket.assignee_id), '')`,
  group: sql<string>`coalesce((SELECT name FROM agent_group WHERE agent_group.id = ticket.group_id), '')`,
}
/** A row's value of the sort key, selected beside it so that a cursor can name where a page ended. */
export type SortedTicketRow = TicketRow & { sort_key: string | number }
const isRanked = (sort: TicketSortKey) => sort === 'priority' || sort === 'status'
const byTime = (sort: TicketSortKey): sort is 'updated_at' | 'created_at' | 'number' => sort === 'updated_at' || sort === 'created_at' || sort === 'number'

/** The keyset of a row in the order it was listed in. */
export const keysetOf = (row: SortedTicketRow): TicketKeyset => ({ key: row.sort_key, at: row.updated_at, id: row.id })
/** A keyset from a cursor's text values (ranks are numbers). */
export const keysetFrom = (sort: TicketSortKey, cursor: { k: string; at: string; id: string }): TicketKeyset => ({
  key: isRanked(sort) ? Number(cursor.k) : cursor.k,
  at: cursor.at,
  id: cursor.id,
})

/**
 * Full-text planning in ticket lists (see ticketRepository.list): the queue is walked newest first in
 * batches (`firstBatch`, growing fourfold up to `maxBatch`), for at most `walkWindow` tickets, unless the
 * first batch falls short and fewer than `setLimit` entries match. Tests lower these.
 */
export const searchPlan = { setLimit: 5_000, firstBatch: 200, maxBatch: 3_200, walkWindow: 20_000 }

/** The tickets a filter lets through, nothing selected yet: a list's page or a queue's count. */
function filteredTickets(db: Executor, f: TicketFilter) {
  return db
    .selectFrom('ticket')
    .$if(!!f.statuses?.length, (qb) => (f.statuses!.length === 1 ? qb.where('status', '=', f.statuses![0]) : qb.where('status', 'in', f.statuses!)))
    .$if(!!f.groupId, (qb) => qb.where('group_id', '=', f.groupId!))
    .$if(!!f.groupIds?.length, (qb) => qb.where('group_id', 'in', f.groupIds!))
    .$if(f.assigneeId !== undefined, (qb) => (f.assigneeId === null ? qb.where('assignee_id', 'is', null) : qb.where('assignee_id', '=', f.assigneeId!)))
    .$if(!!f.requesterId && !f.alsoTicketIds?.length, (qb) => qb.where('requester_id', '=', f.requesterId!))
    .$if(!!f.requesterId && !!f.alsoTicketIds?.length, (qb) => qb.where((eb) => eb.or([eb('requester_id', '=', f.requesterId!), eb('id', 'in', f.alsoTicketIds!)])))
    .$if(!!f.organisationId, (qb) => qb.where('organisation_id', '=', f.organisationId!))
    .$if(!!f.priorities?.length, (qb) => qb.where('priority', 'in', f.priorities!))
    .$if(!!f.types?.length, (qb) => qb.where('type', 'in', f.types!))
    .$if(!!f.channels?.length, (qb) => qb.where('channel', 'in', f.channels!))
    .$if(!!f.escalatedBy, (qb) =>
      qb
        .where('group_id', 'in', (eb) => eb.selectFrom('agent_group').select('id').where('line', '>=', 2))
        .where('id', 'in', (eb) =>
          eb.selectFrom('ticket_history').select('ticket_id').where('field', '=', 'groupId').where('actor_id', '=', f.escalatedBy!),
        ),
    )
    .$if(!!f.search, (qb) => qb.where(f.search!))
    .$if(!!f.fields?.length, (qb) => qb.where((eb) => eb.and(f.fields!)))
}

function listQuery(db: Executor, f: TicketListFilter) {
  const dir = f.descending ? 'desc' : 'asc'
  const cmp = f.descending ? '<' : '>'
  const key: RawBuilder<string | number> = byTime(f.sort) ? sql.ref<string>(f.sort) : sortExpressions[f.sort]
  return filteredTickets(db, f)
    .selectAll()
    .select(key.as('sort_key'))
    .$if(!!f.after, (qb) =>
      qb.where((eb) => {
        const { key: k, at, id } = f.after!
        if (byTime(f.sort)) return eb.or([eb(key, cmp, k), eb.and([eb(key, '=', k), eb('id', cmp, id)])])
        return eb.or([
          eb(key, cmp, k),
          eb.and([eb(key, '=', k), eb('updated_at', cmp, at)]),
          eb.and([eb(key, '=', k), eb('updated_at', '=', at), eb('id', cmp, id)]),
        ])
      }),
    )
    .orderBy(key, dir)
    .$if(!byTime(f.sort), (qb) => qb.orderBy('updated_at', dir))
    .orderBy('id', dir)
    .limit(f.limit)
}

export const ticketRepository = {
  /**
   * Tickets whose wait on a third party has run out, soonest first: the predicate written as the partial
   * index ticket_third_party_due says it (a literal, so PostgreSQL's planner can use that index).
   */
  thirdPartyDue: (db: Executor, now: string, limit: number) =>
    db
      .selectFrom('ticket')
      .select(['id'])
      .where(sql<boolean>`status = 'waiting_for_third_party'`)
      .where('third_party_until', '<=', now)
      .orderBy('third_party_until')
      .orderBy('id')
      .limit(limit)
      .execute(),
  findById: (db: Executor, id: string) => db.selectFrom('ticket').selectAll().where('id', '=', id).executeTakeFirst(),
  subjectsByIds: (db: Executor, ids: readonly string[]) => db.selectFrom('ticket').select(['id', 'subject']).where('id', 'in', ids).execute(),
  findByNumber: (db: Executor, number: string) => db.selectFrom('ticket').selectAll().where('number', '=', number).executeTakeFirst(),
  /** Tickets by their numbers (the unique index), newest year first; for one requester when given. */
  findByNumbers: (db: Executor, numbers: readonly string[], requesterId?: string) =>
    numbers.length === 0
      ? Promise.resolve([] as TicketRow[])
      : db
          .selectFrom('ticket')
          .selectAll()
          .where('number', 'in', numbers)
          .$if(!!requesterId, (qb) => qb.where('requester_id', '=', requesterId!))
          .orderBy('number', 'desc')
          .execute(),
  /** The years from the newest ticket number's back to the oldest's (both ends of the number index). */
  numberYears: async (db: Executor) => {
    // Two queries: SQLite reads min() or max() from the index only when it is the query's one aggregate.
    const ends = await Promise.all([
      db.selectFrom('ticket').select((eb) => eb.fn.min('number').as('n')).executeTakeFirst(),
      db.selectFrom('ticket').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst(),
    ])
    const [first, last] = ends.map((row) => Number(String(row?.n ?? '').slice(0, 4)))
    if (!first || !last) return []
    return Array.from({ length: last - first + 1 }, (_, i) => last - i)
  },
  /** Optimistic update: applies only when the version still matches; returns whether it did. */
  updateIfVersion: async (db: Executor, id: string, version: number, patch: TicketUpdate) => {
    const result = await db.updateTable('ticket').set(patch).where('id', '=', id).where('version', '=', version).executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  },
  /**
   * A page of tickets. A full-text search is planned here, the same way on both databases (neither
   * planner can tell a rare word from a common one well enough). Sorting every match to show the newest
   * 50 is fine for a few thousand matches and far too slow for a common word with hundreds of thousands.
   * So the queue is walked newest first in batches, each batch tested against the search in one query;
   * a common word fills the page from the first batch or two. When the first batch is not enough and the
   * search has fewer than `setLimit` matching entries, the matching tickets are collected and sorted
   * instead (the set form); the same when the newest `walkWindow` tickets hold less than a page.
   */
  list: async (db: Executor, f: TicketListFilter): Promise<SortedTicketRow[]> => {
    const search = f.search
    if (search instanceof TicketTextMatch) {
      const found: SortedTicketRow[] = []
      let after = f.after
      let batch = searchPlan.firstBatch
      for (let walked = 0; walked < searchPlan.walkWindow; batch = Math.min(batch * 4, searchPlan.maxBatch)) {
        const candidates = await listQuery(db, { ...f, search: undefined, after, limit: batch }).execute()
        const matching = await search.matchingTickets(db, candidates.map((c) => c.id))
        for (const c of candidates) {
          if (matching.has(c.id)) found.push(c)
          if (found.length === f.limit) return found
        }
        if (candidates.length < batch) return found // the queue ended: this is the whole answer
        if (walked === 0 && (await search.countUpTo(db, searchPlan.setLimit)) < searchPlan.setLimit) break
        walked += batch
        const last = candidates[candidates.length - 1]
        after = keysetOf(last)
      }
    }
    return (await listQuery(db, f).execute()) as SortedTicketRow[]
  },
  /**
   * How many tickets each filter lets through, counting no further than `cap` (exact below it), in one
   * statement (a queue list's counts): one round trip instead of one per queue. undefined: a filter that
   * matches nothing (counted 0 without asking).
   */
  countsUpTo: async (db: Executor, filters: readonly (TicketFilter | undefined)[], cap: number): Promise<number[]> => {
    const asked = filters.flatMap((f, i) => (f ? [{ f, i }] : []))
    if (asked.length === 0) return filters.map(() => 0)
    const row = (await db
      .selectNoFrom(
        asked.map(({ f, i }) => (eb) =>
          eb.selectFrom(filteredTickets(db, f).select(sql<number>`1`.as('one')).limit(cap).as('hits')).select((c) => c.fn.countAll<number>().as('n')).as(`c${i}`),
        ),
      )
      .executeTakeFirstOrThrow()) as Record<string, number | string | null>
    return filters.map((_, i) => Number(row[`c${i}`] ?? 0))
  },
  /** Open tickets per assignee (the unassigned under null), in these groups when given. */
  openPerAssignee: async (db: Executor, openStatuses: readonly string[], groupIds?: readonly string[]) => {
    const rows = await db
      .selectFrom('ticket')
      .select(['assignee_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('status', 'in', openStatuses)
      .$if(!!groupIds?.length, (qb) => qb.where('group_id', 'in', groupIds!))
      .groupBy('assignee_id')
      .execute()
    return rows.map((r) => ({ assigneeId: r.assignee_id, open: Number(r.n) }))
  },
  /** New activity: the ticket moves up its queue. */
  touch: (db: Executor, id: string, at: string) => db.updateTable('ticket').set({ updated_at: at }).where('id', '=', id).execute(),
  tagsOf: async (db: Executor, ticketIds: readonly string[]) => {
    if (ticketIds.length === 0) return new Map<string, string[]>()
    const rows = await db.selectFrom('ticket_tag').selectAll().where('ticket_id', 'in', ticketIds).orderBy('tag').execute()
    return groupBy(rows, (r) => r.ticket_id, (r) => r.tag)
  },
  setTags: async (db: Executor, ticketId: string, tags: readonly string[]) => {
    await db.deleteFrom('ticket_tag').where('ticket_id', '=', ticketId).execute()
    if (tags.length) await db.insertInto('ticket_tag').values(tags.map((tag) => ({ ticket_id: ticketId, tag }))).execute()
  },
}

export const articleRepository = {
  insert: (db: Executor, row: Insertable<ArticleTable>) => db.insertInto('article').values(row).execute(),
  findById: (db: Executor, id: string) => db.selectFrom('article').selectAll().where('id', '=', id).executeTakeFirst(),
  /** A channel's findings about an article (its metadata, all of it), and the source id it went out with. */
  annotate: (db: Executor, id: string, metadata: string, sourceId?: string) =>
    db
      .updateTable('article')
      .set({ metadata, ...(sourceId !== undefined && { source_id: sourceId }) })
      .where('id', '=', id)
      .execute(),
  findBySource: (db: Executor, channel: string, sourceId: string) =>
    db.selectFrom('article').selectAll().where('channel', '=', channel).where('source_id', '=', sourceId).executeTakeFirst(),
  /** The articles filed under any of these external ids, oldest first (mail ingest looks a batch up at once). */
  findFirstBySources: (db: Executor, channel: string, sourceIds: readonly string[]) =>
    db
      .selectFrom('article')
      .select(['id', 'ticket_id', 'channel', 'direction', 'body', 'content_type', 'metadata', 'author_id', 'source_id'])
      .where('channel', '=', channel)
      .where('source_id', 'in', sourceIds)
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
  /** The ticket that holds any of these external ids (mail threading by In-Reply-To/References). */
  findTicketIdBySourceIds: async (db: Executor, channel: string, sourceIds: readonly string[]) => {
    if (sourceIds.length === 0) return undefined
    const row = await db
      .selectFrom('article')
      .select('ticket_id')
      .where('channel', '=', channel)
      .where('source_id', 'in', sourceIds)
      .orderBy('created_at', 'desc')
      .executeTakeFirst()
    return row?.ticket_id
  },
  /** The metadata of the customer's newest message on the ticket by this channel (where a reply goes). */
  lastInboundMetadata: async (db: Executor, ticketId: string, channel: string) =>
    (
      await db
        .selectFrom('article')
        .select('metadata')
        .where('ticket_id', '=', ticketId)
        .where('channel', '=', channel)
        .where('direction', '=', 'in')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
    )?.metadata,
  listForTicket: (db: Executor, ticketId: string, includeInternal: boolean) =>
    db
      .selectFrom('article')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .$if(!includeInternal, (qb) => qb.where('visibility', '=', 'public'))
      .orderBy('created_at')
      .orderBy('id')
      .execute(),
}

export const attachmentRepository = {
  insert: (db: Executor, row: Insertable<AttachmentTable>) => db.insertInto('attachment').values(row).execute(),
  findById: (db: Executor, id: string) => db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst(),
  listForArticles: async (db: Executor, articleIds: readonly string[]) => {
    if (articleIds.length === 0) return new Map<string, AttachmentTable[]>()
    const rows = await db.selectFrom('attachment').selectAll().where('article_id', 'in', articleIds).orderBy('created_at').execute()
    return groupBy(rows, (r) => r.article_id!, (r) => r)
  },
  /** Links uploaded attachments to the article that sends them; only unlinked uploads of this ticket qualify. */
  linkToArticle: async (db: Executor, ticketId: string, articleId: string, ids: readonly string[]) => {
    if (ids.length === 0) return 0
    const result = await db
      .updateTable('attachment')
      .set({ article_id: articleId })
      .where('ticket_id', '=', ticketId)
      .where('article_id', 'is', null)
      .where('id', 'in', ids)
      .executeTakeFirst()
    return Number(result.numUpdatedRows)
  },
}

export const historyRepository = {
  insertMany: (db: Executor, rows: Insertable<TicketHistoryTable>[]) =>
    rows.length ? db.insertInto('ticket_history').values(rows).execute() : Promise.resolve(),
  listForTicket: (db: Executor, ticketId: string) =>
    db.selectFrom('ticket_history').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute(),
}

/** When each user last opened each ticket: queue rows with a newer customer message show as unread. */
export const seenRepository = {
  mark: (db: Executor, userId: string, ticketId: string, at: string) =>
    db
      .insertInto('ticket_seen')
      .values({ user_id: userId, ticket_id: ticketId, seen_at: at })
      .onConflict((oc) => oc.columns(['user_id', 'ticket_id']).doUpdateSet({ seen_at: at }))
      .execute(),
  /** Of these tickets, those with a customer message (direction in) after the user last opened them, or never opened. */
  unseen: async (db: Executor, userId: string, ids: readonly string[]) =>
    (
      await db
        .selectFrom('article')
        .leftJoin('ticket_seen', (j) => j.onRef('ticket_seen.ticket_id', '=', 'article.ticket_id').on('ticket_seen.user_id', '=', userId))
        .select('article.ticket_id')
        .where('article.ticket_id', 'in', ids)
        .where('article.direction', '=', 'in')
        .where((eb) => eb.or([eb('ticket_seen.seen_at', 'is', null), eb('article.created_at', '>', eb.ref('ticket_seen.seen_at'))]))
        .groupBy('article.ticket_id')
        .execute()
    ).map((r) => r.ticket_id),
}
