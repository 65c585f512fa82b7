import { stemmer as dutchStem } from '@orama/stemmers/dutch'
import { stemmer as englishStem } from '@orama/stemmers/english'

/** Lower case, accents folded ("café" → "cafe", "één" → "een"): search is accent-insensitive everywhere. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
}

const WORD = /[\p{L}\p{N}]+/gu
export const searchTerms = (text: string): string[] => foldText(text).match(WORD) ?? []

/** Each word with its Dutch and English stems, for an index that has no stemmer of its own (SQLite FTS5). */
export function stemVariants(word: string): string[] {
  if (word.length < 3 || /^\d+$/.test(word)) return [word]
  return [...new Set([word, dutchStem(word), englishStem(word)])]
}

/** The words SQLite's index holds for a text: every word followed by its stems. */
export const indexTokens = (text: string): string[] => searchTerms(text).flatMap(stemVariants)

/** The text written to SQLite's index: its index tokens. */
export const expandForIndex = (text: string): string => indexTokens(text).join(' ')

/** An FTS5 MATCH expression: every query word must match, by itself or one of its stems. */
export function fts5Query(query: string): string | null {
  const words = searchTerms(query).slice(0, 16)
  if (words.length === 0) return null
  return words.map((w) => '(' + stemVariants(w).map((v) => `"${v}"`).join(' OR ') + ')').join(' AND ')
}
