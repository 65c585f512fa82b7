import type { BrandingTable, Executor } from '../db/schema.js'

const ID = 'default'

/** The one row of branding (there is one organisation running a Loket). */
export const brandingRepository = {
  get: (db: Executor) => db.selectFrom('branding').selectAll().where('id', '=', ID).executeTakeFirst(),
  save: (db: Executor, row: Omit<BrandingTable, 'id'>) =>
    db
      .insertInto('branding')
      .values({ id: ID, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute(),
}
