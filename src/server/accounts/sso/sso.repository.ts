import type { Insertable } from 'kysely'
import type { Executor, SsoSettingsTable } from '../../db/schema.js'

/** The one provider's row in sso_settings. */
export const SETTINGS_ID = 'oidc'

export const ssoSettingsRepository = {
  find: (db: Executor) => db.selectFrom('sso_settings').selectAll().where('id', '=', SETTINGS_ID).executeTakeFirst(),
  save: (db: Executor, row: Omit<Insertable<SsoSettingsTable>, 'id'>) =>
    db
      .insertInto('sso_settings')
      .values({ id: SETTINGS_ID, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute(),
}

export const ssoIdentityRepository = {
  find: (db: Executor, issuer: string, subject: string) =>
    db.selectFrom('user_sso_identity').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst(),
  findForUser: (db: Executor, userId: string, issuer: string) =>
    db.selectFrom('user_sso_identity').selectAll().where('user_id', '=', userId).where('issuer', '=', issuer).executeTakeFirst(),
  insert: (db: Executor, row: { issuer: string; subject: string; user_id: string; created_at: string; last_sign_in_at: string }) =>
    db.insertInto('user_sso_identity').values(row).execute(),
  touch: (db: Executor, issuer: string, subject: string, at: string) =>
    db.updateTable('user_sso_identity').set({ last_sign_in_at: at }).where('issuer', '=', issuer).where('subject', '=', subject).execute(),
}
