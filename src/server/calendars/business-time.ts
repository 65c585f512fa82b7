/**
 * Business time: weekly opening hours in a time zone, Dutch public holidays computed per year, closing
 * days, and the arithmetic handoff targets need (add N business minutes to an instant; business minutes
 * between two instants). Pure: no database, no clock. Hours are local wall-clock times; each day's open
 * stretches are turned into UTC instants once (cached per calendar), so a day on which the clocks move
 * has as many minutes as really pass (08:00–17:00 is 9 hours on the last Sundays of March and October
 * as on any other day; 00:00–24:00 is 23 and 25 hours there).
 */

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const
export type Weekday = (typeof WEEKDAYS)[number]

/** One open stretch of a day, local time: `from` 00:00–23:59, `to` after it, up to 24:00. */
export interface OpenRange { from: string; to: string }
export type WeeklyHours = Record<Weekday, OpenRange[]>

export const LIBERATION_DAY = ['lustrum', 'yearly', 'never'] as const
export type LiberationDayRule = (typeof LIBERATION_DAY)[number]

export interface HolidayOptions {
  /** Whether the Dutch public holidays close the calendar at all. */
  dutchHolidays: boolean
  /** Goede Vrijdag is no official day off in the Netherlands; many organisations close anyway. */
  goodFriday: boolean
  /** Bevrijdingsdag (5 May): every five years (2025, 2030: the collective agreements' usual rule), every year, or never. */
  liberationDay: LiberationDayRule
}

export interface ClosingDay { date: string; label: string }

export interface CalendarSpec {
  timeZone: string
  hours: WeeklyHours
  holidays: HolidayOptions
  closingDays: ClosingDay[]
}

export const DEFAULT_TIME_ZONE = 'Europe/Amsterdam'

const workday = (): OpenRange[] => [{ from: '08:30', to: '17:00' }]
/** What a desk without any calendar of its own uses: Monday to Friday 08:30–17:00 in Amsterdam, Dutch holidays. */
export const BUILT_IN_CALENDAR: CalendarSpec = {
  timeZone: DEFAULT_TIME_ZONE,
  hours: { monday: workday(), tuesday: workday(), wednesday: workday(), thursday: workday(), friday: workday(), saturday: [], sunday: [] },
  holidays: { dutchHolidays: true, goodFriday: false, liberationDay: 'lustrum' },
  closingDays: [],
}

// ---------------------------------------------------------------------------------------------------
// Dates without a time: a day number (days since 1970-01-01) and ISO text.

const DAY_MS = 86_400_000
const MINUTE_MS = 60_000
const dayNumber = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / DAY_MS
export const isoDate = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10)
const parseIsoDate = (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  if (!m) return undefined
  const day = dayNumber(+m[1], +m[2], +m[3])
  return isoDate(day) === s ? day : undefined
}
export const isValidIsoDate = (s: string) => parseIsoDate(s) !== undefined
/** Monday 0 … Sunday 6. */
const weekdayOf = (day: number) => (new Date(day * DAY_MS).getUTCDay() + 6) % 7

/** Easter Sunday of a Gregorian year (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return isoDate(dayNumber(year, month, day))
}

export const HOLIDAY_KEYS = [
  'nieuwjaarsdag', 'goedeVrijdag', 'eerstePaasdag', 'tweedePaasdag', 'koningsdag', 'bevrijdingsdag',
  'hemelvaartsdag', 'eerstePinksterdag', 'tweedePinksterdag', 'eersteKerstdag', 'tweedeKerstdag',
] as const
export type HolidayKey = (typeof HOLIDAY_KEYS)[number]

export const HOLIDAY_NAMES: Record<HolidayKey, string> = {
  nieuwjaarsdag: 'Nieuwjaarsdag',
  goedeVrijdag: 'Goede Vrijdag',
  eerstePaasdag: 'Eerste Paasdag',
  tweedePaasdag: 'Tweede Paasdag',
  koningsdag: 'Koningsdag',
  bevrijdingsdag: 'Bevrijdingsdag',
  hemelvaartsdag: 'Hemelvaartsdag',
  eerstePinksterdag: 'Eerste Pinksterdag',
  tweedePinksterdag: 'Tweede Pinksterdag',
  eersteKerstdag: 'Eerste Kerstdag',
  tweedeKerstdag: 'Tweede Kerstdag',
}

export interface Holiday { date: string; key: HolidayKey; name: string }

/** The Dutch public holidays of a year that close a calendar with these options, in date order. */
export function dutchHolidays(year: number, options: Omit<HolidayOptions, 'dutchHolidays'>): Holiday[] {
  const easter = parseIsoDate(easterSunday(year))!
  const kingsDay = dayNumber(year, 4, 27)
  const days: [number, HolidayKey][] = [
    [dayNumber(year, 1, 1), 'nieuwjaarsdag'],
    ...(options.goodFriday ? [[easter - 2, 'goedeVrijdag'] as [number, HolidayKey]] : []),
    [easter, 'eerstePaasdag'],
    [easter + 1, 'tweedePaasdag'],
    // Koningsdag moves to Saturday 26 April when 27 April is a Sunday.
    [weekdayOf(kingsDay) === 6 ? kingsDay - 1 : kingsDay, 'koningsdag'],
    ...(options.liberationDay === 'yearly' || (options.liberationDay === 'lustrum' && year % 5 === 0)
      ? [[dayNumber(year, 5, 5), 'bevrijdingsdag'] as [number, HolidayKey]]
      : []),
    [easter + 39, 'hemelvaartsdag'],
    [easter + 49, 'eerstePinksterdag'],
    [easter + 50, 'tweedePinksterdag'],
    [dayNumber(year, 12, 25), 'eersteKerstdag'],
    [dayNumber(year, 12, 26), 'tweedeKerstdag'],
  ]
  return days.sort((a, b) => a[0] - b[0]).map(([day, key]) => ({ date: isoDate(day), key, name: HOLIDAY_NAMES[key] }))
}

