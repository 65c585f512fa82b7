import { type Insertable, sql, type Updateable } from 'kysely'
import type { Executor, TemplateAttachmentTable, TemplateTable } from '../db/schema.js'

/** Whose templates a reader sees: their own personal ones, and those shared with their groups or departments. */
export interface TemplateReader {
  userId: string
  groupIds: readonly string[]
  departmentIds: readonly string[]
  /** Supervisors and administrators see every shared template (to keep them in order), never others' personal ones. */
  allShared: boolean
}

const visibleTo = (reader: TemplateReader) => (q: ReturnType<typeof base>) =>
  q.where((eb) =>
    eb.or([
      eb.and([eb('scope', '=', 'personal'), eb('owner_id', '=', reader.userId)]),
      ...(reader.allShared
        ? [eb('scope', '!=', 'personal')]
        : [
            ...(reader.groupIds.length ? [eb.and([eb('scope', '=', 'group'), eb('group_id', 'in', reader.groupIds)])] : []),
            ...(reader.departmentIds.length ? [eb.and([eb('scope', '=', 'department'), eb('department_id', 'in', reader.departmentIds)])] : []),
          ]),
    ]),
  )

const base = (db: Executor) => db.selectFrom('template').selectAll()

export const templateRepository = {
  /** Search as you type: every word must occur in the title, shortcut or text; an exact shortcut first, then the most used. */
  list: (db: Executor, reader: TemplateReader, words: readonly string[], limit: number) =>
    base(db)
      .$call(visibleTo(reader))
      .$call((q) => words.reduce((acc, w) => acc.where('search_text', 'like', `%${w}%`), q))
      .orderBy(sql`CASE WHEN shortcut = ${words.join(' ')} THEN 0 ELSE 1 END`)
      .orderBy('usage_count', 'desc')
      .orderBy('title')
      .limit(limit)
      .execute(),
  /** These templates, of those the reader sees. */
  visibleByIds: (db: Executor, reader: TemplateReader, ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve([]) : base(db).$call(visibleTo(reader)).where('id', 'in', ids).execute(),
  findById: (db: Executor, id: string) => base(db).where('id', '=', id).executeTakeFirst(),
  insert: (db: Executor, row: Insertable<TemplateTable>) => db.insertInto('template').values(row).execute(),
  update: (db: Executor, id: string, expectedVersion: number, patch: Updateable<TemplateTable>) =>
    db.updateTable('template').set(patch).where('id', '=', id).where('version', '=', expectedVersion).executeTakeFirst(),
  remove: (db: Executor, id: string) => db.deleteFrom('template').where('id', '=', id).execute(),
  /** A change of the template's files: a new version, so an ETag read before no longer matches. */
  touch: (db: Executor, id: string, at: string) =>
    db.updateTable('template').set((eb) => ({ updated_at: at, version: eb('version', '+', 1) })).where('id', '=', id).execute(),
  countUse: (db: Executor, id: string) =>
    db.updateTable('template').set((eb) => ({ usage_count: eb('usage_count', '+', 1) })).where('id', '=', id).execute(),
}

/** The files templates carry (their bytes are in the blob store). */
export const templateAttachmentRepository = {
  /** Of these templates, in the order they were added. */
  forTemplates: (db: Executor, templateIds: readonly string[]) =>
    templateIds.length === 0
      ? Promise.resolve([] as TemplateAttachmentTable[])
      : db.selectFrom('template_attachment').selectAll().where('template_id', 'in', templateIds).orderBy('created_at').orderBy('id').execute(),
  find: (db: Executor, templateId: string, id: string) =>
    db.selectFrom('template_attachment').selectAll().where('template_id', '=', templateId).where('id', '=', id).executeTakeFirst(),
  count: async (db: Executor, templateId: string) =>
    Number((await db.selectFrom('template_attachment').select((eb) => eb.fn.countAll<number>().as('n')).where('template_id', '=', templateId).executeTakeFirst())?.n ?? 0),
  insert: (db: Executor, row: Insertable<TemplateAttachmentTable>) => db.insertInto('template_attachment').values(row).execute(),
  remove: async (db: Executor, templateId: string, id: string) =>
    Number((await db.deleteFrom('template_attachment').where('template_id', '=', templateId).where('id', '=', id).executeTakeFirst()).numDeletedRows),
  /** Which of these files a template still holds (an erasure keeps them in the blob store). */
  hashesInUse: async (db: Executor, hashes: readonly string[]) =>
    hashes.length === 0
      ? new Set<string>()
      : new Set((await db.selectFrom('template_attachment').select('sha256').distinct().where('sha256', 'in', [...new Set(hashes)]).execute()).map((r) => r.sha256)),
}
