import type { Insertable, Updateable } from 'kysely'
import { afterNameAndId, containsPattern, groupBy } from '../db/rows.js'
import type { Executor, OrganisationTable } from '../db/schema.js'

export const organisationRepository = {
  findById: (db: Executor, id: string) => db.selectFrom('organisation').selectAll().where('id', '=', id).executeTakeFirst(),
  findByDomain: (db: Executor, domain: string) =>
    db
      .selectFrom('organisation_domain')
      .innerJoin('organisation', 'organisation.id', 'organisation_domain.organisation_id')
      .selectAll('organisation')
      .where('organisation_domain.domain', '=', domain.toLowerCase())
      .executeTakeFirst(),
  list: (db: Executor, filter: { q?: string; after?: { name: string; id: string }; limit: number }) =>
    db
      .selectFrom('organisation')
      .selectAll()
      .$if(!!filter.q, (qb) => qb.where((eb) => eb(eb.fn('lower', ['name']), 'like', containsPattern(filter.q!))))
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
  setDomains: async (db: Executor, id: string, domains: readonly string[]) => {
    await db.deleteFrom('organisation_domain').where('organisation_id', '=', id).execute()
    if (domains.length) await db.insertInto('organisation_domain').values(domains.map((domain) => ({ domain, organisation_id: id }))).execute()
  },
}
