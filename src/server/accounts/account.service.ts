import type { CreateUserBody, UpdateUserBody, User, UserQuery } from '../../shared/api/accounts.js'
import type { PersonHit } from '../../shared/api/search.js'
import { newId } from '../clock.js'
import type { AppUserRow, Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { decodeCursor, pageOf } from '../pagination.js'
import { type Actor, isAdmin, isStaff } from './actor.js'
import { emailDomain, mailAddressOf, normaliseEmail, toUser } from './account.mappers.js'
import {
  type CustomerCandidate,
  type RequesterRow,
  sessionRepository,
  tokenRepository,
  userRepository,
} from './account.repository.js'
import { organisationRepository } from './organisation.repository.js'
import { hashPassword, newSecretToken, sha256, verifyPassword } from './secrets.js'
import { SignInThrottle } from './sign-in-throttle.js'
import { ACCOUNT_MAIL_QUEUE, accountLinkRepository, LINK_VALID_MS, type LinkPurpose, linkMail, PASSWORD_LINKS, SIGN_IN_LINKS } from './account-links.js'
import { encryptSecret } from './secrets.js'
import { toE164 } from './phone.js'
import { type IdentityKind, normaliseIdentity } from './contact-identity.js'
import { identityRepository } from './contact-identity.repository.js'
import { type AuditRecord, type AuditService, auditActor } from '../audit/audit.service.js'
import type { DomainEvent } from '../events.js'

export type { RequesterRow }

/** How long a checked API token is taken on trust (see AccountService.recentTokens). */
const LINK_AUDIT_ACTION: Record<LinkPurpose, string> = {
  'password-reset': 'user.password-reset-sent',
  'email-change': 'user.email-change-requested',
  invite: 'user.invited',
  'sign-in': 'auth.sign-in-link-sent',
  'member-invite': 'user.invited',
}

const TOKEN_MEMORY_MS = 1000

const SESSION_IDLE_MS = 12 * 3600_000 // a working day; renewed while in use
const SESSION_MAX_MS = 30 * 24 * 3600_000
// Verified when the e-mail is unknown, so a failed login takes as long either way.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$URlZgAmoT991jAsKWRqX9Q$cWH1xnmvpzvT9Z/h13Q9goXcWwjR8PtSOiQfwK/SQdM'

export interface LoginResult {
  sessionToken: string
  csrfToken: string
  user: User
}

/** Where a sign-in comes from, for the audit log and the throttling. */
export interface SignInContext {
  userAgent?: string
  ip?: string
}

/** An API token as its owner and administrators see it: never the secret. */
export interface TokenInfo {
  id: string
  name: string
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
}

export class AccountService {
  constructor(
    private readonly deps: Deps,
    private readonly audit: Pick<AuditService, 'record' | 'signedInFrom'>,
  ) {
    this.throttle = new SignInThrottle(deps)
    // Another process (or this one) withdrew someone's access: what this process remembers goes at once.
    deps.events.subscribe((event) => {
      if (event.type === 'account.access-changed') this.forgetTokens()
    })
  }

  private readonly throttle: SignInThrottle

  /** Tells every process that a user's access changed (after the change is committed). */
  async accessChanged(events: Extract<DomainEvent, { type: 'account.access-changed' }>[]) {
    this.forgetTokens()
    await this.deps.events.publishAll(events)
  }

  private async withGroups(db: Executor, rows: AppUserRow[]): Promise<User[]> {
    const groups = await userRepository.groupIdsOf(db, rows.filter((r) => r.role !== 'customer').map((r) => r.id))
    return rows.map((r) => toUser(r, groups.get(r.id) ?? []))
  }

  async getUserRow(id: string) {
    return userRepository.findById(this.deps.db, id)
  }

  /** A staff member's own part of their groups' signatures (the profile page); customers have none (403). */
  async ownSignature(actor: Actor): Promise<string> {
    if (!isStaff(actor)) throw AppError.forbidden('have a signature (staff only)')
    return (await userRepository.findById(this.deps.db, actor.user.id))?.signature ?? ''
  }

  async setOwnSignature(actor: Actor, signature: string): Promise<string> {
    if (!isStaff(actor)) throw AppError.forbidden('have a signature (staff only)')
    const text = signature.replace(/\r\n?/g, '\n').trim()
    await userRepository.update(this.deps.db, actor.user.id, { signature: text, updated_at: this.deps.clock.iso() })
    return text
  }

  async loadUser(id: string): Promise<User | undefined> {
    const row = await userRepository.findById(this.deps.db, id)
    return row ? (await this.withGroups(this.deps.db, [row]))[0] : undefined
  }

  // --- authentication -------------------------------------------------------------------------

  async login(email: string, password: string, context: SignInContext = {}): Promise<LoginResult> {
    const address = normaliseEmail(email).slice(0, 254)
    const ip = context.ip ?? 'unknown'
    const row = await userRepository.findByEmail(this.deps.db, address)
    const failed = (reason: string) =>
      this.audit.record(this.deps.db, { actorId: null, action: 'auth.sign-in-failed', subjectUserId: row?.id ?? null, ip: context.ip, details: { email: address, reason } })
    // Held back before the password is looked at, so a held attempt tells nothing about it.
    const waitMs = await this.throttle.waitMs(address, ip, async () => !!row && (await this.audit.signedInFrom(row.id, ip, 30)))
    if (waitMs > 0) {
      await failed('throttled')
      const seconds = Math.ceil(waitMs / 1000)
      throw new AppError('rate_limited', `Too many failed sign-ins. Try again in ${seconds} seconds.`, { retryAfter: seconds })
    }
    const ok = await verifyPassword(row?.password_hash ?? DUMMY_HASH, password)
    if (!row || !row.password_hash || !ok || row.active !== 1) {
      await this.throttle.failed(address, ip)
      await failed(!row ? 'unknown-address' : !row.password_hash ? 'no-password' : row.active !== 1 ? 'disabled' : 'wrong-password')
      throw new AppError('unauthenticated', 'The e-mail address or password is not correct.')
    }
    await this.throttle.succeeded(address, ip)
    if (!(await this.passwordSignInAllowed(row))) {
      await failed('sso-only')
      throw new AppError('forbidden', 'Staff sign in with single sign-on: use the button on the sign-in screen.', { reason: 'sso_only' })
    }
    return this.startSession(row, context.userAgent, { method: 'password', ip: context.ip })
  }

  /**
   * Whether this account may sign in with its password: single sign-on can switch local passwords off
   * for staff (accounts/sso). Set by createServices.
   */
  passwordSignInAllowed: (row: AppUserRow) => Promise<boolean> = async () => true

  /** A new session for a user who has shown who they are (by password, or at the single sign-on provider). */
  async startSession(row: AppUserRow, userAgent?: string, how: { method: 'password' | 'sso' | 'link'; ip?: string } = { method: 'sso' }): Promise<LoginResult> {
    const sessionToken = newSecretToken()
    const csrfToken = newSecretToken()
    const now = this.deps.clock.now()
    await sessionRepository.insert(this.deps.db, {
      id: sha256(sessionToken),
      user_id: row.id,
      csrf_token: csrfToken,
      user_agent: userAgent?.slice(0, 300) ?? null,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_IDLE_MS).toISOString(),
    })
    await this.audit.record(this.deps.db, { actorId: row.id, action: 'auth.signed-in', subjectUserId: row.id, ip: how.ip, details: { method: how.method } })
    return { sessionToken, csrfToken, user: (await this.withGroups(this.deps.db, [row]))[0] }
  }

  async logout(sessionToken: string, context: SignInContext = {}) {
    const sessionId = sha256(sessionToken)
    const ended = await sessionRepository.deleteReturningUser(this.deps.db, sessionId)
    if (!ended) return
    await this.audit.record(this.deps.db, { actorId: ended.user_id, action: 'auth.signed-out', subjectUserId: ended.user_id, ip: context.ip })
    await this.accessChanged([{ type: 'account.access-changed', userId: ended.user_id, sessionId }])
  }

  /** The session behind a cookie, renewed while in use; undefined when unknown, expired or the user is disabled. */
  async authenticateSession(sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
    const now = this.deps.clock.now()
    const session = await sessionRepository.findValid(this.deps.db, sha256(sessionToken), now.toISOString())
    if (!session) return undefined
    const user = await this.loadUser(session.user_id)
    if (!user || !user.active) return undefined
    // Renew at most once a minute so reads do not turn into writes.
    let expiresAt = session.expires_at
    if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) {
      const hardEnd = Date.parse(session.created_at) + SESSION_MAX_MS
      expiresAt = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, hardEnd)).toISOString()
      await sessionRepository.touch(this.deps.db, session.id, now.toISOString(), expiresAt)
    }
    return { actor: { user, via: 'session', sessionId: session.id, expiresAt }, csrfToken: session.csrf_token }
  }

  /**
   * When a session (by its stored id) runs out now, as renewed by its use meanwhile; undefined when it has
   * ended or expired. For the stream, which outlives the request that authorised it.
   */
  async sessionExpiry(sessionId: string): Promise<string | undefined> {
    return (await sessionRepository.findValid(this.deps.db, sessionId, this.deps.clock.iso()))?.expires_at
  }

  async authenticateToken(token: string): Promise<Actor | undefined> {
    const tokenHash = sha256(token)
    const recent = this.recentTokens.get(tokenHash)
    if (recent && recent.until > performance.now()) return recent.actor
    // An account that changes while this check waits for the database must not be remembered as it was.
    const generation = this.accountsGeneration
    const now = this.deps.clock.now()
    const row = await tokenRepository.findActiveWithUser(this.deps.db, tokenHash, now.toISOString())
    if (!row || row.active !== 1) return undefined
    const { token_id, token_last_used_at, token_expires_at, group_ids, ...userRow } = row
    const user = toUser(userRow, userRow.role === 'customer' || !group_ids ? [] : group_ids.split(','))
    // Recorded at most once a minute, so that reads do not turn into writes.
    if (!token_last_used_at || now.getTime() - Date.parse(token_last_used_at) > 60_000) {
      await tokenRepository.touch(this.deps.db, token_id, now.toISOString())
    }
    const actor: Actor = { user, via: 'token', tokenId: token_id, ...(token_expires_at && { expiresAt: token_expires_at }) }
    if (generation === this.accountsGeneration) {
      if (this.recentTokens.size >= 10_000) this.recentTokens.clear()
      const untilExpiry = token_expires_at ? Date.parse(token_expires_at) - now.getTime() : Infinity
      this.recentTokens.set(tokenHash, { actor, until: performance.now() + Math.min(TOKEN_MEMORY_MS, untilExpiry) })
    }
    return actor
  }

  /**
   * Tokens checked in the last second, with their actor: every API call authenticates, and a script
   * or integration sends many calls a second with one token. Forgotten when an account changes here;
   * another process notices a disabled account or a new role within TOKEN_MEMORY_MS.
   */
  private readonly recentTokens = new Map<string, { actor: Actor; until: number }>()
  /**
   * Counts account changes in this process. A token check that read its row before a change (and was
   * still waiting, for instance to record the token's use) does not remember what it read.
   */
  private accountsGeneration = 0

  /**
   * Forgets every remembered token: call after an account's role, groups or active flag changed here
   * (also a group's members, from the desk module).
   */
  forgetTokens() {
    this.accountsGeneration++
    this.recentTokens.clear()
  }

  /** A new personal API token; the plain value is shown once and only its hash is kept. */
  async createToken(actor: Actor, userId: string, name: string, options: { expiresAt?: string } = {}) {
    if (actor.user.id !== userId && !isAdmin(actor)) throw AppError.forbidden('create a token for someone else')
    const user = await userRepository.findById(this.deps.db, userId)
    if (!user) throw AppError.notFound('User', userId)
    const now = this.deps.clock.now()
    let expiresAt: string | null = null
    if (options.expiresAt !== undefined) {
      const at = Date.parse(options.expiresAt)
      if (Number.isNaN(at) || at <= now.getTime()) throw AppError.validation('expiresAt must be a moment in the future.', { field: 'expiresAt' })
      expiresAt = new Date(at).toISOString()
    }
    const token = newSecretToken('lkt_')
    const id = newId()
    await this.deps.transaction(async (trx) => {
      await tokenRepository.insert(trx, {
        id,
        user_id: userId,
        name,
        token_hash: sha256(token),
        created_at: now.toISOString(),
        last_used_at: null,
        revoked_at: null,
        expires_at: expiresAt,
      })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'token.created', subjectUserId: userId, details: { tokenId: id, name, expiresAt } })
    })
    return { id, name, token, createdAt: now.toISOString(), expiresAt }
  }

  /** A user's tokens that have not been revoked (expired ones too, until revoked), newest first. */
  async listTokens(actor: Actor, userId: string): Promise<TokenInfo[]> {
    await this.assertMayHandleTokens(actor, userId)
    const rows = await tokenRepository.listForUser(this.deps.db, userId)
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at }))
  }

  /** Ends a token at once, in every process (see accessChanged). */
  async revokeToken(actor: Actor, userId: string, tokenId: string): Promise<void> {
    await this.assertMayHandleTokens(actor, userId)
    const revoked = await this.deps.transaction(async (trx) => {
      const done = await tokenRepository.revoke(trx, userId, tokenId, this.deps.clock.iso())
      if (done) await this.audit.record(trx, { actorId: auditActor(actor), action: 'token.revoked', subjectUserId: userId, details: { tokenId, name: done.name } })
      return done
    })
    if (!revoked) throw AppError.notFound('Token', tokenId)
    await this.accessChanged([{ type: 'account.access-changed', userId, tokenId }])
  }

  /** A token by its id alone, whoever holds it: the command line's revoke. */
  async tokenOwner(tokenId: string): Promise<string | undefined> {
    return (await tokenRepository.findById(this.deps.db, tokenId))?.user_id
  }

  /** One's own tokens, or anyone's for an administrator; for anyone else the user is not there. */
  private async assertMayHandleTokens(actor: Actor, userId: string) {
    if (actor.user.id !== userId && !isAdmin(actor)) throw AppError.notFound('User', userId)
    if (!(await userRepository.findById(this.deps.db, userId))) throw AppError.notFound('User', userId)
  }

  // --- users ----------------------------------------------------------------------------------

  async listUsers(actor: Actor, query: UserQuery) {
    if (!isStaff(actor)) throw AppError.forbidden('list users')
    const limit = query.limit ?? 50
    const after = decodeCursor(query.cursor, ['name', 'id'] as const)
    const rows = await userRepository.list(this.deps.db, { ...query, after, limit: limit + 1 })
    const page = pageOf(rows, limit, (r) => r, (r) => ({ name: r.name, id: r.id }))
    return { items: await this.withGroups(this.deps.db, page.items), nextCursor: page.nextCursor }
  }

  async getUser(actor: Actor, id: string): Promise<User> {
    if (!isStaff(actor) && actor.user.id !== id) throw AppError.notFound('User', id)
    const user = await this.loadUser(id)
    if (!user) throw AppError.notFound('User', id)
    await this.recordPersonRead(actor, id, 'profile')
    return user
  }

  /**
   * Staff reading a person's data (their profile, their list of tickets) is recorded, unless it is part of
   * their own work: the person has a ticket assigned to them or in one of their groups.
   */
  async recordPersonRead(actor: Actor, personId: string, what: 'profile' | 'tickets') {
    if (!isStaff(actor) || actor.user.id === personId || actor.via === 'system') return
    if (await userRepository.hasTicketHandledBy(this.deps.db, personId, actor.user.id, actor.user.groupIds)) return
    await this.audit.record(this.deps.db, { actorId: actor.user.id, action: 'user.viewed', subjectUserId: personId, details: { what } })
  }

  /** A new account; one made with an e-mail address has it (its type says so, for callers that go on to use it). */
  async createUser<B extends CreateUserBody>(actor: Actor, body: B): Promise<B extends { email: string } ? User & { email: string } : User>
  async createUser(actor: Actor, body: CreateUserBody): Promise<User> {
    this.assertMayManage(actor, body.role)
    // A customer chooses their own password; staff who chose it could sign in as them.
    if (body.role === 'customer' && body.password !== undefined && actor.via !== 'system') throw AppError.forbidden("choose a customer's password")
    const email = body.email !== undefined ? normaliseEmail(body.email) : null
    const phoneE164 = toE164(body.phone) ?? null
    // Staff sign in and get their notices by mail; a customer may be known by a phone number alone.
    if (!email && body.role !== 'customer') throw new AppError('unprocessable', 'Staff need an e-mail address: they sign in with it.', { field: 'email', reason: 'no_email' })
    if (!email && !phoneE164) throw new AppError('unprocessable', 'Give an e-mail address or a phone number, so this person can be found again.', { field: 'email', reason: 'no_identifier' })
    const db = this.deps.db
    if (email && (await this.identityOwner(db, 'email', email))) throw AppError.conflict(`A user with e-mail ${email} already exists.`, { field: 'email' })
    // A phone number is shared now and then (a family, a shop's line): only a contact known by it alone needs it to themselves.
    const phoneOwner = phoneE164 ? await this.identityOwner(db, 'phone', phoneE164) : undefined
    if (!email && phoneOwner) throw AppError.conflict(`Someone is already known by phone number ${phoneE164}.`, { field: 'phone', userId: phoneOwner })
    if (body.organisationId && !(await organisationRepository.findById(db, body.organisationId))) {
      throw AppError.validation('The organisation does not exist.', { field: 'organisationId' })
    }
    const organisationId =
      body.organisationId !== undefined ? body.organisationId : email ? ((await organisationRepository.findByDomain(db, emailDomain(email)))?.id ?? null) : null
    const now = this.deps.clock.iso()
    const id = newId()
    // Hashing takes tens of milliseconds by design: done before the transaction, not while holding it.
    const passwordHash = body.password ? await hashPassword(body.password) : null
    await this.deps.db.transaction().execute(async (trx) => {
      await userRepository.insert(trx, {
        id,
        email,
        name: body.name.trim() || email || body.phone!,
        role: body.role,
        password_hash: passwordHash,
        organisation_id: organisationId,
        language: body.language ?? 'nl',
        phone: body.phone ?? null,
        phone_e164: phoneE164,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      if (phoneE164 && !phoneOwner) await identityRepository.add(trx, { kind: 'phone', value: phoneE164, userId: id, at: now })
      if (body.groupIds?.length) {
        await this.assertGroupsExist(trx, body.groupIds)
        await userRepository.setGroups(trx, id, [...new Set(body.groupIds)])
      }
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'user.created',
        subjectUserId: id,
        details: { email, name: body.name.trim() || email || body.phone!, role: body.role, organisationId, language: body.language ?? 'nl', groupIds: body.groupIds ?? [], canSignIn: !!passwordHash },
      })
    })
    return (await this.loadUser(id))!
  }

  async updateUser(actor: Actor, id: string, body: UpdateUserBody): Promise<User> {
    const db = this.deps.db
    const row = await userRepository.findById(db, id)
    const self = actor.user.id === id
    if (!row || (!isStaff(actor) && !self)) throw AppError.notFound('User', id)
    const selfServiceOnly = Object.keys(body).every((k) => ['name', 'language', 'password', 'currentPassword', 'phone'].includes(k))
    if (!(self && selfServiceOnly)) {
      this.assertMayManage(actor, row.role)
      if (body.role) this.assertMayManage(actor, body.role)
    }
    if (body.email && normaliseEmail(body.email) !== row.email && (await this.identityOwner(db, 'email', normaliseEmail(body.email), id))) {
      throw AppError.conflict('Another user already has this e-mail address.', { field: 'email' })
    }
    if (body.organisationId && !(await organisationRepository.findById(db, body.organisationId))) {
      throw AppError.validation('The organisation does not exist.', { field: 'organisationId' })
    }
    if (body.password !== undefined) await this.assertMaySetPassword(actor, row, body.currentPassword)
    // A new address takes effect when its owner confirms it from that address (the command line excepted).
    const newEmail = body.email !== undefined && normaliseEmail(body.email) !== row.email ? normaliseEmail(body.email) : undefined
    const confirmEmail = newEmail !== undefined && actor.via !== 'system'
    const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined
    const endsAdmin = row.role === 'admin' && row.active === 1 && (body.active === false || (body.role !== undefined && body.role !== 'admin'))
    const disables = body.active === false && row.active === 1
    const groupsBefore = body.groupIds ? ((await userRepository.groupIdsOf(db, [id])).get(id) ?? []) : []
    const groupsAfter = body.groupIds ? [...new Set(body.groupIds)] : []
    const added = groupsAfter.filter((g) => !groupsBefore.includes(g))
    const removed = groupsBefore.filter((g) => !groupsAfter.includes(g))
    const roleChanges = body.role !== undefined && body.role !== row.role
    const accessEvents = await this.deps.db.transaction().execute(async (trx) => {
      // Someone must stay able to manage accounts. The active admins are locked (PostgreSQL) so that
      // two admins disabling each other at the same moment cannot both succeed.
      if (endsAdmin) {
        const admins = await userRepository.activeAdminIds(trx, this.deps.dialect.locks)
        if (!admins.some((admin) => admin !== id)) {
          throw AppError.conflict(
            'This is the last active administrator: make another account an administrator before disabling this one or giving it another role.',
            { field: body.active === false ? 'active' : 'role' },
          )
        }
      }
      await userRepository.update(trx, id, {
        ...(newEmail !== undefined && !confirmEmail && { email: newEmail }),
        ...(body.name !== undefined && { name: body.name }),
        ...(body.role !== undefined && { role: body.role }),
        ...(body.organisationId !== undefined && { organisation_id: body.organisationId }),
        // A local administrator of one organisation is not one of the next, nor as staff.
        ...((body.organisationId !== undefined && body.organisationId !== row.organisation_id) || (body.role !== undefined && body.role !== 'customer') ? { local_admin: 0 } : {}),
        ...(body.language !== undefined && { language: body.language }),
        ...(body.phone !== undefined && { phone: body.phone, phone_e164: toE164(body.phone) ?? null }),
        ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
        ...(passwordHash !== undefined && { password_hash: passwordHash }),
        updated_at: this.deps.clock.iso(),
      })
      if (body.groupIds) {
        await this.assertGroupsExist(trx, body.groupIds)
        await userRepository.setGroups(trx, id, groupsAfter)
      }
      const at = this.deps.clock.iso()
      if (newEmail !== undefined && !confirmEmail) await identityRepository.replaceEmail(trx, id, row.email, newEmail, at)
      if (body.phone !== undefined && (toE164(body.phone) ?? null) !== row.phone_e164) await this.replacePhone(trx, id, row.phone_e164, toE164(body.phone) ?? null, at)
      await this.recordUserChanges(trx, actor, row, confirmEmail ? { ...body, email: undefined } : body, { added, removed })
      if (confirmEmail) await this.sendLink(trx, actor, { ...row, email: newEmail }, 'email-change', newEmail)
      // A disabled account ends every session and token; a new password ends every session.
      const events: Extract<DomainEvent, { type: 'account.access-changed' }>[] = []
      const endedSessions = disables || body.password !== undefined ? await sessionRepository.deleteForUserReturningIds(trx, id) : []
      const revokedTokens = disables ? await tokenRepository.revokeAllForUser(trx, id, this.deps.clock.iso()) : []
      for (const sessionId of endedSessions) events.push({ type: 'account.access-changed', userId: id, sessionId })
      for (const tokenId of revokedTokens) events.push({ type: 'account.access-changed', userId: id, tokenId })
      if (disables || roleChanges || added.length || removed.length) events.push({ type: 'account.access-changed', userId: id })
      return events
    })
    await this.accessChanged(accessEvents)
    return (await this.loadUser(id))!
  }

  /**
   * The audit entries of one change to an account: its active flag, role and groups each under their own
   * action (so they can be looked up alone), every other field under user.changed; passwords by name only.
   */
  private async recordUserChanges(db: Executor, actor: Actor, row: AppUserRow, body: UpdateUserBody, groups: { added: string[]; removed: string[] }) {
    const record = (action: string, details: AuditRecord['details']) =>
      this.audit.record(db, { actorId: auditActor(actor), action, subjectUserId: row.id, details })
    if (body.active !== undefined && body.active !== (row.active === 1)) await record(body.active ? 'user.enabled' : 'user.disabled', {})
    if (body.role !== undefined && body.role !== row.role) await record('user.role-changed', { from: row.role, to: body.role })
    if (groups.added.length || groups.removed.length) await record('user.groups-changed', { added: groups.added, removed: groups.removed })
    const before: Record<string, unknown> = { email: row.email, name: row.name, organisationId: row.organisation_id, language: row.language, phone: row.phone }
    const after: Record<string, unknown> = { ...body, ...(body.email !== undefined && { email: normaliseEmail(body.email) }) }
    const changes = Object.fromEntries(
      Object.keys(before).filter((k) => after[k] !== undefined && after[k] !== before[k]).map((k) => [k, { from: before[k], to: after[k] }]),
    )
    const fields = [...Object.keys(changes), ...(body.password !== undefined ? ['password'] : [])]
    if (fields.length) await record('user.changed', { fields, changes })
  }

  /**
   * Sends a one-time link by mail (through the job queue, so it is retried) and records that it was sent.
   * The secret travels encrypted with LOKET_SECRET in the job and is stored nowhere else but as a hash.
   */
  async sendLink(db: Executor, actor: Actor, to: Pick<AppUserRow, 'id' | 'email' | 'name' | 'language'>, purpose: LinkPurpose, newEmail: string | null = null) {
    const secret = newSecretToken()
    const now = this.deps.clock.now()
    const expiresAt = new Date(now.getTime() + LINK_VALID_MS[purpose]).toISOString()
    await accountLinkRepository.retire(db, to.id, purpose, now.toISOString())
    await accountLinkRepository.insert(db, { id: sha256(secret), user_id: to.id, purpose, new_email: newEmail, created_at: now.toISOString(), expires_at: expiresAt })
    const page = purpose === 'email-change' ? 'e-mailadres-bevestigen' : SIGN_IN_LINKS.includes(purpose) ? 'portal/link' : 'wachtwoord-instellen'
    await this.queueMail(db, mailAddressOf(to), linkMail(purpose, to.language, to.name, `${this.deps.config.publicUrl}/${page}#${secret}`))
    await this.audit.record(db, {
      actorId: auditActor(actor),
      action: LINK_AUDIT_ACTION[purpose],
      subjectUserId: to.id,
      details: { expiresAt, ...(newEmail && { to: newEmail }) },
    })
    return expiresAt
  }

  /** Queues a mail to one address on the account mail queue (sent by the e-mail channel, retried); sealed with LOKET_SECRET. */
  async queueMail(db: Executor, to: string, mail: { subject: string; text: string }) {
    await this.deps.jobs.enqueue(db, ACCOUNT_MAIL_QUEUE, { sealed: encryptSecret(this.deps.config.secret, JSON.stringify({ to, ...mail })) })
  }

  /**
   * "Stuur mij een inloglink": a one-time link (15 minutes) to an active account with this address that may
   * sign in without single sign-on. Like the forgotten password, the caller learns nothing about the address;
   * one mail per address per two minutes, and the route limits how often one network address asks.
   */
  async requestSignInLink(email: string): Promise<void> {
    const row = await userRepository.findByEmail(this.deps.db, normaliseEmail(email).slice(0, 254))
    if (!row || row.active !== 1 || !(await this.passwordSignInAllowed(row))) return
    await this.mailSignInLink(row)
  }

  private async mailSignInLink(row: AppUserRow) {
    const since = new Date(this.deps.clock.now().getTime() - 2 * 60_000).toISOString()
    if (await accountLinkRepository.sentSince(this.deps.db, row.id, 'sign-in', since)) return
    const self: Actor = { user: toUser(row, []), via: 'session' }
    await this.deps.transaction((trx) => this.sendLink(trx, self, row, 'sign-in'))
  }

  /** A sign-in link (or a local administrator's invitation) used: once, before it expires, by an active account. */
  async signInWithLink(secret: string, context: SignInContext = {}): Promise<LoginResult> {
    const now = this.deps.clock.iso()
    const link = await accountLinkRepository.use(this.deps.db, sha256(secret), SIGN_IN_LINKS, now)
    const row = link && (await userRepository.findById(this.deps.db, link.user_id))
    if (!row || row.active !== 1 || !(await this.passwordSignInAllowed(row))) {
      await this.audit.record(this.deps.db, { actorId: null, action: 'auth.sign-in-failed', subjectUserId: row ? row.id : null, ip: context.ip, details: { reason: row ? 'disabled' : 'link-not-valid' } })
      throw AppError.validation('This sign-in link is not valid (any more): it works once and for a limited time. Ask for a new one.', { field: 'token' })
    }
    return this.startSession(row, context.userAgent, { method: 'link', ip: context.ip })
  }

  /**
   * Self-registration in the portal, for addresses in a domain of an organisation that allows it: a new
   * customer of that organisation, without a password, who signs in through the link mailed to the address
   * (so only its owner can use the account). An address that has an account gets a sign-in link instead;
   * any other address nothing. The caller is told the same in every case.
   */
  async register(input: { email: string; name: string; language?: 'nl' | 'en' }, context: SignInContext = {}): Promise<void> {
    const email = normaliseEmail(input.email).slice(0, 254)
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return
    const existing = await userRepository.findByEmail(this.deps.db, email)
    if (existing) {
      if (existing.active === 1 && (await this.passwordSignInAllowed(existing))) await this.mailSignInLink(existing)
      return
    }
    const organisation = await organisationRepository.findByDomain(this.deps.db, emailDomain(email))
    if (!organisation || organisation.self_registration !== 1) return
    const now = this.deps.clock.iso()
    const id = newId()
    const row = { id, email, name: input.name.trim() || email, role: 'customer', password_hash: null, organisation_id: organisation.id, language: input.language ?? 'nl', phone: null, phone_e164: null, active: 1, created_at: now, updated_at: now }
    await this.deps.transaction(async (trx) => {
      // Two registrations of one address at the same moment: the second finds the first's account.
      if (await this.identityOwner(trx, 'email', email)) return
      await userRepository.insert(trx, row)
      await this.audit.record(trx, { actorId: id, action: 'user.registered', subjectUserId: id, ip: context.ip, details: { email, organisationId: organisation.id } })
      await this.sendLink(trx, { user: toUser({ ...row, local_admin: 0, signature: '', merged_into_id: null }, []), via: 'session' }, row, 'sign-in')
    })
  }

  /** Staff send a customer (administrators anyone) a link to choose a password, instead of choosing it. */
  async sendPasswordReset(actor: Actor, userId: string): Promise<{ expiresAt: string }> {
    const row = await userRepository.findById(this.deps.db, userId)
    if (!row || !isStaff(actor)) throw AppError.notFound('User', userId)
    this.assertMayManage(actor, row.role)
    if (row.active !== 1) throw AppError.conflict('The account is disabled; enable it first.', { field: 'active' })
    const expiresAt = await this.deps.transaction((trx) => this.sendLink(trx, actor, row, 'password-reset'))
    return { expiresAt }
  }

  /** An administrator (staff, for a customer) invites someone: a link to choose a first password, valid 72 hours. */
  async sendInvite(actor: Actor, userId: string): Promise<{ expiresAt: string }> {
    const row = await userRepository.findById(this.deps.db, userId)
    if (!row || !isStaff(actor)) throw AppError.notFound('User', userId)
    this.assertMayManage(actor, row.role)
    if (row.active !== 1) throw AppError.conflict('The account is disabled; enable it first.', { field: 'active' })
    const expiresAt = await this.deps.transaction((trx) => this.sendLink(trx, actor, row, 'invite'))
    return { expiresAt }
  }

  /**
   * "Wachtwoord vergeten?": a reset link to an active account with this address. The caller learns nothing
   * about whether the address is known (no account enumeration); the route limits how often it is asked.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const row = await userRepository.findByEmail(this.deps.db, normaliseEmail(email))
    if (!row || row.active !== 1) return
    // One mail per address per two minutes, however often the form is sent (no mail bombing through it).
    const since = new Date(this.deps.clock.now().getTime() - 2 * 60_000).toISOString()
    if (await accountLinkRepository.sentSince(this.deps.db, row.id, 'password-reset', since)) return
    const self: Actor = { user: toUser(row, []), via: 'session' }
    await this.deps.transaction((trx) => this.sendLink(trx, self, row, 'password-reset'))
  }

  /** A reset link used: the new password is set and every session of the account ends. */
  async resetPassword(secret: string, password: string): Promise<void> {
    const passwordHash = await hashPassword(password)
    const now = this.deps.clock.iso()
    const ended = await this.deps.transaction(async (trx) => {
      const link = await accountLinkRepository.use(trx, sha256(secret), PASSWORD_LINKS, now)
      if (!link) throw AppError.validation('This link is not valid (any more): it works once and for a limited time. Ask for a new one.', { field: 'token' })
      await userRepository.update(trx, link.user_id, { password_hash: passwordHash, updated_at: now })
      await this.audit.record(trx, { actorId: link.user_id, action: 'user.password-reset', subjectUserId: link.user_id, details: { fields: ['password'] } })
      return { userId: link.user_id, sessions: await sessionRepository.deleteForUserReturningIds(trx, link.user_id) }
    })
    await this.accessChanged(ended.sessions.map((sessionId) => ({ type: 'account.access-changed' as const, userId: ended.userId, sessionId })))
  }

  /** A confirmation link opened: the account takes the new address now (if no one took it meanwhile). */
  async confirmEmail(secret: string): Promise<void> {
    const now = this.deps.clock.iso()
    await this.deps.transaction(async (trx) => {
      const link = await accountLinkRepository.use(trx, sha256(secret), ['email-change'], now)
      if (!link || !link.new_email) throw AppError.validation('This link is not valid (any more): it works once and for 24 hours.', { field: 'token' })
      const row = await userRepository.findById(trx, link.user_id)
      if (!row) throw AppError.validation('This link is not valid (any more).', { field: 'token' })
      if (await this.identityOwner(trx, 'email', link.new_email, link.user_id)) throw AppError.conflict('Another user already has this e-mail address.', { field: 'email' })
      await userRepository.update(trx, link.user_id, { email: link.new_email, updated_at: now })
      await identityRepository.replaceEmail(trx, link.user_id, row.email, link.new_email, now)
      await this.audit.record(trx, { actorId: link.user_id, action: 'user.email-changed', subjectUserId: link.user_id, details: { from: row.email, to: link.new_email } })
    })
  }

  /**
   * One's own password only with the current one (a session left open is not enough to take the account
   * over); a customer's never by staff, who could then sign in as them. Administrators may still set a
   * staff account's password, and the command line anyone's.
   */
  private async assertMaySetPassword(actor: Actor, row: AppUserRow, currentPassword: string | undefined) {
    if (actor.via === 'system') return
    if (actor.user.id === row.id) {
      if (currentPassword === undefined) throw AppError.validation('Send your current password to set a new one.', { field: 'currentPassword' })
      if (!row.password_hash || !(await verifyPassword(row.password_hash, currentPassword))) {
        throw new AppError('forbidden', 'The current password is not correct.', { field: 'currentPassword' })
      }
      return
    }
    if (row.role === 'customer') throw AppError.forbidden("set a customer's password")
  }

  /** Admins manage everyone; the desk (agents, supervisors) manages customers' accounts. */
  private assertMayManage(actor: Actor, role: string) {
    if (isAdmin(actor)) return
    if (isStaff(actor) && role === 'customer') return
    throw AppError.forbidden(role === 'customer' ? 'manage customers' : 'manage staff accounts')
  }

  private async assertGroupsExist(db: Executor, groupIds: readonly string[]) {
    const unique = [...new Set(groupIds)]
    // `IN ()` is an error on PostgreSQL (SQLite accepts it): no groups is trivially fine.
    if (!unique.length) return
    const found = await db.selectFrom('agent_group').select('id').where('id', 'in', unique).execute()
    if (found.length !== unique.length) throw AppError.validation('One or more groups do not exist.', { field: 'groupIds' })
  }

  /**
   * The requester behind an identifier (an e-mail address, a phone number, a chat visitor id; see
   * contact_identities), created as a customer on first contact; one known by an e-mail address joins the
   * organisation that owns its domain. Runs inside the caller's transaction. An identifier that is not one
   * of its kind (a phone number that is no possible number) is a 422.
   */
  async findOrCreateRequester(db: Executor, input: { kind: IdentityKind | 'portal'; address: string; name?: string }): Promise<RequesterRow> {
    // The portal's sender is a customer signed in with their address.
    const kind: IdentityKind = input.kind === 'portal' ? 'email' : input.kind
    const value = normaliseIdentity(kind, input.address)
    if (value === undefined) throw new AppError('unprocessable', `The sender's ${kind === 'phone' ? 'phone number' : kind === 'email' ? 'e-mail address' : 'chat id'} is not valid: ${input.address.slice(0, 100)}`, { field: 'from' })
    const existing = await userRepository.findWithOrganisation(db, { kind, value })
    if (existing) return existing
    const candidate = this.customerCandidate(kind, value, input.name)
    const created = await userRepository.insertCustomerIfAbsent(db, candidate)
    if (created) {
      if (await userRepository.insertIdentityIfAbsent(db, candidate)) return created
      await userRepository.deleteNewCustomer(db, created.id)
    }
    return (await userRepository.findWithOrganisation(db, { kind, value }))!
  }

  /** Who is known by this identifier (one of their identities, or for an e-mail address their account's address); `except` is left out. */
  private async identityOwner(db: Executor, kind: IdentityKind, value: string, except?: string): Promise<string | undefined> {
    const owner = (await userRepository.findWithOrganisation(db, { kind, value }))?.id
    return owner === except ? undefined : owner
  }

  /** The phone number on an account changed: the identifier follows it when no one else has that number. */
  private async replacePhone(db: Executor, userId: string, from: string | null, to: string | null, at: string) {
    if (from) await identityRepository.remove(db, userId, 'phone', from)
    if (to) await identityRepository.add(db, { kind: 'phone', value: to, userId, at })
  }

  /** The customer a requester's identifier would become if it is new. */
  private customerCandidate(kind: IdentityKind, value: string, name: string | undefined): CustomerCandidate {
    const now = this.deps.clock.iso()
    const email = kind === 'email' ? value : null
    return {
      row: { id: newId(), email, name: name?.trim() || value, language: 'nl', created_at: now, updated_at: now },
      identity: { kind, value },
      domain: email ? emailDomain(email) : '',
    }
  }

  /** The id of the user with this e-mail address, if there is one. */
  async userIdByEmail(email: string): Promise<string | undefined> {
    return (await userRepository.findByEmail(this.deps.db, normaliseEmail(email)))?.id
  }

  /** An address as routing rules see it, without adding anyone: a known user's organisation and language, or its domain's organisation. */
  async routingProfileOf(email: string): Promise<{ organisationId: string | null; language: string }> {
    const address = normaliseEmail(email)
    const known = await userRepository.findWithOrganisation(this.deps.db, { kind: 'email', value: address })
    if (known) return { organisationId: known.organisation_id, language: known.language }
    return { organisationId: (await organisationRepository.findByDomain(this.deps.db, emailDomain(address)))?.id ?? null, language: 'nl' }
  }

  /** A known user as a requester (a customer opening their own ticket). */
  async requesterById(db: Executor, id: string): Promise<RequesterRow | undefined> {
    return userRepository.findWithOrganisation(db, { id })
  }

  /**
   * People found by an e-mail address or a phone number in any notation (compared in E.164): what the
   * search box answers staff. Customers find nobody.
   */
  async findByContact(actor: Actor, text: string, limit = 10): Promise<PersonHit[]> {
    if (!isStaff(actor)) return []
    const email = text.includes('@') ? normaliseEmail(text) : undefined
    const phoneE164 = email ? undefined : toE164(text)
    const rows = await userRepository.findByContact(this.deps.db, { email, phoneE164 }, limit)
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      phone: r.phone,
      role: r.role,
      organisation: r.organisation_id ? { id: r.organisation_id, name: r.organisation_name ?? '' } : null,
      matchedOn: email ? 'email' : 'phone',
    }))
  }

  /** What tickets show of people (requesters, assignees, authors): id, name and address. */
  async peopleByIds(db: Executor, ids: readonly string[]): Promise<{ id: string; name: string; email: string | null }[]> {
    return userRepository.namesByIds(db, ids)
  }

  /** Active staff with what a notification needs of them (name for mentions, address and language for mail). */
  async activeStaff(db: Executor): Promise<{ id: string; name: string; email: string; language: string }[]> {
    // Staff always have an address (createUser asks for one); the type allows none since customers may have none.
    return (await userRepository.activeStaff(db)).filter((s): s is typeof s & { email: string } => s.email !== null)
  }

  /**
   * How a requester could sign in to read a reply in the portal: their address (sign-in links go there), whether the
   * account is active, and whether they have a password. `db` may be the caller's transaction.
   */
  async signInOf(db: Executor, id: string): Promise<{ email: string | null; active: boolean; hasPassword: boolean } | undefined> {
    const row = await userRepository.findById(db, id)
    if (!row) return undefined
    // Staff read a ticket they asked about in the desk itself (password or single sign-on).
    return { email: row.email, active: row.active === 1, hasPassword: row.password_hash !== null || row.role !== 'customer' }
  }

  /** Whether this user is staff and active: who a ticket may be assigned to. */
  async isActiveStaff(db: Executor, id: string): Promise<boolean> {
    const user = await userRepository.findById(db, id)
    return !!user && user.role !== 'customer' && user.active === 1
  }
}
