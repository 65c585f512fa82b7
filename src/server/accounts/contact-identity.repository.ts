import type { Executor } from '../db/schema.js'
import type { IdentityKind } from './contact-identity.js'

/** contact_identities: each (kind, value) once, pointing at one user. */
export const identityRepository = {
  /** Adds an identifier; false when it belongs to someone already (whoever it is). */
  add: async (db: Executor, row: { kind: IdentityKind; value: string; userId: string; at: string }) =>
    !!(await db
      .insertInto('contact_identities')
      .values({ kind: row.kind, value: row.value, user_id: row.userId, created_at: row.at })
      .onConflict((oc) => oc.doNothing())
      .returning('user_id')
      .executeTakeFirst()),
  ownerOf: async (db: Executor, kind: IdentityKind, value: string) =>
    (await db.selectFrom('contact_identities').select('user_id').where('kind', '=', kind).where('value', '=', value).executeTakeFirst())?.user_id,
  listFor: (db: Executor, userId: string) =>
    db.selectFrom('contact_identities').select(['kind', 'value', 'created_at']).where('user_id', '=', userId).orderBy('kind').orderBy('created_at').orderBy('value').execute(),
  /** Removes one of a user's identifiers; false when they have no such one. */
  remove: async (db: Executor, userId: string, kind: IdentityKind, value: string) =>
    Number((await db.deleteFrom('contact_identities').where('user_id', '=', userId).where('kind', '=', kind).where('value', '=', value).executeTakeFirst()).numDeletedRows) > 0,
  removeAllOf: (db: Executor, userId: string) => db.deleteFrom('contact_identities').where('user_id', '=', userId).execute(),
  /** Gives every identifier of one user to another (merging customers); returns how many. */
  moveAll: async (db: Executor, fromUserId: string, toUserId: string) =>
    Number((await db.updateTable('contact_identities').set({ user_id: toUserId }).where('user_id', '=', fromUserId).executeTakeFirst()).numUpdatedRows),
  /** A user's primary address changed: the identifier follows it (the old one goes, the new one is theirs). */
  replaceEmail: async (db: Executor, userId: string, from: string | null, to: string | null, at: string) => {
    if (from) await db.deleteFrom('contact_identities').where('kind', '=', 'email').where('value', '=', from).where('user_id', '=', userId).execute()
    if (to) {
      await db
        .insertInto('contact_identities')
        .values({ kind: 'email', value: to, user_id: userId, created_at: at })
        .onConflict((oc) => oc.columns(['kind', 'value']).doUpdateSet({ user_id: userId }))
        .execute()
    }
  },
}
