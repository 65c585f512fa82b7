import { stemmer as dutchStem } from '@orama/stemmers/dutch'
import { stemmer as englishStem } from '@orama/stemmers/english'

/**
 * Words longer than this are indexed and searched as they are, without their stems. The stemmers'
 * time grows faster than a word's length (one 128,000-letter word took over a minute, and stalled the
 * server): no real word is this long, Dutch compounds included ("arbeidsongeschiktheidsverzekering" is 33).
 */
export const MAX_STEMMED_WORD = 64

/**
 * The most of one text (a subject or an article) that goes into the search index, in characters:
 * the rest of a very long text is stored and shown, but not searched. Also PostgreSQL's limit: its
 * tsvector holds at most 1 MB, and three stemmings of 100,000 characters stay well within it.
 */
export const MAX_INDEXED_TEXT = 100_000

/** A search uses the first 16 words of the first 500 characters of what was typed. */
export const MAX_QUERY_TEXT = 500
export const MAX_QUERY_WORDS = 16

/** Lower case, accents folded ("café" → "cafe", "één" → "een"): search is accent-insensitive everywhere. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase()
}

/**
 * The part of a text the search index holds: folded, and no longer than MAX_INDEXED_TEXT (cut before
 * folding too, so a megabyte is never folded whole).
 */
export const indexableText = (text: string): string => foldText(text.slice(0, MAX_INDEXED_TEXT)).slice(0, MAX_INDEXED_TEXT)

/**
 * Each whitespace-separated part of a text once, in first-seen order. PostgreSQL's ticket search asks only
 * whether every word is present (no ranking, no phrases), and its parser never makes a token across
 * whitespace, so the repeats add nothing to the index but stemming time: to_tsvector with three
 * configurations is most of what a new mail costs PostgreSQL (1.8 ms for a 714-word Dutch text, 1.0 ms
 * once each word is there once; a 9 KB mail of common words 3 ms).
 */
export function distinctParts(text: string): string {
  const seen = new Set<string>()
  for (const part of text.split(/\s+/)) if (part) seen.add(part)
  return [...seen].join(' ')
}

const WORD = /[\p{L}\p{N}]+/gu
export const searchTerms = (text: string): string[] => foldText(text).match(WORD) ?? []

/** The words a search looks for: at most MAX_QUERY_WORDS from the first MAX_QUERY_TEXT characters. */
export const queryTerms = (query: string): string[] => searchTerms(query.slice(0, MAX_QUERY_TEXT)).slice(0, MAX_QUERY_WORDS)

/**
 * Each word with its Dutch and English stems, for an index that has no stemmer of its own (SQLite FTS5).
 * Remembered: stemming every word twice was a tenth of the CPU time of creating a ticket, and a desk's
 * vocabulary is small. Bounded: the memory is dropped when it holds 50,000 words.
 */
export function stemVariants(word: string): string[] {
  if (word.length < 3 || word.length > MAX_STEMMED_WORD || /^\d+$/.test(word)) return [word]
  let variants = stemmed.get(word)
  if (variants === undefined) {
    if (stemmed.size >= 50_000) stemmed.clear()
    stemmed.set(word, (variants = [...new Set([word, dutchStem(word), englishStem(word)])]))
  }
  return variants
}
const stemmed = new Map<string, string[]>()

/** The words SQLite's index holds for a text: every word of its indexable part followed by its stems. */
export const indexTokens = (text: string): string[] => (indexableText(text).match(WORD) ?? []).flatMap(stemVariants)

/** The text written to SQLite's index: its index tokens. */
export const expandForIndex = (text: string): string => indexTokens(text).join(' ')

/** An FTS5 MATCH expression: every query word must match, by itself or one of its stems. */
export function fts5Query(query: string): string | null {
  const words = queryTerms(query)
  if (words.length === 0) return null
  return words.map((w) => '(' + stemVariants(w).map((v) => `"${v}"`).join(' OR ') + ')').join(' AND ')
}

/**
 * Which groups of texts (a ticket's subject and articles) hold every query word, by itself or by one of
 * its stems, as SQLite's index would match them. Each group as a set of index tokens.
 */
export function matchingGroups(words: readonly string[], groups: readonly (readonly string[])[]): number[] {
  const wanted = words.map(stemVariants)
  const matching: number[] = []
  groups.forEach((texts, i) => {
    const tokens = new Set(texts.flatMap(indexTokens))
    if (wanted.every((variants) => variants.some((v) => tokens.has(v)))) matching.push(i)
  })
  return matching
}
