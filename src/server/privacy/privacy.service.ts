import { createHmac, timingSafeEqual } from 'node:crypto'
import type { Readable } from 'node:stream'
import type { ErasureAnswer, ErasureBody, ErasureSummary, RetentionDryRun, RetentionRule } from '../../shared/api/privacy.js'
import { anonymiseAccount } from '../accounts/account-erasure.js'
import { type Actor, isAdmin } from '../accounts/actor.js'
import { auditRepository } from '../audit/audit.repository.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import { requestRepository } from '../catalogue/catalogue.repository.js'
import { ticketFieldRepository } from '../fields/ticket-field.repository.js'
import { autoReplyRepository, mailboxMessageRepository } from '../channels/email/mailbox.repository.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { TicketFieldService } from '../fields/ticket-field.service.js'
import { ANONYMISED_BODY, ticketAnonymisation } from '../tickets/ticket-anonymise.js'
import { ZipStream } from './export-zip.js'
import { privacyRepository } from './privacy.repository.js'
import { templateAttachmentRepository } from '../templates/template.repository.js'

export const RETENTION_QUEUE = 'privacy.retention'
const DAY_MS = 24 * 3600_000
const CONFIRMATION_MS = 10 * 60_000
/** Tickets anonymised per transaction by the retention job. */
const RETENTION_BATCH = 100

export const erasedName = (n: number) => `Geanonimiseerde klant #${n}`
/** An address that reaches no one (.invalid is reserved) and stays unique. */
const erasedEmail = (n: number) => `geanonimiseerd-${n}@anonymised.invalid`

const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()

/** `n` months before `date` (the same day of the month, or the last day of a shorter one). */
function monthsBefore(date: Date, n: number): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - n, 1, date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()))
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate()
  d.setUTCDate(Math.min(date.getUTCDate(), lastDay))
  return d
}

/** A filename safe in a ZIP on every system. */
const safeName = (name: string) => name.replace(/[^\p{L}\p{N}._ -]+/gu, '_').replace(/^\.+/, '_').slice(0, 120) || 'bestand'

/**
 * A person's rights under the AVG/GDPR, for administrators: everything Loket holds about them as a ZIP,
 * and erasure by anonymising in place (confirmed twice, irreversible); and per department, closed
 * tickets anonymised a number of months after closure. Tickets and accounts are changed through their
 * own modules' code (tickets/ticket-anonymise.ts, accounts/account-erasure.ts); every step is audited.
 */
export class PrivacyService {
  constructor(
    private readonly deps: Deps,
    private readonly audit: Pick<AuditService, 'record'>,
    /** A ticket's field values (fields/), for the export. */
    private readonly fields: Pick<TicketFieldService, 'valuesByTicket'>,
  ) {
    deps.jobs.register(RETENTION_QUEUE, async () => {
      await this.applyRetention()
      await this.scheduleRetention(new Date(this.deps.clock.now().getTime() + DAY_MS))
    })
  }

  private assertAdmin(actor: Actor, action: string) {
    if (!isAdmin(actor)) throw AppError.forbidden(action)
  }

  // --- erasure -----------------------------------------------------------------------------------

  private async erasable(userId: string) {
    const person = await privacyRepository.person(this.deps.db, userId)
    if (!person) throw AppError.notFound('User', userId)
    if (await privacyRepository.findErasure(this.deps.db, userId)) throw AppError.conflict('This person has already been erased.')
    if (person.role !== 'customer') {
      throw AppError.conflict('Only customers are erased; an employee\'s account is disabled instead (their work stays on the tickets).', { field: 'id' })
    }
    return person
  }

  private async erasureScope(userId: string) {
    const db = this.deps.db
    const ticketIds = await ticketAnonymisation.ticketIdsOfRequester(db, userId)
    const elsewhere = await ticketAnonymisation.articlesWrittenElsewhere(db, userId)
    const articles = await privacyRepository.articles(db, ticketIds, userId)
    const attachments = await privacyRepository.attachmentsOf(db, ticketIds, elsewhere.map((a) => a.id))
    const summary: ErasureSummary = { tickets: ticketIds.length, articles: articles.length, attachments: attachments.length, articlesElsewhere: elsewhere.length }
    return { ticketIds, elsewhere, summary }
  }

