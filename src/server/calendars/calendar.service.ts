import type { Selectable } from 'kysely'
import type { Calendar, ClosedDay, CreateCalendarBody, UpdateCalendarBody } from '../../shared/api/calendars.js'
import { type Actor, isAdmin } from '../accounts/actor.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import { newId } from '../clock.js'
import type { BusinessCalendarTable, Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import {
  BUILT_IN_CALENDAR, BusinessCalendar, type CalendarSpec, type ClosingDay, DEFAULT_TIME_ZONE, dutchHolidays, type HolidayOptions, hoursProblems,
  isKnownTimeZone, isValidIsoDate, type WeeklyHours,
} from './business-time.js'
import { calendarRepository } from './calendar.repository.js'

type Row = Selectable<BusinessCalendarTable>

const specOf = (r: Row): CalendarSpec => ({
  timeZone: r.time_zone,
  hours: JSON.parse(r.hours) as WeeklyHours,
  holidays: JSON.parse(r.holidays) as HolidayOptions,
  closingDays: JSON.parse(r.closing_days) as ClosingDay[],
})

const toCalendar = (r: Row): Calendar => ({
  id: r.id,
  name: r.name,
  ...specOf(r),
  isDefault: r.is_default === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** 422 with one entry per wrong field: overlapping hours, an unknown time zone, a date that does not exist. */
function assertValid(spec: Partial<CalendarSpec>) {
  const errors: { field: string; message: string }[] = []
  if (spec.hours) for (const p of hoursProblems(spec.hours)) errors.push({ field: `hours.${p.weekday}`, message: p.message })
  if (spec.timeZone !== undefined && !isKnownTimeZone(spec.timeZone)) errors.push({ field: 'timeZone', message: `${spec.timeZone} is not a time zone this server knows (use an IANA name such as Europe/Amsterdam).` })
  for (const [i, c] of (spec.closingDays ?? []).entries()) if (!isValidIsoDate(c.date)) errors.push({ field: `closingDays.${i}.date`, message: `${c.date} is not a date.` })
  const dates = (spec.closingDays ?? []).map((c) => c.date)
  if (new Set(dates).size !== dates.length) errors.push({ field: 'closingDays', message: 'A closing day is listed twice.' })
  if (errors.length) throw new AppError('unprocessable', errors.map((e) => e.message).join(' '), { errors })
}

/** What a calendar change asks of others: the open handoffs on it get their due times again. */
export type CalendarChanged = (calendarId: string | null) => Promise<void>

/**
 * Business-hour calendars: weekly hours, Dutch public holidays and closing days in a time zone; one is the
 * default. Handoff clocks read them through `calendarFor`, which keeps each compiled calendar (with its
 * days worked out) until it changes here, and for ten seconds at most, for changes made by other processes.
 */
export class CalendarService {
  private readonly compiled = new Map<string, { calendar: BusinessCalendar; updatedAt: string; until: number }>()
  private defaultId: { id: string | null; until: number } | undefined
  /** Set by createServices: the open handoffs' due times are computed again after a change. */
  onChanged: CalendarChanged = async () => {}

  constructor(
    private readonly deps: Deps,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  private forget() {
    this.compiled.clear()
    this.defaultId = undefined
  }

  private requireReader(actor: Actor) {
    if (!isAdmin(actor) && actor.user.role !== 'supervisor') throw AppError.forbidden('see business calendars')
  }

  async list(actor: Actor): Promise<Calendar[]> {
    this.requireReader(actor)
    return (await calendarRepository.list(this.deps.db)).map(toCalendar)
  }

  async get(actor: Actor, id: string): Promise<Calendar> {
    this.requireReader(actor)
    const row = await calendarRepository.findById(this.deps.db, id)
    if (!row) throw AppError.notFound('Calendar', id)
    return toCalendar(row)
  }

  async create(actor: Actor, body: CreateCalendarBody): Promise<Calendar> {
    if (!isAdmin(actor)) throw AppError.forbidden('create business calendars')
    const spec: CalendarSpec = {
      timeZone: body.timeZone ?? DEFAULT_TIME_ZONE,
      hours: body.hours,
      holidays: body.holidays ?? BUILT_IN_CALENDAR.holidays,
      closingDays: [...(body.closingDays ?? [])].sort((a, b) => a.date.localeCompare(b.date)),
    }
    assertValid(spec)
    const name = body.name.trim()
    const id = newId()
    const now = this.deps.clock.iso()
    const becameDefault = await this.deps.transaction(async (trx) => {
      if (await calendarRepository.findByName(trx, name)) throw AppError.conflict('A calendar with this name exists.', { field: 'name' })
      // The first calendar is the default: otherwise no one would use it until told.
      const isDefault = body.isDefault ?? !(await calendarRepository.findDefault(trx))
      await calendarRepository.insert(trx, {
        id, name, time_zone: spec.timeZone, hours: JSON.stringify(spec.hours), holidays: JSON.stringify(spec.holidays),
        closing_days: JSON.stringify(spec.closingDays), is_default: isDefault ? 1 : 0, created_at: now, updated_at: now,
      })
      if (isDefault) await calendarRepository.clearDefault(trx, id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'calendar.created', details: { calendarId: id, name, isDefault } })
      return isDefault
    })
    this.forget()
    if (becameDefault) await this.onChanged(null)
    return toCalendar((await calendarRepository.findById(this.deps.db, id))!)
  }

  async update(actor: Actor, id: string, body: UpdateCalendarBody): Promise<Calendar> {
    if (!isAdmin(actor)) throw AppError.forbidden('change business calendars')
    const closingDays = body.closingDays && [...body.closingDays].sort((a, b) => a.date.localeCompare(b.date))
    assertValid({ hours: body.hours, timeZone: body.timeZone, closingDays })
    const wasDefault = await this.deps.transaction(async (trx) => {
      const existing = await calendarRepository.findById(trx, id)
      if (!existing) throw AppError.notFound('Calendar', id)
      const name = body.name?.trim()
      if (name && name !== existing.name && (await calendarRepository.findByName(trx, name))) throw AppError.conflict('A calendar with this name exists.', { field: 'name' })
      await calendarRepository.update(trx, id, {
        ...(name && { name }),
        ...(body.timeZone && { time_zone: body.timeZone }),
        ...(body.hours && { hours: JSON.stringify(body.hours) }),
        ...(body.holidays && { holidays: JSON.stringify(body.holidays) }),
        ...(closingDays && { closing_days: JSON.stringify(closingDays) }),
        ...(body.isDefault && { is_default: 1 }),
        updated_at: this.deps.clock.iso(),
      })
      if (body.isDefault) await calendarRepository.clearDefault(trx, id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'calendar.changed', details: { calendarId: id, fields: Object.keys(body) } })
      return existing.is_default === 1
    })
    this.forget()
    // A change to the default (or a new default) moves every handoff that uses it.
    await this.onChanged(body.isDefault || wasDefault ? null : id)
    return toCalendar((await calendarRepository.findById(this.deps.db, id))!)
  }

  /** Only a calendar no group or department names, and not the default; otherwise 409. */
  async remove(actor: Actor, id: string): Promise<void> {
    if (!isAdmin(actor)) throw AppError.forbidden('delete business calendars')
    await this.deps.transaction(async (trx) => {
      const existing = await calendarRepository.findById(trx, id)
      if (!existing) throw AppError.notFound('Calendar', id)
      if (existing.is_default === 1) throw AppError.conflict('This is the default calendar; make another one the default first.')
      const dependants = Object.fromEntries(Object.entries(await calendarRepository.dependants(trx, id)).filter(([, n]) => n > 0))
      if (Object.keys(dependants).length) {
        throw AppError.conflict(`The calendar cannot be deleted: ${Object.entries(dependants).map(([k, n]) => `${n} ${k}`).join(', ')} still use it.`, { dependants })
      }
      await calendarRepository.remove(trx, id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'calendar.deleted', details: { calendarId: id, name: existing.name } })
    })
    this.forget()
  }

  /** The days a calendar is closed in a year: public holidays (with their key) and closing days. */
  async closedDays(actor: Actor, id: string, year: number): Promise<ClosedDay[]> {
    const calendar = await this.get(actor, id)
    const keys = new Map(calendar.holidays.dutchHolidays ? dutchHolidays(year, calendar.holidays).map((h) => [h.date, h.key]) : [])
    return new BusinessCalendar(calendar).closedDays(year).map((d) => ({ ...d, key: d.kind === 'holiday' ? (keys.get(d.date) ?? null) : null }))
  }

  /** Business-time arithmetic on a calendar, for trying it out: `from` plus `minutes`, or the business minutes from `from` to `to`. */
  async businessTime(actor: Actor, id: string, query: { from: string; minutes?: number; to?: string }) {
    const calendar = new BusinessCalendar(await this.get(actor, id))
    if (query.minutes === undefined && query.to === undefined) throw AppError.validation('Give minutes (to add) or to (to count up to).', { field: 'minutes' })
    const from = new Date(query.from)
    return {
      ...(query.minutes !== undefined && { due: calendar.addMinutes(from, query.minutes)?.toISOString() ?? null }),
      ...(query.to !== undefined && { minutes: calendar.minutesBetween(from, new Date(query.to)) }),
      openAtFrom: calendar.isOpenAt(from),
    }
  }

  /** The id of the default calendar, or null when there is none (the built-in one applies). */
  async defaultCalendarId(db: Executor): Promise<string | null> {
    const now = Date.now()
    if (this.defaultId && this.defaultId.until > now) return this.defaultId.id
    const id = (await calendarRepository.findDefault(db))?.id ?? null
    this.defaultId = { id, until: now + 10_000 }
    return id
  }

  /**
   * The calendar a handoff clock runs on: the one named (a group's or its department's), else the default,
   * else the built-in one (Monday to Friday 08:30–17:00, Dutch public holidays, Amsterdam).
   */
  async calendarFor(db: Executor, calendarId: string | null): Promise<{ id: string | null; calendar: BusinessCalendar }> {
    const id = calendarId ?? (await this.defaultCalendarId(db))
    if (!id) return { id: null, calendar: builtIn }
    const now = Date.now()
    const known = this.compiled.get(id)
    if (known && known.until > now) return { id, calendar: known.calendar }
    const row = await calendarRepository.findById(db, id)
    if (!row) return calendarId ? this.calendarFor(db, null) : { id: null, calendar: builtIn }
    const calendar = known && known.updatedAt === row.updated_at ? known.calendar : new BusinessCalendar(specOf(row))
    this.compiled.set(id, { calendar, updatedAt: row.updated_at, until: now + 10_000 })
    return { id, calendar }
  }

  async exists(db: Executor, id: string) {
    return !!(await calendarRepository.findById(db, id))
  }
}

const builtIn = new BusinessCalendar(BUILT_IN_CALENDAR)
