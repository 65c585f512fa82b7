import type { Language, Role, User } from '../../shared/api/accounts.js'
import type { AppUserRow } from '../db/schema.js'

export const toUser = (r: AppUserRow, groupIds: string[] = []): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  organisationId: r.organisation_id,
  language: r.language as Language,
  phone: r.phone,
  active: r.active === 1,
  groupIds,
  localAdmin: r.local_admin === 1 && r.role === 'customer' && !!r.organisation_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase()
export const normaliseEmail = (email: string) => email.trim().toLowerCase()
