import type { Language } from '../../shared/api/accounts.js'
import type { Channel } from '../../shared/api/tickets.js'
import type {
  CreateTemplateBody, RenderedTemplate, RenderTemplateBody, Template, TemplateChannel, TemplateQuery, TemplateScope, TemplateVariant, UpdateTemplateBody,
} from '../../shared/api/templates.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { Executor, TemplateTable } from '../db/schema.js'
import { foldText, searchTerms } from '../db/text-search.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import { knowledgeIndex, type KnowledgeIndex } from '../knowledge/knowledge-search.js'
import { knowledgeUseRepository } from '../knowledge/knowledge-use.repository.js'
import type { TicketService } from '../tickets/ticket.service.js'
import { checkTemplateText, firstNameOf, longDate, renderTemplateText } from './placeholders.js'
import { type TemplateReader, templateRepository } from './template.repository.js'

const toTemplate = (r: TemplateTable): Template => ({
  id: r.id,
  title: r.title,
  shortcut: r.shortcut,
  body: r.body,
  language: r.language as Language,
  variants: JSON.parse(r.variants) as TemplateVariant[],
  scope: r.scope as TemplateScope,
  ownerId: r.owner_id,
  groupId: r.group_id,
  departmentId: r.department_id,
  usageCount: r.usage_count,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
})

/** Which variant a ticket's channel takes: portal and API tickets are answered as by mail. */
const CHANNEL_OF: Record<Channel, TemplateChannel> = { email: 'mail', chat: 'chat', phone: 'phone', portal: 'mail', api: 'mail' }

/** The text for a language and channel: that exact variant, else the language's mail text, else any text in the language, else the main text. */
export function chooseText(t: Pick<Template, 'body' | 'language' | 'variants'>, language: Language, channel: TemplateChannel): string {
  const inLanguage = t.variants.filter((v) => v.language === language)
  return (
    inLanguage.find((v) => v.channel === channel)?.body ??
    (t.language === language && channel === 'mail' ? t.body : undefined) ??
    inLanguage.find((v) => v.channel === 'mail')?.body ??
    (t.language === language ? t.body : undefined) ??
    inLanguage[0]?.body ??
    t.variants.find((v) => v.language === t.language && v.channel === channel)?.body ??
    t.body
  )
}

/** Templates (sjablonen): texts an agent starts a reply from and edits; never a script forced on the customer. */
export class TemplateService {
  private readonly index: KnowledgeIndex
  constructor(
    private readonly deps: Deps,
    private readonly tickets: TicketService,
    private readonly accounts: AccountService,
    private readonly desk: DeskService,
  ) {
    this.index = knowledgeIndex(deps.dialect)
  }

  /** The reader's groups and their departments. */
  async reader(actor: Actor): Promise<TemplateReader> {
    if (!isStaff(actor)) throw AppError.forbidden('use templates')
    const groups = await this.desk.listGroups(actor)
    const mine = groups.filter((g) => actor.user.groupIds?.includes(g.id) || g.memberIds.includes(actor.user.id))
    return {
      userId: actor.user.id,
      groupIds: mine.map((g) => g.id),
      departmentIds: [...new Set(mine.map((g) => g.departmentId))],
      allShared: actor.user.role === 'admin' || actor.user.role === 'supervisor',
    }
  }

  async list(actor: Actor, query: TemplateQuery): Promise<Template[]> {
    const reader = await this.reader(actor)
    const rows = await templateRepository.list(this.deps.db, reader, searchTerms(query.q ?? '').slice(0, 8), query.limit ?? 50)
    return rows.map(toTemplate)
  }

  /** These templates (found by the suggestions' index), as far as the reader may see them. */
  async visible(actor: Actor, ids: readonly string[]): Promise<Template[]> {
    return (await templateRepository.visibleByIds(this.deps.db, await this.reader(actor), ids)).map(toTemplate)
  }

