import { sql } from 'kysely'
import type { Executor } from '../db/schema.js'

/** The privacy module's own tables (person_erasure, anonymised_ticket, retention_rule) and what an export reads. */
export const privacyRepository = {
  findErasure: (db: Executor, userId: string) => db.selectFrom('person_erasure').selectAll().where('user_id', '=', userId).executeTakeFirst(),
  /** The next "Geanonimiseerde klant #n". */
  nextErasureNumber: async (db: Executor) =>
    Number((await db.selectFrom('person_erasure').select((eb) => eb.fn.coalesce(eb.fn.max('number'), sql<number>`0`).as('n')).executeTakeFirstOrThrow()).n) + 1,
  insertErasure: (db: Executor, row: { user_id: string; number: number; erased_by: string | null; erased_at: string; summary: string }) =>
    db.insertInto('person_erasure').values(row).execute(),
  markAnonymised: async (db: Executor, ticketIds: readonly string[], reason: 'erasure' | 'retention', at: string) => {
    if (ticketIds.length === 0) return
    await db
      .insertInto('anonymised_ticket')
      .values(ticketIds.map((ticket_id) => ({ ticket_id, reason, anonymised_at: at })))
      .onConflict((oc) => oc.column('ticket_id').doNothing())
      .execute()
  },

  findRule: (db: Executor, departmentId: string) => db.selectFrom('retention_rule').selectAll().where('department_id', '=', departmentId).executeTakeFirst(),
  rules: (db: Executor) => db.selectFrom('retention_rule').selectAll().execute(),
  setRule: async (db: Executor, departmentId: string, months: number | null, by: string | null, at: string) => {
    if (months === null) return void (await db.deleteFrom('retention_rule').where('department_id', '=', departmentId).execute())
    await db
      .insertInto('retention_rule')
      .values({ department_id: departmentId, months, updated_by: by, updated_at: at })
      .onConflict((oc) => oc.column('department_id').doUpdateSet({ months, updated_by: by, updated_at: at }))
      .execute()
  },
  /** Closed tickets of a department closed before the cutoff and not anonymised yet, oldest first. */
  dueForRetention: (db: Executor, departmentId: string, cutoff: string, limit: number) =>
    db
      .selectFrom('ticket')
      .leftJoin('anonymised_ticket', 'anonymised_ticket.ticket_id', 'ticket.id')
      .select(['ticket.id', 'ticket.number', 'ticket.closed_at'])
      .where('ticket.department_id', '=', departmentId)
      .where('ticket.status', '=', 'closed')
      .where('ticket.closed_at', '<', cutoff)
      .where('anonymised_ticket.ticket_id', 'is', null)
      .orderBy('ticket.closed_at')
      .orderBy('ticket.id')
      .limit(limit)
      .execute(),
  countDueForRetention: async (db: Executor, departmentId: string, cutoff: string) =>
    Number(
      (
        await db
          .selectFrom('ticket')
          .leftJoin('anonymised_ticket', 'anonymised_ticket.ticket_id', 'ticket.id')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('ticket.department_id', '=', departmentId)
          .where('ticket.status', '=', 'closed')
          .where('ticket.closed_at', '<', cutoff)
          .where('anonymised_ticket.ticket_id', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    ),

  // --- what an export reads ---------------------------------------------------------------------
  person: (db: Executor, userId: string) =>
    db
      .selectFrom('app_user')
      .leftJoin('organisation', 'organisation.id', 'app_user.organisation_id')
      .select([
        'app_user.id', 'app_user.email', 'app_user.name', 'app_user.role', 'app_user.phone', 'app_user.phone_e164', 'app_user.language', 'app_user.active',
        'app_user.organisation_id', 'organisation.name as organisation_name', 'app_user.created_at', 'app_user.updated_at',
      ])
      .where('app_user.id', '=', userId)
      .executeTakeFirst(),
  ssoIdentities: (db: Executor, userId: string) =>
    db.selectFrom('user_sso_identity').select(['issuer', 'subject', 'created_at', 'last_sign_in_at']).where('user_id', '=', userId).execute(),
  sessions: (db: Executor, userId: string) =>
    db.selectFrom('session').select(['user_agent', 'created_at', 'last_seen_at', 'expires_at']).where('user_id', '=', userId).execute(),
  tokens: (db: Executor, userId: string) =>
    db.selectFrom('api_token').select(['name', 'created_at', 'last_used_at', 'revoked_at', 'expires_at']).where('user_id', '=', userId).execute(),
  ticketsOf: (db: Executor, userId: string) => db.selectFrom('ticket').selectAll().where('requester_id', '=', userId).orderBy('created_at').execute(),
  tagsOf: (db: Executor, ticketIds: readonly string[]) =>
    ticketIds.length ? db.selectFrom('ticket_tag').selectAll().where('ticket_id', 'in', [...ticketIds]).execute() : Promise.resolve([]),
  historyOf: (db: Executor, ticketIds: readonly string[]) =>
    ticketIds.length
      ? db.selectFrom('ticket_history').selectAll().where('ticket_id', 'in', [...ticketIds]).orderBy('created_at').orderBy('id').execute()
      : Promise.resolve([]),
  /** Articles of these tickets, and those this person wrote anywhere, with their authors' names. */
  articles: (db: Executor, ticketIds: readonly string[], authorId: string) =>
    db
      .selectFrom('article')
      .innerJoin('ticket', 'ticket.id', 'article.ticket_id')
      .leftJoin('app_user as author', 'author.id', 'article.author_id')
      .selectAll('article')
      .select(['ticket.number as ticket_number', 'author.name as author_name'])
      .where((eb) => eb.or([...(ticketIds.length ? [eb('article.ticket_id', 'in', [...ticketIds])] : []), eb('article.author_id', '=', authorId)]))
      .orderBy('article.created_at')
      .orderBy('article.id')
      .execute(),
  attachmentsOf: (db: Executor, ticketIds: readonly string[], articleIds: readonly string[]) =>
    ticketIds.length || articleIds.length
      ? db
          .selectFrom('attachment')
          .selectAll()
          .where((eb) =>
            eb.or([...(ticketIds.length ? [eb('ticket_id', 'in', [...ticketIds])] : []), ...(articleIds.length ? [eb('article_id', 'in', [...articleIds])] : [])]),
          )
          .orderBy('created_at')
          .execute()
      : Promise.resolve([]),
}
