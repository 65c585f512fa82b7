import { PLACEHOLDERS, type PlaceholderName } from '../../shared/api/templates.js'
import { AppError } from '../errors.js'

/** Every accepted name (Dutch and English alias) → its Dutch name. */
const CANONICAL = new Map<string, PlaceholderName>(PLACEHOLDERS.flatMap(([nl, en]) => [[nl, nl] as const, [en, nl] as const]))

interface Part {
  text?: string
  placeholder?: { written: string; name: PlaceholderName }
}

/** Line and column (both from 1) of a character offset, as an editor shows them. */
function place(text: string, offset: number) {
  const before = text.slice(0, offset)
  const line = before.split('\n').length
  return { line, column: offset - before.lastIndexOf('\n') }
}

class MarkupError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(`line ${line}, column ${column}: ${message}`)
  }
}

/**
 * The text split into plain parts and placeholders. Throws a MarkupError naming the line and column of
 * the first unclosed `{{`, stray `}}` or unknown name.
 */
function parse(text: string): Part[] {
  const parts: Part[] = []
  let at = 0
  while (at < text.length) {
    const open = text.indexOf('{{', at)
    const strayClose = text.indexOf('}}', at)
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      const p = place(text, strayClose)
      throw new MarkupError(p.line, p.column, "'}}' closes nothing; a placeholder is written as {{klant.voornaam}}")
    }
    if (open === -1) {
      parts.push({ text: text.slice(at) })
      break
    }
    if (open > at) parts.push({ text: text.slice(at, open) })
    const close = text.indexOf('}}', open + 2)
    const nextOpen = text.indexOf('{{', open + 2)
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      const p = place(text, open)
      throw new MarkupError(p.line, p.column, "'{{' is not closed with '}}'")
    }
    const written = text.slice(open + 2, close).trim()
    const name = CANONICAL.get(written)
    if (!name) {
      const p = place(text, open)
      throw new MarkupError(p.line, p.column, written ? `unknown placeholder {{${written}}}` : 'empty placeholder {{}}')
    }
    parts.push({ placeholder: { written, name } })
    at = close + 2
  }
  return parts
}

/**
 * The template placeholders left in a text, as written ("klant.voornaam"): a reply to a customer with
 * any of them is refused, so raw braces never reach a customer whichever client sent it.
 */
export function placeholdersLeftIn(text: string): string[] {
  const left = new Set<string>()
  for (const m of text.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) if (CANONICAL.has(m[1])) left.add(m[1])
  return [...left]
}

/** Refuses (400) a template text with broken markup or an unknown placeholder, naming the field and the place. */
export function checkTemplateText(text: string, field: string): void {
  try {
    parse(text)
  } catch (err) {
    if (err instanceof MarkupError) throw AppError.validation(`${field}: ${err.message}`, { field, line: err.line, column: err.column })
    throw err
  }
}

export type PlaceholderValues = Partial<Record<PlaceholderName, string>>

/**
 * The text with every placeholder filled in. `missing` names (as written) those without a value; they
 * stay in the text as written, so the agent sees where something has to be filled in by hand.
 */
export function renderTemplateText(text: string, values: PlaceholderValues): { text: string; missing: string[] } {
  const missing = new Set<string>()
  const out = parse(text)
    .map((part) => {
      if (part.text !== undefined) return part.text
      const { written, name } = part.placeholder!
      const value = values[name]?.trim()
      if (value) return value
      missing.add(written)
      return `{{${written}}}`
    })
    .join('')
  return { text: out, missing: [...missing] }
}

const MONTHS = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
}

/** "7 december 2026" (Dutch) or "7 December 2026", in the Netherlands' time zone. */
export function longDate(at: Date, language: 'nl' | 'en'): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'numeric', year: 'numeric' }).formatToParts(at)
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value)
  return `${get('day')} ${MONTHS[language][get('month') - 1]} ${get('year')}`
}

/** The first name of a display name ("Anna de Vries" → "Anna"); none when the name is an e-mail address. */
export function firstNameOf(name: string | null | undefined): string | undefined {
  const trimmed = name?.trim()
  if (!trimmed || trimmed.includes('@')) return undefined
  return trimmed.split(/\s+/)[0]
}
