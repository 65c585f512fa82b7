import type { Insertable, SelectQueryBuilder, Updateable } from 'kysely'
import { afterNameAndId, containsPattern, countRows, groupBy } from '../db/rows.js'
import type { DB, Executor, OrganisationTable } from '../db/schema.js'

/** Active customers marked local administrator: who manages an organisation's accounts. */
const localAdmins = <O>(qb: SelectQueryBuilder<DB, 'app_user', O>) =>
  qb.where('app_user.local_admin', '=', 1).where('app_user.active', '=', 1).where('app_user.role', '=', 'customer')

export const organisationRepository = {
  findById: (db: Executor, id: string) => db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst(),
  namesByIds: (db: Executor, ids: readonly string[]) =>
    ids.length === 0 ? Promise.resolve([]) : db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', ids).execute(),
  findByDomain: (db: Executor, domain: string) =>
    db
      .selectFrom('organisation_domain')
      .innerJoin('organisation', 'organisation.id', 'organisation_domain.organisation_id')
      .selectAll('organisation')
      .where('organisation_domain.domain', '=', domain.toLowerCase())
      .executeTakeFirst(),
  list: (db: Executor, filter: { q?: string; withoutLocalAdministrator?: boolean; after?: { name: string; id: string }; limit: number }) =>
    db
      .selectFrom('organisation')
      .selectAll()
      .$if(!!filter.q, (qb) => qb.where((eb) => eb(eb.fn('lower', ['name']), 'like', containsPattern(filter.q!))))
      .$if(!!filter.withoutLocalAdministrator, (qb) =>
        qb.where((eb) =>
          eb.and([
            eb.exists(eb.selectFrom('app_user').select('app_user.id').whereRef('app_user.organisation_id', '=', 'organisation.id').where('app_user.active', '=', 1)),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('app_user')
                  .select('app_user.id')
                  .whereRef('app_user.organisation_id', '=', 'organisation.id')
                  .where('app_user.local_admin', '=', 1)
                  .where('app_user.active', '=', 1)
                  .where('app_user.role', '=', 'customer'),
              ),
            ),
          ]),
        ),
      )
      .$if(!!filter.after, (qb) => qb.where(afterNameAndId(filter.after!)))
      .orderBy('name')
      .orderBy('id')
      .limit(filter.limit)
      .execute(),
  insert: (db: Executor, row: Insertable<OrganisationTable>) => db.insertInto('organisation').values(row).execute(),
  update: (db: Executor, id: string, patch: Updateable<OrganisationTable>) =>
    db.updateTable('organisation').set(patch).where('id', '=', id).execute(),
  domainsOf: async (db: Executor, ids: readonly string[]) => {
    if (ids.length === 0) return new Map<string, string[]>()
    const rows = await db.selectFrom('organisation_domain').selectAll().where('organisation_id', 'in', ids).orderBy('domain').execute()
    return groupBy(rows, (r) => r.organisation_id, (r) => r.domain)
  },
  findDomainOwners: (db: Executor, domains: readonly string[]) =>
    domains.length === 0 ? Promise.resolve([]) : db.selectFrom('organisation_domain').selectAll().where('domain', 'in', domains).execute(),
  remove: (db: Executor, id: string) => db.deleteFrom('organisation').where('id', '=', id).execute(),
  /** Who and what point at the organisation: its members and the tickets that name it. */
  dependants: async (db: Executor, id: string) => ({
    members: await countRows(db.selectFrom('app_user').where('organisation_id', '=', id)),
    tickets: await countRows(db.selectFrom('ticket').where('organisation_id', '=', id)),
  }),
  /** The active local administrators of these organisations, by organisation. */
  localAdminsOf: async (db: Executor, ids: readonly string[]) => {
    if (ids.length === 0) return new Map<string, { id: string; name: string; email: string }[]>()
    const rows = await localAdmins(db.selectFrom('app_user').select(['app_user.id', 'app_user.name', 'app_user.email', 'app_user.organisation_id']))
      .where('app_user.organisation_id', 'in', ids)
      .orderBy('app_user.name')
      .execute()
    return groupBy(rows, (r) => r.organisation_id!, (r) => ({ id: r.id, name: r.name, email: r.email }))
  },
  setDomains: async (db: Executor, id: string, domains: readonly string[]) => {
    await db.deleteFrom('organisation_domain').where('organisation_id', '=', id).execute()
    if (domains.length) await db.insertInto('organisation_domain').values(domains.map((domain) => ({ domain, organisation_id: id }))).execute()
  },
}
