import { type Expression, type SqlBool, sql } from 'kysely'
import type { CreateTicketFieldBody, TicketField, TicketFieldOption, TicketFieldType, UpdateTicketFieldBody } from '../../shared/api/ticket-fields.js'
import type { CatalogField } from '../../shared/api/catalogue.js'
import type { CustomFieldValue, CustomFieldValues, TicketStatus } from '../../shared/api/tickets.js'
import { TICKET_FIELD_FITS } from '../../shared/catalogue-form.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isAdmin, isStaff } from '../accounts/actor.js'
import type { OrganisationService } from '../accounts/organisation.service.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import { newId } from '../clock.js'
import type { Executor, TicketFieldTable, TicketFieldValueTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import { ticketFieldRepository } from './ticket-field.repository.js'

/** A field definition as the code reads it. */
export interface FieldDef {
  id: string
  key: string
  labelNl: string
  labelEn: string
  type: TicketFieldType
  options: TicketFieldOption[]
  requiredStatuses: TicketStatus[]
  departmentIds: string[]
  visibility: 'internal' | 'public'
  customerEditable: boolean
  position: number
  active: boolean
}

type ValueColumn = 'value_text' | 'value_number' | 'value_date' | 'value_bool' | 'value_ref'
const COLUMN_OF: Record<TicketFieldType, ValueColumn> = {
  text: 'value_text', choice: 'value_text', multi_choice: 'value_text', number: 'value_number', date: 'value_date', yes_no: 'value_bool', customer: 'value_ref', organisation: 'value_ref',
}

/** Who writes values: staff may set any field; a customer only public fields open to them. */
export type FieldWriter = 'staff' | 'customer' | 'system'

/** What a write settles per field: the rows to store (none: emptied). */
export type FieldChanges = Map<FieldDef, Omit<TicketFieldValueTable, 'ticket_id'>[]>

const toDef = (r: TicketFieldTable): FieldDef => ({
  id: r.id,
  key: r.key,
  labelNl: r.label_nl,
  labelEn: r.label_en,
  type: r.type as TicketFieldType,
  options: JSON.parse(r.options) as TicketFieldOption[],
  requiredStatuses: JSON.parse(r.required_statuses) as TicketStatus[],
  departmentIds: JSON.parse(r.department_ids) as string[],
  visibility: r.visibility === 'public' ? 'public' : 'internal',
  customerEditable: r.customer_editable === 1,
  position: r.position,
  active: r.active === 1,
})

const invalid = (key: string, message: string) => new AppError('unprocessable', message, { field: `customFields.${key}` })
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const isDate = (s: string) => {
  const m = DATE.exec(s)
  if (!m) return false
  const d = new Date(`${s}T00:00:00Z`)
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
}

export interface TicketFieldPeers {
  accounts: Pick<AccountService, 'requesterById'>
  organisations: Pick<OrganisationService, 'exists'>
  desk: Pick<DeskService, 'departmentExists'>
}

/**
 * Ticket fields an administrator adds (vrije velden): the definitions (admins, audited), and the values on
 * tickets: checked by type on every write (422 naming the field), stored in typed columns, read per page of
 * tickets, filtered on in queues, and required per status. The definitions are read once and kept until a
 * change anywhere (an outbox event, heard by every process).
 */
export class TicketFieldService {
  private cached: FieldDef[] | undefined
  private generation = 0

  constructor(
    private readonly deps: Deps,
    private readonly peers: TicketFieldPeers,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {
    deps.events.subscribe((event) => {
      if (event.type === 'ticket-fields.changed') this.invalidate()
    })
    deps.events.onResync(() => this.invalidate())
  }

  private invalidate() {
    this.generation++
    this.cached = undefined
  }

  /** Every definition, in order (cached). */
  async definitions(db: Executor = this.deps.db): Promise<FieldDef[]> {
    if (this.cached) return this.cached
    const generation = this.generation
    const defs = (await ticketFieldRepository.list(db)).map(toDef)
    if (generation === this.generation) this.cached = defs
    return defs
  }

  /** What a reader may see: staff all fields, customers the public ones. */
  private visibleTo(actor: Actor, def: FieldDef) {
    return isStaff(actor) || def.visibility === 'public'
  }

  /** The definitions for the API: staff see all (also switched off), customers the public fields in use. */
  async list(actor: Actor): Promise<TicketField[]> {
    const rows = await ticketFieldRepository.list(this.deps.db)
    return rows.filter((r) => isStaff(actor) || (r.active === 1 && r.visibility === 'public')).map((r) => this.toApi(r))
  }

  private toApi(r: TicketFieldTable): TicketField {
    const d = toDef(r)
    return {
      id: d.id, key: d.key, labelNl: d.labelNl, labelEn: d.labelEn, type: d.type, options: d.options, requiredStatuses: d.requiredStatuses,
      departmentIds: d.departmentIds, visibility: d.visibility, customerEditable: d.customerEditable, position: d.position, active: d.active,
      createdAt: r.created_at, updatedAt: r.updated_at,
    }
  }

  private requireAdmin(actor: Actor, what: string) {
    if (!isAdmin(actor)) throw AppError.forbidden(what)
  }

  async create(actor: Actor, body: CreateTicketFieldBody): Promise<TicketField> {
    this.requireAdmin(actor, 'add ticket fields')
    const checked = await this.checkedDefinition(body.type, body)
    const id = newId()
    const now = this.deps.clock.iso()
    await this.changing(async (trx) => {
      if (await ticketFieldRepository.keyTaken(trx, body.key)) throw AppError.conflict(`A ticket field named ${body.key} exists already.`, { field: 'key' })
      await ticketFieldRepository.insert(trx, {
        id,
        key: body.key,
        label_nl: body.labelNl.trim(),
        label_en: body.labelEn.trim(),
        type: body.type,
        options: JSON.stringify(checked.options),
        required_statuses: JSON.stringify(checked.requiredStatuses),
        department_ids: JSON.stringify(checked.departmentIds),
        visibility: checked.visibility,
        customer_editable: checked.customerEditable ? 1 : 0,
        position: (await ticketFieldRepository.lastPosition(trx)) + 1,
        active: body.active === false ? 0 : 1,
        created_at: now,
        updated_at: now,
      })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'ticket-field.created', details: { fieldId: id, key: body.key, type: body.type } })
    })
    return this.one(id)
  }

  async update(actor: Actor, id: string, body: UpdateTicketFieldBody): Promise<TicketField> {
    this.requireAdmin(actor, 'change ticket fields')
    const existing = await ticketFieldRepository.findById(this.deps.db, id)
    if (!existing) throw AppError.notFound('Ticket field', id)
    const current = toDef(existing)
    const checked = await this.checkedDefinition(current.type, {
      options: body.options ?? current.options,
      requiredStatuses: body.requiredStatuses ?? current.requiredStatuses,
      departmentIds: body.departmentIds ?? current.departmentIds,
      visibility: body.visibility ?? current.visibility,
      customerEditable: body.customerEditable ?? current.customerEditable,
    })
    await this.changing(async (trx) => {
      await ticketFieldRepository.update(trx, id, {
        ...(body.labelNl && { label_nl: body.labelNl.trim() }),
        ...(body.labelEn && { label_en: body.labelEn.trim() }),
        options: JSON.stringify(checked.options),
        required_statuses: JSON.stringify(checked.requiredStatuses),
        department_ids: JSON.stringify(checked.departmentIds),
        visibility: checked.visibility,
        customer_editable: checked.customerEditable ? 1 : 0,
        ...(body.position !== undefined && { position: body.position }),
        ...(body.active !== undefined && { active: body.active ? 1 : 0 }),
        updated_at: this.deps.clock.iso(),
      })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'ticket-field.changed', details: { fieldId: id, key: current.key, changes: body } })
    })
    return this.one(id)
  }

  /** Deletes a field and its values; a field in use is switched off instead (409 saying how many tickets hold a value). */
  async remove(actor: Actor, id: string): Promise<void> {
    this.requireAdmin(actor, 'delete ticket fields')
    await this.changing(async (trx) => {
      const existing = await ticketFieldRepository.findById(trx, id)
      if (!existing) throw AppError.notFound('Ticket field', id)
      const values = await ticketFieldRepository.valueCount(trx, id)
      if (values > 0) {
        throw AppError.conflict(`${values} value(s) on tickets still use ${existing.key}; switch the field off (active: false) to keep them.`, { field: 'id', values })
      }
      await ticketFieldRepository.delete(trx, id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'ticket-field.deleted', details: { fieldId: id, key: existing.key } })
    })
  }

  private async one(id: string) {
    const row = await ticketFieldRepository.findById(this.deps.db, id)
    if (!row) throw AppError.notFound('Ticket field', id)
    return this.toApi(row)
  }

  private async changing(change: (trx: Executor) => Promise<void>) {
    try {
      await this.deps.transaction(async (trx) => {
        await change(trx)
        await this.deps.outbox.append(trx, [{ type: 'ticket-fields.changed', at: this.deps.clock.iso() }])
      })
    } finally {
      this.invalidate()
    }
  }

  private async checkedDefinition(
    type: TicketFieldType,
    body: { options?: TicketFieldOption[]; requiredStatuses?: TicketStatus[]; departmentIds?: string[]; visibility?: 'internal' | 'public'; customerEditable?: boolean },
  ) {
    const options = body.options ?? []
    const choice = type === 'choice' || type === 'multi_choice'
    if (choice && options.length === 0) throw new AppError('unprocessable', 'A choice field needs at least one option.', { field: 'options' })
    if (!choice && options.length > 0) throw new AppError('unprocessable', `A ${type} field has no options.`, { field: 'options' })
    if (new Set(options.map((o) => o.value)).size !== options.length) throw new AppError('unprocessable', 'Two options have the same value.', { field: 'options' })
    const departmentIds = body.departmentIds ?? []
    for (const departmentId of departmentIds) {
      if (!(await this.peers.desk.departmentExists(this.deps.db, departmentId))) throw new AppError('unprocessable', `Department ${departmentId} does not exist.`, { field: 'departmentIds' })
    }
    const visibility = body.visibility ?? 'internal'
    const customerEditable = body.customerEditable ?? false
    if (customerEditable && visibility !== 'public') {
      throw new AppError('unprocessable', 'Customers can only fill in a field they can see: make it public first.', { field: 'customerEditable' })
    }
    return { options, requiredStatuses: body.requiredStatuses ?? [], departmentIds, visibility, customerEditable }
  }

  // ---- values ----

  /**
   * Checks values a writer sends against the fields' types (422 naming the field) and whether this writer may
   * set them (403), and turns them into rows. A null, '' or [] empties the field.
   */
  async checkValues(db: Executor, input: CustomFieldValues | undefined, writer: FieldWriter): Promise<FieldChanges> {
    const changes: FieldChanges = new Map()
    if (!input) return changes
    const defs = await this.definitions(db)
    const byKey = new Map(defs.map((d) => [d.key, d]))
    for (const [key, value] of Object.entries(input)) {
      const def = byKey.get(key)
      if (!def || (writer === 'customer' && def.visibility !== 'public')) throw invalid(key, `There is no ticket field ${key}.`)
      if (!def.active) throw invalid(key, `The ticket field ${key} is switched off.`)
      if (writer === 'customer' && !def.customerEditable) throw new AppError('forbidden', `You are not allowed to fill in ${key}.`, { field: `customFields.${key}` })
      changes.set(def, await this.rowsOf(db, def, value))
    }
    return changes
  }

  private async rowsOf(db: Executor, def: FieldDef, value: CustomFieldValue): Promise<Omit<TicketFieldValueTable, 'ticket_id'>[]> {
    const key = def.key
    const row = (column: ValueColumn, v: string | number, position = 0) => ({
      field_id: def.id, position, value_text: null, value_number: null, value_date: null, value_bool: null, value_ref: null, [column]: v,
    })
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return []
    const optionValues = new Set(def.options.map((o) => o.value))
    switch (def.type) {
      case 'text': {
        if (typeof value !== 'string') throw invalid(key, `${key} takes text.`)
        const text = value.trim()
        return text ? [row('value_text', text)] : []
      }
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(key, `${key} takes a number.`)
        return [row('value_number', value)]
      case 'date':
        if (typeof value !== 'string' || !isDate(value)) throw invalid(key, `${key} takes a date as YYYY-MM-DD.`)
        return [row('value_date', value)]
      case 'yes_no':
        if (typeof value !== 'boolean') throw invalid(key, `${key} takes true or false.`)
        return [row('value_bool', value ? 1 : 0)]
      case 'choice':
        if (typeof value !== 'string' || !optionValues.has(value)) throw invalid(key, `${key} takes one of: ${[...optionValues].join(', ')}.`)
        return [row('value_text', value)]
      case 'multi_choice': {
        if (!Array.isArray(value) || value.some((v) => !optionValues.has(v))) throw invalid(key, `${key} takes a list of: ${[...optionValues].join(', ')}.`)
        return [...new Set(value)].map((v, i) => row('value_text', v, i))
      }
      case 'customer': {
        if (typeof value !== 'string') throw invalid(key, `${key} takes a customer's id.`)
        const person = await this.peers.accounts.requesterById(db, value)
        if (!person || person.role !== 'customer') throw invalid(key, `${key}: there is no customer ${value}.`)
        return [row('value_ref', value)]
      }
      case 'organisation':
        if (typeof value !== 'string' || !(await this.peers.organisations.exists(db, value))) throw invalid(key, `${key}: there is no organisation ${String(value)}.`)
        return [row('value_ref', value)]
    }
  }

  /** Writes checked values on a ticket (replacing what each named field held); the history names each changed field. */
  async write(trx: Executor, ticketId: string, changes: FieldChanges): Promise<{ field: string; old: string | null; new: string | null }[]> {
    if (changes.size === 0) return []
    const before = await this.valuesByTicket(trx, [ticketId])
    const changed: { field: string; old: string | null; new: string | null }[] = []
    for (const [def, rows] of changes) {
      const old = before.get(ticketId)?.[def.key] ?? null
      const next = rows.length === 0 ? null : this.valueOf(def, rows)
      if (JSON.stringify(old) === JSON.stringify(next)) continue
      await ticketFieldRepository.replace(trx, ticketId, def.id, rows.map((r) => ({ ...r, ticket_id: ticketId })))
      changed.push({ field: `customFields.${def.key}`, old: historyText(old), new: historyText(next) })
    }
    return changed
  }

  /** The rows a new ticket's writer stores with it. */
  rowsForNewTicket(ticketId: string, changes: FieldChanges): TicketFieldValueTable[] {
    return [...changes.values()].flatMap((rows) => rows.map((r) => ({ ...r, ticket_id: ticketId })))
  }

  private valueOf(def: FieldDef, rows: readonly Omit<TicketFieldValueTable, 'ticket_id'>[]): CustomFieldValue {
    switch (def.type) {
      case 'multi_choice': return rows.map((r) => r.value_text!)
      case 'number': return Number(rows[0].value_number)
      case 'yes_no': return Number(rows[0].value_bool) === 1
      case 'date': return rows[0].value_date
      case 'customer':
      case 'organisation': return rows[0].value_ref
      default: return rows[0].value_text
    }
  }

  /** The values of these tickets, by ticket and key; nothing is read when no field exists. */
  async valuesByTicket(db: Executor, ticketIds: readonly string[]): Promise<Map<string, CustomFieldValues>> {
    const result = new Map<string, CustomFieldValues>()
    const defs = await this.definitions(db)
    if (defs.length === 0 || ticketIds.length === 0) return result
    const byId = new Map(defs.map((d) => [d.id, d]))
    const rows = await ticketFieldRepository.valuesOf(db, ticketIds)
    const grouped = new Map<string, Map<string, TicketFieldValueTable[]>>()
    for (const r of rows) {
      const perTicket = grouped.get(r.ticket_id) ?? new Map<string, TicketFieldValueTable[]>()
      grouped.set(r.ticket_id, perTicket)
      perTicket.set(r.field_id, [...(perTicket.get(r.field_id) ?? []), r])
    }
    for (const [ticketId, perField] of grouped) {
      const values: CustomFieldValues = {}
      for (const [fieldId, fieldRows] of perField) {
        const def = byId.get(fieldId)
        if (def) values[def.key] = this.valueOf(def, fieldRows)
      }
      result.set(ticketId, values)
    }
    return result
  }

  /** A reader's view of a ticket's values: customers see public fields only. */
  async visibleValues(actor: Actor, values: CustomFieldValues): Promise<CustomFieldValues> {
    if (isStaff(actor)) return values
    const publicKeys = new Set((await this.definitions()).filter((d) => d.visibility === 'public' && d.active).map((d) => d.key))
    return Object.fromEntries(Object.entries(values).filter(([k]) => publicKeys.has(k)))
  }

  /**
   * Whether a catalogue form's answer may fill in ticket field `key` (the catalogue editor's "fill ticket
   * field … with this answer"): the field must exist and be switched on, and the answer's kind must fit the
   * field's type; a choice's every option must be one of the field's options (by value or label). Returns
   * what is wrong, or null.
   */
  async mappingProblem(key: string, answer: { type: string; options?: readonly string[] }): Promise<string | null> {
    const def = (await this.definitions()).find((d) => d.key === key)
    if (!def) return `There is no ticket field ${key}.`
    if (!def.active) return `The ticket field ${key} is switched off.`
    if (!(TICKET_FIELD_FITS[def.type] ?? []).includes(answer.type as CatalogField['type'])) return `A ${answer.type} answer cannot fill the ${def.type} field ${key}.`
    if (def.type === 'choice' || def.type === 'multi_choice') {
      const missing = (answer.options ?? []).filter((o) => optionFor(def, o) === undefined)
      if (missing.length > 0) return `${key} has no option ${missing.join(', ')}.`
    }
    return null
  }

  /**
   * The ticket field values a catalogue request's answers fill in (see mappingProblem), checked like any
   * other write; an answer that does not fit (a number field given "about three") is a 422
   * `answer-does-not-fit` problem naming the form's field (`values.<answer key>`) and what it expects.
   */
  async valuesFromAnswers(db: Executor, answers: readonly { answerKey: string; ticketField: string; value: string | boolean }[]): Promise<CustomFieldValues> {
    const defs = new Map((await this.definitions(db)).map((d) => [d.key, d]))
    const values: CustomFieldValues = {}
    for (const { answerKey, ticketField, value } of answers) {
      const def = defs.get(ticketField)
      if (!def || !def.active) continue
      const bad = () => answerDoesNotFit([{ answerKey, expected: def.type === 'number' ? 'number' : 'option' }])
      let v: CustomFieldValue
      switch (def.type) {
        case 'number': {
          const n = Number(String(value).trim().replace(',', '.'))
          if (String(value).trim() === '' || !Number.isFinite(n)) throw bad()
          v = n
          break
        }
        case 'yes_no':
          v = value === true || value === 'true'
          break
        case 'choice':
        case 'multi_choice': {
          const option = optionFor(def, String(value))
          if (option === undefined) throw bad()
          v = def.type === 'choice' ? option : [option]
          break
        }
        default:
          v = String(value).trim()
      }
      values[def.key] = v
    }
    try {
      await this.checkValues(db, values, 'system')
    } catch {
      // The field changed since the item was saved: the customer is told their answers do not fit, never a field's name.
      throw answerDoesNotFit(answers.map((a) => ({ answerKey: a.answerKey, expected: 'other' as const })))
    }
    return values
  }

  /**
   * Refuses a ticket in `status` without a value for a field required in that status (422 naming the
   * first): fields shown for the ticket's department, switched on.
   */
  async assertRequired(db: Executor, status: string, departmentId: string | null, values: CustomFieldValues, writer: FieldWriter = 'staff') {
    const defs = await this.definitions(db)
    for (const def of defs) {
      if (!def.active || !def.requiredStatuses.includes(status as TicketStatus)) continue
      // A customer is asked only for what they may fill in; the desk completes the rest.
      if (writer === 'customer' && !def.customerEditable) continue
      if (def.departmentIds.length > 0 && (!departmentId || !def.departmentIds.includes(departmentId))) continue
      const v = values[def.key]
      if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0)) {
        throw invalid(def.key, `${def.labelEn} (${def.key}) must be filled in before the ticket is ${status.replaceAll('_', ' ')}.`)
      }
    }
  }

  /**
   * The `fields` filter of a ticket query (key:value|value,key2:none) as conditions on the ticket; an
   * unknown field or a value that does not fit its type is a 400 naming it. Customers filter on public fields only.
   */
  async filterOf(actor: Actor, text: string | undefined): Promise<Expression<SqlBool>[] | undefined> {
    if (!text?.trim()) return undefined
    const defs = await this.definitions()
    const conditions: Expression<SqlBool>[] = []
    for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
      const colon = part.indexOf(':')
      const key = colon < 0 ? part : part.slice(0, colon)
      const def = defs.find((d) => d.key === key && this.visibleTo(actor, d))
      if (!def || colon < 0) throw AppError.validation(`fields: ${colon < 0 ? `${part} must be key:value` : `there is no ticket field ${key}`}.`, { field: 'fields' })
      const raw = part.slice(colon + 1).split('|').map((v) => v.trim()).filter(Boolean)
      if (raw.length === 0) throw AppError.validation(`fields: ${key} needs a value.`, { field: 'fields' })
      const column = COLUMN_OF[def.type]
      if (raw.length === 1 && raw[0] === 'none') {
        conditions.push(sql<SqlBool>`ticket.id NOT IN (SELECT ticket_id FROM ticket_field_value WHERE field_id = ${def.id})`)
        continue
      }
      const values = raw.map((v) => filterValue(def, v))
      conditions.push(
        sql<SqlBool>`ticket.id IN (SELECT ticket_id FROM ticket_field_value WHERE field_id = ${def.id} AND ${sql.ref(column)} IN (${sql.join(values)}))`,
      )
    }
    return conditions
  }
}

