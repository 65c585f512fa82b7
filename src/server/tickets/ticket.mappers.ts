import type { Article, Attachment, HistoryEntry, Ticket } from '../../shared/api/tickets.js'
import type { AppUserRow, ArticleRow, AttachmentTable, Executor, TicketHistoryTable, TicketRow } from '../db/schema.js'
import { toSafeHtml } from './sanitize.js'
import { ticketRepository } from './ticket.repository.js'

type PersonRef = { id: string; name: string; email: string }
const ref = (u: PersonRef | undefined): PersonRef | null => (u ? { id: u.id, name: u.name, email: u.email } : null)

export const toAttachment = (a: AttachmentTable): Attachment => ({
  id: a.id,
  filename: a.filename,
  contentType: a.content_type,
  size: a.size,
  url: `/api/v1/attachments/${a.id}`,
})

/** Loads the people, organisations and tags that tickets refer to, in three queries for any number of tickets. */
export async function hydrateTickets(db: Executor, rows: TicketRow[]): Promise<Ticket[]> {
  if (rows.length === 0) return []
  const userIds = [...new Set(rows.flatMap((r) => (r.assignee_id ? [r.requester_id, r.assignee_id] : [r.requester_id])))]
  const orgIds = [...new Set(rows.map((r) => r.organisation_id).filter((x): x is string => !!x))]
  const ids = rows.map((r) => r.id)
  const [users, orgs, tags] = await Promise.all([
    db.selectFrom('app_user').select(['id', 'name', 'email']).where('id', 'in', userIds).execute(),
    orgIds.length ? db.selectFrom('organisation').select(['id', 'name']).where('id', 'in', orgIds).execute() : Promise.resolve([]),
    ticketRepository.tagsOf(db, ids),
  ])
  const userById = new Map(users.map((u) => [u.id, u]))
  const orgById = new Map(orgs.map((o) => [o.id, o]))
  return rows.map((r) => toTicket(r, userById, orgById, tags.get(r.id) ?? []))
}

export function toTicket(
  r: TicketRow,
  users: Map<string, PersonRef>,
  orgs: Map<string, { id: string; name: string }>,
  tags: string[],
): Ticket {
  const org = r.organisation_id ? orgs.get(r.organisation_id) : undefined
  return {
    id: r.id,
    number: r.number,
    subject: r.subject,
    status: r.status as Ticket['status'],
    priority: r.priority as Ticket['priority'],
    type: r.type as Ticket['type'],
    channel: r.channel as Ticket['channel'],
    requester: ref(users.get(r.requester_id)) ?? { id: r.requester_id, name: '', email: '' },
    organisation: org ? { id: org.id, name: org.name } : null,
    departmentId: r.department_id,
    groupId: r.group_id,
    assignee: r.assignee_id ? ref(users.get(r.assignee_id)) : null,
    tags,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    firstResponseAt: r.first_response_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    version: r.version,
  }
}

export function toArticle(a: ArticleRow, author: AppUserRow | undefined, attachments: AttachmentTable[]): Article {
  let metadata: Record<string, unknown> = {}
  try {
    metadata = JSON.parse(a.metadata) as Record<string, unknown>
  } catch {
    // metadata is written by us as JSON; an unreadable value is shown as empty rather than failing the timeline
  }
  return {
    id: a.id,
    ticketId: a.ticket_id,
    channel: a.channel as Article['channel'],
    direction: a.direction as Article['direction'],
    visibility: a.visibility as Article['visibility'],
    author: ref(author),
    body: a.body,
    contentType: a.content_type,
    bodyHtml: toSafeHtml(a.body, a.content_type),
    metadata,
    attachments: attachments.map(toAttachment),
    createdAt: a.created_at,
  }
}

export const toHistoryEntry = (h: TicketHistoryTable, actor: AppUserRow | undefined): HistoryEntry => ({
  id: h.id,
  actor: ref(actor),
  field: h.field,
  oldValue: h.old_value,
  newValue: h.new_value,
  createdAt: h.created_at,
})
