import { describe, expect, it } from 'vitest'
import { age, dateTime, relativeTime } from './format.js'

describe('dates and durations', () => {
  const now = Date.parse('2026-12-07T15:00:00Z')
  const threeDaysAgo = '2026-12-04T15:00:00Z'

  it('English dates are British with a 24-hour clock', () => {
    const text = dateTime('2026-12-07T15:04:00Z', 'en')
    expect(text).toMatch(/^7 Dec 2026, \d\d:04$/)
    expect(text).not.toMatch(/AM|PM/i)
  })

  it("a ticket's age and 'last updated' use the same words (no '3 d' beside '3 dgn')", () => {
    expect(age(threeDaysAgo, 'nl', now)).toBe('3 dagen')
    expect(relativeTime(threeDaysAgo, 'nl', now)).toBe('3 dagen geleden')
    expect(age(threeDaysAgo, 'en', now)).toBe('3 days')
    expect(relativeTime(threeDaysAgo, 'en', now)).toBe('3 days ago')
    expect(age('2026-12-07T12:00:00Z', 'nl', now)).toBe('3 uur')
    expect(age('2026-12-07T14:55:00Z', 'nl', now)).toBe('5 min')
  })
})