function filterValue(def: FieldDef, v: string): string | number {
  const bad = (what: string) => AppError.validation(`fields: ${def.key} takes ${what}.`, { field: 'fields' })
  switch (def.type) {
    case 'number': {
      const n = Number(v)
      if (!Number.isFinite(n)) throw bad('a number')
      return n
    }
    case 'yes_no':
      if (v !== 'true' && v !== 'false') throw bad('true or false')
      return v === 'true' ? 1 : 0
    case 'date':
      if (!isDate(v)) throw bad('a date as YYYY-MM-DD')
      return v
    case 'choice':
    case 'multi_choice':
      if (!def.options.some((o) => o.value === v)) throw bad(`one of: ${def.options.map((o) => o.value).join(', ')}`)
      return v
    default:
      return v
  }
}

/** The option of a choice field that a catalogue answer names, by value or by label (any case). */
function optionFor(def: FieldDef, answer: string): string | undefined {
  const a = answer.trim().toLowerCase()
  return def.options.find((o) => o.value.toLowerCase() === a || o.labelNl.toLowerCase() === a || o.labelEn.toLowerCase() === a)?.value
}

/** A value as the history shows it. */
function historyText(value: CustomFieldValue | undefined): string | null {
  if (value === null || value === undefined) return null
  if (Array.isArray(value)) return value.join(', ')
  return String(value)
}

/**
 * A catalogue answer that cannot fill the ticket field it is mapped to: problem type
 * `https://loket.dev/problems/answer-does-not-fit` (422). Each error names the form's field and what the
 * answer must be (`number`, `option`, or `other` when the ticket field changed since the form was made),
 * so the portal says it in the customer's language next to the question; never the ticket field's key.
 */
function answerDoesNotFit(wrong: readonly { answerKey: string; expected: 'number' | 'option' | 'other' }[]): AppError {
  const MESSAGE = { number: 'must be a number', option: 'must be one of the choices', other: 'does not fit this form' } as const
  const errors = wrong.map(({ answerKey, expected }) => ({ field: `values.${answerKey}`, message: MESSAGE[expected], expected }))
  return new AppError('answer_does_not_fit', `An answer does not fit: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, { errors })
}
