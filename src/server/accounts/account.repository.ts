import { type Insertable, type Updateable, sql } from 'kysely'
import { afterNameAndId, containsPattern, groupBy } from '../db/rows.js'
import type { ApiTokenTable, AppUserRow, AppUserTable, Executor, SessionTable } from '../db/schema.js'

export const userRepository = {
  findById: (db: Executor, id: string) => db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst(),
  findByEmail: (db: Executor, email: string) =>
    db.selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst(),
  /** The user with their organisation's name: what a new ticket shows of its requester, in one query. */
  findWithOrganisation: (db: Executor, by: { email: string } | { id: string }) =>
    db
      .selectFrom('app_user')
      .leftJoin('organisation', 'organisation.id', 'app_user.organisation_id')
      .selectAll('app_user')
      .select('organisation.name as organisation_name')
      .$call((qb) => ('email' in by ? qb.where('app_user.email', '=', by.email.toLowerCase()) : qb.where('app_user.id', '=', by.id)))
      .executeTakeFirst(),
  /**
   * A new customer, in the organisation that owns the address's domain, unless the address exists
   * already (two first messages from one sender may race).
   */
  insertCustomerIfAbsent: (db: Executor, row: Omit<Insertable<AppUserTable>, 'organisation_id' | 'role'>, domain: string) =>
    db
      .insertInto('app_user')
      .values({
        ...row,
        role: 'customer',
        organisation_id: db.selectFrom('organisation_domain').select('organisation_id').where('domain', '=', domain.toLowerCase()).limit(1),
      })
      .onConflict((oc) => oc.column('email').doNothing())
      .execute(),
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
  findActiveWithUser: (db: Executor, tokenHash: string) =>
    db
      .selectFrom('api_token')
      .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
      .selectAll('app_user')
      .select(['api_token.id as token_id', 'api_token.last_used_at as token_last_used_at'])
      // string_agg exists on both databases (SQLite since 3.44); group ids never contain commas.
      .select(sql<string | null>`(SELECT string_agg(group_id, ',') FROM group_member WHERE group_member.user_id = app_user.id)`.as('group_ids'))
      .where('api_token.token_hash', '=', tokenHash)
      .where('api_token.revoked_at', 'is', null)
      .executeTakeFirst(),
  touch: (db: Executor, id: string, at: string) => db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute(),
}
