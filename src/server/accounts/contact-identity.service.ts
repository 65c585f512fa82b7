import type { AddIdentityBody, ContactIdentity, MergeUserResult } from '../../shared/api/accounts.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import type { Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import type { AccountService } from './account.service.js'
import { sessionRepository, tokenRepository, userRepository } from './account.repository.js'
import { type Actor, isStaff } from './actor.js'
import { type IdentityKind, normaliseIdentity } from './contact-identity.js'
import { identityRepository } from './contact-identity.repository.js'

/** What merging customers needs of the tickets module: their tickets change hands in the same transaction. */
export interface RequesterMergePeer {
  requesterMerged(trx: Executor, fromUserId: string, toUserId: string): Promise<{ asked: number; further: number }>
}

type AccessEvent = Extract<DomainEvent, { type: 'account.access-changed' }>

/**
 * A customer's identifiers (e-mail addresses, phone numbers, chat ids) and merging two customers into one.
 * Who may: whoever may edit the customer (staff: agents, team leads, administrators); customers never.
 */
export class ContactIdentityService {
  constructor(
    private readonly deps: Deps,
    private readonly accounts: Pick<AccountService, 'accessChanged' | 'loadUser'>,
    private readonly audit: Pick<AuditService, 'record'>,
    private readonly tickets: RequesterMergePeer,
  ) {}

  async list(actor: Actor, userId: string): Promise<ContactIdentity[]> {
    const row = await this.customer(actor, userId, 'see the identifiers of')
    return this.identitiesOf(this.deps.db, row)
  }

