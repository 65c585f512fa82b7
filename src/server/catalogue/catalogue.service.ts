import type {
  CatalogAnswer,
  CatalogCategory,
  CatalogCategoryBody,
  CatalogField,
  CatalogItem,
  CatalogItemBody,
  CatalogItemQuery,
  CatalogRequest,
  CatalogRequestBody,
} from '../../shared/api/catalogue.js'
import { formProblems, visibleFields } from '../../shared/catalogue-form.js'
import { type Actor, isAdmin, isCustomer, isStaff, recordedUserId } from '../accounts/actor.js'
import type { AuditService } from '../audit/audit.service.js'
import { newId } from '../clock.js'
import type { CatalogCategoryTable, CatalogItemTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import type { TicketFieldService } from '../fields/ticket-field.service.js'
import type { TicketService } from '../tickets/ticket.service.js'
import { categoryRepository, itemRepository, requestRepository } from './catalogue.repository.js'
import { requestTableHtml } from './request-table.js'

const toCategory = (row: CatalogCategoryTable): CatalogCategory => ({ id: row.id, name: row.name, description: row.description, position: row.position })

/**
 * The service catalogue: a few clear request types, each with its own form, routed to a group; a request
 * becomes a ticket through the one OpenTicket command (tickets.openRequest), with its answers as a table
 * and the item's fulfilment steps to tick off.
 */
export class CatalogueService {
  constructor(
    private readonly deps: Deps,
    private readonly tickets: Pick<TicketService, 'openRequest' | 'get'>,
    private readonly desk: Pick<DeskService, 'groupById'>,
    private readonly audit: Pick<AuditService, 'record'>,
    private readonly fields: Pick<TicketFieldService, 'mappingProblem' | 'valuesFromAnswers'>,
  ) {}

  // --- categories --------------------------------------------------------------------------------

  async listCategories(): Promise<CatalogCategory[]> {
    return (await categoryRepository.list(this.deps.db)).map(toCategory)
  }

  async createCategory(actor: Actor, body: CatalogCategoryBody): Promise<CatalogCategory> {
    this.assertAdmin(actor)
    const name = body.name.trim()
    if (!name) throw AppError.validation('A category needs a name.', { field: 'name' })
    if (await categoryRepository.findByName(this.deps.db, name)) throw AppError.conflict('A category with this name exists.', { field: 'name' })
    const row: CatalogCategoryTable = { id: newId(), name, description: body.description?.trim() ?? '', position: body.position ?? 0, created_at: this.deps.clock.iso() }
    await this.deps.transaction(async (trx) => {
      await categoryRepository.insert(trx, row)
      await this.audit.record(trx, { actorId: recordedUserId(actor), action: 'catalogue.category_created', details: { categoryId: row.id, name } })
    })
    return toCategory(row)
  }

  async updateCategory(actor: Actor, id: string, body: CatalogCategoryBody): Promise<CatalogCategory> {
    this.assertAdmin(actor)
    const current = await categoryRepository.findById(this.deps.db, id)
    if (!current) throw AppError.notFound('Category', id)
    const name = body.name.trim()
    if (!name) throw AppError.validation('A category needs a name.', { field: 'name' })
    const clash = await categoryRepository.findByName(this.deps.db, name)
    if (clash && clash.id !== id) throw AppError.conflict('A category with this name exists.', { field: 'name' })
    const next = { ...current, name, description: body.description?.trim() ?? current.description, position: body.position ?? current.position }
    await this.deps.transaction(async (trx) => {
      await categoryRepository.update(trx, id, { name: next.name, description: next.description, position: next.position })
      await this.audit.record(trx, { actorId: recordedUserId(actor), action: 'catalogue.category_changed', details: { categoryId: id, name } })
    })
    return toCategory(next)
  }

  // --- items -------------------------------------------------------------------------------------

  /** Customers see the active items and their forms; staff also the routing, the steps and the misfit count. */
  async listItems(actor: Actor, query: CatalogItemQuery): Promise<CatalogItem[]> {
    const staff = isStaff(actor)
    const rows = await itemRepository.list(this.deps.db, { categoryId: query.categoryId, activeOnly: !(staff && query.includeInactive) })
    return this.toItems(actor, rows)
  }

  async getItem(actor: Actor, id: string): Promise<CatalogItem> {
    const row = await itemRepository.findById(this.deps.db, id)
    if (!row || (!row.active && !isStaff(actor))) throw AppError.notFound('Catalogue item', id)
    return (await this.toItems(actor, [row]))[0]
  }

  async createItem(actor: Actor, body: CatalogItemBody): Promise<CatalogItem> {
    this.assertAdmin(actor)
    await this.checkItem(body)
    const now = this.deps.clock.iso()
    const row: CatalogItemTable = {
      id: newId(),
      category_id: body.categoryId,
      title: body.title.trim(),
      description: body.description?.trim() ?? '',
      group_id: body.groupId,
      fields: JSON.stringify(body.fields),
      steps: JSON.stringify(body.steps ?? []),
      active: body.active === false ? 0 : 1,
      position: body.position ?? 0,
      created_at: now,
      updated_at: now,
    }
    await this.deps.transaction(async (trx) => {
      await itemRepository.insert(trx, row)
      await this.audit.record(trx, { actorId: recordedUserId(actor), action: 'catalogue.item_created', details: { itemId: row.id, title: row.title } })
    })
    return (await this.toItems(actor, [row]))[0]
  }

  async updateItem(actor: Actor, id: string, body: CatalogItemBody): Promise<CatalogItem> {
    this.assertAdmin(actor)
    const current = await itemRepository.findById(this.deps.db, id)
    if (!current) throw AppError.notFound('Catalogue item', id)
    await this.checkItem(body)
    const patch: Partial<CatalogItemTable> = {
      category_id: body.categoryId,
      title: body.title.trim(),
      description: body.description?.trim() ?? '',
      group_id: body.groupId,
      fields: JSON.stringify(body.fields),
      steps: JSON.stringify(body.steps ?? []),
      active: body.active === false ? 0 : 1,
      position: body.position ?? current.position,
      updated_at: this.deps.clock.iso(),
    }
    await this.deps.transaction(async (trx) => {
      await itemRepository.update(trx, id, patch)
      await this.audit.record(trx, { actorId: recordedUserId(actor), action: 'catalogue.item_changed', details: { itemId: id, title: patch.title, active: patch.active === 1 } })
    })
    return (await this.toItems(actor, [{ ...current, ...patch }]))[0]
  }

  /** A customer says the item did not fit their question: counted for the administrators. */
  async reportMisfit(actor: Actor, itemId: string): Promise<void> {
    if (!isCustomer(actor)) throw AppError.forbidden('report a catalogue choice (customers only)')
    await this.getItem(actor, itemId)
    await itemRepository.insertMisfit(this.deps.db, { id: newId(), item_id: itemId, user_id: actor.user.id, created_at: this.deps.clock.iso() })
  }

  // --- requests ----------------------------------------------------------------------------------

  /** A customer's request from an item: its answers checked, a ticket opened through OpenTicket, the steps set out. */
  async request(actor: Actor, itemId: string, body: CatalogRequestBody): Promise<{ id: string; number: string }> {
    if (!isCustomer(actor)) throw AppError.forbidden('make a catalogue request (customers only; staff open a ticket)')
    const item = await itemRepository.findById(this.deps.db, itemId)
    if (!item || !item.active) throw AppError.notFound('Catalogue item', itemId)
    const fields = JSON.parse(item.fields) as CatalogField[]
    const known = new Set(fields.map((f) => f.key))
    const unknown = Object.keys(body.values).filter((k) => !known.has(k))
    if (unknown.length > 0) throw AppError.validation(`This form has no field ${unknown.join(', ')}.`, { errors: unknown.map((field) => ({ field: `values.${field}`, message: 'unknown field' })) })
    const problems = formProblems(fields, body.values)
    if (problems.length > 0) {
      throw AppError.validation('Some answers are missing or not valid.', { errors: problems.map((p) => ({ field: `values.${p.key}`, message: p.problem })) })
    }
    const given = visibleFields(fields, body.values).filter((f) => body.values[f.key] !== undefined && body.values[f.key] !== '')
    const answers: CatalogAnswer[] = given.map((f) => ({ key: f.key, label: f.label, type: f.type, value: String(body.values[f.key]).trim() }))
    // Answers the administrator mapped to ticket fields fill those in (a yes/no left unticked is a "no").
    const mapped = fields
      .filter((f) => f.ticketField && f.type !== 'file' && (given.includes(f) || (f.type === 'yesno' && visibleFields(fields, body.values).includes(f))))
      .map((f) => ({ answerKey: f.key, ticketField: f.ticketField!, value: body.values[f.key] ?? false }))
    const customFields = mapped.length > 0 ? await this.fields.valuesFromAnswers(this.deps.db, mapped) : undefined
    const opened = await this.tickets.openRequest(actor, {
      subject: item.title,
      html: requestTableHtml(item.title, answers, actor.user.language),
      groupId: item.group_id,
      metadata: { catalogItemId: item.id },
      customFields,
    })
    const steps = (JSON.parse(item.steps) as string[]).map((title, position) => ({ ticket_id: opened.id, position, title, done_at: null, done_by: null }))
    await requestRepository.insert(this.deps.db, { ticket_id: opened.id, item_id: item.id, item_title: item.title, answers: JSON.stringify(answers), created_at: this.deps.clock.iso() }, steps)
    return opened
  }

  /** The request behind a ticket, for whoever may see the ticket; customers without the back office's steps. */
  async requestOf(actor: Actor, ticketId: string): Promise<CatalogRequest> {
    await this.tickets.get(actor, ticketId)
    const row = await requestRepository.find(this.deps.db, ticketId)
    if (!row) throw AppError.notFound('Catalogue request for ticket', ticketId)
    const steps = isStaff(actor) ? await requestRepository.steps(this.deps.db, ticketId) : []
    return {
      ticketId,
      itemId: row.item_id,
      itemTitle: row.item_title,
      answers: JSON.parse(row.answers) as CatalogAnswer[],
      steps: steps.map((s) => ({ position: s.position, title: s.title, doneAt: s.done_at, doneBy: s.done_by })),
      createdAt: row.created_at,
    }
  }

  /** Ticks a fulfilment step off (or on again): staff who may see the ticket. */
  async setStep(actor: Actor, ticketId: string, position: number, done: boolean): Promise<CatalogRequest> {
    if (!isStaff(actor)) {
      await this.tickets.get(actor, ticketId)
      throw AppError.forbidden('tick off fulfilment steps')
    }
    await this.tickets.get(actor, ticketId)
    const result = await requestRepository.setStep(this.deps.db, ticketId, position, done ? this.deps.clock.iso() : null, done ? actor.user.name : null)
    if (Number(result.numUpdatedRows) === 0) throw AppError.notFound('Fulfilment step', `${ticketId}/${position}`)
    return this.requestOf(actor, ticketId)
  }

  // --- helpers -----------------------------------------------------------------------------------

  private assertAdmin(actor: Actor) {
    if (!isAdmin(actor)) throw AppError.forbidden('change the service catalogue')
  }

  /** The form must make sense: unique keys, options for a choice, a condition on an earlier field; the category and group must exist. */
  private async checkItem(body: CatalogItemBody) {
    if (!body.title.trim()) throw AppError.validation('An item needs a title.', { field: 'title' })
    if (!(await categoryRepository.findById(this.deps.db, body.categoryId))) throw AppError.validation('The category does not exist.', { field: 'categoryId' })
    if (!(await this.desk.groupById(this.deps.db, body.groupId))) throw AppError.validation('The group does not exist.', { field: 'groupId' })
    const seen = new Map<string, CatalogField>()
    body.fields.forEach((field, i) => {
      const at = `fields/${i}`
      if (seen.has(field.key)) throw AppError.validation(`Two fields have the key ${field.key}.`, { field: `${at}/key` })
      if (field.type === 'choice' && !(field.options && field.options.length > 0)) throw AppError.validation('A choice field needs options.', { field: `${at}/options` })
      if (field.type !== 'choice' && field.options) throw AppError.validation('Only a choice field has options.', { field: `${at}/options` })
      if (field.showWhen) {
        const other = seen.get(field.showWhen.field)
        if (!other) throw AppError.validation('A field can depend only on an earlier field.', { field: `${at}/showWhen` })
        if (other.type === 'file') throw AppError.validation('A field cannot depend on a file field.', { field: `${at}/showWhen` })
      }
      seen.set(field.key, field)
    })
    const mappedTo = new Set<string>()
    for (const [i, field] of body.fields.entries()) {
      if (!field.ticketField) continue
      const at = `fields/${i}/ticketField`
      if (mappedTo.has(field.ticketField)) throw AppError.validation(`Two answers fill the ticket field ${field.ticketField}.`, { field: at })
      mappedTo.add(field.ticketField)
      const problem = await this.fields.mappingProblem(field.ticketField, field)
      if (problem) throw new AppError('unprocessable', problem, { field: at })
    }
  }

  private async toItems(actor: Actor, rows: CatalogItemTable[]): Promise<CatalogItem[]> {
    const staff = isStaff(actor)
    const misfits = staff ? await itemRepository.misfitCounts(this.deps.db, rows.map((r) => r.id)) : new Map<string, number>()
    const groups = new Map<string, string | null>()
    for (const groupId of new Set(rows.map((r) => r.group_id))) groups.set(groupId, (await this.desk.groupById(this.deps.db, groupId))?.department_id ?? null)
    return rows.map((row) => ({
      id: row.id,
      categoryId: row.category_id,
      title: row.title,
      description: row.description,
      groupId: row.group_id,
      departmentId: groups.get(row.group_id) ?? null,
      // Which ticket fields the answers fill in is the desk's business: customers get the form without it.
      fields: staff ? (JSON.parse(row.fields) as CatalogField[]) : (JSON.parse(row.fields) as CatalogField[]).map(({ ticketField: _, ...f }) => f),
      steps: staff ? (JSON.parse(row.steps) as string[]) : [],
      active: row.active === 1,
      position: row.position,
      ...(staff && { misfits: misfits.get(row.id) ?? 0 }),
      updatedAt: row.updated_at,
    }))
  }
}
