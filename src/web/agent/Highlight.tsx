/** Escapes a text for use inside a regular expression. */
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A text with every occurrence of the search's words marked (<mark>), without changing the text. */
export function Highlight({ text, terms }: { text: string; terms: readonly string[] }) {
  const words = terms.map((w) => w.trim()).filter((w) => w.length > 0)
  if (words.length === 0) return <>{text}</>
  const pattern = new RegExp(`(${words.map(escape).join('|')})`, 'gi')
  const parts = text.split(pattern)
  return <>{parts.map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</>
}

/** The words of a query as the full-text search reads them (letters and digits). */
export const queryWords = (q: string) => q.split(/[^\p{L}\p{N}@.+-]+/u).filter((w) => w.length > 1)
