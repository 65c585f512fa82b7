import type { ClaimMapping, StaffRole } from '../../../shared/api/sso.js'

const RANK: Record<StaffRole, number> = { agent: 1, supervisor: 2, admin: 3 }

/** A claim by name; a dotted name reaches into objects (Keycloak's realm_access.roles), unless the dotted name is itself a claim. */
export function claimAt(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name]
  let value: unknown = claims
  for (const part of name.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

/** A claim's values as strings: one value, or each value of a list (groups, roles). */
export function claimValues(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]
  return list.filter((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean').map(String)
}

export interface Access {
  /** The highest role any matching row gives; null: the provider's user may not sign in to Loket. */
  role: StaffRole | null
  /** The groups of every matching row. */
  groupIds: string[]
  /** The groups named anywhere in the table: these follow the claims, other groups are left as set in Loket. */
  managedGroupIds: string[]
}

/** What the provider's claims give a person in Loket, by the administrator's table of claim value → role and groups. */
export function accessFromClaims(claims: Record<string, unknown>, claim: string, mappings: readonly ClaimMapping[]): Access {
  const values = new Set(claimValues(claimAt(claims, claim)))
  let role: StaffRole | null = null
  const groupIds = new Set<string>()
  for (const mapping of mappings) {
    if (mapping.value !== '*' && !values.has(mapping.value)) continue
    if (mapping.role && (role === null || RANK[mapping.role] > RANK[role])) role = mapping.role
    for (const id of mapping.groupIds ?? []) groupIds.add(id)
  }
  return { role, groupIds: [...groupIds], managedGroupIds: [...new Set(mappings.flatMap((m) => m.groupIds ?? []))] }
}

/** The user's groups after a sign-in: the managed groups as the claims say, the others unchanged. */
export function groupsAfterSignIn(current: readonly string[], access: Access): string[] {
  const managed = new Set(access.managedGroupIds)
  return [...new Set([...current.filter((id) => !managed.has(id)), ...access.groupIds])]
}
