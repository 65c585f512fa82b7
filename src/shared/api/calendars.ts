import { type Static, Type } from '@sinclair/typebox'
import { Id, NameText, Nullable, Timestamp } from './common.js'

const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description && { description }) })

const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$', description: 'local time, HH:MM (24:00 for midnight at the end of the day)' })
const OpenRange = Type.Object({ from: Time, to: Time }, { additionalProperties: false })
const Day = Type.Array(OpenRange, { maxItems: 8, description: 'open stretches of the day; none: closed' })

export const WeeklyHoursSchema = Type.Object(
  { monday: Day, tuesday: Day, wednesday: Day, thursday: Day, friday: Day, saturday: Day, sunday: Day },
  { additionalProperties: false, description: 'Opening hours per weekday in the calendar’s time zone. Stretches of one day may touch but not overlap (422).' },
)

export const HolidayOptionsSchema = Type.Object(
  {
    dutchHolidays: Type.Boolean({ description: 'Closed on the Dutch public holidays (Nieuwjaarsdag, Pasen, Koningsdag, Hemelvaart, Pinksteren, Kerst; computed per year)' }),
    goodFriday: Type.Boolean({ description: 'Also closed on Goede Vrijdag' }),
    liberationDay: Enum(['lustrum', 'yearly', 'never'] as const, 'Bevrijdingsdag (5 May): every five years (2025, 2030, …), every year, or never'),
  },
  { additionalProperties: false },
)

const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' })
export const ClosingDaySchema = Type.Object({ date: DateText, label: NameText(100) }, { additionalProperties: false })

export const CalendarSchema = Type.Object({
  id: Id,
  name: Type.String(),
  timeZone: Type.String({ description: 'IANA time zone, Europe/Amsterdam unless set' }),
  hours: WeeklyHoursSchema,
  holidays: HolidayOptionsSchema,
  closingDays: Type.Array(ClosingDaySchema),
  isDefault: Type.Boolean({ description: 'Used by every group and department that names no calendar of its own' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Calendar = Static<typeof CalendarSchema>

export const CreateCalendarBody = Type.Object(
  {
    name: NameText(100),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    hours: WeeklyHoursSchema,
    holidays: Type.Optional(HolidayOptionsSchema),
    closingDays: Type.Optional(Type.Array(ClosingDaySchema, { maxItems: 366 })),
    isDefault: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CreateCalendarBody = Static<typeof CreateCalendarBody>

export const UpdateCalendarBody = Type.Object(
  {
    name: Type.Optional(NameText(100)),
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    hours: Type.Optional(WeeklyHoursSchema),
    holidays: Type.Optional(HolidayOptionsSchema),
    closingDays: Type.Optional(Type.Array(ClosingDaySchema, { maxItems: 366 })),
    isDefault: Type.Optional(Type.Literal(true, { description: 'Make this the default (the one before stops being it)' })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateCalendarBody = Static<typeof UpdateCalendarBody>

export const ClosedDaysQuery = Type.Object({ year: Type.Integer({ minimum: 1900, maximum: 2200 }) }, { additionalProperties: false })
export const ClosedDaySchema = Type.Object({ date: Type.String(), name: Type.String(), kind: Enum(['holiday', 'closing'] as const), key: Nullable(Type.String()) })
export type ClosedDay = Static<typeof ClosedDaySchema>

export const BusinessTimeQuery = Type.Object(
  {
    from: Type.String({ format: 'date-time' }),
    minutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'business minutes to add to `from`' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'count business minutes from `from` to here' })),
  },
  { additionalProperties: false },
)
export const BusinessTimeSchema = Type.Object({
  due: Type.Optional(Nullable(Timestamp)),
  minutes: Type.Optional(Type.Integer()),
  openAtFrom: Type.Boolean(),
})

/** How a handoff stands against its group's targets, in business time. */
export const HANDOFF_CLOCK_STATES = ['none', 'ok', 'near', 'overdue'] as const
export type HandoffClockState = (typeof HANDOFF_CLOCK_STATES)[number]
