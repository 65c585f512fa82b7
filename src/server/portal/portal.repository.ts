import { sql } from 'kysely'
import type { Executor } from '../db/schema.js'

export const deflectionRepository = {
  insert: (db: Executor, row: { id: string; user_id: string; article_slug: string; created_at: string }) => db.insertInto('portal_deflection').values(row).execute(),
  /** Deflections in a period: the total and the articles that answered most often. */
  async report(db: Executor, from: string | undefined, to: string | undefined) {
    let query = db.selectFrom('portal_deflection')
    if (from) query = query.where('created_at', '>=', from)
    if (to) query = query.where('created_at', '<', to)
    const total = await query.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
    const articles = await query
      .select(['article_slug', sql<number | string>`count(*)`.as('n')])
      .groupBy('article_slug')
      .orderBy(sql`count(*)`, 'desc')
      .orderBy('article_slug')
      .limit(50)
      .execute()
    return { total: Number(total.n), articles: articles.map((a) => ({ slug: a.article_slug, count: Number(a.n) })) }
  },
}
