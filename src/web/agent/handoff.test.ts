import { describe, expect, it } from 'vitest'
import type { TFunction } from 'i18next'
import type { Group, User } from './api.js'
import { businessDuration, escalationViewOf, escalationViewsFor } from './handoff.js'
import nl from '../i18n/nl.json' with { type: 'json' }

const user = (role: User['role'], groupIds: string[] = []) => ({ id: 'u1', role, groupIds })
const group = (id: string, line: 1 | 2 | 3, memberIds: string[] = []) =>
  ({ id, name: id, departmentId: 'd', line, memberIds, calendarId: null, pickupTargetMinutes: null, returnTargetMinutes: null, assignment: 'off', createdAt: '', updatedAt: '' }) as Group

/** The Dutch texts with their placeholders filled in, as i18next does. */
const t = ((key: string, values: Record<string, unknown> = {}) => {
  const text = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], nl) as string
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]))
}) as unknown as TFunction

describe('the handoff queues in the sidebar', () => {
  const groups = [group('desk', 1, ['u1']), group('vergunningen', 2, ['u2'])]

  it('gives every agent "Mijn escalaties" and "Terug van backoffice"; "Voor ons" only to back-office members', () => {
    expect(escalationViewsFor(user('agent'), groups)).toEqual(['mine', 'returned'])
    expect(escalationViewsFor(user('agent', ['vergunningen']), groups)).toEqual(['mine', 'returned', 'ours'])
    // A member by the group's own list counts too.
    expect(escalationViewsFor({ ...user('agent'), id: 'u2' }, groups)).toEqual(['mine', 'returned', 'ours'])
  })

  it('gives the late handoffs to team leads and administrators only', () => {
    expect(escalationViewsFor(user('supervisor'), groups)).toEqual(['mine', 'returned', 'overdue'])
    expect(escalationViewsFor(user('admin', ['vergunningen']), groups)).toEqual(['mine', 'returned', 'ours', 'overdue'])
  })

  it('reads the view from the queue id, and nothing from other queues', () => {
    expect(escalationViewOf('esc-returned')).toBe('returned')
    expect(escalationViewOf('esc-ours')).toBe('ours')
    expect(escalationViewOf('esc-nonsense')).toBeNull()
    expect(escalationViewOf('escalated')).toBeNull()
    expect(escalationViewOf('mine')).toBeNull()
  })
})

describe('business time on the handoff clock', () => {
  it('reads as minutes, then hours and minutes', () => {
    expect(businessDuration(0, t)).toBe('0 min')
    expect(businessDuration(45, t)).toBe('45 min')
    expect(businessDuration(135, t)).toBe('2 u 15 min')
    expect(businessDuration(-3, t)).toBe('0 min')
  })
})
