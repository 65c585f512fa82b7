import type {
  CreateDepartmentBody, CreateGroupBody, Department, Group, UpdateDepartmentBody, UpdateGroupBody,
} from '../../shared/api/desk.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isAdmin, isStaff } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { AgentGroupTable, DepartmentTable, Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { departmentRepository, groupRepository } from './desk.repository.js'

const toDepartment = (r: DepartmentTable): Department => ({
  id: r.id,
  name: r.name,
  customerReplyAllowed: r.customer_reply_allowed === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

/** Departments and their groups, each group on one line (1st, 2nd or 3rd). */
export class DeskService {
  constructor(
    private readonly deps: Deps,
    /** Remembered tokens carry their user's groups: a change of members must reach the next call. */
    private readonly accounts: Pick<AccountService, 'forgetTokens'>,
  ) {}

  private async toGroups(db: Executor, rows: AgentGroupTable[]): Promise<Group[]> {
    const members = await groupRepository.membersOf(db, rows.map((r) => r.id))
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      departmentId: r.department_id,
      line: r.line as 1 | 2 | 3,
      memberIds: members.get(r.id) ?? [],
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
    await departmentRepository.insert(this.deps.db, {
      id,
      name: body.name.trim(),
      customer_reply_allowed: body.customerReplyAllowed ? 1 : 0,
      created_at: now,
      updated_at: now,
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
    await departmentRepository.update(this.deps.db, id, {
      ...(body.name && { name: body.name.trim() }),
      ...(body.customerReplyAllowed !== undefined && { customer_reply_allowed: body.customerReplyAllowed ? 1 : 0 }),
      updated_at: this.deps.clock.iso(),
    })
    return toDepartment((await departmentRepository.findById(this.deps.db, id))!)
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
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await departmentRepository.findById(trx, body.departmentId))) throw AppError.validation('The department does not exist.', { field: 'departmentId' })
      if (await groupRepository.findByName(trx, body.name.trim())) throw AppError.conflict('A group with this name exists.', { field: 'name' })
      const now = this.deps.clock.iso()
      await groupRepository.insert(trx, { id, name: body.name.trim(), department_id: body.departmentId, line: body.line, created_at: now, updated_at: now })
      if (body.memberIds) await this.setMembers(trx, id, body.memberIds)
    })
    if (body.memberIds) this.accounts.forgetTokens()
    return (await this.toGroups(this.deps.db, [(await groupRepository.findById(this.deps.db, id))!]))[0]
  }

  async updateGroup(actor: Actor, id: string, body: UpdateGroupBody): Promise<Group> {
    if (!isAdmin(actor) && actor.user.role !== 'supervisor') throw AppError.forbidden('change groups')
    await this.deps.db.transaction().execute(async (trx) => {
      const existing = await groupRepository.findById(trx, id)
      if (!existing) throw AppError.notFound('Group', id)
      if (body.departmentId && !(await departmentRepository.findById(trx, body.departmentId))) {
        throw AppError.validation('The department does not exist.', { field: 'departmentId' })
      }
      if (body.name && body.name.trim() !== existing.name && (await groupRepository.findByName(trx, body.name.trim()))) {
        throw AppError.conflict('A group with this name exists.', { field: 'name' })
      }
      await groupRepository.update(trx, id, {
        ...(body.name && { name: body.name.trim() }),
        ...(body.departmentId && { department_id: body.departmentId }),
        ...(body.line && { line: body.line }),
        updated_at: this.deps.clock.iso(),
      })
      if (body.memberIds) await this.setMembers(trx, id, body.memberIds)
    })
    if (body.memberIds) this.accounts.forgetTokens()
    return (await this.toGroups(this.deps.db, [(await groupRepository.findById(this.deps.db, id))!]))[0]
  }

  private async setMembers(db: Executor, groupId: string, memberIds: readonly string[]) {
    const unique = [...new Set(memberIds)]
    const staff = unique.length
      ? await db.selectFrom('app_user').select('id').where('id', 'in', unique).where('role', '!=', 'customer').execute()
      : []
    if (staff.length !== unique.length) throw AppError.validation('Group members must be existing staff users.', { field: 'memberIds' })
    await groupRepository.setMembers(db, groupId, unique)
  }
}