// ---------------------------------------------------------------------------------------------------
// Validation of hours (the API answers 422 with these).

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5))

export interface HoursProblem { weekday: Weekday; message: string }

/** What is wrong with a week of hours: unreadable times, a stretch that ends before it starts, stretches that overlap. */
export function hoursProblems(hours: WeeklyHours): HoursProblem[] {
  const problems: HoursProblem[] = []
  for (const weekday of WEEKDAYS) {
    const ranges = hours[weekday] ?? []
    let readable = true
    for (const r of ranges) {
      if (!TIME.test(r.from) || !TIME.test(r.to) || r.from === '24:00') {
        problems.push({ weekday, message: `${r.from}–${r.to} is not a time of day (HH:MM, up to 24:00).` })
        readable = false
      } else if (minutesOf(r.to) <= minutesOf(r.from)) {
        problems.push({ weekday, message: `${r.from}–${r.to} ends before it starts.` })
        readable = false
      }
    }
    if (!readable) continue
    const sorted = [...ranges].sort((a, b) => minutesOf(a.from) - minutesOf(b.from))
    for (let i = 1; i < sorted.length; i++) {
      if (minutesOf(sorted[i].from) < minutesOf(sorted[i - 1].to)) {
        problems.push({ weekday, message: `${sorted[i - 1].from}–${sorted[i - 1].to} and ${sorted[i].from}–${sorted[i].to} overlap.` })
      }
    }
  }
  return problems
}

/** Whether the time zone is one this runtime knows (IANA names such as Europe/Amsterdam). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

// ---------------------------------------------------------------------------------------------------
// Time zones: the offset at an instant, through Intl, worked out once per UTC day (and, on a day the
// clocks move, the minute they move at): after the first use a lookup is a map read.

const formatters = new Map<string, Intl.DateTimeFormat>()
const offsetDays = new Map<string, Map<number, { before: number; after: number; switchAt: number }>>()

function intlOffset(zone: string, at: number): number {
  let format = formatters.get(zone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    formatters.set(zone, format)
  }
  const p: Record<string, number> = {}
  for (const part of format.formatToParts(new Date(at))) if (part.type !== 'literal') p[part.type] = Number(part.value)
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - at
}

function offsetAt(zone: string, utcMs: number): number {
  let days = offsetDays.get(zone)
  if (!days) offsetDays.set(zone, (days = new Map()))
  const day = Math.floor(utcMs / DAY_MS)
  let known = days.get(day)
  if (!known) {
    const before = intlOffset(zone, day * DAY_MS)
    const after = intlOffset(zone, (day + 1) * DAY_MS)
    let switchAt = (day + 1) * DAY_MS
    if (before !== after) {
      // The first minute of the day with the new offset (time zones move on whole minutes).
      let lo = day * DAY_MS
      let hi = (day + 1) * DAY_MS
      while (hi - lo > MINUTE_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS
        if (intlOffset(zone, mid) === before) lo = mid
        else hi = mid
      }
      switchAt = hi
    }
    known = { before, after, switchAt }
    if (days.size > 100_000) days.clear()
    days.set(day, known)
  }
  return utcMs < known.switchAt ? known.before : known.after
}

/**
 * The instant of a local wall-clock time (minutes after midnight of a day number) in a zone. A time
 * the clocks skip (02:30 on the last Sunday of March in Amsterdam) is read with the offset before the
 * change, so it lands as far after the change as it was meant after 02:00 (03:30 CEST); a time that
 * happens twice (02:30 on the last Sunday of October) is its second occurrence.
 */
export function localToInstant(zone: string, day: number, minutes: number): number {
  const wall = day * DAY_MS + minutes * MINUTE_MS
  return wall - offsetAt(zone, wall - offsetAt(zone, wall))
}

/** The local day number of an instant in a zone. */
export const localDayOf = (zone: string, utcMs: number) => Math.floor((utcMs + offsetAt(zone, utcMs)) / DAY_MS)