  /** Another e-mail address, phone number or chat id for this customer; 409 when someone has it already. */
  async add(actor: Actor, userId: string, body: AddIdentityBody): Promise<ContactIdentity[]> {
    const row = await this.customer(actor, userId, 'change the identifiers of')
    const value = normaliseIdentity(body.kind, body.value)
    if (value === undefined) {
      throw AppError.validation(body.kind === 'phone' ? 'This is not a phone number.' : body.kind === 'email' ? 'This is not an e-mail address.' : 'This chat id is empty or too long.', { field: 'value' })
    }
    await this.deps.transaction(async (trx) => {
      const owner = await userRepository.findWithOrganisation(trx, { kind: body.kind, value })
      if (owner && owner.id !== row.id) throw AppError.conflict('Someone else is known by this already: merge the two if they are one person.', { field: 'value', userId: owner.id })
      if (owner) return
      await identityRepository.add(trx, { kind: body.kind, value, userId, at: this.deps.clock.iso() })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'user.identity-added', subjectUserId: userId, details: { kind: body.kind, value } })
    })
    return this.identitiesOf(this.deps.db, row)
  }

  /** Removes one identifier; the account's own e-mail address is changed on the account instead (409). */
  async remove(actor: Actor, userId: string, kind: IdentityKind, text: string): Promise<void> {
    const row = await this.customer(actor, userId, 'change the identifiers of')
    const value = normaliseIdentity(kind, text) ?? text
    if ((kind === 'email' && value === row.email) || (kind === 'phone' && value === row.phone_e164)) {
      throw AppError.conflict("This is the account's own e-mail address or phone number: change it on the account instead.", { field: 'value', reason: 'primary' })
    }
    await this.deps.transaction(async (trx) => {
      if (!(await identityRepository.remove(trx, userId, kind, value))) throw AppError.notFound('Identifier', `${kind}:${value}`)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'user.identity-removed', subjectUserId: userId, details: { kind, value } })
    })
  }

  /**
   * Merges customer `userId` into customer `intoId`: every identifier and ticket (as requester and as further
   * requester) goes to the second, who also takes the first's organisation when they have none. The first
   * account stays (for the audit trail and history), disabled and pointing at the second; its sessions and
   * tokens end. 422 for merging into oneself, into staff, or from or into a customer merged already.
   */
  async merge(actor: Actor, userId: string, intoId: string): Promise<MergeUserResult> {
    if (!isStaff(actor)) throw AppError.forbidden('merge customers')
    if (userId === intoId) throw new AppError('unprocessable', 'A customer cannot be merged into themselves: choose another customer.', { field: 'intoId', reason: 'same_customer' })
    const { moved, events } = await this.deps.transaction(async (trx) => {
      const [from, into] = await Promise.all([userRepository.findById(trx, userId), userRepository.findById(trx, intoId)])
      if (!from) throw AppError.notFound('User', userId)
      if (!into) throw new AppError('unprocessable', 'The customer to merge into does not exist.', { field: 'intoId', reason: 'not_found' })
      if (from.role !== 'customer') throw new AppError('unprocessable', 'Only customers can be merged; this is a staff account.', { field: 'id', reason: 'staff' })
      if (into.role !== 'customer') throw new AppError('unprocessable', 'A customer cannot be merged into a staff account.', { field: 'intoId', reason: 'staff' })
      if (from.merged_into_id) throw new AppError('unprocessable', 'This customer has been merged already.', { field: 'id', reason: 'merged' })
      if (into.merged_into_id) throw new AppError('unprocessable', 'The customer to merge into has been merged into someone else: merge into that one.', { field: 'intoId', reason: 'merged', mergedIntoId: into.merged_into_id })
      const now = this.deps.clock.iso()
      // An account made before identities (or by an import) may have its address only on the account.
      if (from.email) await identityRepository.add(trx, { kind: 'email', value: from.email, userId: from.id, at: now })
      const identities = await identityRepository.moveAll(trx, from.id, into.id)
      const tickets = await this.tickets.requesterMerged(trx, from.id, into.id)
      const organisation = !into.organisation_id && !!from.organisation_id
      await userRepository.update(trx, into.id, { ...(organisation && { organisation_id: from.organisation_id }), updated_at: now })
      await userRepository.update(trx, from.id, { email: null, phone_e164: null, active: 0, local_admin: 0, password_hash: null, merged_into_id: into.id, updated_at: now })
      const sessions = await sessionRepository.deleteForUserReturningIds(trx, from.id)
      const tokens = await tokenRepository.revokeAllForUser(trx, from.id, now)
      const moved = { identities, tickets: tickets.asked, furtherRequesterOf: tickets.further, organisation }
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'user.merged',
        subjectUserId: from.id,
        details: { into: into.id, intoName: into.name, name: from.name, email: from.email, ...moved },
      })
      const events: AccessEvent[] = [
        ...sessions.map((sessionId) => ({ type: 'account.access-changed' as const, userId: from.id, sessionId })),
        ...tokens.map((tokenId) => ({ type: 'account.access-changed' as const, userId: from.id, tokenId })),
        { type: 'account.access-changed', userId: from.id },
      ]
      return { moved, events }
    })
    await this.accounts.accessChanged(events)
    return { user: (await this.accounts.loadUser(intoId))!, moved }
  }

  /** A customer whom the actor may edit: staff only (403 for anyone else), and customers only (422 for staff). */
  private async customer(actor: Actor, userId: string, what: string) {
    if (!isStaff(actor)) throw AppError.forbidden(`${what} customers`)
    const row = await userRepository.findById(this.deps.db, userId)
    if (!row) throw AppError.notFound('User', userId)
    if (row.role !== 'customer') throw new AppError('unprocessable', 'Only customers have identifiers here; staff are known by their account.', { reason: 'staff' })
    return row
  }

  private async identitiesOf(db: Executor, row: { id: string; email: string | null; phone_e164: string | null; created_at: string }): Promise<ContactIdentity[]> {
    const rows = await identityRepository.listFor(db, row.id)
    const primary = (r: { kind: string; value: string }) => (r.kind === 'email' && r.value === row.email) || (r.kind === 'phone' && r.value === row.phone_e164)
    const list = rows.map((r) => ({ kind: r.kind, value: r.value, primary: primary(r), createdAt: r.created_at }))
    // An account's address that is (not yet) an identity row is one all the same.
    if (row.email && !list.some((i) => i.primary && i.kind === 'email')) list.unshift({ kind: 'email', value: row.email, primary: true, createdAt: row.created_at })
    return list.sort((a, b) => Number(b.primary) - Number(a.primary))
  }
}
