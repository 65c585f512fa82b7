import { AppError } from './errors.js'

/** Opaque keyset cursors: base64url JSON of the last row's sort key. */
export const encodeCursor = (key: Record<string, string | number>) => Buffer.from(JSON.stringify(key)).toString('base64url')

export function decodeCursor<K extends string>(cursor: string | undefined, keys: readonly K[]): Record<K, string> | undefined {
  if (cursor === undefined) return undefined
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown
    if (value && typeof value === 'object' && keys.every((k) => typeof (value as Record<string, unknown>)[k] === 'string')) {
      return value as Record<K, string>
    }
  } catch {
    // fall through to the one clear error below
  }
  throw AppError.validation('The cursor is not valid; start again without one.', { field: 'cursor' })
}

export function pageOf<T, R>(rows: R[], limit: number, toItem: (r: R) => T, keyOf: (r: R) => Record<string, string>) {
  const more = rows.length > limit
  const page = more ? rows.slice(0, limit) : rows
  return { items: page.map(toItem), nextCursor: more ? encodeCursor(keyOf(page[page.length - 1])) : null }
}
