import type { Calendar } from '../../../shared/api/calendars.js'
import { ApiError } from '../api.js'

/** The weekdays in the order of the week, as the API names them. */
export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const
export type Weekday = (typeof WEEKDAYS)[number]
export type WeeklyHours = Calendar['hours']
export interface OpenRange {
  from: string
  to: string
}

/** A new calendar starts as office hours: Monday to Friday 08:30–17:00. */
export const OFFICE_HOURS: WeeklyHours = Object.fromEntries(
  WEEKDAYS.map((d) => [d, d === 'saturday' || d === 'sunday' ? [] : [{ from: '08:30', to: '17:00' }]]),
) as WeeklyHours

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5))

/**
 * What is wrong with the stretches of one day, for the sentence beside it: the first that ends before it
 * starts, else the first two that overlap (the server refuses both with 422 naming `hours.<weekday>`).
 */
export function dayProblem(ranges: readonly OpenRange[]): { kind: 'backwards'; range: OpenRange } | { kind: 'overlap'; first: OpenRange; second: OpenRange } | null {
  const backwards = ranges.find((r) => minutes(r.to) <= minutes(r.from))
  if (backwards) return { kind: 'backwards', range: backwards }
  const sorted = [...ranges].sort((a, b) => minutes(a.from) - minutes(b.from))
  for (let i = 1; i < sorted.length; i++) if (minutes(sorted[i].from) < minutes(sorted[i - 1].to)) return { kind: 'overlap', first: sorted[i - 1], second: sorted[i] }
  return null
}

/**
 * The week in short: days with the same hours after each other as one stretch
 * (`[{ days: ['monday', 'friday'], ranges }]`, first and last day), closed days left out.
 */
export function weekSummary(hours: WeeklyHours): { first: Weekday; last: Weekday; ranges: OpenRange[] }[] {
  const out: { first: Weekday; last: Weekday; ranges: OpenRange[] }[] = []
  const key = (d: Weekday) => hours[d].map((r) => `${r.from}-${r.to}`).join(',')
  for (const day of WEEKDAYS) {
    if (hours[day].length === 0) continue
    const prev = out.at(-1)
    if (prev && key(prev.last) === key(day) && WEEKDAYS.indexOf(prev.last) === WEEKDAYS.indexOf(day) - 1) prev.last = day
    else out.push({ first: day, last: day, ranges: hours[day] })
  }
  return out
}

/**
 * The problem's `errors[]` by field: a 422's `hours.tuesday`, `timeZone`, `closingDays.0.date`, a 409's `name`
 * (in use); a 400 on one time (`hours.tuesday.1.from`) counts for its day.
 */
export function fieldErrors(error: unknown): Set<string> {
  if (!(error instanceof ApiError)) return new Set()
  const list = (error.body.errors as { field?: string }[] | undefined) ?? []
  return new Set(list.map((e) => e.field?.replace(/^(hours\.[a-z]+)\..*$/, '$1')).filter((f): f is string => !!f))
}
