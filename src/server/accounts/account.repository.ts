import { type Insertable, type Updateable } from 'kysely'
import type { Role } from '../../shared/api/accounts.js'
import { afterNameAndId, containsPattern, groupBy } from '../db/rows.js'
import type { ApiTokenTable, AppUserRow, AppUserTable, Executor, SessionTable } from '../db/schema.js'
import type { RowLocks } from '../db/dialect.js'
import { Statement } from '../db/statement.js'
import type { IdentityKind } from './contact-identity.js'
import { identityRepository } from './contact-identity.repository.js'

const STAFF_ROLES = ['admin', 'supervisor', 'agent'] as const satisfies readonly Exclude<Role, 'customer'>[]

export type NewCustomer = Pick<AppUserRow, 'id' | 'email' | 'name' | 'language' | 'created_at' | 'updated_at'>
/** A user with their organisation's name: what a ticket shows of its requester. */
export type RequesterRow = AppUserRow & { organisation_name: string | null }

// Ticket creation looks up (or adds) its requester every time: fixed statements, and the organisation's
// name by subquery, which SQLite runs in a third of the time of the equivalent LEFT JOIN.
const organisationName = '(SELECT name FROM organisation WHERE organisation.id = app_user.organisation_id) AS organisation_name'
// A person by any of their identifiers (contact_identities), or by the address on their account (one made
// before identities, or written by an import that knows nothing of them): two primary-key or unique lookups.
const requesterByIdentity = new Statement<RequesterRow>(`
  SELECT app_user.*, ${organisationName} FROM app_user
  WHERE id = COALESCE((SELECT user_id FROM contact_identities WHERE kind = ? AND value = ?), (SELECT id FROM app_user WHERE email = ?))`)
const requesterById = new Statement<RequesterRow>(`SELECT app_user.*, ${organisationName} FROM app_user WHERE id = ?`)
// A new customer, in the organisation owning the address's domain.
const insertCustomer = new Statement<RequesterRow>(`
  INSERT INTO app_user (id, email, name, role, password_hash, organisation_id, language, phone, active, created_at, updated_at)
  VALUES (?, ?, ?, 'customer', NULL, (SELECT organisation_id FROM organisation_domain WHERE domain = ? LIMIT 1), ?, NULL, 1, ?, ?)
  ON CONFLICT (email) DO NOTHING
  RETURNING *, ${organisationName}`)
// The new customer's identifier; nothing when someone else took it meanwhile (two first contacts racing).
const insertIdentity = new Statement<{ user_id: string }>(`
  INSERT INTO contact_identities (kind, value, user_id, created_at) VALUES (?, ?, ?, ?)
  ON CONFLICT DO NOTHING
  RETURNING user_id`)

// string_agg exists on both databases (SQLite since 3.44); group ids never contain commas.
const activeTokenWithUser = new Statement<
  AppUserRow & { token_id: string; token_last_used_at: string | null; token_expires_at: string | null; group_ids: string | null }
>(`
  SELECT app_user.*, api_token.id AS token_id, api_token.last_used_at AS token_last_used_at, api_token.expires_at AS token_expires_at,
    (SELECT string_agg(group_id, ',') FROM group_member WHERE group_member.user_id = app_user.id) AS group_ids
  FROM api_token JOIN app_user ON app_user.id = api_token.user_id
  WHERE api_token.token_hash = ? AND api_token.revoked_at IS NULL AND (api_token.expires_at IS NULL OR api_token.expires_at > ?)`)

/** A customer to add when their identifier is new: the row, the identifier, and the address's domain (for the organisation; '' for none). */
export interface CustomerCandidate {
  row: NewCustomer
  identity: { kind: IdentityKind; value: string }
  domain: string
}

const insertCustomerParams = ({ row, domain }: CustomerCandidate) => [row.id, row.email, row.name, domain.toLowerCase(), row.language, row.created_at, row.updated_at]