  async get(actor: Actor, id: string): Promise<Template> {
    const [row] = await templateRepository.visibleByIds(this.deps.db, await this.reader(actor), [id])
    if (!row) throw AppError.notFound('Template', id)
    return toTemplate(row)
  }

  /** Personal templates are their owner's; shared ones are kept by supervisors, administrators and the members they are shared with. */
  private async mayChange(actor: Actor, t: Pick<Template, 'scope' | 'ownerId' | 'groupId' | 'departmentId'>) {
    if (t.scope === 'personal') return t.ownerId === actor.user.id
    const reader = await this.reader(actor)
    if (reader.allShared) return true
    return t.scope === 'group' ? reader.groupIds.includes(t.groupId!) : reader.departmentIds.includes(t.departmentId!)
  }

  private async checkBody(actor: Actor, t: Omit<Template, 'id' | 'usageCount' | 'createdAt' | 'updatedAt' | 'version'>) {
    checkTemplateText(t.body, 'body')
    t.variants.forEach((v, i) => checkTemplateText(v.body, `variants[${i}].body`))
    const seen = new Set<string>()
    for (const [i, v] of t.variants.entries()) {
      const key = `${v.language}/${v.channel}`
      if (seen.has(key)) throw AppError.validation(`variants[${i}]: there is already a ${v.language} ${v.channel} variant.`, { field: `variants[${i}]` })
      seen.add(key)
    }
    if (t.scope === 'group') {
      if (!t.groupId) throw AppError.validation('A template shared with a group names the group.', { field: 'groupId' })
      if (!(await this.desk.getGroup(t.groupId))) throw AppError.validation('The group does not exist.', { field: 'groupId' })
    }
    if (t.scope === 'department') {
      if (!t.departmentId) throw AppError.validation('A template shared with a department names the department.', { field: 'departmentId' })
      const departments = await this.desk.listDepartments(actor)
      if (!departments.some((d) => d.id === t.departmentId)) throw AppError.validation('The department does not exist.', { field: 'departmentId' })
    }
    if (!(await this.mayChange(actor, t))) throw AppError.forbidden(`share templates with this ${t.scope}`)
  }

  private row(t: Omit<Template, 'id' | 'usageCount' | 'createdAt' | 'updatedAt' | 'version'>) {
    const searchText = foldText([t.title, t.shortcut ?? '', t.body, ...t.variants.map((v) => v.body)].join(' '))
    return {
      title: t.title.trim(),
      shortcut: t.shortcut,
      body: t.body,
      language: t.language,
      variants: JSON.stringify(t.variants),
      scope: t.scope,
      owner_id: t.ownerId,
      group_id: t.scope === 'group' ? t.groupId : null,
      department_id: t.scope === 'department' ? t.departmentId : null,
      search_text: searchText,
    }
  }

  private async reindex(db: Executor, t: Template) {
    await this.index.put(db, 'template', t.id, t.title, [t.body, ...t.variants.map((v) => v.body)].join('\n'))
  }

  async create(actor: Actor, body: CreateTemplateBody): Promise<Template> {
    if (!isStaff(actor)) throw AppError.forbidden('write templates')
    const draft = {
      title: body.title.trim(),
      shortcut: body.shortcut ?? null,
      body: body.body,
      language: body.language ?? 'nl',
      variants: body.variants ?? [],
      scope: body.scope,
      ownerId: body.scope === 'personal' ? actor.user.id : null,
      groupId: body.groupId ?? null,
      departmentId: body.departmentId ?? null,
    } as const
    await this.checkBody(actor, draft)
    const id = newId()
    const now = this.deps.clock.iso()
    await this.deps.transaction(async (trx) => {
      await templateRepository.insert(trx, { id, ...this.row(draft), usage_count: 0, created_by: recordedUserId(actor), created_at: now, updated_at: now, version: 1 })
      await this.reindex(trx, { id, ...draft, usageCount: 0, createdAt: now, updatedAt: now, version: 1 })
    })
    return toTemplate((await templateRepository.findById(this.deps.db, id))!)
  }

