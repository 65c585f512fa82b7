import { sql } from 'kysely'
import type { Dialect } from '../db/dialect.js'
import type { Executor } from '../db/schema.js'
import { plainTextOf } from './sanitize.js'

/**
 * Anonymising tickets in place (for privacy/: a person's erasure, a department's retention rule). What
 * a ticket says goes: its subject, the text, mail headers and attachments of its articles, subject
 * changes in its history, drafts and search entries. What statistics need stays: the ticket, its
 * number, status, priority, type, channel, group, department, tags, times and who worked on it, and
 * every article as a dated entry with its direction and author.
 */
export const ANONYMISED_SUBJECT = 'Geanonimiseerd'
export const ANONYMISED_BODY = '[geanonimiseerd]'
const ANONYMISED_METADATA = JSON.stringify({ anonymised: true })

/**
 * Removes tickets' search entries. On SQLite through the index itself (ticket_id is indexed as one
 * token): a plain WHERE on an FTS5 column would read every entry.
 */
async function deleteSearchEntries(trx: Executor, dialect: Pick<Dialect, 'kind'>, ticketIds: readonly string[]) {
  for (let i = 0; i < ticketIds.length; i += 200) {
    const ids = ticketIds.slice(i, i + 200)
    if (dialect.kind === 'postgres') await trx.deleteFrom('search_entry').where('ticket_id', 'in', ids).execute()
    else {
      const match = `ticket_id : (${ids.map((id) => `"${id.replace(/"/g, '""')}"`).join(' OR ')})`
      await sql`DELETE FROM search_entry WHERE rowid IN (SELECT rowid FROM search_entry WHERE search_entry MATCH ${match})`.execute(trx)
    }
  }
}

export const ticketAnonymisation = {
  /** The tickets a person asked: they are the requester. */
  ticketIdsOfRequester: async (db: Executor, userId: string) =>
    (await db.selectFrom('ticket').select('id').where('requester_id', '=', userId).execute()).map((r) => r.id),

  /** What a person wrote on other people's tickets (e.g. in copy of a mail, or as an agent). */
  articlesWrittenElsewhere: (db: Executor, userId: string) =>
    db
      .selectFrom('article')
      .innerJoin('ticket', 'ticket.id', 'article.ticket_id')
      .select(['article.id', 'article.ticket_id'])
      .where('article.author_id', '=', userId)
      .where('ticket.requester_id', '!=', userId)
      .execute(),

  /**
   * Removes what the given tickets say (see above); returns the SHA-256 of every attachment removed, for
   * the caller to remove from the blob store once no other attachment holds the same file.
   */
  async anonymiseTickets(trx: Executor, dialect: Pick<Dialect, 'kind'>, ticketIds: readonly string[]): Promise<{ articles: number; attachments: string[] }> {
    if (ticketIds.length === 0) return { articles: 0, attachments: [] }
    const ids = [...ticketIds]
    const attachments = await trx.selectFrom('attachment').select('sha256').where('ticket_id', 'in', ids).execute()
    await trx.deleteFrom('attachment').where('ticket_id', 'in', ids).execute()
    const articles = await trx
      .updateTable('article')
      .set({ body: ANONYMISED_BODY, content_type: 'text/plain', metadata: ANONYMISED_METADATA, source_id: null })
      .where('ticket_id', 'in', ids)
      .executeTakeFirst()
    await trx
      .updateTable('ticket')
      .set((eb) => ({ subject: ANONYMISED_SUBJECT, version: eb('version', '+', 1) }))
      .where('id', 'in', ids)
      .execute()
    await trx
      .updateTable('ticket_history')
      .set((eb) => ({
        old_value: eb.case().when('old_value', 'is', null).then(null).else(ANONYMISED_SUBJECT).end(),
        new_value: eb.case().when('new_value', 'is', null).then(null).else(ANONYMISED_SUBJECT).end(),
      }))
      .where('ticket_id', 'in', ids)
      .where('field', '=', 'subject')
      .execute()
    await trx.deleteFrom('ticket_draft').where('ticket_id', 'in', ids).execute()
    await deleteSearchEntries(trx, dialect, ids)
    return { articles: Number(articles.numUpdatedRows), attachments: attachments.map((a) => a.sha256) }
  },

  /** Removes the text, mail headers and attachments of some articles; their tickets' search entries must then be rebuilt (searchEntriesOf). */
  async anonymiseArticles(trx: Executor, articleIds: readonly string[]): Promise<{ articles: number; attachments: string[] }> {
    if (articleIds.length === 0) return { articles: 0, attachments: [] }
    const ids = [...articleIds]
    const attachments = await trx.selectFrom('attachment').select('sha256').where('article_id', 'in', ids).execute()
    await trx.deleteFrom('attachment').where('article_id', 'in', ids).execute()
    const articles = await trx
      .updateTable('article')
      .set({ body: ANONYMISED_BODY, content_type: 'text/plain', metadata: ANONYMISED_METADATA, source_id: null })
      .where('id', 'in', ids)
      .executeTakeFirst()
    return { articles: Number(articles.numUpdatedRows), attachments: attachments.map((a) => a.sha256) }
  },

  /** Which of these files an attachment still holds (the blob store keeps one copy of a file for every attachment of it). */
  async hashesInUse(db: Executor, hashes: readonly string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set()
    const rows = await db.selectFrom('attachment').select('sha256').distinct().where('sha256', 'in', [...new Set(hashes)]).execute()
    return new Set(rows.map((r) => r.sha256))
  },

  /**
   * A ticket's search texts as they are written when it grows: the subject with the first article, then
   * one per later article. For rebuilding its entries after some of its articles were anonymised.
   */
  async searchTextsOf(db: Executor, ticketId: string): Promise<string[]> {
    const ticket = await db.selectFrom('ticket').select('subject').where('id', '=', ticketId).executeTakeFirst()
    if (!ticket) return []
    const articles = await db.selectFrom('article').select(['body', 'content_type']).where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id').execute()
    const texts = articles.map((a) => plainTextOf(a.body, a.content_type))
    return [`${ticket.subject}\n${texts[0] ?? ''}`, ...texts.slice(1)]
  },

  /** Writes a ticket's search entries anew from texts made ready by dialect.searchText. */
  async replaceSearchEntries(trx: Executor, dialect: Dialect, ticketId: string, texts: Parameters<Dialect['indexText']>[2][]) {
    await deleteSearchEntries(trx, dialect, [ticketId])
    for (const text of texts) await dialect.indexText(trx, ticketId, text)
  },
}
