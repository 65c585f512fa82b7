import type { Language, Role, User } from '../../shared/api/accounts.js'
import type { AppUserRow } from '../db/schema.js'
import { AppError } from '../errors.js'

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
  mergedIntoId: r.merged_into_id ?? null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

export const emailDomain = (email: string) => email.slice(email.lastIndexOf('@') + 1).toLowerCase()
export const normaliseEmail = (email: string) => email.trim().toLowerCase()

/**
 * A person's e-mail address, for what needs one (a link or a notice by mail). A contact known only by phone
 * number or chat has none: a 409 problem+json (reason no_email) that says so, instead of a mail to nowhere.
 */
export function mailAddressOf(row: { email: string | null }): string {
  if (!row.email) {
    throw AppError.conflict('This person has no e-mail address, so no mail can be sent to them (nor a sign-in or password link). Add an e-mail address first.', {
      reason: 'no_email',
      field: 'email',
    })
  }
  return row.email
}
