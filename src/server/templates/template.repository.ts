import { type Insertable, sql, type Updateable } from 'kysely'
import type { Executor, TemplateTable } from '../db/schema.js'

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
  countUse: (db: Executor, id: string) =>
    db.updateTable('template').set((eb) => ({ usage_count: eb('usage_count', '+', 1) })).where('id', '=', id).execute(),
}
