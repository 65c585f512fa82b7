import type { CatalogField } from './api/catalogue.js'

/**
 * A catalogue form's rules, the same for the portal (as the customer fills it in) and the server (which
 * decides). No runtime imports, so the portal's small bundle can use it.
 */
/** The kinds of field an administrator can put on a form. */
export const FIELD_TYPES = ['text', 'longtext', 'choice', 'date', 'file', 'yesno'] as const

export type FormValues = Record<string, string | boolean>

const hasValue = (value: string | boolean | undefined) => (typeof value === 'boolean' ? value : value !== undefined && value.trim() !== '')

/** The fields to show and ask, given the values so far: a conditional field only when its condition holds. */
export function visibleFields(fields: readonly CatalogField[], values: FormValues): CatalogField[] {
  const shown = new Set<string>()
  const result: CatalogField[] = []
  for (const field of fields) {
    const when = field.showWhen
    if (when) {
      if (!shown.has(when.field)) continue
      const other = values[when.field]
      const holds = when.equals === undefined ? hasValue(other) : String(other ?? '') === when.equals
      if (!holds) continue
    }
    shown.add(field.key)
    result.push(field)
  }
  return result
}

/**
 * What is wrong with an answer. `number` and `fit` come only from the server's `answer-does-not-fit`
 * problem (an answer that cannot fill the ticket field it is mapped to); the form itself finds the rest.
 */
export type FieldProblem = { key: string; problem: 'required' | 'option' | 'date' | 'type' | 'number' | 'fit' }

/** What is wrong with the values of the visible fields (empty when they may be sent). */
export function formProblems(fields: readonly CatalogField[], values: FormValues): FieldProblem[] {
  const problems: FieldProblem[] = []
  for (const field of visibleFields(fields, values)) {
    const value = values[field.key]
    if (!hasValue(value) && !(field.type === 'yesno' && value === false)) {
      if (field.required) problems.push({ key: field.key, problem: 'required' })
      continue
    }
    if ((field.type === 'yesno') !== (typeof value === 'boolean')) problems.push({ key: field.key, problem: 'type' })
    else if (field.type === 'choice' && !(field.options ?? []).includes(String(value))) problems.push({ key: field.key, problem: 'option' })
    else if (field.type === 'date' && !isDate(String(value))) problems.push({ key: field.key, problem: 'date' })
  }
  return problems
}

function isDate(value: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
}

/**
 * Which ticket field types a form's answer may fill in (the catalogue editor's "fill ticket field … with
 * this answer"), by the answer's kind: the editor offers these, the server refuses others.
 */
export const TICKET_FIELD_FITS: Record<string, readonly CatalogField['type'][]> = {
  text: ['text', 'longtext', 'choice', 'date'],
  number: ['text'],
  date: ['date'],
  yes_no: ['yesno'],
  choice: ['choice'],
  multi_choice: ['choice'],
}
