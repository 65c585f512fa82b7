import { sql } from 'kysely'
import type { Executor } from '../db/schema.js'

export interface AuditFilter {
  actorId?: string
  subjectUserId?: string
  action?: string
  /** Entries whose details name this organisation (`"organisationId":"…"`). */
  organisationId?: string
  from?: string
  to?: string
  /** The last entry of the previous page (newest first). */
  before?: { at: string; id: string }
  limit: number
}

/** A LIKE pattern for details (JSON as written by `record`) holding this key with exactly this string value. */
const detailsNaming = (key: string, value: string) => `%${JSON.stringify({ [key]: value }).slice(1, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`

export const auditRepository = {
  insert: (db: Executor, row: { id: string; at: string; actor_id: string | null; action: string; subject_user_id: string | null; ip: string | null; details: string }) =>
    db.insertInto('audit_log').values(row).execute(),
  /** Newest first, with the names of the actor and the subject as they are now. */
  list: (db: Executor, f: AuditFilter) =>
    db
      .selectFrom('audit_log')
      .leftJoin('app_user as actor', 'actor.id', 'audit_log.actor_id')
      .leftJoin('app_user as subject', 'subject.id', 'audit_log.subject_user_id')
      .selectAll('audit_log')
      .select(['actor.name as actor_name', 'subject.name as subject_name'])
      .$if(!!f.actorId, (qb) => qb.where('audit_log.actor_id', '=', f.actorId!))
      .$if(!!f.subjectUserId, (qb) => qb.where('audit_log.subject_user_id', '=', f.subjectUserId!))
      .$if(!!f.action, (qb) => qb.where('audit_log.action', '=', f.action!))
      .$if(!!f.organisationId, (qb) => qb.where(sql<boolean>`audit_log.details LIKE ${detailsNaming('organisationId', f.organisationId!)} ESCAPE '\\'`))
      .$if(!!f.from, (qb) => qb.where('audit_log.at', '>=', f.from!))
      .$if(!!f.to, (qb) => qb.where('audit_log.at', '<', f.to!))
      .$if(!!f.before, (qb) =>
        qb.where((eb) =>
          eb.or([eb('audit_log.at', '<', f.before!.at), eb.and([eb('audit_log.at', '=', f.before!.at), eb('audit_log.id', '<', f.before!.id)])]),
        ),
      )
      .orderBy('audit_log.at', 'desc')
      .orderBy('audit_log.id', 'desc')
      .limit(f.limit)
      .execute(),
  /** Whether an entry with this action, subject and address exists since the given moment. */
  exists: async (db: Executor, f: { action: string; subjectUserId: string; ip: string; since: string }) =>
    !!(await db
      .selectFrom('audit_log')
      .select('id')
      .where('subject_user_id', '=', f.subjectUserId)
      .where('at', '>=', f.since)
      .where('action', '=', f.action)
      .where('ip', '=', f.ip)
      .limit(1)
      .executeTakeFirst()),
  /**
   * A person's erasure (privacy/): the entries about them or by them, and any that name their address,
   * keep what happened, when and by whom, but every value that was their address, name or phone number
   * becomes its replacement, and the network addresses of their own actions and of sign-ins with their
   * account go. Returns how many changed.
   */
  anonymisePerson: async (
    db: Executor,
    person: { userId: string; email: string | null; values: { from: string; to: string }[] },
  ): Promise<number> => {
    const email = person.email
    const like = email && `%${email.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
    const rows = await db
      .selectFrom('audit_log')
      .select(['id', 'actor_id', 'action', 'details', 'ip'])
      .where((eb) => eb.or([eb('subject_user_id', '=', person.userId), eb('actor_id', '=', person.userId), ...(like ? [sql<boolean>`details LIKE ${like} ESCAPE '\\'`] : [])]))
      .execute()
    const replacements = person.values.filter((v) => v.from.trim() !== '').map((v) => ({ from: v.from.trim().toLowerCase(), to: v.to }))
    const scrub = (value: unknown): unknown => {
      if (typeof value === 'string') {
        const found = replacements.find((r) => r.from === value.trim().toLowerCase())
        if (found) return found.to
        // An address inside a longer text (a list of recipients, a sentence).
        return email ? value.split(email).join(replacements.find((r) => r.from === email)?.to ?? '') : value
      }
      if (Array.isArray(value)) return value.map(scrub)
      if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]))
      return value
    }
    let changed = 0
    for (const row of rows) {
      let details = row.details
      try {
        details = JSON.stringify(scrub(JSON.parse(row.details)))
      } catch {
        // not JSON: left as it is
      }
      // Their own actions, and sign-ins with their account or address: where they (or someone trying it) came from.
      const ip = row.actor_id === person.userId || row.action.startsWith('auth.') ? null : row.ip
      if (details === row.details && ip === row.ip) continue
      await db.updateTable('audit_log').set({ details, ip }).where('id', '=', row.id).execute()
      changed++
    }
    return changed
  },
  /** Removes up to `batch` entries older than the cutoff; returns how many. */
  deleteOlderThan: async (db: Executor, cutoff: string, batch: number) => {
    const old = db.selectFrom('audit_log').select('id').where('at', '<', cutoff).orderBy('at').limit(batch)
    const result = await db.deleteFrom('audit_log').where('id', 'in', old).executeTakeFirst()
    return Number(result.numDeletedRows)
  },
}
