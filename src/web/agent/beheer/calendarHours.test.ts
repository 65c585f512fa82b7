import { describe, expect, it } from 'vitest'
import { ApiError } from '../api.js'
import { dayProblem, fieldErrors, OFFICE_HOURS, weekSummary } from './calendarHours.js'

describe('opening hours in the calendar screen', () => {
  it('names the two stretches of a day that overlap, as the server refuses them', () => {
    expect(dayProblem([{ from: '12:00', to: '17:00' }, { from: '08:00', to: '12:30' }])).toEqual({ kind: 'overlap', first: { from: '08:00', to: '12:30' }, second: { from: '12:00', to: '17:00' } })
    expect(dayProblem([{ from: '08:00', to: '12:00' }, { from: '12:00', to: '17:00' }])).toBeNull()
    expect(dayProblem([{ from: '17:00', to: '08:00' }])).toEqual({ kind: 'backwards', range: { from: '17:00', to: '08:00' } })
    expect(dayProblem([{ from: '20:00', to: '24:00' }])).toBeNull()
  })

  it('sums the week up: days with the same hours in a row as one stretch', () => {
    expect(weekSummary(OFFICE_HOURS)).toEqual([{ first: 'monday', last: 'friday', ranges: [{ from: '08:30', to: '17:00' }] }])
    const split = { ...OFFICE_HOURS, wednesday: [{ from: '08:30', to: '12:00' }], saturday: [{ from: '10:00', to: '14:00' }] }
    expect(weekSummary(split).map((s) => `${s.first}-${s.last}`)).toEqual(['monday-tuesday', 'wednesday-wednesday', 'thursday-friday', 'saturday-saturday'])
  })

  it("reads the fields of the server's problem: a day for 422 and for a 400 on one of its times, a name in use", () => {
    const problem = (status: number, fields: string[]) => new ApiError(status, 'x', 'x', { errors: fields.map((field) => ({ field, message: 'x' })) })
    expect([...fieldErrors(problem(422, ['hours.tuesday', 'timeZone']))]).toEqual(['hours.tuesday', 'timeZone'])
    expect([...fieldErrors(problem(400, ['hours.monday.1.from']))]).toEqual(['hours.monday'])
    expect([...fieldErrors(problem(409, ['name']))]).toEqual(['name'])
    expect(fieldErrors(new Error('network')).size).toBe(0)
  })
})
