import type { Insertable, Updateable } from 'kysely'
import { afterNameAndId, containsPattern, groupBy } from '../db/rows.js'
import type { ApiTokenTable, AppUserRow, AppUserTable, Executor, SessionTable } from '../db/schema.js'

export const userRepository = {
  findById: (db: Executor, id: string) => db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst(),
  findByEmail: (db: Executor, email: string) =>
    db.selectFrom('app_user').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst(),
  findManyByIds: (db: Executor, ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve([] as AppUserRow[]) : db.selectFrom('app_user').selectAll().where('id', 'in', ids).execute(),
  insert: (db: Executor, row: Insertable<AppUserTable>) => db.insertInto('app_user').values(row).execute(),
  /** Creates the user unless the address exists; safe when two inbound messages race for one new sender. */
  insertIfAbsent: (db: Executor, row: Insertable<AppUserTable>) =>
    db.insertInto('app_user').values(row).onConflict((oc) => oc.column('email').doNothing()).execute(),
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
  /** The token and its user in one query: this runs on every API call. */
  findActiveWithUser: (db: Executor, tokenHash: string) =>
    db
      .selectFrom('api_token')
      .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
      .selectAll('app_user')
      .select(['api_token.id as token_id', 'api_token.last_used_at as token_last_used_at'])
      .where('api_token.token_hash', '=', tokenHash)
      .where('api_token.revoked_at', 'is', null)
      .executeTakeFirst(),
  touch: (db: Executor, id: string, at: string) => db.updateTable('api_token').set({ last_used_at: at }).where('id', '=', id).execute(),
}
