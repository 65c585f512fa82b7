import type { Kysely } from 'kysely'

// Frozen in time: this file never imports application code.
//
// Review dates told to the owner group (issue 17): per article, the review date its group was last told
// about (review_notified_for), so each article and review date is told once however often or wherever
// the daily check runs. A notification may be about an article instead of a ticket (article_id, with
// its title as it was when told).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('kb_article').addColumn('review_notified_for', 'text').execute()
  await db.schema.alterTable('notification').addColumn('article_id', 'text').execute()
  await db.schema.alterTable('notification').addColumn('article_title', 'text').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notification').dropColumn('article_title').execute()
  await db.schema.alterTable('notification').dropColumn('article_id').execute()
  await db.schema.alterTable('kb_article').dropColumn('review_notified_for').execute()
}
