import type { Role, User } from '../../shared/api/accounts.js'

/** Who is asking: the authenticated user, with how they proved it. */
export interface Actor {
  user: User
  via: 'session' | 'token' | 'system'
}

const STAFF: readonly Role[] = ['admin', 'supervisor', 'agent']
export const isStaff = (actor: Actor) => STAFF.includes(actor.user.role)
export const isAdmin = (actor: Actor) => actor.user.role === 'admin'
export const isCustomer = (actor: Actor) => actor.user.role === 'customer'

/** The user id to store as author or actor; the command line and other system work record none. */
export const recordedUserId = (actor: Actor): string | null => (actor.via === 'system' && actor.user.id === 'system' ? null : actor.user.id)
