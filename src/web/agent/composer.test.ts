import { describe, expect, it } from 'vitest'
import type { Department, Group, User } from './api.js'
import { canReplyToCustomer } from './Composer.js'

const user = (role: User['role'], groupIds: string[]): User =>
  ({ id: 'u1', role, groupIds, name: 'X', email: 'x@example.nl', organisationId: null, language: 'nl', phone: null, active: true, createdAt: '', updatedAt: '' }) as User
const dept = (id: string, customerReplyAllowed: boolean) => ({ id, name: id, customerReplyAllowed, calendarId: null, createdAt: '', updatedAt: '' }) as Department
const group = (id: string, departmentId: string, line: 1 | 2 | 3) => ({ id, name: id, departmentId, line, memberIds: [], calendarId: null, pickupTargetMinutes: null, returnTargetMinutes: null, assignment: 'off', signatureTemplate: '', createdAt: '', updatedAt: '' }) as Group

describe('canReplyToCustomer (mirrors the server policy)', () => {
  const depts = [dept('desk', true), dept('back', false), dept('open-back', true)]
  const groups = [group('g1', 'desk', 1), group('g2', 'back', 2), group('g3', 'open-back', 2)]

  it('lets the service desk, supervisors, admins and agents without groups reply', () => {
    expect(canReplyToCustomer(user('agent', ['g1']), groups, depts)).toBe(true)
    expect(canReplyToCustomer(user('agent', ['g1', 'g2']), groups, depts)).toBe(true)
    expect(canReplyToCustomer(user('supervisor', ['g2']), groups, depts)).toBe(true)
    expect(canReplyToCustomer(user('admin', ['g2']), groups, depts)).toBe(true)
    expect(canReplyToCustomer(user('agent', []), groups, depts)).toBe(true)
  })

  it('keeps a back office to internal notes unless its department allows replies', () => {
    expect(canReplyToCustomer(user('agent', ['g2']), groups, depts)).toBe(false)
    expect(canReplyToCustomer(user('agent', ['g3']), groups, depts)).toBe(true)
  })
})