  async update(actor: Actor, id: string, expectedVersion: number | undefined, body: UpdateTemplateBody): Promise<Template> {
    const current = await this.get(actor, id)
    if (!(await this.mayChange(actor, current))) throw AppError.forbidden('change this template')
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new AppError('precondition_failed', 'Someone else changed this template in the meantime.', { currentVersion: current.version })
    }
    const next = {
      title: body.title?.trim() ?? current.title,
      shortcut: body.shortcut === undefined ? current.shortcut : body.shortcut,
      body: body.body ?? current.body,
      language: body.language ?? current.language,
      variants: body.variants ?? current.variants,
      scope: body.scope ?? current.scope,
      ownerId: (body.scope ?? current.scope) === 'personal' ? (current.ownerId ?? actor.user.id) : null,
      groupId: body.groupId === undefined ? current.groupId : body.groupId,
      departmentId: body.departmentId === undefined ? current.departmentId : body.departmentId,
    }
    await this.checkBody(actor, next)
    const now = this.deps.clock.iso()
    await this.deps.transaction(async (trx) => {
      const done = await templateRepository.update(trx, id, current.version, { ...this.row(next), updated_at: now, version: current.version + 1 })
      if (Number(done.numUpdatedRows) !== 1) throw new AppError('precondition_failed', 'Someone else changed this template in the meantime.', { currentVersion: current.version + 1 })
      await this.reindex(trx, { ...current, ...next, updatedAt: now, version: current.version + 1 })
    })
    return toTemplate((await templateRepository.findById(this.deps.db, id))!)
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const current = await this.get(actor, id)
    if (!(await this.mayChange(actor, current))) throw AppError.forbidden('delete this template')
    await this.deps.transaction(async (trx) => {
      await this.index.remove(trx, 'template', id)
      await templateRepository.remove(trx, id)
    })
  }

  /**
   * The template's text for a ticket, in the customer's language and for the ticket's channel, with
   * every placeholder filled in; 422 naming those without a value (the text comes along, with them left
   * in, for the agent to fill in). Counts as a use of the template on that ticket either way.
   */
  async render(actor: Actor, id: string, body: RenderTemplateBody): Promise<RenderedTemplate> {
    const template = await this.get(actor, id)
    const ticket = await this.tickets.get(actor, body.ticketId)
    const requester = await this.accounts.getUser(actor, ticket.requester.id)
    const language = body.language ?? requester.language
    const channel = body.channel ?? CHANNEL_OF[ticket.channel]
    const groups = await this.desk.listGroups(actor)
    const departmentId = ticket.departmentId ?? groups.find((g) => g.id === ticket.groupId)?.departmentId
    const department = departmentId ? (await this.desk.listDepartments(actor)).find((d) => d.id === departmentId) : undefined
    const { text, missing } = renderTemplateText(chooseText(template, language, channel), {
      'klant.voornaam': firstNameOf(requester.name),
      'klant.naam': requester.name.includes('@') ? undefined : requester.name,
      'melding.nummer': ticket.number,
      'melding.onderwerp': ticket.subject,
      'agent.voornaam': firstNameOf(actor.user.name),
      'afdeling.naam': department?.name,
      'organisatie.naam': ticket.organisation?.name,
      'datum.vandaag': longDate(this.deps.clock.now(), language),
    })
    await this.deps.transaction(async (trx) => {
      await templateRepository.countUse(trx, id)
      await knowledgeUseRepository.record(trx, { kind: 'template', refId: id, ticketId: ticket.id, userId: recordedUserId(actor), at: this.deps.clock.iso() })
    })
    if (missing.length) {
      throw new AppError('unprocessable', `These placeholders have no value on this ticket: ${missing.map((m) => `{{${m}}}`).join(', ')}. Fill them in before sending.`, {
        missing,
        text,
        language,
        channel,
      })
    }
    return { templateId: id, text, language, channel }
  }
}
