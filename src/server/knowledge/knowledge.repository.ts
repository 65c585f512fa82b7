import { type Insertable, sql, type Updateable } from 'kysely'
import type { ArticleStatus, ArticleVisibility } from '../../shared/api/knowledge.js'
import type { Executor, KbArticleTable, KbArticleVersionTable, KbCategoryTable } from '../db/schema.js'
import type { Match } from './knowledge-search.js'

export interface ArticleFilter {
  match?: Match
  statuses?: readonly ArticleStatus[]
  visibility?: ArticleVisibility
  categoryId?: string
  /** Only articles past their review date (YYYY-MM-DD), of these owner groups when given. */
  reviewDueOn?: { today: string; groupIds?: readonly string[] }
  limit: number
}

export const articleRepository = {
  /** Best matches first when searching; otherwise the latest changed first. */
  list: (db: Executor, f: ArticleFilter) => {
    let q = db.selectFrom('kb_article').selectAll('kb_article')
    // With a full-text match, the matches lead: the status index would make SQLite walk every published
    // article and look each one up in the matches (20 ms at 10,000 articles, for a handful of matches).
    if (f.statuses) q = q.where(f.match ? sql<string>`${sql.ref('kb_article.status')} || ''` : sql.ref('kb_article.status'), 'in', f.statuses)
    if (f.visibility) q = q.where('kb_article.visibility', '=', f.visibility)
    if (f.categoryId) q = q.where('kb_article.category_id', '=', f.categoryId)
    if (f.reviewDueOn) {
      q = q.where('kb_article.review_at', '<=', f.reviewDueOn.today).where('kb_article.status', '!=', 'archived')
      const groups = f.reviewDueOn.groupIds
      if (groups) q = groups.length ? q.where('kb_article.owner_group_id', 'in', groups) : q.where(sql<boolean>`1 = 0`)
    }
    if (f.match) {
      return q
        .innerJoin(f.match.table.as('m'), (join) => join.onRef('m.ref_id', '=', 'kb_article.id'))
        .select('m.score')
        .orderBy('m.score', 'desc')
        .orderBy('kb_article.id')
        .limit(f.limit)
        .execute()
    }
    return q.select(sql<number>`0`.as('score')).orderBy('kb_article.updated_at', 'desc').orderBy('kb_article.id').limit(f.limit).execute()
  },
  findById: (db: Executor, id: string) => db.selectFrom('kb_article').selectAll().where('id', '=', id).executeTakeFirst(),
  findBySlug: (db: Executor, slug: string) => db.selectFrom('kb_article').selectAll().where('slug', '=', slug).executeTakeFirst(),
  slugsLike: async (db: Executor, slug: string) =>
    new Set((await db.selectFrom('kb_article').select('slug').where('slug', 'like', `${slug}%`).execute()).map((r) => r.slug)),
  insert: (db: Executor, row: Insertable<KbArticleTable>) => db.insertInto('kb_article').values(row).execute(),
  update: (db: Executor, id: string, expectedVersion: number, patch: Updateable<KbArticleTable>) =>
    db.updateTable('kb_article').set(patch).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst(),
  /** Articles whose review date has come (on or before `today`), with an owner group not yet told about that date. */
  reviewsToTell: (db: Executor, today: string, limit: number) =>
    db
      .selectFrom('kb_article')
      .select(['id', 'title', 'owner_group_id', 'review_at'])
      .where('review_at', '<=', today)
      .where('owner_group_id', 'is not', null)
      .where('status', '!=', 'archived')
      .where((eb) => eb.or([eb('review_notified_for', 'is', null), eb('review_notified_for', '!=', eb.ref('review_at'))]))
      .orderBy('review_at')
      .orderBy('id')
      .limit(limit)
      .execute(),
  /**
   * Marks this article's review date as told; false when it was told already (by another worker in the
   * meantime) or the date changed since it was read: then this one tells nothing.
   */
  markReviewTold: async (db: Executor, id: string, reviewAt: string) =>
    Number(
      (
        await db
          .updateTable('kb_article')
          .set({ review_notified_for: reviewAt })
          .where('id', '=', id)
          .where('review_at', '=', reviewAt)
          .where((eb) => eb.or([eb('review_notified_for', 'is', null), eb('review_notified_for', '!=', reviewAt)]))
          .executeTakeFirst()
      ).numUpdatedRows,
    ) === 1,
  insertVersion: (db: Executor, row: Insertable<KbArticleVersionTable>) => db.insertInto('kb_article_version').values(row).execute(),
  versions: (db: Executor, articleId: string) =>
    db.selectFrom('kb_article_version').selectAll().where('article_id', '=', articleId).orderBy('version', 'desc').execute(),
  version: (db: Executor, articleId: string, version: number) =>
    db.selectFrom('kb_article_version').selectAll().where('article_id', '=', articleId).where('version', '=', version).executeTakeFirst(),
}

export const categoryRepository = {
  list: (db: Executor) => db.selectFrom('kb_category').selectAll().orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('kb_category').selectAll().where('id', '=', id).executeTakeFirst(),
  findByName: (db: Executor, name: string) => db.selectFrom('kb_category').selectAll().where('name', '=', name).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<KbCategoryTable>) => db.insertInto('kb_category').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<KbCategoryTable>) => db.updateTable('kb_category').set(patch).where('id', '=', id).execute(),
}
