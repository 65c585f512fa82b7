import { Readable } from 'node:stream'
import type { AuditEntry, AuditQuery } from '../../shared/api/audit.js'
import { type Actor, isAdmin, recordedUserId } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { decodeCursor, pageOf } from '../pagination.js'
import { type AuditFilter, auditRepository } from './audit.repository.js'

/** One thing that happened to an account or to a person's data, as other modules report it. */
export interface AuditRecord {
  /** Who did it: a user id, or null for Loket itself and the command line (see `auditActor`). */
  actorId: string | null
  /**
   * Past-tense dotted name: auth.signed-in, auth.sign-in-failed, auth.signed-out, token.created,
   * token.revoked, user.created, user.changed, user.viewed, group.changed, mailbox.changed, audit.exported …
   */
  action: string
  /** Whose account or data it concerns. */
  subjectUserId?: string | null
  /** Changed field names and non-secret values. Keys that name a secret are dropped here as well. */
  details?: Record<string, unknown>
  ip?: string | null
}

export const ROTATE_QUEUE = 'audit.rotate'
const DAY_MS = 24 * 3600_000
const SECRET_KEY = /password|secret|hash|csrf|^token$|^sessionToken$/i

/** The actor id to record: null for the command line and other system work. */
export const auditActor = (actor: Actor) => recordedUserId(actor)

/** Leaves out anything that names a secret, at any depth, so no caller can write one by mistake. */
function withoutSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSecrets)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !SECRET_KEY.test(k)).map(([k, v]) => [k, withoutSecrets(v)]))
  }
  return value
}

const parseDetails = (text: string): Record<string, unknown> => {
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch {
    return {}
  }
}

const iso = (value: string | undefined, field: string) => {
  if (value === undefined) return undefined
  const time = Date.parse(value)
  if (Number.isNaN(time)) throw AppError.validation(`${field} is not a date and time.`, { field })
  return new Date(time).toISOString()
}

/** A spreadsheet must not run a cell as a formula: a value starting with = + - @ (or a tab/CR) is prefixed with '. */
const csvCell = (value: unknown) => {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
const CSV_COLUMNS = ['at', 'action', 'actorId', 'actorName', 'subjectUserId', 'subjectName', 'ip', 'details'] as const

/**
 * The append-only audit log: who did what to which account, and who read a person's data. Other
 * modules call `record` inside their own transaction; nothing changes or removes an entry except the
 * rotation after the retention period (LOKET_AUDIT_RETENTION_DAYS).
 */
export class AuditService {
  constructor(private readonly deps: Deps) {
    deps.jobs.register(ROTATE_QUEUE, async () => {
      await this.rotate()
      await this.scheduleRotation(new Date(this.deps.clock.now().getTime() + DAY_MS))
    })
  }

  /** Writes one entry with the given database or transaction (so it commits or rolls back with the change). */
  async record(db: Executor, entry: AuditRecord): Promise<void> {
    await auditRepository.insert(db, {
      id: newId(),
      at: this.deps.clock.iso(),
      actor_id: entry.actorId,
      action: entry.action,
      subject_user_id: entry.subjectUserId ?? null,
      ip: entry.ip ?? null,
      details: JSON.stringify(withoutSecrets(entry.details ?? {})),
    })
  }

  /** Whether this user signed in from this address in the last `days` days. */
  async signedInFrom(userId: string, ip: string, days: number): Promise<boolean> {
    const since = new Date(this.deps.clock.now().getTime() - days * DAY_MS).toISOString()
    return auditRepository.exists(this.deps.db, { action: 'auth.signed-in', subjectUserId: userId, ip, since })
  }

  private filterOf(query: AuditQuery): Omit<AuditFilter, 'limit' | 'before'> {
    return { actorId: query.actorId, subjectUserId: query.subjectUserId, action: query.action, organisationId: query.organisationId, from: iso(query.from, 'from'), to: iso(query.to, 'to') }
  }

  async list(actor: Actor, query: AuditQuery): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    if (!isAdmin(actor)) throw AppError.forbidden('read the audit log')
    const limit = query.limit ?? 100
    const before = decodeCursor(query.cursor, ['at', 'id'] as const)
    const rows = await auditRepository.list(this.deps.db, { ...this.filterOf(query), before, limit: limit + 1 })
    return pageOf(rows, limit, toEntry, (r) => ({ at: r.at, id: r.id }))
  }

  /**
   * The newest entries of one kind about one organisation, for a module that has checked who may read
   * them (the organisation page shows staff the changes of its local administrators).
   */
  async aboutOrganisation(organisationId: string, action: string, limit: number): Promise<AuditEntry[]> {
    return (await auditRepository.list(this.deps.db, { organisationId, action, limit })).map(toEntry)
  }

  /** Every matching entry as CSV, newest first, read a thousand at a time; the export itself is recorded first. */
  async exportCsv(actor: Actor, query: AuditQuery, ip?: string): Promise<Readable> {
    if (!isAdmin(actor)) throw AppError.forbidden('export the audit log')
    const filter = this.filterOf(query)
    await this.record(this.deps.db, {
      actorId: auditActor(actor),
      action: 'audit.exported',
      ip,
      details: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
    })
    const db = this.deps.db
    async function* lines() {
      yield CSV_COLUMNS.join(',') + '\r\n'
      let before: AuditFilter['before']
      for (;;) {
        const rows = await auditRepository.list(db, { ...filter, before, limit: 1000 })
        for (const row of rows) {
          const entry = toEntry(row)
          yield CSV_COLUMNS.map((c) => csvCell(entry[c])).join(',') + '\r\n'
        }
        if (rows.length < 1000) return
        before = { at: rows[rows.length - 1].at, id: rows[rows.length - 1].id }
      }
    }
    return Readable.from(lines())
  }

  /** Removes the entries older than the retention period, in batches; returns how many went. */
  async rotate(): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - (this.deps.config.auditRetentionDays ?? 365) * DAY_MS).toISOString()
    let removed = 0
    for (;;) {
      const n = await auditRepository.deleteOlderThan(this.deps.db, cutoff, 5000)
      removed += n
      if (n === 0) break
    }
    return removed
  }

  /** Queues the rotation for the given day (today when absent), once per day however many workers start. */
  async scheduleRotation(at: Date = this.deps.clock.now()) {
    await this.deps.jobs.enqueue(this.deps.db, ROTATE_QUEUE, {}, { runAt: at, dedupeKey: `${ROTATE_QUEUE}:${at.toISOString().slice(0, 10)}` })
  }
}

function toEntry(r: Awaited<ReturnType<typeof auditRepository.list>>[number]): AuditEntry {
  return {
    id: r.id,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    subjectUserId: r.subject_user_id,
    subjectName: r.subject_name,
    ip: r.ip,
    details: parseDetails(r.details),
  }
}
