import { describe, expect, it } from 'vitest'
import { accessFromClaims, claimAt, claimValues, groupsAfterSignIn } from './sso.mapping.js'
import { safeReturnPath } from './sso.service.js'

describe('single sign-on claim mapping', () => {
  const mappings = [
    { value: 'desk', role: 'agent' as const, groupIds: ['g-desk'] },
    { value: 'permits', groupIds: ['g-permits'] },
    { value: 'leads', role: 'supervisor' as const },
    { value: 'it-admins', role: 'admin' as const, groupIds: ['g-desk'] },
  ]

  it('gives the highest role of the matching rows and the groups of all of them', () => {
    expect(accessFromClaims({ groups: ['desk', 'permits', 'unrelated'] }, 'groups', mappings)).toEqual({
      role: 'agent',
      groupIds: ['g-desk', 'g-permits'],
      managedGroupIds: ['g-desk', 'g-permits'],
    })
    expect(accessFromClaims({ groups: ['leads', 'it-admins', 'desk'] }, 'groups', mappings).role).toBe('admin')
    expect(accessFromClaims({ groups: ['permits'] }, 'groups', mappings)).toMatchObject({ role: null, groupIds: ['g-permits'] })
    expect(accessFromClaims({}, 'groups', mappings).role).toBeNull()
  })

  it('reads one value or a list, a dotted path into an object, and "*" for everyone', () => {
    expect(claimValues('gemeente.nl')).toEqual(['gemeente.nl'])
    expect(claimValues([1, 'a', { no: 1 }, null, true])).toEqual(['1', 'a', 'true'])
    expect(claimAt({ realm_access: { roles: ['loket'] } }, 'realm_access.roles')).toEqual(['loket'])
    expect(claimAt({ 'https://example.org/roles': ['x'] }, 'https://example.org/roles')).toEqual(['x'])
    expect(accessFromClaims({ hd: 'gemeente.nl' }, 'hd', [{ value: 'gemeente.nl', role: 'agent' }]).role).toBe('agent')
    expect(accessFromClaims({}, 'groups', [{ value: '*', role: 'agent' }]).role).toBe('agent')
  })

  it('changes only the groups that a mapping names', () => {
    const access = accessFromClaims({ groups: ['permits'] }, 'groups', mappings)
    expect(groupsAfterSignIn(['g-desk', 'g-manual'], access).sort()).toEqual(['g-manual', 'g-permits'])
  })

  it('returns only to a path inside Loket', () => {
    expect(safeReturnPath('/tickets/1?queue=mine')).toBe('/tickets/1?queue=mine')
    for (const bad of [undefined, '', 'https://evil.example/', '//evil.example/', '/\\evil.example', '/api/v1/me', 'tickets', '/a b']) {
      expect(safeReturnPath(bad), String(bad)).toBe('/')
    }
  })
})
