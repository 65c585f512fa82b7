import { describe, expect, it } from 'vitest'
import {
  BUILT_IN_CALENDAR, BusinessCalendar, type CalendarSpec, dutchHolidays, easterSunday, hoursProblems, localToInstant, WEEKDAYS, type WeeklyHours,
} from './business-time.js'

const at = (iso: string) => new Date(iso)
const iso = (d: Date | null) => d?.toISOString()
const everyDay = (from: string, to: string): WeeklyHours => Object.fromEntries(WEEKDAYS.map((w) => [w, [{ from, to }]])) as WeeklyHours
const calendar = (patch: Partial<CalendarSpec> = {}) => new BusinessCalendar({ ...BUILT_IN_CALENDAR, ...patch })
const noHolidays = { dutchHolidays: false, goodFriday: false, liberationDay: 'never' as const }
const day = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86_400_000

describe('Easter and the Dutch public holidays', () => {
  it('finds Easter Sunday for years near and far', () => {
    expect(easterSunday(2024)).toBe('2024-03-31')
    expect(easterSunday(2025)).toBe('2025-04-20')
    expect(easterSunday(2026)).toBe('2026-04-05')
    expect(easterSunday(2027)).toBe('2027-03-28')
    expect(easterSunday(2038)).toBe('2038-04-25') // the latest possible date
    expect(easterSunday(2285)).toBe('2285-03-22') // the earliest possible date
    expect(easterSunday(2000)).toBe('2000-04-23')
  })

  it('lists the holidays of 2026 from Easter, with Goede Vrijdag only when asked', () => {
    const days = dutchHolidays(2026, { goodFriday: false, liberationDay: 'lustrum' })
    expect(days.map((h) => `${h.date} ${h.key}`)).toEqual([
      '2026-01-01 nieuwjaarsdag',
      '2026-04-05 eerstePaasdag',
      '2026-04-06 tweedePaasdag',
      '2026-04-27 koningsdag',
      '2026-05-14 hemelvaartsdag',
      '2026-05-24 eerstePinksterdag',
      '2026-05-25 tweedePinksterdag',
      '2026-12-25 eersteKerstdag',
      '2026-12-26 tweedeKerstdag',
    ])
    expect(dutchHolidays(2026, { goodFriday: true, liberationDay: 'lustrum' }).find((h) => h.key === 'goedeVrijdag')?.date).toBe('2026-04-03')
  })

  it('moves Koningsdag to 26 April when 27 April is a Sunday', () => {
    const kingsDay = (year: number) => dutchHolidays(year, { goodFriday: false, liberationDay: 'never' }).find((h) => h.key === 'koningsdag')?.date
    expect(kingsDay(2025)).toBe('2025-04-26')
    expect(kingsDay(2031)).toBe('2031-04-26')
    expect(kingsDay(2027)).toBe('2027-04-27')
  })

  it('has Bevrijdingsdag every five years, every year or never, as configured', () => {
    const liberation = (year: number, rule: 'lustrum' | 'yearly' | 'never') =>
      dutchHolidays(year, { goodFriday: false, liberationDay: rule }).some((h) => h.key === 'bevrijdingsdag' && h.date === `${year}-05-05`)
    expect(liberation(2025, 'lustrum')).toBe(true)
    expect(liberation(2030, 'lustrum')).toBe(true)
    expect(liberation(2026, 'lustrum')).toBe(false)
    expect(liberation(2026, 'yearly')).toBe(true)
    expect(liberation(2025, 'never')).toBe(false)
  })
})

describe('hours', () => {
  it('accepts stretches that touch, refuses ones that overlap, run backwards or are not times', () => {
    const hours = { ...BUILT_IN_CALENDAR.hours, monday: [{ from: '08:00', to: '12:00' }, { from: '12:00', to: '17:00' }] }
    expect(hoursProblems(hours)).toEqual([])
    expect(hoursProblems({ ...hours, tuesday: [{ from: '13:00', to: '17:00' }, { from: '08:00', to: '13:30' }] })).toEqual([
      { weekday: 'tuesday', message: '08:00–13:30 and 13:00–17:00 overlap.' },
    ])
    expect(hoursProblems({ ...hours, friday: [{ from: '17:00', to: '09:00' }] })[0]).toMatchObject({ weekday: 'friday', message: expect.stringContaining('ends before it starts') })
    expect(hoursProblems({ ...hours, sunday: [{ from: '24:00', to: '24:00' }] })).toHaveLength(1)
    expect(hoursProblems({ ...hours, sunday: [{ from: '8:00', to: '25:00' }] })).toHaveLength(1)
    expect(hoursProblems({ ...hours, saturday: [{ from: '00:00', to: '24:00' }] })).toEqual([])
  })
})

