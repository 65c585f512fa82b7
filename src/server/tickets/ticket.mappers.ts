import { parseMetadata } from '../../shared/api/article-metadata.js'
import { deliveryOf } from './article-delivery.js'
import type { EscalationSummary } from '../../shared/api/escalations.js'
import type { Article, Attachment, CustomFieldValues, HistoryEntry, Ticket } from '../../shared/api/tickets.js'
import type { ArticleRow, AttachmentTable, EscalationRow, TicketHistoryTable, TicketRow } from '../db/schema.js'
import { toSafeHtml } from './sanitize.js'

type PersonRef = { id: string; name: string; email: string | null }
const ref = (u: PersonRef | undefined): PersonRef | null => (u ? { id: u.id, name: u.name, email: u.email } : null)
/** Staff (an assignee, a coordinator, an author): their address only when they have one. */
const agentRef = (u: PersonRef | undefined) => (u ? { id: u.id, name: u.name, ...(u.email !== null && { email: u.email }) } : null)

export const toAttachment = (a: AttachmentTable): Attachment => ({
  id: a.id,
  filename: a.filename,
  contentType: a.content_type,
  size: a.size,
  url: `/api/v1/attachments/${a.id}`,
})

export function toTicket(
  r: TicketRow,
  users: Map<string, PersonRef>,
  orgs: Map<string, { id: string; name: string }>,
  tags: string[],
  escalation?: EscalationRow,
  mergedInto?: { id: string; number: string },
  customFields: CustomFieldValues = {},
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
    assignee: r.assignee_id ? agentRef(users.get(r.assignee_id)) : null,
    tags,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    firstResponseAt: r.first_response_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    coordinator: r.coordinator_id ? agentRef(users.get(r.coordinator_id)) : null,
    escalation: escalation ? toEscalationSummary(escalation) : null,
    mergedInto: r.merged_into_id ? (mergedInto ?? { id: r.merged_into_id, number: '' }) : null,
    customFields,
    thirdParty: r.third_party_supplier
      ? { until: r.third_party_until, supplier: r.third_party_supplier, reference: r.third_party_reference, backAt: r.third_party_back_at }
      : null,
    firstLineResolution: r.first_line_resolution === null ? null : r.first_line_resolution === 1,
    version: r.version,
  }
}

export const toEscalationSummary = (e: EscalationRow): EscalationSummary => ({
  id: e.id,
  state: e.state as EscalationSummary['state'],
  groupId: e.group_id,
  departmentId: e.department_id,
  escalatedAt: e.escalated_at,
  pickedUpAt: e.picked_up_at,
  returnedAt: e.returned_at,
  proposedReplyId: e.proposed_reply_id,
})

export function toArticle(a: ArticleRow, author: PersonRef | undefined, attachments: AttachmentTable[]): Article {
  // An unreadable value is shown as empty rather than failing the timeline (parseMetadata: {}).
  const metadata = parseMetadata(a.metadata)
  const delivery = a.direction === 'out' && a.visibility === 'public' ? deliveryOf(metadata) : undefined
  return {
    id: a.id,
    ticketId: a.ticket_id,
    channel: a.channel as Article['channel'],
    direction: a.direction as Article['direction'],
    visibility: a.visibility as Article['visibility'],
    author: agentRef(author),
    body: a.body,
    contentType: a.content_type,
    bodyHtml: toSafeHtml(a.body, a.content_type),
    metadata,
    attachments: attachments.map(toAttachment),
    ...(delivery && { delivery }),
    createdAt: a.created_at,
  }
}

export const toHistoryEntry = (h: TicketHistoryTable, actor: PersonRef | undefined): HistoryEntry => ({
  id: h.id,
  actor: ref(actor),
  field: h.field,
  oldValue: h.old_value,
  newValue: h.new_value,
  createdAt: h.created_at,
})