  /** A confirmation: for this person, this administrator, until a time; signed with LOKET_SECRET. */
  private confirmation(userId: string, adminId: string, expires: number) {
    const payload = Buffer.from(JSON.stringify({ u: userId, a: adminId, e: expires })).toString('base64url')
    return `${payload}.${createHmac('sha256', this.deps.config.secret).update(`erasure:${payload}`).digest('base64url')}`
  }

  private checkConfirmation(token: string, userId: string, adminId: string) {
    const [payload, signature] = token.split('.')
    const expected = payload ? createHmac('sha256', this.deps.config.secret).update(`erasure:${payload}`).digest() : Buffer.alloc(0)
    const given = Buffer.from(signature ?? '', 'base64url')
    let claims: { u?: string; a?: string; e?: number } = {}
    if (given.length === expected.length && expected.length > 0 && timingSafeEqual(given, expected)) {
      try {
        claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as typeof claims
      } catch {
        // a signed payload is ours; unreadable only if tampered with, which the signature rules out
      }
    }
    if (claims.u !== userId || claims.a !== adminId || !claims.e || claims.e < this.deps.clock.now().getTime()) {
      throw AppError.validation('The confirmation is not valid (expired, or for another person or administrator). Ask for a new one.', { field: 'confirmation' })
    }
  }