describe('business-time arithmetic (Monday to Friday 08:30–17:00, Amsterdam)', () => {
  const cal = calendar()

  it('adds minutes within a day and across the night', () => {
    // Tuesday 10 March 2026, 10:00 CET = 09:00Z
    expect(iso(cal.addMinutes(at('2026-03-10T09:00:00Z'), 60))).toBe('2026-03-10T10:00:00.000Z')
    // 16:00 + 120: 60 today, 60 from 08:30 tomorrow
    expect(iso(cal.addMinutes(at('2026-03-10T15:00:00Z'), 120))).toBe('2026-03-11T08:30:00.000Z')
    // Before opening: the clock starts at 08:30
    expect(iso(cal.addMinutes(at('2026-03-10T05:00:00Z'), 30))).toBe('2026-03-10T08:00:00.000Z')
    // Exactly at closing, the full day is used: 510 minutes from opening ends at 17:00
    expect(iso(cal.addMinutes(at('2026-03-10T07:30:00Z'), 510))).toBe('2026-03-10T16:00:00.000Z')
    expect(iso(cal.addMinutes(at('2026-03-10T07:30:00Z'), 0))).toBe('2026-03-10T07:30:00.000Z')
  })

  it('skips the weekend', () => {
    // Friday 13 March 16:00 CET + 120 → Monday 16 March 09:30 CET
    expect(iso(cal.addMinutes(at('2026-03-13T15:00:00Z'), 120))).toBe('2026-03-16T08:30:00.000Z')
    expect(cal.minutesBetween(at('2026-03-13T15:00:00Z'), at('2026-03-16T08:30:00Z'))).toBe(120)
    // Saturday to Sunday: nothing
    expect(cal.minutesBetween(at('2026-03-14T09:00:00Z'), at('2026-03-15T20:00:00Z'))).toBe(0)
  })

  it('counts a whole week as five days of 8.5 hours', () => {
    expect(cal.minutesBetween(at('2026-03-09T00:00:00Z'), at('2026-03-16T00:00:00Z'))).toBe(5 * 510)
    expect(cal.minutesPerWeek).toBe(5 * 510)
  })

  it('crosses the switch to summer time (last Sunday of March) with the local hours', () => {
    // Friday 27 March 2026 16:00 CET (15:00Z) + 120 → Monday 30 March 09:30 CEST (07:30Z)
    expect(iso(cal.addMinutes(at('2026-03-27T15:00:00Z'), 120))).toBe('2026-03-30T07:30:00.000Z')
    expect(cal.minutesBetween(at('2026-03-27T15:00:00Z'), at('2026-03-30T07:30:00Z'))).toBe(120)
    // Monday 30 March opens at 08:30 CEST, 06:30Z
    expect(cal.isOpenAt(at('2026-03-30T06:30:00Z'))).toBe(true)
    expect(cal.isOpenAt(at('2026-03-30T06:29:00Z'))).toBe(false)
  })

  it('crosses the switch back to winter time (last Sunday of October)', () => {
    // Friday 23 October 2026 16:00 CEST (14:00Z) + 120 → Monday 26 October 09:30 CET (08:30Z)
    expect(iso(cal.addMinutes(at('2026-10-23T14:00:00Z'), 120))).toBe('2026-10-26T08:30:00.000Z')
    expect(cal.minutesBetween(at('2026-10-23T14:00:00Z'), at('2026-10-26T08:30:00Z'))).toBe(120)
  })

  it('skips public holidays: Hemelvaart, Easter with and without Goede Vrijdag, Christmas, New Year', () => {
    // Wednesday 13 May 16:00 CEST + 120 → Friday 15 May 09:30 (Thursday 14 May is Hemelvaartsdag)
    expect(iso(cal.addMinutes(at('2026-05-13T14:00:00Z'), 120))).toBe('2026-05-15T07:30:00.000Z')
    // Thursday 2 April 16:00 + 120: Goede Vrijdag open by default → Friday 3 April 09:30
    expect(iso(cal.addMinutes(at('2026-04-02T14:00:00Z'), 120))).toBe('2026-04-03T07:30:00.000Z')
    const closedOnGoodFriday = calendar({ holidays: { ...BUILT_IN_CALENDAR.holidays, goodFriday: true } })
    // … closed on Goede Vrijdag and Easter Monday → Tuesday 7 April 09:30
    expect(iso(closedOnGoodFriday.addMinutes(at('2026-04-02T14:00:00Z'), 120))).toBe('2026-04-07T07:30:00.000Z')
    // Thursday 24 December 16:00 CET + 120 → Monday 28 December 09:30 (25 and 26 December)
    expect(iso(cal.addMinutes(at('2026-12-24T15:00:00Z'), 120))).toBe('2026-12-28T08:30:00.000Z')
    // Thursday 31 December 2026 16:00 + 120 → Monday 4 January 2027 (Friday 1 January is Nieuwjaarsdag)
    expect(iso(cal.addMinutes(at('2026-12-31T15:00:00Z'), 120))).toBe('2027-01-04T08:30:00.000Z')
    expect(cal.closedReason(day('2026-05-25'))).toBe('Tweede Pinksterdag')
    expect(cal.closedReason(day('2026-04-27'))).toBe('Koningsdag')
  })

  it('skips closing days, and ignores holidays when they are switched off', () => {
    const closed = calendar({ closingDays: [{ date: '2026-03-11', label: 'Heidag' }] })
    expect(iso(closed.addMinutes(at('2026-03-10T15:00:00Z'), 120))).toBe('2026-03-12T08:30:00.000Z')
    expect(closed.closedDays(2026).find((d) => d.kind === 'closing')).toEqual({ date: '2026-03-11', name: 'Heidag', kind: 'closing' })
    const open = calendar({ holidays: noHolidays })
    expect(iso(open.addMinutes(at('2026-05-13T14:00:00Z'), 120))).toBe('2026-05-14T07:30:00.000Z')
  })

  it('uses several stretches a day (a lunch break)', () => {
    const lunch = calendar({ hours: { ...BUILT_IN_CALENDAR.hours, monday: [{ from: '13:00', to: '17:00' }, { from: '09:00', to: '12:00' }] } })
    // Monday 9 March 2026 11:30 CET + 60: 30 before the break, 30 after → 13:30 CET
    expect(iso(lunch.addMinutes(at('2026-03-09T10:30:00Z'), 60))).toBe('2026-03-09T12:30:00.000Z')
    expect(lunch.minutesBetween(at('2026-03-09T10:30:00Z'), at('2026-03-09T12:30:00Z'))).toBe(60)
  })

  it('answers null for a calendar that is never open, and 0 for a span that runs backwards', () => {
    const never = calendar({ hours: Object.fromEntries(WEEKDAYS.map((w) => [w, []])) as unknown as WeeklyHours })
    expect(never.addMinutes(at('2026-03-10T09:00:00Z'), 1)).toBeNull()
    expect(never.minutesBetween(at('2026-03-10T09:00:00Z'), at('2026-03-20T09:00:00Z'))).toBe(0)
    expect(cal.minutesBetween(at('2026-03-10T10:00:00Z'), at('2026-03-10T09:00:00Z'))).toBe(0)
  })

  it('adds and measures consistently: between(from, add(from, n)) = n for many starting points', () => {
    for (let i = 0; i < 400; i++) {
      const from = new Date(Date.UTC(2026, 0, 1) + i * 21 * 3_600_000 + i * 7 * 60_000)
      const n = (i * 37) % 3000
      const due = cal.addMinutes(from, n)!
      expect(cal.minutesBetween(from, due)).toBe(n)
    }
  })
})

