import type { Role } from '../../shared/api/accounts.js'
import {
  type Overview, type OverviewBody, type OverviewFilters, QUEUE_COLUMNS, QUEUE_COUNT_CAP, type Queue, type QueueCounts, type QueueScope, type UpdateOverviewBody,
  type Workload,
} from '../../shared/api/queues.js'
import { OPEN_STATUSES, type TicketQuery } from '../../shared/api/tickets.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isAdmin, isStaff } from '../accounts/actor.js'
import type { AuditService } from '../audit/audit.service.js'
import { auditActor } from '../audit/audit.service.js'
import { newId } from '../clock.js'
import type { QueueOverviewTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import type { TicketService } from '../tickets/ticket.service.js'
import { overviewRepository } from './queue.repository.js'

const OPEN = OPEN_STATUSES.join(',')
/** A group's active queue: open work, without the tickets waiting on a third party until their date (they come back then). */
const ACTIVE = OPEN_STATUSES.filter((s) => s !== 'waiting_for_third_party').join(',')
const ALL_COLUMNS = [...QUEUE_COLUMNS]

/** What queues asks the modules that own tickets, people and groups. */
export interface QueuePeers {
  tickets: Pick<TicketService, 'counts' | 'openPerAssignee' | 'list'>
  accounts: Pick<AccountService, 'peopleByIds'>
  desk: Pick<DeskService, 'listGroups'>
  audit: AuditService
}

const parse = <T>(json: string) => JSON.parse(json) as T
const toOverview = (r: QueueOverviewTable): Overview => ({
  id: r.id,
  name: r.name,
  filters: parse<OverviewFilters>(r.filters),
  columns: parse<Overview['columns']>(r.columns),
  sort: r.sort as Overview['sort'],
  roles: parse<Role[]>(r.roles),
  groupIds: parse<string[]>(r.group_ids),
  position: r.position,
})

/**
 * An agent's queues: the built-in ones, one per own group, and the overviews an administrator defined
 * for their role or groups. By default the pick-up list and "all open" hold only the agent's own groups'
 * tickets (a 2nd-line specialist does not see the desk's pick-up list, nor the desk theirs); the scope
 * `all` shows everything they may see. Counts for all of them come in one answer.
 */
export class QueueService {
  constructor(
    private readonly deps: Pick<Deps, 'db' | 'clock' | 'transaction'>,
    private readonly peers: QueuePeers,
  ) {}

  async list(actor: Actor, scope: QueueScope = 'mine'): Promise<{ scope: QueueScope; groupScoped: boolean; items: Queue[] }> {
    if (!isStaff(actor)) throw AppError.forbidden('see the desk’s queues')
    const ownGroups = actor.user.groupIds
    const scoped = scope === 'mine' && ownGroups.length > 0
    const inGroups: TicketQuery = scoped ? { groupIds: ownGroups.join(',') } : {}
    const builtin = (id: string, query: TicketQuery): Queue => ({ id, kind: 'builtin', name: id, query: asStrings(query), columns: ALL_COLUMNS, sort: '-updated_at' })
    const groups = await this.peers.desk.listGroups(actor)
    const shownGroups = scoped ? groups.filter((g) => ownGroups.includes(g.id)) : groups
    const overviews = (await overviewRepository.list(this.deps.db)).map(toOverview).filter((o) => isFor(o, actor))
    return {
      scope,
      groupScoped: ownGroups.length > 0,
      items: [
        builtin('mine', { assigneeId: 'me', status: OPEN }),
        builtin('unassigned', { assigneeId: 'none', status: ACTIVE, ...inGroups }),
        builtin('waiting', { status: 'waiting_for_customer', ...inGroups }),
        builtin('third-party', { status: 'waiting_for_third_party', ...inGroups }),
        builtin('escalated', { escalatedBy: 'me', status: OPEN }),
        builtin('open', { status: OPEN, ...inGroups }),
        builtin('closed', { status: 'resolved,closed', ...inGroups }),
        ...shownGroups.map((g): Queue => ({ id: `group-${g.id}`, kind: 'group', name: g.name, query: { groupId: g.id, status: ACTIVE }, columns: ALL_COLUMNS, sort: '-updated_at' })),
        ...overviews.map((o): Queue => ({ id: `overview-${o.id}`, kind: 'overview', name: o.name, query: asStrings(o.filters), columns: o.columns, sort: o.sort })),
      ],
    }
  }

  /** Every queue's count in one answer: exact up to QUEUE_COUNT_CAP, "more" above it. */
  async counts(actor: Actor, scope: QueueScope = 'mine'): Promise<QueueCounts> {
    const { items } = await this.list(actor, scope)
    // One statement for all of them: one round trip per refresh, whatever the number of queues.
    const counts = await this.peers.tickets.counts(actor, items.map((queue) => queue.query), QUEUE_COUNT_CAP + 1)
    const counted = items.map((queue, i) => ({ id: queue.id, count: Math.min(counts[i], QUEUE_COUNT_CAP), more: counts[i] > QUEUE_COUNT_CAP }))
    return { cap: QUEUE_COUNT_CAP, items: counted }
  }

  /** Per agent, how many open tickets they hold (in these groups when given): for team leads. */
  async workload(actor: Actor, groupIds?: string[]): Promise<Workload> {
    if (!isStaff(actor) || actor.user.role === 'agent') throw AppError.forbidden('see the workload of the desk')
    const rows = await this.peers.tickets.openPerAssignee(actor, groupIds?.length ? groupIds : undefined)
    const people = await this.peers.accounts.peopleByIds(this.deps.db, rows.flatMap((r) => (r.assigneeId ? [r.assigneeId] : [])))
    const nameOf = new Map(people.map((p) => [p.id, p.name]))
    return {
      items: rows
        .filter((r) => r.assigneeId)
        .map((r) => ({ id: r.assigneeId!, name: nameOf.get(r.assigneeId!) ?? '', open: r.open }))
        .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name)),
      unassigned: rows.find((r) => !r.assigneeId)?.open ?? 0,
    }
  }

  // --- overviews (administrators) ------------------------------------------------------------

  async listOverviews(actor: Actor): Promise<Overview[]> {
    if (!isStaff(actor)) throw AppError.forbidden('see overviews')
    const all = (await overviewRepository.list(this.deps.db)).map(toOverview)
    return isAdmin(actor) ? all : all.filter((o) => isFor(o, actor))
  }

  async createOverview(actor: Actor, body: OverviewBody): Promise<Overview> {
    if (!isAdmin(actor)) throw AppError.forbidden('define overviews')
    await this.assertFiltersWork(actor, body.filters)
    const id = newId()
    const now = this.deps.clock.iso()
    await this.deps.transaction(async (trx) => {
      await overviewRepository.insert(trx, {
        id,
        name: body.name.trim(),
        filters: JSON.stringify(body.filters),
        columns: JSON.stringify(body.columns ?? ALL_COLUMNS),
        sort: body.sort ?? '-updated_at',
        roles: JSON.stringify(body.roles ?? []),
        group_ids: JSON.stringify(body.groupIds ?? []),
        position: body.position ?? 0,
        created_at: now,
        updated_at: now,
      })
      await this.peers.audit.record(trx, { actorId: auditActor(actor), action: 'overview.created', details: { overviewId: id, name: body.name.trim() } })
    })
    return toOverview((await overviewRepository.findById(this.deps.db, id))!)
  }

  async updateOverview(actor: Actor, id: string, body: UpdateOverviewBody): Promise<Overview> {
    if (!isAdmin(actor)) throw AppError.forbidden('change overviews')
    if (body.filters) await this.assertFiltersWork(actor, body.filters)
    await this.deps.transaction(async (trx) => {
      if (!(await overviewRepository.findById(trx, id))) throw AppError.notFound('Overview', id)
      await overviewRepository.update(trx, id, {
        ...(body.name !== undefined && { name: body.name.trim() }),
        ...(body.filters && { filters: JSON.stringify(body.filters) }),
        ...(body.columns && { columns: JSON.stringify(body.columns) }),
        ...(body.sort && { sort: body.sort }),
        ...(body.roles && { roles: JSON.stringify(body.roles) }),
        ...(body.groupIds && { group_ids: JSON.stringify(body.groupIds) }),
        ...(body.position !== undefined && { position: body.position }),
        updated_at: this.deps.clock.iso(),
      })
      await this.peers.audit.record(trx, { actorId: auditActor(actor), action: 'overview.changed', details: { overviewId: id, fields: Object.keys(body) } })
    })
    return toOverview((await overviewRepository.findById(this.deps.db, id))!)
  }

  async deleteOverview(actor: Actor, id: string): Promise<void> {
    if (!isAdmin(actor)) throw AppError.forbidden('delete overviews')
    await this.deps.transaction(async (trx) => {
      if ((await overviewRepository.remove(trx, id)) === 0) throw AppError.notFound('Overview', id)
      await this.peers.audit.record(trx, { actorId: auditActor(actor), action: 'overview.deleted', details: { overviewId: id } })
    })
  }

  /** A filter that the ticket list would refuse (an unknown status) is refused when it is saved, not when it is shown. */
  private async assertFiltersWork(actor: Actor, filters: OverviewFilters) {
    await this.peers.tickets.list(actor, { ...filters, limit: 1 })
  }
}

/** Whether an overview is shown to this reader: their role is among its roles, and they are in one of its groups. */
const isFor = (o: Overview, actor: Actor) =>
  (o.roles.length === 0 || o.roles.includes(actor.user.role)) && (o.groupIds.length === 0 || o.groupIds.some((g) => actor.user.groupIds.includes(g)))

const asStrings = (query: object): Record<string, string> =>
  Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => [k, String(v)]))