// ---------------------------------------------------------------------------------------------------
// The calendar.

/** Day numbers are kept for at most this many days before and after a calendar's first use; arithmetic beyond stops. */
const SEARCH_DAYS = 3 * 366

export class BusinessCalendar {
  private readonly days = new Map<number, readonly (readonly [number, number])[]>()
  private readonly closedYears = new Map<number, Map<number, string>>()
  private readonly closing: Map<number, string>
  private readonly weekly: (readonly [number, number])[][]
  /** Business minutes in an ordinary week: zero means the calendar is never open. */
  readonly minutesPerWeek: number

  constructor(readonly spec: CalendarSpec) {
    this.closing = new Map(spec.closingDays.flatMap((c) => {
      const day = parseIsoDate(c.date)
      return day === undefined ? [] : [[day, c.label] as [number, string]]
    }))
    this.weekly = WEEKDAYS.map((w) =>
      [...(spec.hours[w] ?? [])].map((r) => [minutesOf(r.from), minutesOf(r.to)] as const).sort((a, b) => a[0] - b[0]),
    )
    this.minutesPerWeek = this.weekly.flat().reduce((sum, [from, to]) => sum + to - from, 0)
  }

  /** Why the calendar is closed on a day (a holiday's or closing day's name), or undefined when its weekly hours apply. */
  closedReason(day: number): string | undefined {
    const closing = this.closing.get(day)
    if (closing !== undefined) return closing
    if (!this.spec.holidays.dutchHolidays) return undefined
    const year = new Date(day * DAY_MS).getUTCFullYear()
    let holidays = this.closedYears.get(year)
    if (!holidays) {
      holidays = new Map(dutchHolidays(year, this.spec.holidays).map((h) => [parseIsoDate(h.date)!, h.name]))
      this.closedYears.set(year, holidays)
    }
    return holidays.get(day)
  }

  /** A local day's open stretches as UTC instants (ms), in order. */
  openOn(day: number): readonly (readonly [number, number])[] {
    const known = this.days.get(day)
    if (known) return known
    const ranges = this.closedReason(day) !== undefined
      ? []
      : this.weekly[weekdayOf(day)].map(([from, to]) => [localToInstant(this.spec.timeZone, day, from), localToInstant(this.spec.timeZone, day, to)] as const)
    if (this.days.size > 50_000) this.days.clear()
    this.days.set(day, ranges)
    return ranges
  }

  /** The instant `minutes` business minutes after `from`; null when the calendar is never open (or not within three years). */
  addMinutes(from: Date, minutes: number): Date | null {
    const start = from.getTime()
    if (minutes <= 0) return new Date(start)
    if (this.minutesPerWeek === 0) return null
    let remaining = minutes * MINUTE_MS
    const first = localDayOf(this.spec.timeZone, start)
    for (let day = first - 1; day <= first + SEARCH_DAYS; day++) {
      for (const [open, close] of this.openOn(day)) {
        if (close <= start) continue
        const begin = Math.max(open, start)
        const available = close - begin
        if (remaining <= available) return new Date(begin + remaining)
        remaining -= available
      }
    }
    return null
  }

  /** Business time between two instants in ms (0 when `to` is not after `from`). */
  msBetween(from: Date, to: Date): number {
    const a = from.getTime()
    const b = to.getTime()
    if (b <= a || this.minutesPerWeek === 0) return 0
    let total = 0
    const last = localDayOf(this.spec.timeZone, b)
    // Capped: a handoff older than three years counts its last three years of business time.
    for (let day = Math.max(localDayOf(this.spec.timeZone, a) - 1, last - SEARCH_DAYS); day <= last + 1; day++) {
      for (const [open, close] of this.openOn(day)) {
        const begin = Math.max(open, a)
        const end = Math.min(close, b)
        if (end > begin) total += end - begin
      }
    }
    return total
  }

  /** Whole business minutes between two instants. */
  minutesBetween(from: Date, to: Date): number {
    return Math.floor(this.msBetween(from, to) / MINUTE_MS)
  }

  /** Whether the calendar is open at an instant. */
  isOpenAt(at: Date): boolean {
    const t = at.getTime()
    return this.openOn(localDayOf(this.spec.timeZone, t)).some(([open, close]) => open <= t && t < close)
  }

  /** The days a year is closed on (holidays and closing days), in date order. */
  closedDays(year: number): { date: string; name: string; kind: 'holiday' | 'closing' }[] {
    const out: { date: string; name: string; kind: 'holiday' | 'closing' }[] = []
    if (this.spec.holidays.dutchHolidays) for (const h of dutchHolidays(year, this.spec.holidays)) out.push({ date: h.date, name: h.name, kind: 'holiday' })
    for (const c of this.spec.closingDays) if (c.date.startsWith(`${year}-`)) out.push({ date: c.date, name: c.label, kind: 'closing' })
    return out.sort((x, y) => x.date.localeCompare(y.date))
  }
}
