import type { CreateUserBody, UpdateUserBody, User, UserQuery } from '../../shared/api/accounts.js'
import { newId } from '../clock.js'
import type { AppUserRow, Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { decodeCursor, pageOf } from '../pagination.js'
import { type Actor, isAdmin, isStaff } from './actor.js'
import { emailDomain, normaliseEmail, toUser } from './account.mappers.js'
import type { RequesterSource } from '../db/dialect.js'
import {
  type CustomerCandidate,
  postgresRequesterByAddress,
  postgresRequesterById,
  type RequesterRow,
  sessionRepository,
  tokenRepository,
  userRepository,
} from './account.repository.js'
import { organisationRepository } from './organisation.repository.js'
import { hashPassword, newSecretToken, sha256, verifyPassword } from './secrets.js'

export type { RequesterRow }

/** How long a checked API token is taken on trust (see AccountService.recentTokens). */
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

export class AccountService {
  constructor(private readonly deps: Deps) {}

  private async withGroups(db: Executor, rows: AppUserRow[]): Promise<User[]> {
    const groups = await userRepository.groupIdsOf(db, rows.filter((r) => r.role !== 'customer').map((r) => r.id))
    return rows.map((r) => toUser(r, groups.get(r.id) ?? []))
  }

  async getUserRow(id: string) {
    return userRepository.findById(this.deps.db, id)
  }

  async loadUser(id: string): Promise<User | undefined> {
    const row = await userRepository.findById(this.deps.db, id)
    return row ? (await this.withGroups(this.deps.db, [row]))[0] : undefined
  }

  // --- authentication -------------------------------------------------------------------------

  async login(email: string, password: string, userAgent?: string): Promise<LoginResult> {
    const row = await userRepository.findByEmail(this.deps.db, normaliseEmail(email))
    const ok = await verifyPassword(row?.password_hash ?? DUMMY_HASH, password)
    if (!row || !row.password_hash || !ok || row.active !== 1) {
      throw new AppError('unauthenticated', 'The e-mail address or password is not correct.')
    }
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
    return { sessionToken, csrfToken, user: (await this.withGroups(this.deps.db, [row]))[0] }
  }

  async logout(sessionToken: string) {
    await sessionRepository.delete(this.deps.db, sha256(sessionToken))
  }

  /** The session behind a cookie, renewed while in use; undefined when unknown, expired or the user is disabled. */
  async authenticateSession(sessionToken: string): Promise<{ actor: Actor; csrfToken: string } | undefined> {
    const now = this.deps.clock.now()
    const session = await sessionRepository.findValid(this.deps.db, sha256(sessionToken), now.toISOString())
    if (!session) return undefined
    const user = await this.loadUser(session.user_id)
    if (!user || !user.active) return undefined
    // Renew at most once a minute so reads do not turn into writes.
    if (now.getTime() - Date.parse(session.last_seen_at) > 60_000) {
      const hardEnd = Date.parse(session.created_at) + SESSION_MAX_MS
      const expires = new Date(Math.min(now.getTime() + SESSION_IDLE_MS, hardEnd)).toISOString()
      await sessionRepository.touch(this.deps.db, session.id, now.toISOString(), expires)
    }
    return { actor: { user, via: 'session' }, csrfToken: session.csrf_token }
  }

  async authenticateToken(token: string): Promise<Actor | undefined> {
    const tokenHash = sha256(token)
    const recent = this.recentTokens.get(tokenHash)
    if (recent && recent.until > performance.now()) return recent.actor
    // An account that changes while this check waits for the database must not be remembered as it was.
    const generation = this.accountsGeneration
    const row = await tokenRepository.findActiveWithUser(this.deps.db, tokenHash)
    if (!row || row.active !== 1) return undefined
    const { token_id, token_last_used_at, group_ids, ...userRow } = row
    const user = toUser(userRow, userRow.role === 'customer' || !group_ids ? [] : group_ids.split(','))
    const now = this.deps.clock.now()
    if (!token_last_used_at || now.getTime() - Date.parse(token_last_used_at) > 60_000) {
      await tokenRepository.touch(this.deps.db, token_id, now.toISOString())
    }
    const actor: Actor = { user, via: 'token' }
    if (generation === this.accountsGeneration) {
      if (this.recentTokens.size >= 10_000) this.recentTokens.clear()
      this.recentTokens.set(tokenHash, { actor, until: performance.now() + TOKEN_MEMORY_MS })
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
  async createToken(actor: Actor, userId: string, name: string) {
    if (actor.user.id !== userId && !isAdmin(actor)) throw AppError.forbidden('create a token for someone else')
    const user = await userRepository.findById(this.deps.db, userId)
    if (!user) throw AppError.notFound('User', userId)
    const token = newSecretToken('lkt_')
    const id = newId()
    await tokenRepository.insert(this.deps.db, {
      id,
      user_id: userId,
      name,
      token_hash: sha256(token),
      created_at: this.deps.clock.iso(),
      last_used_at: null,
      revoked_at: null,
    })
    return { id, name, token }
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
    return user
  }

  async createUser(actor: Actor, body: CreateUserBody): Promise<User> {
    this.assertMayManage(actor, body.role)
    const email = normaliseEmail(body.email)
    const db = this.deps.db
    if (await userRepository.findByEmail(db, email)) throw AppError.conflict(`A user with e-mail ${email} already exists.`, { field: 'email' })
    if (body.organisationId && !(await organisationRepository.findById(db, body.organisationId))) {
      throw AppError.validation('The organisation does not exist.', { field: 'organisationId' })
    }
    const organisationId =
      body.organisationId !== undefined ? body.organisationId : ((await organisationRepository.findByDomain(db, emailDomain(email)))?.id ?? null)
    const now = this.deps.clock.iso()
    const id = newId()
    // Hashing takes tens of milliseconds by design: done before the transaction, not while holding it.
    const passwordHash = body.password ? await hashPassword(body.password) : null
    await this.deps.db.transaction().execute(async (trx) => {
      await userRepository.insert(trx, {
        id,
        email,
        name: body.name.trim() || email,
        role: body.role,
        password_hash: passwordHash,
        organisation_id: organisationId,
        language: body.language ?? 'nl',
        phone: body.phone ?? null,
        active: 1,
        created_at: now,
        updated_at: now,
      })
      if (body.groupIds?.length) {
        await this.assertGroupsExist(trx, body.groupIds)
        await userRepository.setGroups(trx, id, [...new Set(body.groupIds)])
      }
    })
    return (await this.loadUser(id))!
  }

  async updateUser(actor: Actor, id: string, body: UpdateUserBody): Promise<User> {
    const db = this.deps.db
    const row = await userRepository.findById(db, id)
    const self = actor.user.id === id
    if (!row || (!isStaff(actor) && !self)) throw AppError.notFound('User', id)
    const selfServiceOnly = Object.keys(body).every((k) => ['name', 'language', 'password', 'phone'].includes(k))
    if (!(self && selfServiceOnly)) {
      this.assertMayManage(actor, row.role)
      if (body.role) this.assertMayManage(actor, body.role)
    }
    if (body.email && normaliseEmail(body.email) !== row.email && (await userRepository.findByEmail(db, normaliseEmail(body.email)))) {
      throw AppError.conflict('Another user already has this e-mail address.', { field: 'email' })
    }
    if (body.organisationId && !(await organisationRepository.findById(db, body.organisationId))) {
      throw AppError.validation('The organisation does not exist.', { field: 'organisationId' })
    }
    const passwordHash = body.password !== undefined ? await hashPassword(body.password) : undefined
    const endsAdmin = row.role === 'admin' && row.active === 1 && (body.active === false || (body.role !== undefined && body.role !== 'admin'))
    await this.deps.db.transaction().execute(async (trx) => {
      // Someone must stay able to manage accounts. The active admins are locked (PostgreSQL) so that
      // two admins disabling each other at the same moment cannot both succeed.
      if (endsAdmin) {
        const admins = await userRepository.activeAdminIds(trx, { lock: this.deps.dialect.kind === 'postgres' })
        if (!admins.some((admin) => admin !== id)) {
          throw AppError.conflict(
            'This is the last active administrator: make another account an administrator before disabling this one or giving it another role.',
            { field: body.active === false ? 'active' : 'role' },
          )
        }
      }
      await userRepository.update(trx, id, {
        ...(body.email !== undefined && { email: normaliseEmail(body.email) }),
        ...(body.name !== undefined && { name: body.name }),
        ...(body.role !== undefined && { role: body.role }),
        ...(body.organisationId !== undefined && { organisation_id: body.organisationId }),
        ...(body.language !== undefined && { language: body.language }),
        ...(body.phone !== undefined && { phone: body.phone }),
        ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
        ...(passwordHash !== undefined && { password_hash: passwordHash }),
        updated_at: this.deps.clock.iso(),
      })
      if (body.groupIds) {
        await this.assertGroupsExist(trx, body.groupIds)
        await userRepository.setGroups(trx, id, [...new Set(body.groupIds)])
      }
      // A disabled account or a new password ends every open session.
      if (body.active === false || body.password !== undefined) await sessionRepository.deleteForUser(trx, id)
    })
    this.forgetTokens()
    return (await this.loadUser(id))!
  }

  /** Admins manage everyone; the desk (agents, supervisors) manages customers' accounts. */
  private assertMayManage(actor: Actor, role: string) {
    if (isAdmin(actor)) return
    if (isStaff(actor) && role === 'customer') return
    throw AppError.forbidden(role === 'customer' ? 'manage customers' : 'manage staff accounts')
  }

  private async assertGroupsExist(db: Executor, groupIds: readonly string[]) {
    const unique = [...new Set(groupIds)]
    const found = await db.selectFrom('agent_group').select('id').where('id', 'in', unique).execute()
    if (found.length !== unique.length) throw AppError.validation('One or more groups do not exist.', { field: 'groupIds' })
  }

  /**
   * The requester behind an e-mail address, created as a customer on first contact and linked
   * to the organisation that owns the address's domain. Runs inside the caller's transaction.
   */
  async findOrCreateRequester(db: Executor, input: { email: string; name?: string }): Promise<RequesterRow> {
    const email = normaliseEmail(input.email)
    const existing = await userRepository.findWithOrganisation(db, { email })
    if (existing) return existing
    const created = await userRepository.insertCustomerIfAbsent(db, this.customerCandidate(input))
    return created ?? (await userRepository.findWithOrganisation(db, { email }))!
  }

  /** The customer a requester's address would become if it is new (findOrAddCustomerNow on the writer thread). */
  customerCandidate(input: { email: string; name?: string }): CustomerCandidate {
    const email = normaliseEmail(input.email)
    const now = this.deps.clock.iso()
    return { row: { id: newId(), email, name: input.name?.trim() || email, language: 'nl', created_at: now, updated_at: now }, domain: emailDomain(email) }
  }

  /** PostgreSQL: a new ticket's requester, looked up by address or added, in the ticket's own statement (db/dialect.ts). */
  requesterSourceByAddress(input: { email: string; name?: string }): RequesterSource {
    return postgresRequesterByAddress(this.customerCandidate(input))
  }

  /** PostgreSQL: a known user as a new ticket's requester, in the ticket's own statement. */
  requesterSourceById(id: string): RequesterSource {
    return postgresRequesterById(id)
  }

  /** The id of the user with this e-mail address, if there is one. */
  async userIdByEmail(email: string): Promise<string | undefined> {
    return (await userRepository.findByEmail(this.deps.db, normaliseEmail(email)))?.id
  }

  /** A known user as a requester (a customer opening their own ticket). */
  async requesterById(db: Executor, id: string): Promise<RequesterRow | undefined> {
    return userRepository.findWithOrganisation(db, { id })
  }
}
