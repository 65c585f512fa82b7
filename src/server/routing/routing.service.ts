import type {
  CreateRoutingRuleBody, RoutingActions, RoutingConditions, RoutingRule, RoutingTestBody, RoutingTestResult, UpdateRoutingRuleBody,
} from '../../shared/api/routing.js'
import { emailMetaOf, isRouted } from '../../shared/api/article-metadata.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isAdmin } from '../accounts/actor.js'
import type { OrganisationService } from '../accounts/organisation.service.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import { newId } from '../clock.js'
import type { Executor, RoutingRuleTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import type { TicketDraft, TicketHook } from '../tickets/open-ticket.js'
import { compileRules, type CompiledRules, neverMatching, type RoutingSubject, type RuleDefinition } from './routing-rule.engine.js'
import { routingRuleRepository } from './routing.repository.js'

export interface RoutingPeers {
  desk: Pick<DeskService, 'groupById' | 'departmentExists' | 'entryGroupOf'>
  organisations: Pick<OrganisationService, 'namesByIds'>
  accounts: Pick<AccountService, 'routingProfileOf'>
  /** Whether a mailbox exists (the e-mail channel's service, built after this one). */
  mailboxExists: (id: string) => Promise<boolean>
}

const toDefinition = (r: RoutingRuleTable): RuleDefinition => ({
  id: r.id,
  name: r.name,
  position: r.position,
  enabled: r.enabled === 1,
  conditions: JSON.parse(r.conditions) as RoutingConditions,
  actions: JSON.parse(r.actions) as RoutingActions,
})

const unprocessable = (message: string, field: string) => new AppError('unprocessable', message, { field })

/** HTML made plain enough for words to be found in it. */
const plainText = (body: string, contentType: string) => (contentType === 'text/html' ? body.replace(/<[^>]*>/g, ' ') : body)

/**
 * Routing rules: the admin's ordered list, and the hook that runs the first matching one on every new
 * ticket before it is written. The rules are compiled once per change and kept: a change anywhere
 * (an outbox event, heard by every process) drops the compiled copy.
 */
export class RoutingService {
  private compiled: CompiledRules | undefined
  /** Counts changes, so a compilation that read the rules before a change does not stay cached after it. */
  private generation = 0

  constructor(
    private readonly deps: Deps,
    private readonly peers: RoutingPeers,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {
    deps.events.subscribe((event) => {
      if (event.type === 'routing.rules-changed') this.invalidate()
    })
    deps.events.onResync(() => this.invalidate())
  }

  private invalidate() {
    this.generation++
    this.compiled = undefined
  }

  private async rules(db: Executor): Promise<CompiledRules> {
    if (this.compiled) return this.compiled
    const generation = this.generation
    const compiled = compileRules((await routingRuleRepository.list(db)).map(toDefinition))
    if (generation === this.generation) this.compiled = compiled
    return compiled
  }

  /** The hook on OpenTicket: the first matching rule sets its fields; a ticket that was routed already is left alone. */
  readonly hook: TicketHook = async (draft, db) => {
    if (isRouted(draft.firstArticle.metadata)) return
    const rules = await this.rules(db)
    if (rules.size === 0) return
    const outcome = rules.evaluate(this.subjectOf(draft))
    if (!outcome) return
    const { sets, rule } = outcome
    return {
      ...draft,
      groupId: sets.groupId ?? draft.groupId,
      priority: sets.priority ?? draft.priority,
      type: sets.type ?? draft.type,
      tags: sets.tags ? [...new Set([...draft.tags, ...sets.tags])].sort() : draft.tags,
      // On the first article, for the timeline, and as the mark that this ticket was routed (never twice).
      firstArticle: { ...draft.firstArticle, metadata: { ...draft.firstArticle.metadata, routing: { ruleId: rule.id, name: rule.name } } },
    }
  }

  private subjectOf(draft: TicketDraft): RoutingSubject {
    return {
      channel: draft.channel,
      mailboxId: emailMetaOf(draft.firstArticle.metadata)?.mailboxId ?? undefined,
      organisationId: draft.requester.organisation_id,
      requesterEmail: draft.requester.email ?? '',
      language: draft.requester.language,
      subject: draft.subject,
      body: plainText(draft.firstArticle.body, draft.firstArticle.contentType),
    }
  }

  private requireAdmin(actor: Actor, what: string) {
    if (!isAdmin(actor)) throw AppError.forbidden(what)
  }

  async list(actor: Actor): Promise<RoutingRule[]> {
    this.requireAdmin(actor, 'see routing rules')
    return this.listed(this.deps.db)
  }

  private async listed(db: Executor): Promise<RoutingRule[]> {
    const rows = await routingRuleRepository.list(db)
    const definitions = rows.map(toDefinition)
    const shadowed = neverMatching(definitions.map((d, i) => ({ ...d, position: i + 1 })))
    return rows.map((r, i) => ({
      ...definitions[i],
      position: i + 1,
      neverMatches: shadowed.get(r.id) ?? null,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }))
  }

  async create(actor: Actor, body: CreateRoutingRuleBody): Promise<RoutingRule> {
    this.requireAdmin(actor, 'create routing rules')
    const { conditions, actions } = await this.checked(body.conditions, body.actions)
    const id = newId()
    const now = this.deps.clock.iso()
    await this.changing(async (trx) => {
      await routingRuleRepository.insert(trx, {
        id,
        name: body.name.trim(),
        position: (await routingRuleRepository.lastPosition(trx)) + 1,
        enabled: body.enabled === false ? 0 : 1,
        conditions: JSON.stringify(conditions),
        actions: JSON.stringify(actions),
        created_at: now,
        updated_at: now,
      })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'routing-rule.created', details: { ruleId: id, name: body.name.trim(), conditions, actions } })
    })
    return this.one(id)
  }

  async update(actor: Actor, id: string, body: UpdateRoutingRuleBody): Promise<RoutingRule> {
    this.requireAdmin(actor, 'change routing rules')
    const existing = await routingRuleRepository.findById(this.deps.db, id)
    if (!existing) throw AppError.notFound('Routing rule', id)
    const current = toDefinition(existing)
    const { conditions, actions } = await this.checked(body.conditions ?? current.conditions, body.actions ?? current.actions)
    await this.changing(async (trx) => {
      const result = await routingRuleRepository.update(trx, id, {
        ...(body.name && { name: body.name.trim() }),
        ...(body.enabled !== undefined && { enabled: body.enabled ? 1 : 0 }),
        ...(body.conditions && { conditions: JSON.stringify(conditions) }),
        ...(body.actions && { actions: JSON.stringify(actions) }),
        updated_at: this.deps.clock.iso(),
      })
      if (Number(result.numUpdatedRows) === 0) throw AppError.notFound('Routing rule', id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'routing-rule.changed', details: { ruleId: id, fields: Object.keys(body), changes: body } })
    })
    return this.one(id)
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.requireAdmin(actor, 'delete routing rules')
    await this.changing(async (trx) => {
      const existing = await routingRuleRepository.findById(trx, id)
      if (!existing) throw AppError.notFound('Routing rule', id)
      await routingRuleRepository.delete(trx, id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'routing-rule.deleted', details: { ruleId: id, name: existing.name } })
    })
  }

  /** A new order: every rule's id, once. A list that is not the current set of rules (someone changed them meanwhile) is a 409. */
  async reorder(actor: Actor, ids: readonly string[]): Promise<RoutingRule[]> {
    this.requireAdmin(actor, 'reorder routing rules')
    await this.changing(async (trx) => {
      const current = (await routingRuleRepository.list(trx)).map((r) => r.id)
      if (current.length !== ids.length || !current.every((id) => ids.includes(id))) {
        throw AppError.conflict('The order must name every routing rule once; the rules changed meanwhile, load them again.', { field: 'ids' })
      }
      const now = this.deps.clock.iso()
      for (const [i, id] of ids.entries()) await routingRuleRepository.setPosition(trx, id, i + 1, now)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'routing-rules.reordered', details: { ids } })
    })
    return this.listed(this.deps.db)
  }

  /** Which rule a sample ticket would meet first, and what it would set; nothing is written. */
  async test(actor: Actor, body: RoutingTestBody): Promise<RoutingTestResult> {
    this.requireAdmin(actor, 'test routing rules')
    const profile = await this.peers.accounts.routingProfileOf(body.requester)
    const organisationId = body.organisationId !== undefined ? body.organisationId : profile.organisationId
    const language = body.language ?? (profile.language === 'en' ? 'en' : 'nl')
    const outcome = (await this.rules(this.deps.db)).evaluate({
      channel: body.channel,
      mailboxId: body.mailboxId,
      organisationId,
      requesterEmail: body.requester.trim().toLowerCase(),
      language,
      subject: body.subject,
      body: body.body,
    })
    if (!outcome) return { rule: null, sets: {}, organisationId, language }
    const sets = { ...outcome.sets }
    if (sets.groupId) sets.departmentId = (await this.peers.desk.groupById(this.deps.db, sets.groupId))?.department_id ?? sets.departmentId
    return { rule: outcome.rule, sets, organisationId, language }
  }

  private async one(id: string) {
    const rule = (await this.listed(this.deps.db)).find((r) => r.id === id)
    if (!rule) throw AppError.notFound('Routing rule', id)
    return rule
  }

  /** A change of the rules: in one transaction with its audit entry and the event that makes every process compile again. */
  private async changing(change: (trx: Executor) => Promise<void>) {
    try {
      await this.deps.transaction(async (trx) => {
        await change(trx)
        await this.deps.outbox.append(trx, [{ type: 'routing.rules-changed', at: this.deps.clock.iso() }])
      })
    } finally {
      this.invalidate()
    }
  }

  /** Checks what a rule names exists (422 otherwise) and sends a department alone to its entry group. */
  private async checked(conditions: RoutingConditions, actions: RoutingActions) {
    const db = this.deps.db
    if (conditions.organisationIds) {
      const found = await this.peers.organisations.namesByIds(db, conditions.organisationIds)
      if (found.length !== conditions.organisationIds.length) throw unprocessable('An organisation in the conditions does not exist.', 'conditions.organisationIds')
    }
    for (const mailboxId of conditions.mailboxIds ?? []) {
      if (!(await this.peers.mailboxExists(mailboxId))) throw unprocessable('A mailbox in the conditions does not exist.', 'conditions.mailboxIds')
    }
    if (conditions.wordsIn && !conditions.words) throw unprocessable('wordsIn needs words.', 'conditions.wordsIn')
    const resolved: RoutingActions = { ...actions }
    if (actions.groupId) {
      const group = await this.peers.desk.groupById(db, actions.groupId)
      if (!group) throw unprocessable('The group does not exist.', 'actions.groupId')
      if (actions.departmentId && group.department_id !== actions.departmentId) throw unprocessable('The group is not in that department.', 'actions.groupId')
      resolved.departmentId = group.department_id
    } else if (actions.departmentId) {
      if (!(await this.peers.desk.departmentExists(db, actions.departmentId))) throw unprocessable('The department does not exist.', 'actions.departmentId')
      const entry = await this.peers.desk.entryGroupOf(db, actions.departmentId)
      if (!entry) throw unprocessable('The department has no groups to send tickets to.', 'actions.departmentId')
      resolved.groupId = entry.id
    }
    if (resolved.tags) resolved.tags = [...new Set(resolved.tags.map((t) => t.trim()).filter(Boolean))]
    return { conditions, actions: resolved }
  }
}
