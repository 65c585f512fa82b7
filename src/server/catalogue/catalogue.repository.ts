import { sql } from 'kysely'
import type { CatalogCategoryTable, CatalogItemTable, CatalogRequestStepTable, CatalogRequestTable, Executor } from '../db/schema.js'

export const categoryRepository = {
  list: (db: Executor) => db.selectFrom('catalog_category').selectAll().orderBy('position').orderBy('name').execute(),
  findById: (db: Executor, id: string) => db.selectFrom('catalog_category').selectAll().where('id', '=', id).executeTakeFirst(),
  findByName: (db: Executor, name: string) => db.selectFrom('catalog_category').selectAll().where('name', '=', name).executeTakeFirst(),
  insert: (db: Executor, row: CatalogCategoryTable) => db.insertInto('catalog_category').values(row).execute(),
  update: (db: Executor, id: string, patch: Partial<CatalogCategoryTable>) => db.updateTable('catalog_category').set(patch).where('id', '=', id).execute(),
}

export const itemRepository = {
  list: (db: Executor, opts: { categoryId?: string; activeOnly: boolean }) => {
    let query = db.selectFrom('catalog_item').selectAll()
    if (opts.categoryId) query = query.where('category_id', '=', opts.categoryId)
    if (opts.activeOnly) query = query.where('active', '=', 1)
    return query.orderBy('position').orderBy('title').execute()
  },
  findById: (db: Executor, id: string) => db.selectFrom('catalog_item').selectAll().where('id', '=', id).executeTakeFirst(),
  insert: (db: Executor, row: CatalogItemTable) => db.insertInto('catalog_item').values(row).execute(),
  update: (db: Executor, id: string, patch: Partial<CatalogItemTable>) => db.updateTable('catalog_item').set(patch).where('id', '=', id).execute(),
  /** "This choice did not fit my question", counted per item. */
  async misfitCounts(db: Executor, itemIds: string[]): Promise<Map<string, number>> {
    if (itemIds.length === 0) return new Map()
    const rows = await db
      .selectFrom('catalog_misfit')
      .select(['item_id', sql<number | string>`count(*)`.as('n')])
      .where('item_id', 'in', itemIds)
      .groupBy('item_id')
      .execute()
    return new Map(rows.map((r) => [r.item_id, Number(r.n)]))
  },
  insertMisfit: (db: Executor, row: { id: string; item_id: string; user_id: string; created_at: string }) => db.insertInto('catalog_misfit').values(row).execute(),
}

export const requestRepository = {
  insert: async (db: Executor, row: CatalogRequestTable, steps: CatalogRequestStepTable[]) => {
    await db.insertInto('catalog_request').values(row).execute()
    if (steps.length > 0) await db.insertInto('catalog_request_step').values(steps).execute()
  },
  find: (db: Executor, ticketId: string) => db.selectFrom('catalog_request').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst(),
  steps: (db: Executor, ticketId: string) => db.selectFrom('catalog_request_step').selectAll().where('ticket_id', '=', ticketId).orderBy('position').execute(),
  /** The requests behind these tickets (a person's export). */
  ofTickets: (db: Executor, ticketIds: readonly string[]) =>
    ticketIds.length ? db.selectFrom('catalog_request').selectAll().where('ticket_id', 'in', [...ticketIds]).execute() : Promise.resolve([]),
  /**
   * Anonymising tickets (privacy/: erasure, retention): every answer's value is replaced, while the item,
   * the questions and the fulfilment steps stay for statistics. The files asked for are the tickets'
   * attachments and go with them.
   */
  async anonymiseAnswers(db: Executor, ticketIds: readonly string[], replacement: string): Promise<void> {
    for (const row of await requestRepository.ofTickets(db, ticketIds)) {
      const answers = (JSON.parse(row.answers) as { value: string }[]).map((a) => ({ ...a, value: replacement }))
      await db.updateTable('catalog_request').set({ answers: JSON.stringify(answers) }).where('ticket_id', '=', row.ticket_id).execute()
    }
  },
  setStep: (db: Executor, ticketId: string, position: number, doneAt: string | null, doneBy: string | null) =>
    db.updateTable('catalog_request_step').set({ done_at: doneAt, done_by: doneBy }).where('ticket_id', '=', ticketId).where('position', '=', position).executeTakeFirst(),
}