  /**
   * Erasure in two steps. Without a confirmation: what would be erased, and a confirmation valid for ten
   * minutes. With it and the person's name typed again: the person becomes "Geanonimiseerde klant #n".
   */
  async erase(actor: Actor, userId: string, body: ErasureBody, ip?: string): Promise<ErasureAnswer> {
    this.assertAdmin(actor, 'erase a person')
    const person = await this.erasable(userId)
    const scope = await this.erasureScope(userId)
    if (!body.confirmation) {
      const expires = this.deps.clock.now().getTime() + CONFIRMATION_MS
      return {
        step: 'confirm',
        person: { id: person.id, name: person.name, email: person.email },
        summary: scope.summary,
        confirmation: this.confirmation(userId, actor.user.id, expires),
        expiresAt: new Date(expires).toISOString(),
      }
    }
    this.checkConfirmation(body.confirmation, userId, actor.user.id)
    if (!body.name || !sameName(body.name, person.name)) {
      throw AppError.validation('Type the person\'s name exactly as shown to confirm the erasure.', { field: 'name' })
    }
    const now = this.deps.clock.iso()
    const { number, attachments, accessEvents } = await this.deps.transaction(async (trx) => {
      // Checked again inside: two administrators confirming at once erase once.
      if (await privacyRepository.findErasure(trx, userId)) throw AppError.conflict('This person has already been erased.')
      const number = await privacyRepository.nextErasureNumber(trx)
      const tickets = await ticketAnonymisation.anonymiseTickets(trx, this.deps.dialect, scope.ticketIds)
      await requestRepository.anonymiseAnswers(trx, scope.ticketIds, ANONYMISED_BODY)
      await ticketFieldRepository.anonymiseFreeText(trx, scope.ticketIds, ANONYMISED_BODY)
      const elsewhere = await ticketAnonymisation.anonymiseArticles(trx, scope.elsewhere.map((a) => a.id))
      await privacyRepository.markAnonymised(trx, scope.ticketIds, 'erasure', now)
      if (person.email) await autoReplyRepository.forget(trx, person.email)
      // Mail from them that became no article (refused, duplicate, machine mail) is kept raw per mailbox.
      const rawMails = person.email ? await mailboxMessageRepository.forget(trx, person.email, scope.ticketIds) : []
      const accessEvents = await anonymiseAccount(trx, userId, { name: erasedName(number), email: erasedEmail(number), at: now })
      // Earlier audit entries keep what happened and when, without the person's identifiers.
      await auditRepository.anonymisePerson(trx, {
        userId,
        email: person.email,
        values: [
          ...(person.email ? [{ from: person.email, to: erasedEmail(number) }] : []),
          { from: person.name, to: erasedName(number) },
          ...[person.phone, person.phone_e164].filter((p): p is string => !!p).map((phone) => ({ from: phone, to: ANONYMISED_BODY })),
        ],
      })
      await privacyRepository.insertErasure(trx, { user_id: userId, number, erased_by: auditActor(actor), erased_at: now, summary: JSON.stringify(scope.summary) })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'person.erased', subjectUserId: userId, ip, details: { number, ...scope.summary } })
      return { number, attachments: [...tickets.attachments, ...elsewhere.attachments, ...rawMails], accessEvents }
    })
    await this.deps.events.publishAll(accessEvents)
    await this.removeFiles(attachments)
    // What they wrote on other people's tickets is gone from those tickets' search entries too.
    for (const ticketId of new Set(scope.elsewhere.map((a) => a.ticket_id))) await this.reindex(ticketId)
    return { step: 'erased', person: { id: userId, name: erasedName(number) }, number, summary: scope.summary }
  }

  /** Removes files from the blob store that nothing holds any more (a file shared with someone else's article, or a template's, stays). */
  private async removeFiles(hashes: readonly string[]) {
    const [attached, listed, carried] = await Promise.all([
      ticketAnonymisation.hashesInUse(this.deps.db, hashes),
      mailboxMessageRepository.hashesInUse(this.deps.db, hashes),
      // A template's file (a form, a manual) that went out with this person's reply stays for the template.
      templateAttachmentRepository.hashesInUse(this.deps.db, hashes),
    ])
    for (const hash of new Set(hashes)) if (!attached.has(hash) && !listed.has(hash) && !carried.has(hash)) await this.deps.blobs.delete(hash)
  }

  private async reindex(ticketId: string) {
    const texts = await ticketAnonymisation.searchTextsOf(this.deps.db, ticketId)
    const ready = await Promise.all(texts.map((text) => this.deps.dialect.searchText(text)))
    await this.deps.transaction((trx) => ticketAnonymisation.replaceSearchEntries(trx, this.deps.dialect, ticketId, ready))
  }

  // --- export ------------------------------------------------------------------------------------

  /** Everything Loket holds about a person, as a ZIP of JSON files and the original attachments; the export is audited. */
  async export(actor: Actor, userId: string, ip?: string): Promise<{ filename: string; stream: Readable }> {
    this.assertAdmin(actor, 'export a person\'s data')
    const db = this.deps.db
    const person = await privacyRepository.person(db, userId)
    if (!person) throw AppError.notFound('User', userId)
    const tickets = await privacyRepository.ticketsOf(db, userId)
    const ticketIds = tickets.map((t) => t.id)
    const [tags, history, articles, identities, sessions, tokens, erasure, requests, fieldValues] = await Promise.all([
      privacyRepository.tagsOf(db, ticketIds),
      privacyRepository.historyOf(db, ticketIds),
      privacyRepository.articles(db, ticketIds, userId),
      privacyRepository.ssoIdentities(db, userId),
      privacyRepository.sessions(db, userId),
      privacyRepository.tokens(db, userId),
      privacyRepository.findErasure(db, userId),
      requestRepository.ofTickets(db, ticketIds),
      this.fields.valuesByTicket(db, ticketIds),
    ])
    const own = new Set(ticketIds)
    const elsewhere = articles.filter((a) => !own.has(a.ticket_id))
    const attachments = await privacyRepository.attachmentsOf(db, ticketIds, elsewhere.map((a) => a.id))
    const audit = [
      ...(await auditRepository.list(db, { subjectUserId: userId, limit: 100_000 })),
      ...(await auditRepository.list(db, { actorId: userId, limit: 100_000 })).filter((e) => e.subject_user_id !== userId),
    ].sort((a, b) => a.at.localeCompare(b.at))
    const numberOf = new Map(tickets.map((t) => [t.id, t.number]))
    const fileOf = new Map(attachments.map((a) => [a.id, `attachments/${numberOf.get(a.ticket_id) ?? a.ticket_id}/${a.id}-${safeName(a.filename)}`]))
    const attachmentJson = (a: (typeof attachments)[number]) => ({
      id: a.id, filename: a.filename, contentType: a.content_type, size: a.size, sha256: a.sha256, createdAt: a.created_at, file: fileOf.get(a.id),
    })
    const articleJson = (a: (typeof articles)[number]) => ({
      id: a.id, ticketNumber: a.ticket_number, createdAt: a.created_at, channel: a.channel, direction: a.direction, visibility: a.visibility,
      author: a.author_id ? { id: a.author_id, name: a.author_name } : null, contentType: a.content_type, body: a.body,
      metadata: JSON.parse(a.metadata) as unknown,
      attachments: attachments.filter((x) => x.article_id === a.id).map(attachmentJson),
    })
    const requestJson = (r: (typeof requests)[number] | undefined) =>
      r ? { item: r.item_title, itemId: r.item_id, answers: JSON.parse(r.answers) as unknown, createdAt: r.created_at } : null
    const summary = { tickets: tickets.length, articles: articles.length, attachments: attachments.length, auditEntries: audit.length }
    await this.audit.record(db, { actorId: auditActor(actor), action: 'person.exported', subjectUserId: userId, ip, details: summary })

    const zip = new ZipStream()
    zip.json('person.json', {
      exportedAt: this.deps.clock.iso(),
      person: {
        id: person.id, name: person.name, role: person.role, language: person.language, active: person.active === 1,
        organisation: person.organisation_id ? { id: person.organisation_id, name: person.organisation_name } : null,
        createdAt: person.created_at, updatedAt: person.updated_at,
      },
      identities: [
        { kind: 'email', value: person.email },
        ...(person.phone ? [{ kind: 'phone', value: person.phone }] : []),
        ...identities.map((i) => ({ kind: 'sso', issuer: i.issuer, subject: i.subject, createdAt: i.created_at, lastSignInAt: i.last_sign_in_at })),
      ],
      sessions: sessions.map((s) => ({ userAgent: s.user_agent, createdAt: s.created_at, lastSeenAt: s.last_seen_at, expiresAt: s.expires_at })),
      apiTokens: tokens.map((t) => ({ name: t.name, createdAt: t.created_at, lastUsedAt: t.last_used_at, revokedAt: t.revoked_at, expiresAt: t.expires_at })),
      erasure: erasure ? { number: erasure.number, erasedAt: erasure.erased_at } : null,
      summary,
    })
    zip.json('tickets.json', tickets.map((t) => ({
      id: t.id, number: t.number, subject: t.subject, status: t.status, priority: t.priority, type: t.type, channel: t.channel,
      createdAt: t.created_at, updatedAt: t.updated_at, firstResponseAt: t.first_response_at, resolvedAt: t.resolved_at, closedAt: t.closed_at,
      tags: tags.filter((x) => x.ticket_id === t.id).map((x) => x.tag),
      customFields: fieldValues.get(t.id) ?? {},
      history: history.filter((h) => h.ticket_id === t.id).map((h) => ({ at: h.created_at, actorId: h.actor_id, field: h.field, oldValue: h.old_value, newValue: h.new_value })),
      articles: articles.filter((a) => a.ticket_id === t.id).map(articleJson),
      catalogueRequest: requestJson(requests.find((r) => r.ticket_id === t.id)),
      attachmentsNotSent: attachments.filter((x) => x.ticket_id === t.id && !x.article_id).map(attachmentJson),
    })))
    zip.json('articles-on-other-tickets.json', elsewhere.map(articleJson))
    zip.json('audit.json', audit.map((e) => ({
      at: e.at, action: e.action, actorId: e.actor_id, actorName: e.actor_name, subjectUserId: e.subject_user_id, ip: e.ip, details: JSON.parse(e.details) as unknown,
    })))
    void (async () => {
      const missing: string[] = []
      for (const a of attachments) {
        if (!(await this.deps.blobs.has(a.sha256))) {
          missing.push(fileOf.get(a.id)!)
          continue
        }
        await zip.file(fileOf.get(a.id)!, this.deps.blobs.open(a.sha256))
      }
      if (missing.length) zip.json('missing-files.json', missing)
      zip.end()
    })().catch((err: Error) => zip.stream.destroy(err))
    return { filename: `loket-export-${userId}.zip`, stream: zip.stream }
  }

  // --- retention ---------------------------------------------------------------------------------

  private async department(id: string) {
    const department = await this.deps.db.selectFrom('department').select('id').where('id', '=', id).executeTakeFirst()
    if (!department) throw AppError.notFound('Department', id)
  }

  async retentionRule(actor: Actor, departmentId: string): Promise<RetentionRule> {
    this.assertAdmin(actor, 'read retention rules')
    await this.department(departmentId)
    const rule = await privacyRepository.findRule(this.deps.db, departmentId)
    return { departmentId, months: rule?.months ?? null }
  }

  async setRetentionRule(actor: Actor, departmentId: string, months: number | null, ip?: string): Promise<RetentionRule> {
    this.assertAdmin(actor, 'set retention rules')
    await this.department(departmentId)
    await this.deps.transaction(async (trx) => {
      await privacyRepository.setRule(trx, departmentId, months, auditActor(actor), this.deps.clock.iso())
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'retention.changed', ip, details: { departmentId, months } })
    })
    return { departmentId, months }
  }

  /** What the next run would anonymise, without changing anything. */
  async retentionDryRun(actor: Actor, departmentId: string, months?: number): Promise<RetentionDryRun> {
    this.assertAdmin(actor, 'read retention rules')
    await this.department(departmentId)
    const period = months ?? (await privacyRepository.findRule(this.deps.db, departmentId))?.months
    if (!period) throw AppError.validation('This department has no retention rule; give months to try one.', { field: 'months' })
    const cutoff = monthsBefore(this.deps.clock.now(), period).toISOString()
    const [count, sample] = await Promise.all([
      privacyRepository.countDueForRetention(this.deps.db, departmentId, cutoff),
      privacyRepository.dueForRetention(this.deps.db, departmentId, cutoff, 20),
    ])
    return {
      departmentId, months: period, cutoff, tickets: count,
      oldestClosedAt: sample[0]?.closed_at ?? null,
      sample: sample.map((t) => ({ id: t.id, number: t.number, closedAt: t.closed_at! })),
    }
  }

  /** The scheduled job: for every rule, closed tickets past their period are anonymised, a batch per transaction. Returns how many. */
  async applyRetention(): Promise<number> {
    let total = 0
    for (const rule of await privacyRepository.rules(this.deps.db)) {
      const cutoff = monthsBefore(this.deps.clock.now(), rule.months).toISOString()
      let done = 0
      for (;;) {
        const due = await privacyRepository.dueForRetention(this.deps.db, rule.department_id, cutoff, RETENTION_BATCH)
        if (due.length === 0) break
        const ids = due.map((t) => t.id)
        const now = this.deps.clock.iso()
        const { attachments } = await this.deps.transaction(async (trx) => {
          const result = await ticketAnonymisation.anonymiseTickets(trx, this.deps.dialect, ids)
          await requestRepository.anonymiseAnswers(trx, ids, ANONYMISED_BODY)
          await ticketFieldRepository.anonymiseFreeText(trx, ids, ANONYMISED_BODY)
          await privacyRepository.markAnonymised(trx, ids, 'retention', now)
          return result
        })
        await this.removeFiles(attachments)
        done += ids.length
      }
      if (done > 0) {
        await this.audit.record(this.deps.db, { actorId: null, action: 'retention.applied', details: { departmentId: rule.department_id, months: rule.months, cutoff, tickets: done } })
      }
      total += done
    }
    return total
  }

  /** Queues the retention run for the given day (today when absent), once per day however many workers start. */
  async scheduleRetention(at: Date = this.deps.clock.now()) {
    await this.deps.jobs.enqueue(this.deps.db, RETENTION_QUEUE, {}, { runAt: at, dedupeKey: `${RETENTION_QUEUE}:${at.toISOString().slice(0, 10)}` })
  }
}