describe('around the clock across daylight saving time', () => {
  const allDay = calendar({ hours: everyDay('00:00', '24:00'), holidays: noHolidays })

  it('has 23 hours on the last Sunday of March and 25 on the last Sunday of October', () => {
    // Sunday 29 March 2026 00:00 CET = 28 March 23:00Z; Monday 00:00 CEST = 29 March 22:00Z
    expect(allDay.minutesBetween(at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'))).toBe(23 * 60)
    // Sunday 25 October 2026 00:00 CEST = 24 October 22:00Z; Monday 00:00 CET = 25 October 23:00Z
    expect(allDay.minutesBetween(at('2026-10-24T22:00:00Z'), at('2026-10-25T23:00:00Z'))).toBe(25 * 60)
    // Adding real minutes across the switch is plain elapsed time
    expect(iso(allDay.addMinutes(at('2026-03-29T00:30:00Z'), 60))).toBe('2026-03-29T01:30:00.000Z')
    expect(iso(allDay.addMinutes(at('2026-10-25T00:30:00Z'), 60))).toBe('2026-10-25T01:30:00.000Z')
  })

  it('reads a skipped wall-clock time after the switch, and a doubled one as its second occurrence', () => {
    // 02:30 on 29 March 2026 does not exist in Amsterdam: read as 03:30 CEST = 01:30Z
    expect(new Date(localToInstant('Europe/Amsterdam', day('2026-03-29'), 150)).toISOString()).toBe('2026-03-29T01:30:00.000Z')
    // 02:30 on 25 October 2026 happens twice: the second time, 02:30 CET = 01:30Z
    expect(new Date(localToInstant('Europe/Amsterdam', day('2026-10-25'), 150)).toISOString()).toBe('2026-10-25T01:30:00.000Z')
    const night = calendar({ hours: everyDay('02:00', '04:00'), holidays: noHolidays })
    // The night of the switch to summer time: 02:00–04:00 is one real hour
    expect(night.minutesBetween(at('2026-03-29T00:00:00Z'), at('2026-03-29T04:00:00Z'))).toBe(60)
    // An ordinary night: two hours
    expect(night.minutesBetween(at('2026-03-28T00:00:00Z'), at('2026-03-28T04:00:00Z'))).toBe(120)
  })

  it('works in another time zone', () => {
    const london = calendar({ timeZone: 'Europe/London', hours: everyDay('09:00', '17:00'), holidays: noHolidays })
    // Tuesday 10 March 2026 09:00 GMT = 09:00Z
    expect(london.isOpenAt(at('2026-03-10T09:00:00Z'))).toBe(true)
    expect(london.isOpenAt(at('2026-03-10T08:59:00Z'))).toBe(false)
  })
})
