import type { Language } from '../../shared/api/accounts.js'
import type { Channel } from '../../shared/api/tickets.js'
import {
  type CreateTemplateBody, type RenderedTemplate, type RenderTemplateBody, type Template, type TemplateAttachment, TEMPLATE_ATTACHMENT_LIMIT, type TemplateChannel,
  type TemplateQuery, type TemplateScope, type TemplateVariant, type UpdateTemplateBody,
} from '../../shared/api/templates.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { Executor, TemplateAttachmentTable, TemplateTable } from '../db/schema.js'
import { foldText, searchTerms } from '../db/text-search.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import { knowledgeIndex, type KnowledgeIndex } from '../knowledge/knowledge-search.js'
import { knowledgeUseRepository } from '../knowledge/knowledge-use.repository.js'
import type { TicketService } from '../tickets/ticket.service.js'
import { checkTemplateText, firstNameOf, longDate, renderTemplateText } from './placeholders.js'
import { type TemplateReader, templateAttachmentRepository, templateRepository } from './template.repository.js'

const toTemplateAttachment = (a: TemplateAttachmentTable): TemplateAttachment => ({
  id: a.id,
  filename: a.filename,
  contentType: a.content_type,
  size: a.size,
  url: `/api/v1/templates/${a.template_id}/attachments/${a.id}`,
})

const toTemplate = (r: TemplateTable, files: readonly TemplateAttachmentTable[] = []): Template => ({
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
  attachments: files.filter((f) => f.template_id === r.id).map(toTemplateAttachment),
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
    return this.withFiles(rows)
  }

  private async withFiles(rows: readonly TemplateTable[]): Promise<Template[]> {
    const files = await templateAttachmentRepository.forTemplates(this.deps.db, rows.map((r) => r.id))
    return rows.map((r) => toTemplate(r, files))
  }

  /** These templates (found by the suggestions' index), as far as the reader may see them. */
  async visible(actor: Actor, ids: readonly string[]): Promise<Template[]> {
    return this.withFiles(await templateRepository.visibleByIds(this.deps.db, await this.reader(actor), ids))
  }

  async get(actor: Actor, id: string): Promise<Template> {
    const [row] = await templateRepository.visibleByIds(this.deps.db, await this.reader(actor), [id])
    if (!row) throw AppError.notFound('Template', id)
    return (await this.withFiles([row]))[0]
  }

  /** Personal templates are their owner's; shared ones are kept by supervisors, administrators and the members they are shared with. */
  private async mayChange(actor: Actor, t: Pick<Template, 'scope' | 'ownerId' | 'groupId' | 'departmentId'>) {
    if (t.scope === 'personal') return t.ownerId === actor.user.id
    const reader = await this.reader(actor)
    if (reader.allShared) return true
    return t.scope === 'group' ? reader.groupIds.includes(t.groupId!) : reader.departmentIds.includes(t.departmentId!)
  }

  private async checkBody(actor: Actor, t: Omit<Template, 'id' | 'usageCount' | 'attachments' | 'createdAt' | 'updatedAt' | 'version'>) {
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

  private row(t: Omit<Template, 'id' | 'usageCount' | 'attachments' | 'createdAt' | 'updatedAt' | 'version'>) {
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
      await this.reindex(trx, { id, ...draft, usageCount: 0, attachments: [], createdAt: now, updatedAt: now, version: 1 })
    })
    return (await this.withFiles([(await templateRepository.findById(this.deps.db, id))!]))[0]
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
    return (await this.withFiles([(await templateRepository.findById(this.deps.db, id))!]))[0]
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const current = await this.get(actor, id)
    if (!(await this.mayChange(actor, current))) throw AppError.forbidden('delete this template')
    await this.deps.transaction(async (trx) => {
      await this.index.remove(trx, 'template', id)
      await templateRepository.remove(trx, id)
    })
  }

  // --- files ---------------------------------------------------------------------------------------

  /** A file for the template to carry; whoever may change the template adds and removes them. A new version of the template. */
  async addAttachment(actor: Actor, id: string, file: { filename: string; contentType: string; content: Buffer }): Promise<TemplateAttachment> {
    const current = await this.get(actor, id)
    if (!(await this.mayChange(actor, current))) throw AppError.forbidden('change this template')
    if (file.content.length > this.deps.config.attachmentMaxBytes) {
      throw new AppError('payload_too_large', `Attachments may be at most ${this.deps.config.attachmentMaxBytes} bytes.`)
    }
    if (current.attachments.length >= TEMPLATE_ATTACHMENT_LIMIT) {
      throw AppError.conflict(`A template carries at most ${TEMPLATE_ATTACHMENT_LIMIT} files.`, { field: 'attachments' })
    }
    const sha256 = await this.deps.blobs.put(file.content)
    const row: TemplateAttachmentTable = {
      id: newId(),
      template_id: id,
      filename: file.filename,
      content_type: file.contentType,
      size: file.content.length,
      sha256,
      uploaded_by: recordedUserId(actor),
      created_at: this.deps.clock.iso(),
    }
    await this.deps.transaction(async (trx) => {
      await templateAttachmentRepository.insert(trx, row)
      await templateRepository.touch(trx, id, row.created_at)
    })
    return toTemplateAttachment(row)
  }

  async removeAttachment(actor: Actor, id: string, attachmentId: string): Promise<void> {
    const current = await this.get(actor, id)
    if (!(await this.mayChange(actor, current))) throw AppError.forbidden('change this template')
    await this.deps.transaction(async (trx) => {
      if ((await templateAttachmentRepository.remove(trx, id, attachmentId)) === 0) throw AppError.notFound('Attachment', attachmentId)
      await templateRepository.touch(trx, id, this.deps.clock.iso())
    })
  }

  /** A template's file, for whoever may use the template. */
  async openAttachment(actor: Actor, id: string, attachmentId: string) {
    await this.get(actor, id)
    const row = await templateAttachmentRepository.find(this.deps.db, id, attachmentId)
    if (!row) throw AppError.notFound('Attachment', attachmentId)
    return { attachment: row, stream: this.deps.blobs.open(row.sha256) }
  }

  /**
   * The template's text for a ticket, in the customer's language and for the ticket's channel, with
   * every placeholder filled in; 422 naming those without a value (the text comes along, with them left
   * in, for the agent to fill in). Counts as a use of the template on that ticket either way. The
   * template's files become uploads on the ticket for the reply being written (their ids in
   * `attachments`, in the 422's body too), unless the ticket takes no reply.
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
    const files = template.attachments.length ? await templateAttachmentRepository.forTemplates(this.deps.db, [id]) : []
    const attachments = await this.deps.transaction(async (trx) => {
      await templateRepository.countUse(trx, id)
      await knowledgeUseRepository.record(trx, { kind: 'template', refId: id, ticketId: ticket.id, userId: recordedUserId(actor), at: this.deps.clock.iso() })
      return this.tickets.attachStoredFiles(
        trx,
        actor,
        ticket.id,
        files.map((f) => ({ filename: f.filename, contentType: f.content_type, size: f.size, sha256: f.sha256 })),
      )
    })
    if (missing.length) {
      throw new AppError('unprocessable', `These placeholders have no value on this ticket: ${missing.map((m) => `{{${m}}}`).join(', ')}. Fill them in before sending.`, {
        missing,
        text,
        language,
        channel,
        attachments,
      })
    }
    return { templateId: id, text, language, channel, attachments }
  }
}
