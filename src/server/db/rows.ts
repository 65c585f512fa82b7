import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely'
import type { DB } from './schema.js'

/** Rows grouped under a key: the shape of every "the tags/members/domains of these ids" lookup. */
export function groupBy<R, V>(rows: readonly R[], keyOf: (row: R) => string, valueOf: (row: R) => V): Map<string, V[]> {
  const map = new Map<string, V[]>()
  for (const row of rows) {
    const key = keyOf(row)
    const list = map.get(key)
    if (list) list.push(valueOf(row))
    else map.set(key, [valueOf(row)])
  }
  return map
}

/** Keyset paging for lists sorted by name, then id: the rows after the last one shown. */
export const afterNameAndId =
  (after: { name: string; id: string }) =>
  // Any table with `name` and `id` columns; Kysely cannot say that generically, hence `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (eb: ExpressionBuilder<any, any>) =>
    eb.or([eb('name', '>', after.name), eb.and([eb('name', '=', after.name), eb('id', '>', after.id)])])

/** Drops LIKE wildcards from user input, so a name search is always a plain substring match. */
export const containsPattern = (value: string) => `%${value.toLowerCase().replace(/[%_]/g, '')}%`

/** `select count(*)` of a query, as a number on both databases (PostgreSQL returns a bigint as a string). */
export async function countRows(qb: SelectQueryBuilder<DB, keyof DB, object>): Promise<number> {
  const row = await qb.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow()
  return Number(row.n)
}
