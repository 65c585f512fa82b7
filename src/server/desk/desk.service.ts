import type { Selectable } from 'kysely'
import type {
  AssignmentMode, CreateDepartmentBody, CreateGroupBody, Department, Group, UpdateDepartmentBody, UpdateGroupBody,
} from '../../shared/api/desk.js'
import type { AccountService } from '../accounts/account.service.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import { type Actor, isAdmin, isStaff } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { AgentGroupTable, DepartmentTable, Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { SIGNATURE_PLACEHOLDERS, unknownSignaturePlaceholders } from '../../shared/signature.js'
import { AppError } from '../errors.js'
import type { CalendarService } from '../calendars/calendar.service.js'
import { type Availability, availabilityRepository, pickAssignee } from './assignment.js'
import { departmentRepository, groupRepository } from './desk.repository.js'

/** The group a new ticket lands in, with how it assigns its tickets. */
export interface NewTicketGroup {
  id: string
  department_id: string
  assignment: string
}

const toDepartment = (r: Selectable<DepartmentTable>): Department => ({
  id: r.id,
  name: r.name,
  customerReplyAllowed: r.customer_reply_allowed === 1,
  calendarId: r.calendar_id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Refuses a delete while anything points at the thing: 409, naming each kind and how many. */
function assertNothingDepends(what: string, dependants: Record<string, number>) {
  const left = Object.entries(dependants).filter(([, n]) => n > 0)
  if (left.length === 0) return
  throw AppError.conflict(`The ${what} cannot be deleted: ${left.map(([kind, n]) => `${n} ${kind}`).join(', ')} still depend on it.`, {
    dependants: Object.fromEntries(left),
  })
}

/** Departments and their groups, each group on one line (1st, 2nd or 3rd). */
export class DeskService {
  constructor(
    private readonly deps: Deps,
    /** Remembered tokens carry their user's groups: a change of members must reach the next call. */
    private readonly accounts: Pick<AccountService, 'forgetTokens'>,
    private readonly audit: Pick<AuditService, 'record'>,
    private readonly calendars?: Pick<CalendarService, 'exists'>,
  ) {}

  /** Set by createServices: the due times of open handoffs in these groups (null: all) are computed again after a change of calendar or targets. */
  onHandoffSettingsChanged: (groupIds: string[] | null) => Promise<void> = async () => {}

  private async assertCalendar(db: Executor, calendarId: string | null | undefined) {
    if (calendarId && this.calendars && !(await this.calendars.exists(db, calendarId))) {
      throw new AppError('unprocessable', 'The calendar does not exist.', { field: 'calendarId' })
    }
  }

  /** The members a group gains and loses: each is told (access-changed) and it is recorded under their name. */
  private async membersChanged(change: { added: string[]; removed: string[] }) {
    this.accounts.forgetTokens()
    const users = [...change.added, ...change.removed]
    await this.deps.events.publishAll(users.map((userId) => ({ type: 'account.access-changed' as const, userId })))
  }

  private async recordMembers(db: Executor, actor: Actor, group: { id: string; name: string }, change: { added: string[]; removed: string[] }) {
    for (const userId of change.added) {
      await this.audit.record(db, { actorId: auditActor(actor), action: 'user.groups-changed', subjectUserId: userId, details: { added: [group.id], removed: [], group: group.name } })
    }
    for (const userId of change.removed) {
      await this.audit.record(db, { actorId: auditActor(actor), action: 'user.groups-changed', subjectUserId: userId, details: { added: [], removed: [group.id], group: group.name } })
    }
  }

  private async toGroups(db: Executor, rows: Selectable<AgentGroupTable>[]): Promise<Group[]> {
    const members = await groupRepository.membersOf(db, rows.map((r) => r.id))
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      departmentId: r.department_id,
      line: r.line as 1 | 2 | 3,
      memberIds: members.get(r.id) ?? [],
      calendarId: r.calendar_id,
      pickupTargetMinutes: r.pickup_target_minutes,
      returnTargetMinutes: r.return_target_minutes,
      assignment: r.assignment as AssignmentMode,
      signatureTemplate: r.signature_template,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }))
  }

  async listDepartments(actor: Actor) {
    if (!isStaff(actor)) throw AppError.forbidden('list departments')
    return (await departmentRepository.list(this.deps.db)).map(toDepartment)
  }

  async createDepartment(actor: Actor, body: CreateDepartmentBody): Promise<Department> {
    if (!isAdmin(actor)) throw AppError.forbidden('create departments')
    if (await departmentRepository.findByName(this.deps.db, body.name.trim())) throw AppError.conflict('A department with this name exists.', { field: 'name' })
    const now = this.deps.clock.iso()
    const id = newId()
    await this.deps.transaction(async (trx) => {
      await departmentRepository.insert(trx, {
        id,
        name: body.name.trim(),
        customer_reply_allowed: body.customerReplyAllowed ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'department.created',
        details: { departmentId: id, name: body.name.trim(), customerReplyAllowed: !!body.customerReplyAllowed },
      })
    })
    return toDepartment((await departmentRepository.findById(this.deps.db, id))!)
  }

  async updateDepartment(actor: Actor, id: string, body: UpdateDepartmentBody): Promise<Department> {
    if (!isAdmin(actor)) throw AppError.forbidden('change departments')
    const existing = await departmentRepository.findById(this.deps.db, id)
    if (!existing) throw AppError.notFound('Department', id)
    if (body.name && body.name.trim() !== existing.name && (await departmentRepository.findByName(this.deps.db, body.name.trim()))) {
      throw AppError.conflict('A department with this name exists.', { field: 'name' })
    }
    await this.deps.transaction(async (trx) => {
      await this.assertCalendar(trx, body.calendarId)
      await departmentRepository.update(trx, id, {
        ...(body.name && { name: body.name.trim() }),
        ...(body.customerReplyAllowed !== undefined && { customer_reply_allowed: body.customerReplyAllowed ? 1 : 0 }),
        ...(body.calendarId !== undefined && { calendar_id: body.calendarId }),
        updated_at: this.deps.clock.iso(),
      })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'department.changed', details: { departmentId: id, fields: Object.keys(body), changes: body } })
    })
    if (body.calendarId !== undefined && body.calendarId !== existing.calendar_id) {
      await this.onHandoffSettingsChanged((await groupRepository.list(this.deps.db)).filter((g) => g.department_id === id).map((g) => g.id))
    }
    return toDepartment((await departmentRepository.findById(this.deps.db, id))!)
  }

  /** Only a department nothing depends on; otherwise 409 with what depends on it (`dependants`). */
  async deleteDepartment(actor: Actor, id: string): Promise<void> {
    if (!isAdmin(actor)) throw AppError.forbidden('delete departments')
    await this.deps.transaction(async (trx) => {
      const existing = await departmentRepository.findById(trx, id)
      if (!existing) throw AppError.notFound('Department', id)
      assertNothingDepends('department', await departmentRepository.dependants(trx, id))
      await departmentRepository.remove(trx, id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'department.deleted', details: { departmentId: id, name: existing.name } })
    })
  }

  async listGroups(actor: Actor) {
    if (!isStaff(actor)) throw AppError.forbidden('list groups')
    return this.toGroups(this.deps.db, await groupRepository.list(this.deps.db))
  }

  async getGroup(id: string) {
    return groupRepository.findById(this.deps.db, id)
  }

  async createGroup(actor: Actor, body: CreateGroupBody): Promise<Group> {
    if (!isAdmin(actor)) throw AppError.forbidden('create groups')
    const id = newId()
    const added = await this.deps.db.transaction().execute(async (trx) => {
      if (!(await departmentRepository.findById(trx, body.departmentId))) throw AppError.validation('The department does not exist.', { field: 'departmentId' })
      if (await groupRepository.findByName(trx, body.name.trim())) throw AppError.conflict('A group with this name exists.', { field: 'name' })
      const now = this.deps.clock.iso()
      await groupRepository.insert(trx, { id, name: body.name.trim(), department_id: body.departmentId, line: body.line, signature_template: checkedSignature(body.signatureTemplate) ?? '', created_at: now, updated_at: now })
      const added = body.memberIds ? await this.setMembers(trx, id, body.memberIds) : []
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'group.created',
        details: { groupId: id, name: body.name.trim(), departmentId: body.departmentId, line: body.line },
      })
      await this.recordMembers(trx, actor, { id, name: body.name.trim() }, { added, removed: [] })
      return added
    })
    this.forgetGroups()
    if (added.length) await this.membersChanged({ added, removed: [] })
    return (await this.toGroups(this.deps.db, [(await groupRepository.findById(this.deps.db, id))!]))[0]
  }

  async updateGroup(actor: Actor, id: string, body: UpdateGroupBody): Promise<Group> {
    if (!isAdmin(actor) && actor.user.role !== 'supervisor') throw AppError.forbidden('change groups')
    // A team lead staffs their groups; where a group sits (its department and line) and its name are the administrator's.
    if (!isAdmin(actor) && Object.keys(body).some((k) => k !== 'memberIds')) throw AppError.forbidden("change a group's name, department or line")
    const change = await this.deps.db.transaction().execute(async (trx) => {
      const existing = await groupRepository.findById(trx, id)
      if (!existing) throw AppError.notFound('Group', id)
      if (body.departmentId && !(await departmentRepository.findById(trx, body.departmentId))) {
        throw AppError.validation('The department does not exist.', { field: 'departmentId' })
      }
      if (body.name && body.name.trim() !== existing.name && (await groupRepository.findByName(trx, body.name.trim()))) {
        throw AppError.conflict('A group with this name exists.', { field: 'name' })
      }
      await this.assertCalendar(trx, body.calendarId)
      await groupRepository.update(trx, id, {
        ...(body.name && { name: body.name.trim() }),
        ...(body.departmentId && { department_id: body.departmentId }),
        ...(body.line && { line: body.line }),
        ...(body.calendarId !== undefined && { calendar_id: body.calendarId }),
        ...(body.pickupTargetMinutes !== undefined && { pickup_target_minutes: body.pickupTargetMinutes }),
        ...(body.returnTargetMinutes !== undefined && { return_target_minutes: body.returnTargetMinutes }),
        ...(body.assignment !== undefined && { assignment: body.assignment }),
        ...(body.signatureTemplate !== undefined && { signature_template: checkedSignature(body.signatureTemplate) }),
        updated_at: this.deps.clock.iso(),
      })
      const { memberIds, ...settings } = body
      if (Object.keys(settings).length) {
        await this.audit.record(trx, { actorId: auditActor(actor), action: 'group.changed', details: { groupId: id, fields: Object.keys(settings), changes: settings } })
      }
      if (!memberIds) return { added: [], removed: [] }
      const before = (await groupRepository.membersOf(trx, [id])).get(id) ?? []
      const after = await this.setMembers(trx, id, memberIds)
      const change = { added: after.filter((u) => !before.includes(u)), removed: before.filter((u) => !after.includes(u)) }
      await this.recordMembers(trx, actor, { id, name: body.name?.trim() ?? existing.name }, change)
      return change
    })
    this.forgetGroups()
    if (change.added.length || change.removed.length) await this.membersChanged(change)
    if (['calendarId', 'pickupTargetMinutes', 'returnTargetMinutes', 'departmentId'].some((k) => k in body)) await this.onHandoffSettingsChanged([id])
    return (await this.toGroups(this.deps.db, [(await groupRepository.findById(this.deps.db, id))!]))[0]
  }

  /** Only a group nothing depends on (no tickets, members, templates or mailboxes); otherwise 409 naming them. */
  async deleteGroup(actor: Actor, id: string): Promise<void> {
    if (!isAdmin(actor)) throw AppError.forbidden('delete groups')
    await this.deps.transaction(async (trx) => {
      const existing = await groupRepository.findById(trx, id)
      if (!existing) throw AppError.notFound('Group', id)
      assertNothingDepends('group', await groupRepository.dependants(trx, id))
      await groupRepository.remove(trx, id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'group.deleted', details: { groupId: id, name: existing.name } })
    })
    this.forgetGroups()
  }

  /**
   * The group a new ticket goes to: the one asked for (which must exist), or the service desk, the first
   * 1st-line group. Asked on every new ticket (a routing rule names a group on many), so both are
   * remembered until a group changes in this process, and for ten seconds at most, for changes by other processes.
   */
  async groupForNewTicket(db: Executor, groupId?: string): Promise<NewTicketGroup | undefined> {
    const now = Date.now()
    if (groupId) {
      const seen = this.groupsAsked.get(groupId)
      if (seen && seen.until > now) return seen.group
      const found = await groupRepository.findById(db, groupId)
      if (!found) throw AppError.validation('The group does not exist.', { field: 'groupId' })
      const group = { id: found.id, department_id: found.department_id, assignment: found.assignment }
      this.groupsAsked.set(groupId, { group, until: now + 10_000 })
      return group
    }
    if (this.serviceDesk && this.serviceDesk.until > now) return this.serviceDesk.group
    const group = await groupRepository.firstOfLine(db, 1)
    this.serviceDesk = { group, until: now + 10_000 }
    return group
  }
  private readonly groupsAsked = new Map<string, { group: NewTicketGroup; until: number }>()
  private forgetGroups() {
    this.serviceDesk = undefined
    this.groupsAsked.clear()
  }
  private serviceDesk: { group: NewTicketGroup | undefined; until: number } | undefined

  /** Who a ticket landing in this group goes to by the group's assignment rule (desk/assignment.ts); null: nobody. */
  assigneeFor(db: Executor, group: { id: string; assignment: string }): Promise<string | null> {
    return pickAssignee(db, group)
  }

  /** An agent's availability for assignment: their own, or anyone's for a team lead or administrator. */
  async availability(actor: Actor, userId: string): Promise<Availability> {
    this.assertMayReadAvailability(actor, userId)
    return availabilityRepository.of(this.deps.db, userId)
  }

  /**
   * Beschikbaar or afwezig (an agent switches their own), and the limit of open tickets assignment gives
   * them (set by a team lead or administrator). Only staff have it.
   */
  async setAvailability(actor: Actor, userId: string, body: { available?: boolean; openTicketLimit?: number | null }): Promise<Availability> {
    this.assertMayReadAvailability(actor, userId)
    const lead = actor.user.role === 'admin' || actor.user.role === 'supervisor'
    if (userId !== actor.user.id && !lead) throw AppError.forbidden("change a colleague's availability")
    if (body.openTicketLimit !== undefined && !lead) throw AppError.forbidden('set a limit of open tickets (team leads and administrators do)')
    const staff = await this.deps.db.selectFrom('app_user').select('id').where('id', '=', userId).where('role', '!=', 'customer').executeTakeFirst()
    if (!staff) throw AppError.notFound('Staff member', userId)
    return this.deps.transaction(async (trx) => {
      const now = await availabilityRepository.of(trx, userId)
      const next = { available: body.available ?? now.available, openTicketLimit: body.openTicketLimit === undefined ? now.openTicketLimit : body.openTicketLimit }
      await availabilityRepository.save(trx, userId, next, this.deps.clock.iso())
      if (next.openTicketLimit !== now.openTicketLimit) {
        await this.audit.record(trx, { actorId: auditActor(actor), action: 'availability.changed', subjectUserId: userId, details: { openTicketLimit: next.openTicketLimit } })
      }
      return next
    })
  }

  private assertMayReadAvailability(actor: Actor, userId: string) {
    if (!isStaff(actor)) throw AppError.forbidden('see availability')
    if (userId !== actor.user.id && actor.user.role !== 'admin' && actor.user.role !== 'supervisor') throw AppError.forbidden("see a colleague's availability")
  }

  /** A group by id, for a ticket moved to it. */
  groupById(db: Executor, id: string) {
    return groupRepository.findById(db, id)
  }

  /** Where a ticket sent to a department goes: its group on the lowest line (the oldest of those); none when it has no groups. */
  entryGroupOf(db: Executor, departmentId: string) {
    return groupRepository.entryOfDepartment(db, departmentId)
  }

  /** A group a ticket is escalated to or returned from: its line, department (with name) and member count. */
  async groupForHandoff(db: Executor, id: string) {
    const row = await groupRepository.findForHandoff(db, id)
    return row && { ...row, line: Number(row.line), member_count: Number(row.member_count ?? 0) }
  }

  /** The service desk: the first 1st-line group, where a ticket returns when its coordinator is gone. */
  serviceDeskGroup(db: Executor) {
    return groupRepository.firstOfLine(db, 1)
  }

  /** The members of one group, by id (who hears of a ticket escalated to it). */
  async memberIdsOf(db: Executor, groupId: string): Promise<string[]> {
    return (await groupRepository.membersOf(db, [groupId])).get(groupId) ?? []
  }

  /**
   * What the handoff clock of each group needs: its targets and its calendar (the group's own, else its
   * department's; null: the default calendar).
   */
  async handoffSettingsOf(db: Executor, groupIds: readonly string[] | null) {
    const rows = await groupRepository.handoffSettings(db, groupIds)
    return new Map(rows.map((r) => [r.id, {
      calendarId: r.calendar_id ?? r.department_calendar_id ?? null,
      pickupTargetMinutes: r.pickup_target_minutes === null ? null : Number(r.pickup_target_minutes),
      returnTargetMinutes: r.return_target_minutes === null ? null : Number(r.return_target_minutes),
    }]))
  }

  /** The team leads of a department (supervisors in one of its groups): who hears of its overdue handoffs. */
  teamLeadIdsOf(db: Executor, departmentId: string) {
    return groupRepository.teamLeadsOfDepartment(db, departmentId)
  }

  /** Groups of the departments this user has a group in (a team lead's reach for overdue handoffs). */
  groupIdsOfDepartmentsOf(db: Executor, userId: string) {
    return groupRepository.groupIdsOfDepartmentsOfMember(db, userId)
  }

  groupIdsOf(db: Executor, userId: string) {
    return groupRepository.groupIdsOfMember(db, userId)
  }

  async departmentExists(db: Executor, id: string) {
    return !!(await departmentRepository.findById(db, id))
  }

  /** The lines of the groups a user is in, and whether each one's department may answer customers. */
  async linesOf(db: Executor, userId: string) {
    const rows = await groupRepository.linesOfMember(db, userId)
    return rows.map((r) => ({ line: r.line, customerReplyAllowed: r.customer_reply_allowed === 1 }))
  }

  private async setMembers(db: Executor, groupId: string, memberIds: readonly string[]) {
    const unique = [...new Set(memberIds)]
    const staff = unique.length
      ? await db.selectFrom('app_user').select('id').where('id', 'in', unique).where('role', '!=', 'customer').execute()
      : []
    if (staff.length !== unique.length) throw AppError.validation('Group members must be existing staff users.', { field: 'memberIds' })
    await groupRepository.setMembers(db, groupId, unique)
    return unique
  }
}

/** A group's signature template as stored: trimmed, and only with known placeholders (422 naming the first other). */
function checkedSignature(template: string | undefined): string | undefined {
  if (template === undefined) return undefined
  const unknown = unknownSignaturePlaceholders(template)
  if (unknown.length > 0) {
    throw new AppError('unprocessable', `A signature knows no placeholder {{${unknown[0]}}}; use ${SIGNATURE_PLACEHOLDERS.map(([nl]) => `{{${nl}}}`).join(', ')}.`, { field: 'signatureTemplate' })
  }
  return template.trim()
}
