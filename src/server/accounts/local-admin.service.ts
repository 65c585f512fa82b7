import type { InviteMemberBody, LocalAdminChange, LocalAdministratorsBody, Member, MyOrganisation, PersonRef, UpdateMemberBody } from '../../shared/api/accounts.js'
import { newId } from '../clock.js'
import type { AppUserRow, Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import { type Actor, isLocalAdminOf, isStaff } from './actor.js'
import type { AccountService } from './account.service.js'
import { mailAddressOf, normaliseEmail, toUser } from './account.mappers.js'
import { sessionRepository, tokenRepository, userRepository } from './account.repository.js'
import { localAdminMail, noLocalAdminMail } from './account-links.js'
import { organisationRepository } from './organisation.repository.js'

const LOCAL_ADMINS_CHANGED = 'organisation.local-administrators-changed'
type AccessEvent = Extract<DomainEvent, { type: 'account.access-changed' }>
const person = (r: Pick<AppUserRow, 'id' | 'name' | 'email'>): PersonRef => ({ id: r.id, name: r.name, email: r.email })

/**
 * Organisations that manage their own accounts (lokaal beheerder): the desk assigns or replaces an
 * organisation's local administrators on its request, recorded in the audit trail; a local administrator
 * invites, switches off and promotes members of their own organisation in the portal, and nothing more.
 */
export class LocalAdminService {
  constructor(
    private readonly deps: Deps,
    private readonly accounts: Pick<AccountService, 'sendLink' | 'queueMail' | 'accessChanged'>,
    private readonly audit: Pick<AuditService, 'record' | 'aboutOrganisation'>,
  ) {}

  private portalUrl() {
    return `${this.deps.config.publicUrl}/portal`
  }

  /**
   * The desk (any staff) sets who the local administrators of an organisation are, on the organisation's
   * request: who asked is recorded with the agent, the moment and the administrators before and after.
   * Each new local administrator gets a mail in their language.
   */
  async setLocalAdministrators(actor: Actor, organisationId: string, body: LocalAdministratorsBody): Promise<PersonRef[]> {
    if (!isStaff(actor)) throw AppError.forbidden('assign local administrators')
    const userIds = [...new Set(body.userIds)]
    const { events, current } = await this.deps.transaction(async (trx) => {
      const organisation = await organisationRepository.findById(trx, organisationId)
      if (!organisation) throw AppError.notFound('Organisation', organisationId)
      const chosen = userIds.length ? await trx.selectFrom('app_user').selectAll().where('id', 'in', userIds).execute() : []
      for (const id of userIds) {
        const row = chosen.find((r) => r.id === id)
        if (!row || row.organisation_id !== organisationId || row.role !== 'customer') {
          throw AppError.validation(`User ${id} is not a customer of this organisation.`, { field: 'userIds' })
        }
        if (row.active !== 1) throw AppError.validation(`${row.name} is switched off: switch the account on first.`, { field: 'userIds' })
      }
      const previous = await this.localAdminRows(trx, organisationId)
      const removed = previous.filter((r) => !userIds.includes(r.id))
      const added = chosen.filter((r) => !previous.some((p) => p.id === r.id))
      const now = this.deps.clock.iso()
      if (removed.length) await trx.updateTable('app_user').set({ local_admin: 0, updated_at: now }).where('id', 'in', removed.map((r) => r.id)).execute()
      if (added.length) await trx.updateTable('app_user').set({ local_admin: 1, updated_at: now }).where('id', 'in', added.map((r) => r.id)).execute()
      await this.record(trx, actor, organisation, { requestedBy: body.requestedBy.trim(), note: body.note?.trim() || undefined, previous, current: chosen, subject: (added[0] ?? removed[0])?.id })
      for (const row of added) await this.accounts.queueMail(trx, mailAddressOf(row), localAdminMail(row.language, row.name, organisation.name, this.portalUrl()))
      return { events: [...removed, ...added].map((r): AccessEvent => ({ type: 'account.access-changed', userId: r.id })), current: chosen.map(person) }
    })
    await this.accounts.accessChanged(events)
    return current
  }

  /**
   * The audit trail of an organisation's local administrators, newest first: who asked, which agent did
   * it, when, and who they were before and after. Staff only (the organisation page).
   */
  async localAdministratorChanges(actor: Actor, organisationId: string, limit = 20): Promise<LocalAdminChange[]> {
    if (!isStaff(actor)) throw AppError.forbidden('read the changes of local administrators')
    if (!(await organisationRepository.findById(this.deps.db, organisationId))) throw AppError.notFound('Organisation', organisationId)
    const entries = await this.audit.aboutOrganisation(organisationId, LOCAL_ADMINS_CHANGED, limit)
    const people = (value: unknown): PersonRef[] =>
      Array.isArray(value) ? value.filter((p): p is PersonRef => !!p && typeof p === 'object' && typeof (p as PersonRef).id === 'string').map(({ id, name, email }) => ({ id, name, email })) : []
    return entries.map((e) => ({
      id: e.id,
      at: e.at,
      agent: e.actorId ? { id: e.actorId, name: e.actorName ?? '' } : null,
      requestedBy: typeof e.details.requestedBy === 'string' ? e.details.requestedBy : '',
      note: typeof e.details.note === 'string' ? e.details.note : null,
      previous: people(e.details.previous),
      current: people(e.details.current),
    }))
  }

  /** One audit entry per change of an organisation's local administrators, found under the organisation and the people. */
  private async record(
    db: Executor,
    actor: Actor,
    organisation: { id: string; name: string },
    change: { requestedBy: string; note?: string; previous: AppUserRow[]; current: Pick<AppUserRow, 'id' | 'name' | 'email'>[]; subject?: string },
  ) {
    await this.audit.record(db, {
      actorId: auditActor(actor),
      action: LOCAL_ADMINS_CHANGED,
      // The person it is about: the new local administrator (or the one who stopped being one).
      subjectUserId: change.subject ?? change.current[0]?.id ?? change.previous[0]?.id ?? null,
      details: {
        organisationId: organisation.id,
        organisation: organisation.name,
        requestedBy: change.requestedBy,
        ...(change.note && { note: change.note }),
        previous: change.previous.map(person),
        current: change.current.map(person),
      },
    })
  }

  private localAdminRows(db: Executor, organisationId: string) {
    return db
      .selectFrom('app_user')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('local_admin', '=', 1)
      .where('role', '=', 'customer')
      .where('active', '=', 1)
      .orderBy('name')
      .execute()
  }

  /**
   * Reminds every active member of these organisations that have no local administrator (others are
   * skipped), each in their language. Staff only.
   */
  async remindWithoutLocalAdmin(actor: Actor, organisationIds: string[]): Promise<{ organisations: number; mailed: number }> {
    if (!isStaff(actor)) throw AppError.forbidden('send reminders to organisations')
    let organisations = 0
    let mailed = 0
    for (const id of [...new Set(organisationIds)]) {
      await this.deps.transaction(async (trx) => {
        const organisation = await organisationRepository.findById(trx, id)
        if (!organisation || (await this.localAdminRows(trx, id)).length) return
        const members = await trx.selectFrom('app_user').selectAll().where('organisation_id', '=', id).where('role', '=', 'customer').where('active', '=', 1).execute()
        if (!members.length) return
        for (const m of members) if (m.email) await this.accounts.queueMail(trx, m.email, noLocalAdminMail(m.language, m.name, organisation.name, this.portalUrl()))
        await this.audit.record(trx, { actorId: auditActor(actor), action: 'organisation.local-administrator-reminder', details: { organisationId: id, organisation: organisation.name, members: members.length } })
        organisations++
        mailed += members.length
      })
    }
    return { organisations, mailed }
  }

  // --- the portal: what a member reads, what a local administrator does ------------------------

  /** Every customer reads their organisation and who its local administrators are (or that there are none). */
  async myOrganisation(actor: Actor): Promise<MyOrganisation> {
    const organisationId = actor.user.role === 'customer' ? actor.user.organisationId : null
    const organisation = organisationId ? await organisationRepository.findById(this.deps.db, organisationId) : undefined
    if (!organisation) return { organisation: null, localAdministrators: [], youAreLocalAdministrator: false }
    const admins = await this.localAdminRows(this.deps.db, organisation.id)
    return {
      organisation: { id: organisation.id, name: organisation.name },
      localAdministrators: admins.map(person),
      youAreLocalAdministrator: isLocalAdminOf(actor, organisation.id),
    }
  }

  /** The organisation a local administrator manages; 403 for anyone else. */
  private managed(actor: Actor): string {
    const id = actor.user.organisationId
    if (!isLocalAdminOf(actor, id)) throw AppError.forbidden('manage members (local administrators of an organisation only)')
    return id!
  }

  async listMembers(actor: Actor): Promise<Member[]> {
    const organisationId = this.managed(actor)
    const rows = await this.deps.db
      .selectFrom('app_user')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('role', '=', 'customer')
      .orderBy('name')
      .orderBy('id')
      .limit(2000)
      .execute()
    return rows.map(toMember)
  }

  /**
   * A local administrator invites a colleague: a new customer of the organisation and a sign-in link by
   * mail (72 hours, once). A member who has not signed in yet is invited again. An address that has an
   * account elsewhere is the desk's to move.
   */
  async inviteMember(actor: Actor, body: InviteMemberBody): Promise<Member> {
    const organisationId = this.managed(actor)
    const email = normaliseEmail(body.email)
    const id = await this.deps.transaction(async (trx) => {
      const existing = await userRepository.findByEmail(trx, email)
      if (existing) {
        if (existing.organisation_id !== organisationId || existing.role !== 'customer') {
          throw AppError.conflict('This address has an account the service desk manages: ask the desk to add it to your organisation.', { field: 'email' })
        }
        if (existing.active !== 1) throw AppError.conflict('This member is switched off: switch the account on first.', { field: 'email' })
        await this.accounts.sendLink(trx, actor, existing, 'member-invite')
        return existing.id
      }
      const now = this.deps.clock.iso()
      const row = {
        id: newId(), email, name: body.name.trim(), role: 'customer', password_hash: null, organisation_id: organisationId,
        language: body.language ?? actor.user.language, phone: null, phone_e164: null, active: 1, local_admin: 0, created_at: now, updated_at: now,
      }
      await userRepository.insert(trx, row)
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'user.created',
        subjectUserId: row.id,
        details: { email, name: row.name, role: 'customer', organisationId, language: row.language, by: 'local-administrator' },
      })
      await this.accounts.sendLink(trx, actor, row, 'member-invite')
      return row.id
    })
    return toMember((await userRepository.findById(this.deps.db, id))!)
  }

  /**
   * A local administrator switches a member off (their sessions and tokens end at once; their tickets
   * stay) or on again, or makes them local administrator too. Not themselves, and not another local
   * administrator: replacing one is the desk's, on the organisation's request.
   */
  async updateMember(actor: Actor, memberId: string, body: UpdateMemberBody): Promise<Member> {
    const organisationId = this.managed(actor)
    const events = await this.deps.transaction(async (trx) => {
      const row = await userRepository.findById(trx, memberId)
      if (!row || row.organisation_id !== organisationId || row.role !== 'customer') throw AppError.notFound('Member', memberId)
      const events: AccessEvent[] = []
      const now = this.deps.clock.iso()
      if (body.active !== undefined && body.active !== (row.active === 1)) {
        if (row.id === actor.user.id) throw AppError.conflict('You cannot switch off your own account.', { field: 'active' })
        if (row.local_admin === 1 && body.active === false) throw AppError.conflict('A local administrator is switched off by the service desk, on request of the organisation.', { field: 'active' })
        await userRepository.update(trx, row.id, { active: body.active ? 1 : 0, updated_at: now })
        await this.audit.record(trx, { actorId: auditActor(actor), action: body.active ? 'user.enabled' : 'user.disabled', subjectUserId: row.id, details: { by: 'local-administrator' } })
        if (!body.active) {
          for (const sessionId of await sessionRepository.deleteForUserReturningIds(trx, row.id)) events.push({ type: 'account.access-changed', userId: row.id, sessionId })
          for (const tokenId of await tokenRepository.revokeAllForUser(trx, row.id, now)) events.push({ type: 'account.access-changed', userId: row.id, tokenId })
        }
        events.push({ type: 'account.access-changed', userId: row.id })
      }
      if (body.localAdmin && row.local_admin !== 1) {
        if (body.active === false || row.active !== 1) throw AppError.conflict('Switch the account on before making it local administrator.', { field: 'localAdmin' })
        const organisation = (await organisationRepository.findById(trx, organisationId))!
        const previous = await this.localAdminRows(trx, organisationId)
        await userRepository.update(trx, row.id, { local_admin: 1, updated_at: now })
        await this.record(trx, actor, organisation, { requestedBy: `${actor.user.name} (local administrator, in the portal)`, previous, current: [...previous, row], subject: row.id })
        await this.accounts.queueMail(trx, mailAddressOf(row), localAdminMail(row.language, row.name, organisation.name, this.portalUrl()))
        events.push({ type: 'account.access-changed', userId: row.id })
      }
      return events
    })
    await this.accounts.accessChanged(events)
    return toMember((await userRepository.findById(this.deps.db, memberId))!)
  }
}

const toMember = (r: AppUserRow): Member => {
  const user = toUser(r, [])
  return { id: r.id, name: r.name, email: r.email, active: user.active, localAdmin: user.localAdmin, createdAt: r.created_at }
}
