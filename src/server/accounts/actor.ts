import type { Role, User } from '../../shared/api/accounts.js'

/** Who is asking: the authenticated user, with how they proved it. */
export interface Actor {
  user: User
  via: 'session' | 'token' | 'system'
  /** The session (its stored id) or token behind this request, so that ending it can be told apart. */
  sessionId?: string
  tokenId?: string
  /** When that session or token runs out as last read (a session's moves on while it is used); none: never. */
  expiresAt?: string
}

const STAFF: readonly Role[] = ['admin', 'supervisor', 'agent']
export const isStaff = (actor: Actor) => STAFF.includes(actor.user.role)
export const isAdmin = (actor: Actor) => actor.user.role === 'admin'
export const isCustomer = (actor: Actor) => actor.user.role === 'customer'
/** A customer who is local administrator of this organisation (their own; never of another). */
export const isLocalAdminOf = (actor: Actor, organisationId: string | null | undefined) =>
  isCustomer(actor) && actor.user.localAdmin && !!organisationId && actor.user.organisationId === organisationId

/** The user id to store as author or actor; the command line and other system work record none. */
export const recordedUserId = (actor: Actor): string | null => (actor.via === 'system' && actor.user.id === 'system' ? null : actor.user.id)

/**
 * Loket itself acting (mail ingest, the command line, the demo seed, single sign-on): an administrator
 * by role, recorded as nobody (`recordedUserId` gives null). `name` says which part of Loket acted.
 */
export const systemActor = (name: string): Actor => ({ user: { id: 'system', role: 'admin', name } as User, via: 'system' })
