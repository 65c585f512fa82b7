import type { Expression, Insertable, SqlBool } from 'kysely'
import { TicketTextMatch } from '../db/dialect.js'
import { groupBy } from '../db/rows.js'
import type {
  ArticleTable, AttachmentTable, Executor, TicketHistoryTable, TicketRow, TicketUpdate,
} from '../db/schema.js'

export interface TicketListFilter {
  statuses?: string[]
  groupId?: string
  assigneeId?: string | null
  requesterId?: string
  organisationId?: string
  priorities?: string[]
  types?: string[]
  channels?: string[]
  /** Tickets this user moved to a 2nd- or 3rd-line group that are still there. */
  escalatedBy?: string
  search?: Expression<SqlBool> | null
  sort: 'updated_at' | 'created_at'
  descending: boolean
  after?: { at: string; id: string }
  limit: number
}

/**
 * Full-text planning in ticket lists (see ticketRepository.list): the queue is walked newest first in
 * batches (`firstBatch`, growing fourfold up to `maxBatch`), for at most `walkWindow` tickets, unless the
 * first batch falls short and fewer than `setLimit` entries match. Tests lower these.
 */
export const searchPlan = { setLimit: 5_000, firstBatch: 200, maxBatch: 3_200, walkWindow: 20_000 }

function listQuery(db: Executor, f: TicketListFilter) {
  const dir = f.descending ? 'desc' : 'asc'
  const cmp = f.descending ? '<' : '>'
  return db
    .selectFrom('ticket')
    .selectAll()
    .$if(!!f.statuses?.length, (qb) => (f.statuses!.length === 1 ? qb.where('status', '=', f.statuses![0]) : qb.where('status', 'in', f.statuses!)))
    .$if(!!f.groupId, (qb) => qb.where('group_id', '=', f.groupId!))
    .$if(f.assigneeId !== undefined, (qb) => (f.assigneeId === null ? qb.where('assignee_id', 'is', null) : qb.where('assignee_id', '=', f.assigneeId!)))
    .$if(!!f.requesterId, (qb) => qb.where('requester_id', '=', f.requesterId!))
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
    .$if(!!f.after, (qb) =>
      qb.where((eb) => eb.or([eb(f.sort, cmp, f.after!.at), eb.and([eb(f.sort, '=', f.after!.at), eb('id', cmp, f.after!.id)])])),
    )
    .orderBy(f.sort, dir)
    .orderBy('id', dir)
    .limit(f.limit)
}

export const ticketRepository = {
  findById: (db: Executor, id: string) => db.selectFrom('ticket').selectAll().where('id', '=', id).executeTakeFirst(),
  findByNumber: (db: Executor, number: string) => db.selectFrom('ticket').selectAll().where('number', '=', number).executeTakeFirst(),
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
  list: async (db: Executor, f: TicketListFilter): Promise<TicketRow[]> => {
    const search = f.search
    if (search instanceof TicketTextMatch) {
      const found: TicketRow[] = []
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
        after = { at: last[f.sort], id: last.id }
      }
    }
    return listQuery(db, f).execute()
  },
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
  findBySource: (db: Executor, channel: string, sourceId: string) =>
    db.selectFrom('article').selectAll().where('channel', '=', channel).where('source_id', '=', sourceId).executeTakeFirst(),
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