export const userRepository = {
  findById: (db: Executor, id: string) => db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst(),
  findByEmail: (db: Executor, email: string) =>
    db.selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst(),
  /** The user with their organisation's name: what a new ticket shows of its requester, in one query. */
  findWithOrganisation: (db: Executor, by: { kind: IdentityKind; value: string } | { id: string }) =>
    'kind' in by ? requesterByIdentity.first(db, [by.kind, by.value, by.kind === 'email' ? by.value : null]) : requesterById.first(db, [by.id]),
  /**
   * A new customer, in the organisation that owns the address's domain, returned with that
   * organisation's name; undefined when the address exists already (two first messages from one
   * sender may race).
   */
  insertCustomerIfAbsent: (db: Executor, candidate: CustomerCandidate) => insertCustomer.first(db, insertCustomerParams(candidate)),
  /** The new customer's identifier; false when another user has it (then the caller takes theirs). */
  insertIdentityIfAbsent: async (db: Executor, candidate: CustomerCandidate) =>
    !!(await insertIdentity.first(db, [candidate.identity.kind, candidate.identity.value, candidate.row.id, candidate.row.created_at])),
  /** A customer added a moment ago whose identifier turned out to be someone else's: not kept. */
  deleteNewCustomer: (db: Executor, id: string) => db.deleteFrom('app_user').where('id', '=', id).execute(),
  /**
   * People by exact e-mail address or E.164 phone number (all indexed): on their account or as any of their
   * identifiers, with their organisation's name. A customer merged into another is found as the other.
   */
  findByContact: (db: Executor, by: { email?: string; phoneE164?: string }, limit: number) =>
    !by.email && !by.phoneE164
      ? Promise.resolve([])
      : db
          .selectFrom('app_user')
          .leftJoin('organisation', 'organisation.id', 'app_user.organisation_id')
          .select(['app_user.id', 'app_user.name', 'app_user.email', 'app_user.phone', 'app_user.phone_e164', 'app_user.role', 'app_user.organisation_id', 'organisation.name as organisation_name'])
          // The ids first, each from its own index, then the people: an OR of the columns and the identities'
          // subquery made PostgreSQL read every account (30 ms at 1,000,000 customers).
          .where('app_user.id', 'in', (eb) => {
            const value = (by.email ?? by.phoneE164)!
            const identities = eb
              .selectFrom('contact_identities')
              .select('contact_identities.user_id as id')
              .where('contact_identities.kind', '=', by.email ? 'email' : 'phone')
              .where('contact_identities.value', '=', value)
            return identities.union(
              eb.selectFrom('app_user as own').select('own.id').where(by.email ? 'own.email' : 'own.phone_e164', '=', value),
            )
          })
          .where('app_user.merged_into_id', 'is', null)
          .orderBy('app_user.name')
          .limit(limit)
          .execute(),
  /**
   * Every active member of staff, by name. The roles named, not "not a customer": a "!=" reads every account
   * (118 ms at 1,000,000 customers on SQLite, for every batch of notifications), a list reads app_user_role.
   */
  activeStaff: (db: Executor) =>
    db
      .selectFrom('app_user')
      .select(['id', 'name', 'email', 'language'])
      .where('role', 'in', STAFF_ROLES)
      .where('active', '=', 1)
      .orderBy('name')
      .execute(),
  namesByIds: (db: Executor, ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve([]) : db.selectFrom('app_user').select(['id', 'name', 'email']).where('id', 'in', ids).execute(),
  findManyByIds: (db: Executor, ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve([] as AppUserRow[]) : db.selectFrom('app_user').selectAll().where('id', 'in', ids).execute(),
  /** A new account; its e-mail address becomes one of its identities too. */
  insert: async (db: Executor, row: Insertable<AppUserTable>) => {
    await db.insertInto('app_user').values(row).execute()
    if (row.email) await identityRepository.add(db, { kind: 'email', value: row.email, userId: row.id, at: row.created_at })
  },
  update: (db: Executor, id: string, patch: Updateable<AppUserTable>) =>
    db.updateTable('app_user').set(patch).where('id', '=', id).execute(),
  list: (
    db: Executor,
    filter: { q?: string; role?: string; roles?: string[]; organisationId?: string; after?: { name: string; id: string }; limit: number },
  ) =>
    db
      .selectFrom('app_user')
      .selectAll()
      .$if(!!filter.role, (qb) => qb.where('role', '=', filter.role!))
      .$if(!!filter.roles, (qb) => qb.where('role', 'in', filter.roles!))
      .$if(!!filter.organisationId, (qb) => qb.where('organisation_id', '=', filter.organisationId!))
      .$if(!!filter.q, (qb) =>
        qb.where((eb) => {
          const pattern = containsPattern(filter.q!)
          return eb.or([eb(eb.fn('lower', ['name']), 'like', pattern), eb('email', 'like', pattern)])
        }),
      )
      .$if(!!filter.after, (qb) => qb.where(afterNameAndId(filter.after!)))
      .orderBy('name')
      .orderBy('id')
      .limit(filter.limit)
      .execute(),
  groupIdsOf: async (db: Executor, userIds: readonly string[]) => {
    if (userIds.length === 0) return new Map<string, string[]>()
    const rows = await db.selectFrom('group_member').select(['user_id', 'group_id']).where('user_id', 'in', userIds).execute()
    return groupBy(rows, (r) => r.user_id, (r) => r.group_id)
  },
  /** Ids of the active administrators, their rows locked until the transaction ends. */
  activeAdminIds: async (db: Executor, locks: RowLocks) => {
    const rows = await db
      .selectFrom('app_user')
      .select('id')
      .where('role', '=', 'admin')
      .where('active', '=', 1)
      .orderBy('id') // locked in one order, so two such transactions wait for each other instead of deadlocking
      .$call(locks.forUpdate)
      .execute()
    return rows.map((r) => r.id)
  },
  /** Whether this person asked for a ticket that is assigned to the user or sits in one of their groups. */
  hasTicketHandledBy: async (db: Executor, requesterId: string, userId: string, groupIds: readonly string[]) =>
    !!(await db
      .selectFrom('ticket')
      .select('id')
      .where('requester_id', '=', requesterId)
      .where((eb) => eb.or([eb('assignee_id', '=', userId), ...(groupIds.length ? [eb('group_id', 'in', groupIds)] : [])]))
      .limit(1)
      .executeTakeFirst()),
  setGroups: async (db: Executor, userId: string, groupIds: readonly string[]) => {
    await db.deleteFrom('group_member').where('user_id', '=', userId).execute()
    if (groupIds.length) await db.insertInto('group_member').values(groupIds.map((group_id) => ({ group_id, user_id: userId }))).execute()
  },
}


export const sessionRepository = {
  insert: (db: Executor, row: Insertable<SessionTable>) => db.insertInto('session').values(row).execute(),
  findValid: (db: Executor, id: string, nowIso: string) =>
    db.selectFrom('session').selectAll().where('id', '=', id).where('expires_at', '>', nowIso).executeTakeFirst(),
  touch: (db: Executor, id: string, lastSeenAt: string, expiresAt: string) =>
    db.updateTable('session').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute(),
  delete: (db: Executor, id: string) => db.deleteFrom('session').where('id', '=', id).execute(),
  /** Ends one session; returns whose it was, or undefined when there was none. */
  deleteReturningUser: (db: Executor, id: string) => db.deleteFrom('session').where('id', '=', id).returning('user_id').executeTakeFirst(),
  /** Ends every session of a user; returns their ids. */
  deleteForUserReturningIds: async (db: Executor, userId: string) =>
    (await db.deleteFrom('session').where('user_id', '=', userId).returning('id').execute()).map((r) => r.id),
  deleteForUser: (db: Executor, userId: string) => db.deleteFrom('session').where('user_id', '=', userId).execute(),
}

export const tokenRepository = {
  insert: (db: Executor, row: Insertable<ApiTokenTable>) => db.insertInto('api_token').values(row).execute(),
  /** The token, its user and the user's groups in one query: this runs on every API call. */
  findActiveWithUser: (db: Executor, tokenHash: string, nowIso: string) => activeTokenWithUser.first(db, [tokenHash, nowIso]),
  findById: (db: Executor, id: string) => db.selectFrom('api_token').selectAll().where('id', '=', id).executeTakeFirst(),
  listForUser: (db: Executor, userId: string) =>
    db.selectFrom('api_token').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').execute(),
  /** Revokes one token of this user; returns it, or undefined when there is no such token or it was revoked already. */
  revoke: (db: Executor, userId: string, id: string, at: string) =>
    db
      .updateTable('api_token')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .returning(['id', 'name'])
      .executeTakeFirst(),
  /** Revokes every token of a user; returns their ids. */
  revokeAllForUser: async (db: Executor, userId: string, at: string) =>
    (await db.updateTable('api_token').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).returning('id').execute()).map((r) => r.id),
  touch: (db: Executor, id: string, at: string) => db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute(),
}
