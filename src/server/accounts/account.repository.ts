import { type Insertable, type Updateable } from 'kysely'
import { afterNameAndId, containsPattern, groupBy } from '../db/rows.js'
import type { ApiTokenTable, AppUserRow, AppUserTable, Executor, SessionTable } from '../db/schema.js'
import type { RequesterSource } from '../db/dialect.js'
import { type Prepare, Statement } from '../db/statement.js'

export type NewCustomer = Pick<AppUserRow, 'id' | 'email' | 'name' | 'language' | 'created_at' | 'updated_at'>
/** A user with their organisation's name: what a ticket shows of its requester. */
export type RequesterRow = AppUserRow & { organisation_name: string | null }

// Ticket creation looks up (or adds) its requester every time: fixed statements, and the organisation's
// name by subquery, which SQLite runs in a third of the time of the equivalent LEFT JOIN.
const organisationName = '(SELECT name FROM organisation WHERE organisation.id = app_user.organisation_id) AS organisation_name'
const requesterByEmail = new Statement<RequesterRow>(`SELECT app_user.*, ${organisationName} FROM app_user WHERE email = ?`)
const requesterById = new Statement<RequesterRow>(`SELECT app_user.*, ${organisationName} FROM app_user WHERE id = ?`)
// A new customer, in the organisation owning the address's domain: the columns and the values for
// insertCustomerParams, shared by the plain insert and PostgreSQL's one-statement ticket.
const CUSTOMER_COLUMNS = 'app_user (id, email, name, role, password_hash, organisation_id, language, phone, active, created_at, updated_at)'
const CUSTOMER_VALUES = "?, ?, ?, 'customer', NULL, (SELECT organisation_id FROM organisation_domain WHERE domain = ? LIMIT 1), ?, NULL, 1, ?, ?"
const insertCustomer = new Statement<RequesterRow>(`
  INSERT INTO ${CUSTOMER_COLUMNS} VALUES (${CUSTOMER_VALUES})
  ON CONFLICT (email) DO NOTHING
  RETURNING *, ${organisationName}`)

// string_agg exists on both databases (SQLite since 3.44); group ids never contain commas.
const activeTokenWithUser = new Statement<AppUserRow & { token_id: string; token_last_used_at: string | null; group_ids: string | null }>(`
  SELECT app_user.*, api_token.id AS token_id, api_token.last_used_at AS token_last_used_at,
    (SELECT string_agg(group_id, ',') FROM group_member WHERE group_member.user_id = app_user.id) AS group_ids
  FROM api_token JOIN app_user ON app_user.id = api_token.user_id
  WHERE api_token.token_hash = ? AND api_token.revoked_at IS NULL`)

/** A customer to add when their address is new: the row, and the address's domain (for the organisation). */
export interface CustomerCandidate {
  row: NewCustomer
  domain: string
}

const insertCustomerParams = ({ row, domain }: CustomerCandidate) => [row.id, row.email, row.name, domain.toLowerCase(), row.language, row.created_at, row.updated_at]

/**
 * The requester with this address, added as a customer when new: on the SQLite writer thread, where a
 * new ticket settles its requester in the same transaction (tickets/open-ticket.procedure.ts).
 */
export function findOrAddCustomerNow(prepare: Prepare, candidate: CustomerCandidate): RequesterRow {
  const email = candidate.row.email
  return (
    requesterByEmail.firstNow(prepare, [email]) ??
    insertCustomer.firstNow(prepare, insertCustomerParams(candidate)) ??
    requesterByEmail.firstNow(prepare, [email])!
  )
}

/**
 * PostgreSQL: where a new ticket's one statement finds its requester (RequesterSource, db/dialect.ts):
 * the user with this address, added as a customer when new, in the same statement. `requester` is
 * empty when a concurrent statement adds the same address first; the ticket is then not written.
 */
export const postgresRequesterByAddress = (candidate: CustomerCandidate): RequesterSource => ({
  ctes: `found AS (SELECT app_user.*, ${organisationName} FROM app_user WHERE email = ?),
    added AS (
      INSERT INTO ${CUSTOMER_COLUMNS} SELECT ${CUSTOMER_VALUES}
      WHERE NOT EXISTS (SELECT 1 FROM found)
      ON CONFLICT (email) DO NOTHING
      RETURNING *, ${organisationName}),
    requester AS (SELECT * FROM found UNION ALL SELECT * FROM added)`,
  params: [candidate.row.email, ...insertCustomerParams(candidate)],
})

/** PostgreSQL: a known user as a new ticket's requester, in the ticket's one statement. */
export const postgresRequesterById = (id: string): RequesterSource => ({
  ctes: `requester AS (SELECT app_user.*, ${organisationName} FROM app_user WHERE id = ?)`,
  params: [id],
})

export const requesterByIdNow = (prepare: Prepare, id: string) => requesterById.firstNow(prepare, [id])

export const userRepository = {
  findById: (db: Executor, id: string) => db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst(),
  findByEmail: (db: Executor, email: string) =>
    db.selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst(),
  /** The user with their organisation's name: what a new ticket shows of its requester, in one query. */
  findWithOrganisation: (db: Executor, by: { email: string } | { id: string }) =>
    'email' in by ? requesterByEmail.first(db, [by.email.toLowerCase()]) : requesterById.first(db, [by.id]),
  /**
   * A new customer, in the organisation that owns the address's domain, returned with that
   * organisation's name; undefined when the address exists already (two first messages from one
   * sender may race).
   */
  insertCustomerIfAbsent: (db: Executor, candidate: CustomerCandidate) => insertCustomer.first(db, insertCustomerParams(candidate)),
  findManyByIds: (db: Executor, ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve([] as AppUserRow[]) : db.selectFrom('app_user').selectAll().where('id', 'in', ids).execute(),
  insert: (db: Executor, row: Insertable<AppUserTable>) => db.insertInto('app_user').values(row).execute(),
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
  /** Ids of the active administrators; with lock, their rows stay locked until the transaction ends (PostgreSQL only). */
  activeAdminIds: async (db: Executor, { lock }: { lock: boolean }) => {
    const rows = await db
      .selectFrom('app_user')
      .select('id')
      .where('role', '=', 'admin')
      .where('active', '=', 1)
      .orderBy('id') // locked in one order, so two such transactions wait for each other instead of deadlocking
      .$if(lock, (qb) => qb.forUpdate())
      .execute()
    return rows.map((r) => r.id)
  },
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
  deleteForUser: (db: Executor, userId: string) => db.deleteFrom('session').where('user_id', '=', userId).execute(),
}

export const tokenRepository = {
  insert: (db: Executor, row: Insertable<ApiTokenTable>) => db.insertInto('api_token').values(row).execute(),
  /** The token, its user and the user's groups in one query: this runs on every API call. */
  findActiveWithUser: (db: Executor, tokenHash: string) => activeTokenWithUser.first(db, [tokenHash]),
  touch: (db: Executor, id: string, at: string) => db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute(),
}
