import type { Executor } from '../db/schema.js'
import type { IndexedKind } from './knowledge-search.js'

/** What was used on which ticket: a template inserted in a reply, an article linked or sent. */
export const knowledgeUseRepository = {
  /** Once per ticket: using it again on the same ticket changes nothing. */
  record: (db: Executor, use: { kind: IndexedKind; refId: string; ticketId: string; userId: string | null; at: string }) =>
    db
      .insertInto('knowledge_use')
      .values({ kind: use.kind, ref_id: use.refId, ticket_id: use.ticketId, user_id: use.userId, created_at: use.at })
      .onConflict((oc) => oc.columns(['kind', 'ref_id', 'ticket_id']).doNothing())
      .execute(),
  /** On how many tickets each of these was used. */
  async counts(db: Executor, kind: IndexedKind, refIds: readonly string[]): Promise<Map<string, number>> {
    if (refIds.length === 0) return new Map()
    const rows = await db
      .selectFrom('knowledge_use')
      .select(['ref_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', '=', kind)
      .where('ref_id', 'in', refIds)
      .groupBy('ref_id')
      .execute()
    return new Map(rows.map((r) => [r.ref_id, Number(r.n)]))
  },
  forTicket: (db: Executor, ticketId: string) =>
    db.selectFrom('knowledge_use').select(['kind', 'ref_id']).where('ticket_id', '=', ticketId).execute(),
}
