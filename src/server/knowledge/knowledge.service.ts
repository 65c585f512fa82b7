import { sql } from 'kysely'
import type { Language } from '../../shared/api/accounts.js'
import type {
  ArticleQuery, ArticleStatus, ArticleSummary, ArticleVersion, ArticleVisibility, Category, CreateArticleBody, CreateCategoryBody, KnowledgeArticle,
  PublicArticle, Suggestions, UpdateArticleBody, UpdateCategoryBody,
} from '../../shared/api/knowledge.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isStaff, recordedUserId } from '../accounts/actor.js'
import { newId } from '../clock.js'
import type { Executor, KbArticleTable, KbArticleVersionTable, KbCategoryTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import type { TemplateService } from '../templates/template.service.js'
import { plainTextOf } from '../tickets/sanitize.js'
import type { TicketService } from '../tickets/ticket.service.js'
import { excerptOf, sanitizeArticleHtml, slugOf, textToArticleHtml } from './article-html.js'
import { knowledgeIndex, type KnowledgeIndex } from './knowledge-search.js'
import { knowledgeUseRepository } from './knowledge-use.repository.js'
import { articleRepository, categoryRepository } from './knowledge.repository.js'

const toCategory = (r: KbCategoryTable): Category => ({ id: r.id, name: r.name, departmentId: r.department_id, createdAt: r.created_at, updatedAt: r.updated_at })

/** What customers and the public may read: published public articles, nothing else, through any route. */
const isForEveryone = (r: Pick<KbArticleTable, 'status' | 'visibility'>) => r.status === 'published' && r.visibility === 'public'

/** How much of a ticket's text the suggestions look at: its subject and first messages. */
const SUGGESTION_TEXT_CHARS = 4000

/** The job that tells owner groups of review dates that have come: daily (payload.daily), and at once when an article is saved with a date that has come. */
export const REVIEW_QUEUE = 'knowledge.review'
const DAY_MS = 24 * 60 * 60_000
/** Articles told per transaction by the review check. */
const REVIEW_BATCH = 200

/** The knowledge base (kennisbank): articles for staff and for customers, their versions and categories, and suggestions for a ticket. */
export class KnowledgeService {
  private readonly index: KnowledgeIndex
  constructor(
    private readonly deps: Deps,
    private readonly tickets: TicketService,
    private readonly accounts: AccountService,
    private readonly desk: DeskService,
    private readonly templates: TemplateService,
  ) {
    this.index = knowledgeIndex(deps.dialect)
    deps.jobs.register(REVIEW_QUEUE, async (payload: { daily?: boolean }) => {
      await this.tellDueReviews()
      if (payload.daily) {
        // The next run at the start of the next (UTC) day, when review dates of that day have come.
        const now = this.deps.clock.now().getTime()
        await this.scheduleReviews(new Date(Math.floor(now / DAY_MS) * DAY_MS + DAY_MS))
      }
    })
  }

  private today() {
    return this.deps.clock.iso().slice(0, 10)
  }

  publicUrl(slug: string) {
    return `${this.deps.config.publicUrl.replace(/\/$/, '')}/kennisbank/${encodeURIComponent(slug)}`
  }

  /** For staff; customers and the public never learn which ticket an article came from (`staff` false). */
  private summaries(rows: KbArticleTable[], helped: Map<string, number>, staff = true): ArticleSummary[] {
    const today = this.today()
    return rows.map((r) => ({
      id: r.id,
      slug: r.slug,
      title: r.title,
      excerpt: excerptOf(r.body),
      language: r.language as Language,
      categoryId: r.category_id,
      visibility: r.visibility as ArticleVisibility,
      status: r.status as ArticleStatus,
      ownerGroupId: r.owner_group_id,
      reviewAt: r.review_at,
      reviewDue: r.review_at !== null && r.review_at <= today && r.status !== 'archived',
      sourceTicketId: staff ? r.source_ticket_id : null,
      helpedCount: helped.get(r.id) ?? 0,
      updatedAt: r.updated_at,
      version: r.version,
    }))
  }

  private async toArticle(actor: Actor, r: KbArticleTable): Promise<KnowledgeArticle> {
    const staff = isStaff(actor)
    const helped = await knowledgeUseRepository.counts(this.deps.db, 'article', [r.id])
    const by = r.updated_by ? await this.accounts.loadUser(r.updated_by) : undefined
    // Staff see every ticket: the article links the one it was written from.
    const source = staff && r.source_ticket_id ? await this.tickets.summaryForReaction(this.deps.db, r.source_ticket_id) : undefined
    return {
      ...this.summaries([r], helped, staff)[0],
      body: sanitizeArticleHtml(r.body),
      createdAt: r.created_at,
      updatedBy: by ? { id: by.id, name: by.name } : null,
      publicUrl: isForEveryone(r) ? this.publicUrl(r.slug) : null,
      sourceTicket: source && r.source_ticket_id ? { id: r.source_ticket_id, number: source.number, subject: source.subject } : null,
    }
  }

  private async myGroupIds(actor: Actor) {
    const groups = await this.desk.listGroups(actor)
    return groups.filter((g) => actor.user.groupIds?.includes(g.id) || g.memberIds.includes(actor.user.id)).map((g) => g.id)
  }

  // --- reading ---------------------------------------------------------------------------------

  async listArticles(actor: Actor, query: ArticleQuery): Promise<ArticleSummary[]> {
    const staff = isStaff(actor)
    const match = query.q ? this.index.match('article', query.q, 'all') : undefined
    if (query.q && !match) return []
    const rows = await articleRepository.list(this.deps.db, {
      match: match ?? undefined,
      // Customers get what the public gets, whatever they ask for.
      statuses: !staff ? ['published'] : query.status ? [query.status] : ['draft', 'published'],
      visibility: staff ? query.visibility : 'public',
      categoryId: query.categoryId,
      reviewDueOn: staff && query.reviewDue ? { today: this.today(), groupIds: query.reviewDue === 'mine' ? await this.myGroupIds(actor) : undefined } : undefined,
      limit: query.limit ?? 50,
    })
    return this.summaries(rows, await knowledgeUseRepository.counts(this.deps.db, 'article', rows.map((r) => r.id)), staff)
  }

  /** The article if the reader may see it; 404 otherwise, so that internal articles do not show they exist. */
  private async visibleRow(db: Executor, actor: Actor | undefined, id: string) {
    const row = await articleRepository.findById(db, id)
    if (!row || ((!actor || !isStaff(actor)) && !isForEveryone(row))) throw AppError.notFound('Article', id)
    return row
  }

  async getArticle(actor: Actor, id: string): Promise<KnowledgeArticle> {
    return this.toArticle(actor, await this.visibleRow(this.deps.db, actor, id))
  }

  // --- writing ---------------------------------------------------------------------------------

  /** Publishing is for the owner group (and supervisors and administrators); anyone on the staff writes drafts. */
  private async checkPublish(actor: Actor, ownerGroupId: string | null) {
    if (actor.user.role === 'admin' || actor.user.role === 'supervisor' || actor.via === 'system') return
    if (ownerGroupId && (await this.myGroupIds(actor)).includes(ownerGroupId)) return
    throw AppError.forbidden('publish an article of another group; save it as a draft for its owner group to review')
  }

  private async checkRefs(body: Pick<CreateArticleBody, 'categoryId' | 'ownerGroupId'>) {
    if (body.categoryId && !(await categoryRepository.findById(this.deps.db, body.categoryId))) throw AppError.validation('The category does not exist.', { field: 'categoryId' })
    if (body.ownerGroupId && !(await this.desk.getGroup(body.ownerGroupId))) throw AppError.validation('The group does not exist.', { field: 'ownerGroupId' })
  }

  private async uniqueSlug(db: Executor, title: string) {
    const base = slugOf(title)
    const taken = await articleRepository.slugsLike(db, base)
    if (!taken.has(base)) return base
    let n = 2
    while (taken.has(`${base}-${n}`)) n++
    return `${base}-${n}`
  }

  private versionRow(r: KbArticleTable, changedBy: string | null): KbArticleVersionTable {
    return {
      article_id: r.id,
      version: r.version,
      title: r.title,
      body: r.body,
      language: r.language,
      category_id: r.category_id,
      visibility: r.visibility,
      status: r.status,
      owner_group_id: r.owner_group_id,
      review_at: r.review_at,
      changed_by: changedBy,
      created_at: r.updated_at,
    }
  }

  async createArticle(actor: Actor, body: CreateArticleBody & { sourceTicketId?: string }): Promise<KnowledgeArticle> {
    if (!isStaff(actor)) throw AppError.forbidden('write knowledge articles')
    await this.checkRefs(body)
    const status = body.status ?? 'draft'
    if (status === 'published') await this.checkPublish(actor, body.ownerGroupId ?? null)
    const now = this.deps.clock.iso()
    const by = recordedUserId(actor)
    const id = newId()
    await this.deps.transaction(async (trx) => {
      const row: KbArticleTable = {
        id,
        slug: await this.uniqueSlug(trx, body.title),
        title: body.title.trim(),
        body: sanitizeArticleHtml(body.body),
        language: body.language ?? 'nl',
        category_id: body.categoryId ?? null,
        visibility: body.visibility ?? 'internal',
        status,
        owner_group_id: body.ownerGroupId ?? null,
        review_at: body.reviewAt ?? null,
        source_ticket_id: body.sourceTicketId ?? null,
        created_by: by,
        updated_by: by,
        created_at: now,
        updated_at: now,
        version: 1,
      }
      await articleRepository.insert(trx, row)
      await articleRepository.insertVersion(trx, this.versionRow(row, by))
      await this.index.put(trx, 'article', id, row.title, plainTextOf(row.body, 'text/html'))
      await this.reviewSoonerIfDue(trx, row)
    })
    return this.getArticle(actor, id)
  }

  /** A change needs the version it was made on (If-Match): a change made meanwhile is never overwritten (412). */
  async updateArticle(actor: Actor, id: string, expectedVersion: number | undefined, body: UpdateArticleBody): Promise<KnowledgeArticle> {
    if (!isStaff(actor)) throw AppError.forbidden('change knowledge articles')
    if (expectedVersion === undefined) throw new AppError('precondition_required', 'Send If-Match with the version you changed (its ETag), so that nobody’s change is lost.', { field: 'If-Match' })
    await this.checkRefs(body)
    const by = recordedUserId(actor)
    const current = await this.visibleRow(this.deps.db, actor, id)
    const stale = () => new AppError('precondition_failed', 'Someone else changed this article in the meantime; load it again and redo your change.', { currentVersion: current.version })
    if (current.version !== expectedVersion) throw stale()
    const next: KbArticleTable = {
      ...current,
      title: body.title?.trim() ?? current.title,
      body: body.body === undefined ? current.body : sanitizeArticleHtml(body.body),
      language: body.language ?? current.language,
      category_id: body.categoryId === undefined ? current.category_id : body.categoryId,
      visibility: body.visibility ?? current.visibility,
      status: body.status ?? current.status,
      owner_group_id: body.ownerGroupId === undefined ? current.owner_group_id : body.ownerGroupId,
      review_at: body.reviewAt === undefined ? current.review_at : body.reviewAt,
      updated_by: by,
      updated_at: this.deps.clock.iso(),
      version: current.version + 1,
    }
    if (next.status !== current.status && (next.status === 'published' || current.status === 'published')) await this.checkPublish(actor, next.owner_group_id)
    // What the daily review check keeps (review_notified_for) is its own: never written back from this read.
    const { id: _id, created_at: _c, created_by: _b, slug: _s, source_ticket_id: _t, review_notified_for: _r, ...patch } = next
    await this.deps.transaction(async (trx) => {
      // The version in the WHERE: a change committed since we read it leaves nothing updated (412).
      const done = await articleRepository.update(trx, id, current.version, patch)
      if (Number(done.numUpdatedRows) !== 1) throw stale()
      await articleRepository.insertVersion(trx, this.versionRow(next, by))
      await this.index.put(trx, 'article', id, next.title, plainTextOf(next.body, 'text/html'))
      await this.reviewSoonerIfDue(trx, next)
    })
    return this.getArticle(actor, id)
  }

  async archiveArticle(actor: Actor, id: string, expectedVersion: number | undefined): Promise<KnowledgeArticle> {
    const current = await this.visibleRow(this.deps.db, actor, id)
    return this.updateArticle(actor, id, expectedVersion ?? current.version, { status: 'archived' })
  }

  async versions(actor: Actor, id: string): Promise<ArticleVersion[]> {
    if (!isStaff(actor)) throw AppError.notFound('Article', id)
    await this.visibleRow(this.deps.db, actor, id)
    const rows = await articleRepository.versions(this.deps.db, id)
    const names = new Map<string, string>()
    for (const userId of new Set(rows.map((r) => r.changed_by).filter((u): u is string => u !== null))) {
      const user = await this.accounts.loadUser(userId)
      if (user) names.set(userId, user.name)
    }
    return rows.map((r) => ({
      version: r.version,
      title: r.title,
      body: sanitizeArticleHtml(r.body),
      language: r.language as Language,
      categoryId: r.category_id,
      visibility: r.visibility as ArticleVisibility,
      status: r.status as ArticleStatus,
      ownerGroupId: r.owner_group_id,
      reviewAt: r.review_at,
      changedBy: r.changed_by ? { id: r.changed_by, name: names.get(r.changed_by) ?? '' } : null,
      createdAt: r.created_at,
    }))
  }

  async version(actor: Actor, id: string, version: number): Promise<ArticleVersion> {
    const found = (await this.versions(actor, id)).find((v) => v.version === version)
    if (!found) throw AppError.notFound('Version', `${id}/${version}`)
    return found
  }

  /** An earlier version's text becomes the newest version: nothing in between is lost, it stays in the list. */
  async restore(actor: Actor, id: string, version: number, expectedVersion: number | undefined): Promise<KnowledgeArticle> {
    const old = await this.version(actor, id, version)
    const current = await this.visibleRow(this.deps.db, actor, id)
    return this.updateArticle(actor, id, expectedVersion ?? current.version, {
      title: old.title,
      body: old.body,
      language: old.language,
      categoryId: old.categoryId,
      visibility: old.visibility,
      ownerGroupId: old.ownerGroupId,
      reviewAt: old.reviewAt,
    })
  }

  // --- from a ticket, and back to tickets ----------------------------------------------------

  /**
   * "Maak kennisartikel": a draft, internal article from an escalated or resolved ticket's solution
   * note (the last message of the desk on it), linked to the ticket, for its owner group to review.
   */
  async draftFromTicket(actor: Actor, ticketId: string): Promise<KnowledgeArticle> {
    if (!isStaff(actor)) throw AppError.forbidden('write knowledge articles')
    const ticket = await this.tickets.get(actor, ticketId)
    const group = ticket.groupId ? (await this.desk.listGroups(actor)).find((g) => g.id === ticket.groupId) : undefined
    const resolved = ticket.status === 'resolved' || ticket.status === 'closed'
    if (!resolved && (group?.line ?? 1) < 2) {
      throw AppError.conflict('An article is made from a resolved ticket, or one escalated to a back office (2nd or 3rd line).', { field: 'ticketId' })
    }
    const messages = await this.tickets.listArticles(actor, ticketId)
    const solution = [...messages].reverse().find((a) => a.author && a.author.id !== ticket.requester.id)
    if (!solution) throw AppError.conflict('This ticket has no note or reply of the desk to make an article from.', { field: 'ticketId' })
    const body = solution.contentType === 'text/html' ? solution.body : textToArticleHtml(solution.body)
    return this.createArticle(actor, { title: ticket.subject, body, visibility: 'internal', status: 'draft', ownerGroupId: ticket.groupId, sourceTicketId: ticket.id })
  }

  /** Linking or sending an article on a ticket counts as having helped there (once per ticket). */
  async recordUse(actor: Actor, id: string, ticketId: string): Promise<KnowledgeArticle> {
    if (!isStaff(actor)) throw AppError.forbidden('link articles to tickets')
    await this.visibleRow(this.deps.db, actor, id)
    const ticket = await this.tickets.get(actor, ticketId)
    await knowledgeUseRepository.record(this.deps.db, { kind: 'article', refId: id, ticketId: ticket.id, userId: recordedUserId(actor), at: this.deps.clock.iso() })
    return this.getArticle(actor, id)
  }

  /** Templates and published articles ranked by a ticket's text: the database's full-text ranking, any word counts. */
  async suggestions(actor: Actor, ticketId: string, limit = 5): Promise<Suggestions> {
    if (!isStaff(actor)) throw AppError.forbidden('see suggestions')
    const db = this.deps.db
    const ticket = await this.tickets.get(actor, ticketId)
    const messages = await this.tickets.listArticles(actor, ticketId)
    const text = [ticket.subject, ...messages.slice(0, 3).map((a) => plainTextOf(a.body, a.contentType))].join('\n').slice(0, SUGGESTION_TEXT_CHARS)
    const words = await this.index.wordsToSuggestBy(db, text)
    const articleMatch = this.index.match('article', words, 'any')
    const templateMatch = this.index.match('template', words, 'any')
    const [articleRows, templateHits, used] = await Promise.all([
      articleMatch ? articleRepository.list(db, { match: articleMatch, statuses: ['published'], limit }) : [],
      // Templates are filtered by who may use them after ranking: take enough to keep `limit` of them.
      templateMatch ? sql<{ ref_id: string; score: number }>`SELECT ref_id, score FROM ${templateMatch.table} AS m ORDER BY score DESC LIMIT 50`.execute(db).then((r) => r.rows) : [],
      knowledgeUseRepository.forTicket(db, ticket.id),
    ])
    const usedHere = new Set(used.map((u) => `${u.kind}:${u.ref_id}`))
    const scoreOf = new Map(templateHits.map((h) => [h.ref_id, Number(h.score)]))
    const templates = (await this.templates.visible(actor, templateHits.map((h) => h.ref_id)))
      .sort((a, b) => scoreOf.get(b.id)! - scoreOf.get(a.id)! || b.usageCount - a.usageCount)
      .slice(0, limit)
    const helped = await knowledgeUseRepository.counts(db, 'article', articleRows.map((r) => r.id))
    return {
      templates: templates.map((t) => ({ id: t.id, title: t.title, shortcut: t.shortcut, usageCount: t.usageCount, score: scoreOf.get(t.id)!, usedHere: usedHere.has(`template:${t.id}`) })),
      articles: articleRows.map((r) => ({
        id: r.id,
        slug: r.slug,
        title: r.title,
        excerpt: excerptOf(r.body),
        visibility: r.visibility as ArticleVisibility,
        publicUrl: isForEveryone(r) ? this.publicUrl(r.slug) : null,
        helpedCount: helped.get(r.id) ?? 0,
        score: Number(r.score),
        usedHere: usedHere.has(`article:${r.id}`),
      })),
    }
  }

  // --- for everyone ----------------------------------------------------------------------------

  /** Published public articles, for anyone without signing in (the portal, search engines). */
  async publicArticles(query: { q?: string; limit?: number }): Promise<PublicArticle[]> {
    const match = query.q ? this.index.match('article', query.q, 'all') : undefined
    if (query.q && !match) return []
    const rows = await articleRepository.list(this.deps.db, { match: match ?? undefined, statuses: ['published'], visibility: 'public', limit: query.limit ?? 20 })
    const categories = new Map((await categoryRepository.list(this.deps.db)).map((c) => [c.id, c.name]))
    return rows.map((r) => ({
      slug: r.slug,
      title: r.title,
      excerpt: excerptOf(r.body),
      language: r.language as Language,
      category: r.category_id ? (categories.get(r.category_id) ?? null) : null,
      updatedAt: r.updated_at,
      url: this.publicUrl(r.slug),
    }))
  }

  /** A published public article by its address, with its sanitised HTML; undefined for anything else. */
  async publicArticle(slug: string) {
    const row = await articleRepository.findBySlug(this.deps.db, slug)
    if (!row || !isForEveryone(row)) return undefined
    const category = row.category_id ? await categoryRepository.findById(this.deps.db, row.category_id) : undefined
    return { slug: row.slug, title: row.title, html: sanitizeArticleHtml(row.body), language: row.language as Language, category: category?.name ?? null, updatedAt: row.updated_at }
  }

  // --- review dates --------------------------------------------------------------------------------

  /** Queues the daily review check for the given moment (now when absent), once per day however many workers start. */
  async scheduleReviews(at: Date = this.deps.clock.now()) {
    await this.deps.jobs.enqueue(this.deps.db, REVIEW_QUEUE, { daily: true }, { runAt: at, dedupeKey: `${REVIEW_QUEUE}:${at.toISOString().slice(0, 10)}` })
  }

  /**
   * Tells the owner group of every article whose review date has come (not archived) that it is due:
   * a `knowledge.review-due` event, which notifications turn into one notification per member. Each
   * article and review date is told once, whichever worker runs this and however often; a new review
   * date is told again when it comes. Returns how many articles were told.
   */
  async tellDueReviews(): Promise<number> {
    const today = this.today()
    let told = 0
    for (;;) {
      const due = await articleRepository.reviewsToTell(this.deps.db, today, REVIEW_BATCH)
      if (due.length === 0) return told
      told += await this.deps.transaction(async (trx) => {
        const at = this.deps.clock.iso()
        const events: DomainEvent[] = []
        for (const a of due) {
          if (!a.review_at || !a.owner_group_id) continue
          if (await articleRepository.markReviewTold(trx, a.id, a.review_at)) {
            events.push({ type: 'knowledge.review-due', articleId: a.id, title: a.title, groupId: a.owner_group_id, reviewAt: a.review_at, at })
          }
        }
        if (events.length > 0) await this.deps.outbox.append(trx, events)
        return events.length
      })
      if (due.length < REVIEW_BATCH) return told
    }
  }

  /** Saved with a review date that has come and was not told yet: the check runs at once (in the saving transaction), not tomorrow. */
  private async reviewSoonerIfDue(trx: Executor, row: Pick<KbArticleTable, 'id' | 'review_at' | 'owner_group_id' | 'status' | 'review_notified_for'>) {
    if (!row.review_at || !row.owner_group_id || row.status === 'archived' || row.review_at > this.today() || row.review_notified_for === row.review_at) return
    await this.deps.jobs.enqueue(trx, REVIEW_QUEUE, {}, { dedupeKey: `${REVIEW_QUEUE}:${row.id}:${row.review_at}` })
  }

  // --- categories ------------------------------------------------------------------------------

  /** For everyone signed in: a customer's portal groups public articles by them too. */
  async listCategories(): Promise<Category[]> {
    return (await categoryRepository.list(this.deps.db)).map(toCategory)
  }

  async createCategory(actor: Actor, body: CreateCategoryBody): Promise<Category> {
    if (actor.user.role !== 'admin' && actor.user.role !== 'supervisor') throw AppError.forbidden('create knowledge categories')
    if (await categoryRepository.findByName(this.deps.db, body.name.trim())) throw AppError.conflict('A category with this name exists.', { field: 'name' })
    const now = this.deps.clock.iso()
    const id = newId()
    await categoryRepository.insert(this.deps.db, { id, name: body.name.trim(), department_id: body.departmentId ?? null, created_at: now, updated_at: now })
    return toCategory((await categoryRepository.findById(this.deps.db, id))!)
  }

  async updateCategory(actor: Actor, id: string, body: UpdateCategoryBody): Promise<Category> {
    if (actor.user.role !== 'admin' && actor.user.role !== 'supervisor') throw AppError.forbidden('change knowledge categories')
    const existing = await categoryRepository.findById(this.deps.db, id)
    if (!existing) throw AppError.notFound('Category', id)
    if (body.name && body.name.trim() !== existing.name && (await categoryRepository.findByName(this.deps.db, body.name.trim()))) {
      throw AppError.conflict('A category with this name exists.', { field: 'name' })
    }
    await categoryRepository.update(this.deps.db, id, {
      ...(body.name && { name: body.name.trim() }),
      ...(body.departmentId !== undefined && { department_id: body.departmentId }),
      updated_at: this.deps.clock.iso(),
    })
    return toCategory((await categoryRepository.findById(this.deps.db, id))!)
  }
}
