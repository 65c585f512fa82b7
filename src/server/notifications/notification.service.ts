import type { Insertable } from 'kysely'
import {
  DEFAULT_MAIL_KINDS,
  NOTIFICATION_KINDS,
  type Notification,
  type NotificationKind,
  type NotificationQuery,
  type NotificationSettings,
} from '../../shared/api/notifications.js'
import { ACCOUNT_MAIL_QUEUE } from '../accounts/account-links.js'
import type { AccountService } from '../accounts/account.service.js'
import { type Actor, isStaff } from '../accounts/actor.js'
import { encryptSecret } from '../accounts/secrets.js'
import { newId } from '../clock.js'
import type { Executor, NotificationTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import type { DeskService } from '../desk/desk.service.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import type { Outbox, OutboxEvent } from '../outbox/outbox.js'
import { decodeCursor, pageOf } from '../pagination.js'
import type { TicketService } from '../tickets/ticket.service.js'
import { notificationMail } from './notification.mail.js'
import { notificationRepository } from './notification.repository.js'

export const NOTIFICATION_MAIL_QUEUE = 'notification.mail'
export const NOTIFICATION_PRUNE_QUEUE = 'notification.prune'
const DAY_MS = 24 * 60 * 60_000

export interface NotificationPeers {
  tickets: Pick<TicketService, 'summaryForReaction' | 'subjectsForReaction' | 'articleForReaction'>
  desk: Pick<DeskService, 'memberIdsOf' | 'groupById' | 'teamLeadIdsOf'>
  accounts: Pick<AccountService, 'activeStaff'>
}

type Row = NotificationTable

const toNotification = (r: Row, subjects: Map<string, string>): Notification => ({
  id: r.id,
  kind: r.kind as NotificationKind,
  ticketId: r.ticket_id,
  ticketNumber: r.ticket_number,
  // Read from the ticket, not kept here: erasure and retention anonymise one place.
  ticketSubject: (r.ticket_id && subjects.get(r.ticket_id)) ?? null,
  actorName: r.actor_name,
  groupName: r.group_name,
  articleId: r.article_id ?? null,
  articleTitle: r.article_title ?? null,
  createdAt: r.created_at,
  readAt: r.read_at,
})

/** One notification to make: for whom, what kind, caused by whom. */
interface Wanted {
  userId: string
  kind: NotificationKind
  ticketId: string | null
  actorId?: string | null
  /** Shown as the one who did it, when that is not the actor (taken over: the new assignee). */
  nameId?: string | null
  /** Shown as the one who did it when no person did: Loket's own assignment rule. */
  byLoket?: boolean
  groupId?: string | null
  /** About a knowledge article instead of a ticket (review-due). */
  article?: { id: string; title: string }
  /** What makes it one notification, instead of the event's id and the kind (review-due: the article and its review date). */
  sourceKey?: string
}

/** Text of a note, for finding `@Name` in it: tags out, the few entities an editor writes decoded. */
export function plainText(body: string, contentType: string): string {
  if (!contentType.includes('html')) return body
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The staff named in a note as `@Full Name` (any case; the name not running on into a letter or digit). */
export function mentionedIn(text: string, staff: readonly { id: string; name: string }[]): string[] {
  if (!text.includes('@')) return []
  return staff
    .filter((s) => s.name.trim().length > 0 && new RegExp(`(^|[^\\p{L}\\p{N}_.])@${escapeRegExp(s.name.trim())}(?![\\p{L}\\p{N}])`, 'iu').test(text))
    .map((s) => s.id)
}

/**
 * Notifications: what concerns one member of staff, made from committed domain events by an outbox
 * reaction (so each change is told once, whichever process handles it), shown in the web app's bell,
 * pushed to the user's own stream topic and, for the kinds they chose, gathered into at most one mail
 * per few minutes.
 */
export class NotificationService {
  /** Mails gather what happened in windows of this length, sent at the window's end: at most one per window. */
  mailWindowMs = 5 * 60_000

  constructor(
    private readonly deps: Deps,
    private readonly peers: NotificationPeers,
  ) {}

  registerReactions(outbox: Pick<Outbox, 'handle'>) {
    outbox.handle('notifications', (trx, events) => this.react(trx, events))
    this.deps.jobs.register(NOTIFICATION_MAIL_QUEUE, (payload: { userId: string }) => this.mailPending(payload.userId))
    this.deps.jobs.register(NOTIFICATION_PRUNE_QUEUE, async () => {
      await this.prune()
      await this.schedulePruning(new Date(this.deps.clock.now().getTime() + DAY_MS))
    })
  }

  /** Removes notifications older than the retention period (read or not: by then they tell nothing new); returns how many went. */
  async prune(): Promise<number> {
    const cutoff = new Date(this.deps.clock.now().getTime() - (this.deps.config.notificationRetentionDays ?? 90) * DAY_MS).toISOString()
    let removed = 0
    for (;;) {
      const n = await notificationRepository.deleteOlderThan(this.deps.db, cutoff, 5000)
      removed += n
      if (n === 0) return removed
    }
  }

  /** Queues the pruning for the given day (today when absent), once per day however many workers start. */
  async schedulePruning(at: Date = this.deps.clock.now()) {
    await this.deps.jobs.enqueue(this.deps.db, NOTIFICATION_PRUNE_QUEUE, {}, { runAt: at, dedupeKey: `${NOTIFICATION_PRUNE_QUEUE}:${at.toISOString().slice(0, 10)}` })
  }

  private requireStaff(actor: Actor) {
    if (!isStaff(actor)) throw AppError.forbidden('read notifications')
  }

  async list(actor: Actor, query: NotificationQuery) {
    this.requireStaff(actor)
    const limit = query.limit ?? 25
    const after = decodeCursor(query.cursor, ['createdAt', 'id'] as const)
    const rows = await notificationRepository.page(this.deps.db, actor.user.id, { unread: query.unread, limit, after })
    const subjects = await this.subjectsOf(this.deps.db, rows)
    return pageOf(rows, limit, (r) => toNotification(r, subjects), (r) => ({ createdAt: r.created_at, id: r.id }))
  }

  async unreadCount(actor: Actor) {
    this.requireStaff(actor)
    return { unread: await notificationRepository.unreadCount(this.deps.db, actor.user.id) }
  }

  /** Marks one of the reader's own notifications read; another's is not found (404), so ids do not leak. */
  async markRead(actor: Actor, id: string): Promise<Notification> {
    this.requireStaff(actor)
    await notificationRepository.markRead(this.deps.db, actor.user.id, id, this.deps.clock.iso())
    const row = await notificationRepository.find(this.deps.db, actor.user.id, id)
    if (!row) throw AppError.notFound('Notification', id)
    return toNotification(row, await this.subjectsOf(this.deps.db, [row]))
  }

  private subjectsOf(db: Executor, rows: readonly Row[]) {
    return this.peers.tickets.subjectsForReaction(db, [...new Set(rows.map((r) => r.ticket_id).filter((id): id is string => !!id))])
  }

  async markAllRead(actor: Actor) {
    this.requireStaff(actor)
    return { marked: await notificationRepository.markAllRead(this.deps.db, actor.user.id, this.deps.clock.iso()) }
  }

  async settings(actor: Actor): Promise<NotificationSettings> {
    this.requireStaff(actor)
    return { mail: (await this.mailKinds(this.deps.db, [actor.user.id])).get(actor.user.id) ?? [...DEFAULT_MAIL_KINDS] }
  }

  async saveSettings(actor: Actor, body: NotificationSettings): Promise<NotificationSettings> {
    this.requireStaff(actor)
    const mail = NOTIFICATION_KINDS.filter((k) => body.mail.includes(k))
    await notificationRepository.saveSettings(this.deps.db, actor.user.id, JSON.stringify(mail), this.deps.clock.iso())
    return { mail }
  }

  private async mailKinds(db: Executor, userIds: readonly string[]): Promise<Map<string, NotificationKind[]>> {
    const rows = await notificationRepository.settings(db, userIds)
    return new Map(rows.map((r) => [r.user_id, (JSON.parse(r.mail_kinds) as string[]).filter((k): k is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(k))]))
  }

  /** Who hears of one event, and as what. The one who caused it never hears of their own doing. */
  private async wanted(trx: Executor, event: DomainEvent, opened: ReadonlySet<string>): Promise<Wanted[]> {
    const out: Wanted[] = []
    switch (event.type) {
      case 'ticket.created':
        // A group's assignment rule gave the new ticket to someone at once (desk/assignment.ts).
        if (event.assigneeId) out.push({ userId: event.assigneeId, kind: 'assigned', ticketId: event.ticketId, byLoket: true })
        return out
      case 'ticket.updated': {
        if (!event.changes.includes('assignee_id')) return out
        const actorId = event.actorId ?? null
        // A ticket returned to its coordinator is told as 'returned' (ticket.returned), not also as assigned.
        if (event.assigneeId && event.assigneeId !== actorId && event.assigneeId !== event.coordinatorId) {
          out.push({ userId: event.assigneeId, kind: 'assigned', ticketId: event.ticketId, actorId })
        }
        if (event.previousAssigneeId && event.assigneeId && event.previousAssigneeId !== actorId && event.previousAssigneeId !== event.assigneeId) {
          out.push({ userId: event.previousAssigneeId, kind: 'taken-over', ticketId: event.ticketId, actorId, nameId: event.assigneeId })
        }
        return out
      }
      case 'ticket.escalated': {
        if (!event.groupId) return out
        for (const userId of await this.peers.desk.memberIdsOf(trx, event.groupId)) {
          if (userId !== event.actorId) out.push({ userId, kind: 'escalated', ticketId: event.ticketId, actorId: event.actorId, groupId: event.groupId })
        }
        return out
      }
      case 'ticket.returned': {
        const to = event.coordinatorId ?? event.assigneeId
        if (to && to !== event.actorId) out.push({ userId: to, kind: 'returned', ticketId: event.ticketId, actorId: event.actorId })
        return out
      }
      case 'article.created': {
        if (event.direction === 'in') {
          // The first message of a ticket opened already assigned is not a reply (the assignee hears 'assigned').
          if (opened.has(event.ticketId)) return out
          for (const userId of new Set([event.assigneeId, event.coordinatorId])) if (userId) out.push({ userId, kind: 'customer-replied', ticketId: event.ticketId })
          return out
        }
        if (event.visibility !== 'internal') return out
        const article = await this.peers.tickets.articleForReaction(trx, event.articleId)
        if (!article || !article.body.includes('@')) return out
        for (const userId of mentionedIn(plainText(article.body, article.contentType), await this.peers.accounts.activeStaff(trx))) {
          if (userId !== article.authorId) out.push({ userId, kind: 'mentioned', ticketId: event.ticketId, actorId: article.authorId })
        }
        return out
      }
      case 'article.delivery-failed':
        out.push({ userId: event.authorId, kind: 'delivery-failed', ticketId: event.ticketId })
        return out
      case 'knowledge.review-due': {
        // Once per member, article and review date, however often the event comes.
        for (const userId of await this.peers.desk.memberIdsOf(trx, event.groupId)) {
          out.push({ userId, kind: 'review-due', ticketId: null, groupId: event.groupId, article: { id: event.articleId, title: event.title }, sourceKey: `review:${event.articleId}:${event.reviewAt}` })
        }
        return out
      }
      case 'ticket.third-party-back': {
        // The one holding the ticket, else its group: once per ticket and wait (a new wait is told again).
        const to = event.assigneeId ? [event.assigneeId] : event.groupId ? await this.peers.desk.memberIdsOf(trx, event.groupId) : []
        for (const userId of to) {
          out.push({ userId, kind: 'third-party-back', ticketId: event.ticketId, byLoket: true, groupId: event.groupId, sourceKey: `third-party:${event.ticketId}:${event.until}` })
        }
        return out
      }
      case 'handoff.alert': {
        // Near: the back-office group that has it; overdue: the department's team leads. Once per handoff, target and level.
        const to = event.level === 'near' ? await this.peers.desk.memberIdsOf(trx, event.groupId) : event.departmentId ? await this.peers.desk.teamLeadIdsOf(trx, event.departmentId) : []
        const kind = event.level === 'near' ? 'handoff-near' : 'handoff-overdue'
        for (const userId of to) out.push({ userId, kind, ticketId: event.ticketId, groupId: event.groupId, sourceKey: `handoff:${event.escalationId}:${event.target}:${event.level}` })
        return out
      }
      default:
        return out
    }
  }

  /**
   * The outbox reaction: a notification per user and kind for each event, keyed by the event's id, so an
   * event handled again (a retry, another worker) makes none twice. What is new goes to the user's stream
   * (through the outbox, after this commits) and, for the kinds they get by mail, waits for their next mail.
   */
  private async react(trx: Executor, events: readonly OutboxEvent[]): Promise<void> {
    const wanted: (Wanted & { key: string })[] = []
    // Tickets opened in this batch: their first article comes with them.
    const opened = new Set(events.flatMap(({ event }) => (event.type === 'ticket.created' ? [event.ticketId] : [])))
    for (const { id, event } of events) {
      for (const w of await this.wanted(trx, event, opened)) wanted.push({ ...w, key: w.sourceKey ?? `${id}:${w.kind}` })
    }
    if (wanted.length === 0) return
    const staff = new Map((await this.peers.accounts.activeStaff(trx)).map((s) => [s.id, s]))
    const mailKinds = await this.mailKinds(trx, [...new Set(wanted.map((w) => w.userId))])
    const tickets = new Map<string, { number: string; subject: string } | undefined>()
    const groups = new Map<string, string | undefined>()
    const now = this.deps.clock.iso()
    const rows: Insertable<NotificationTable>[] = []
    for (const w of wanted) {
      if (!staff.has(w.userId)) continue // gone, switched off, or not staff: nothing to tell
      if (w.ticketId && !tickets.has(w.ticketId)) tickets.set(w.ticketId, await this.peers.tickets.summaryForReaction(trx, w.ticketId))
      if (w.groupId && !groups.has(w.groupId)) groups.set(w.groupId, (await this.peers.desk.groupById(trx, w.groupId))?.name)
      const ticket = w.ticketId ? tickets.get(w.ticketId) : undefined
      const nameId = w.nameId ?? w.actorId
      rows.push({
        id: newId(),
        user_id: w.userId,
        kind: w.kind,
        source_key: w.key,
        ticket_id: w.ticketId,
        ticket_number: ticket?.number ?? null,
        ticket_subject: null, // read from the ticket when shown or mailed
        actor_name: w.byLoket ? 'Loket' : nameId ? (staff.get(nameId)?.name ?? null) : null,
        group_name: w.groupId ? (groups.get(w.groupId) ?? null) : null,
        article_id: w.article?.id ?? null,
        article_title: w.article?.title ?? null,
        created_at: now,
        read_at: null,
        mail_pending: (mailKinds.get(w.userId) ?? DEFAULT_MAIL_KINDS).includes(w.kind) ? 1 : 0,
      })
    }
    // One row per user and source even when one event names a user twice (assignee and coordinator).
    const unique = [...new Map(rows.map((r) => [`${r.user_id}|${r.source_key}`, r])).values()]
    const inserted = await notificationRepository.insertNew(trx, unique)
    if (inserted.length === 0) return
    await this.deps.outbox.append(
      trx,
      inserted.map((r) => ({ type: 'notification.created', userId: r.user_id, notificationId: r.id, kind: r.kind, ticketId: r.ticket_id, at: now })),
    )
    const windowEnd = (Math.floor(this.deps.clock.now().getTime() / this.mailWindowMs) + 1) * this.mailWindowMs
    for (const userId of new Set(inserted.filter((r) => r.mail_pending === 1).map((r) => r.user_id))) {
      // One mail job per user and window: what happens within it waits for that one mail.
      await this.deps.jobs.enqueue(trx, NOTIFICATION_MAIL_QUEUE, { userId }, { runAt: new Date(windowEnd), dedupeKey: `${NOTIFICATION_MAIL_QUEUE}:${userId}:${windowEnd}` })
    }
  }

  /** The mail job (public for tests): everything still unread that waited, in one mail, through the mailbox account mails use. */
  async mailPending(userId: string): Promise<void> {
    await this.deps.transaction(async (trx) => {
      const rows = (await notificationRepository.takeMailPending(trx, userId)).filter((r) => r.read_at === null)
      if (rows.length === 0) return // read in the app in the meantime, or mailed already
      const user = (await this.peers.accounts.activeStaff(trx)).find((s) => s.id === userId)
      if (!user) return
      const subjects = await this.subjectsOf(trx, rows)
      const mail = notificationMail(
        user.language,
        user.name,
        rows.map((r) => ({
          kind: r.kind as NotificationKind,
          ticketId: r.ticket_id,
          ticketNumber: r.ticket_number,
          ticketSubject: (r.ticket_id && subjects.get(r.ticket_id)) ?? null,
          actorName: r.actor_name,
          groupName: r.group_name,
          articleId: r.article_id ?? null,
          articleTitle: r.article_title ?? null,
        })),
        this.deps.config.publicUrl,
      )
      await this.deps.jobs.enqueue(trx, ACCOUNT_MAIL_QUEUE, { sealed: encryptSecret(this.deps.config.secret, JSON.stringify({ to: user.email, ...mail })) })
    })
  }
}
