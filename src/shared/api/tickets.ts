import { type Static, Type } from '@sinclair/typebox'

/** A string enum with its literal type kept (Type.Union over a mapped array loses it). */
const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description && { description }) })
import { Id, Nullable, Timestamp } from './common.js'

export const TICKET_STATUSES = ['new', 'open', 'waiting_for_customer', 'waiting_for_third_party', 'resolved', 'closed'] as const
export const TicketStatus = Enum(TICKET_STATUSES)
export type TicketStatus = (typeof TICKET_STATUSES)[number]
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const
export const Priority = Enum(PRIORITIES)
export type Priority = (typeof PRIORITIES)[number]
export const TICKET_TYPES = ['question', 'incident', 'request', 'complaint'] as const
export const TicketType = Enum(TICKET_TYPES)
export type TicketType = (typeof TICKET_TYPES)[number]
export const CHANNELS = ['email', 'chat', 'phone', 'portal', 'api'] as const
export const Channel = Enum(CHANNELS)
export type Channel = (typeof CHANNELS)[number]
export const Visibility = Type.Union([Type.Literal('public'), Type.Literal('internal')])
export type Visibility = Static<typeof Visibility>
export const Direction = Type.Union([Type.Literal('in'), Type.Literal('out')])
export type Direction = Static<typeof Direction>

const PersonRef = Type.Object({ id: Id, name: Type.String(), email: Type.String() })
/** An agent as a customer sees them: a name, no address (agents are reached through the ticket). */
const AgentRef = Type.Object({ id: Id, name: Type.String(), email: Type.Optional(Type.String({ description: 'Not shown to customers' })) })

export const TicketSchema = Type.Object({
  id: Id,
  number: Type.String({ description: 'Human-friendly number, e.g. 2026-00042' }),
  subject: Type.String(),
  status: TicketStatus,
  priority: Priority,
  type: TicketType,
  channel: Channel,
  requester: PersonRef,
  organisation: Nullable(Type.Object({ id: Id, name: Type.String() })),
  departmentId: Nullable(Id),
  groupId: Nullable(Id),
  assignee: Nullable(AgentRef),
  tags: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  firstResponseAt: Nullable(Timestamp),
  resolvedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  version: Type.Integer(),
})
export type Ticket = Static<typeof TicketSchema>

const Body = Type.String({ minLength: 1, maxLength: 1_000_000 })
const Subject = Type.String({ minLength: 1, maxLength: 1_000_000 })
const Tag = Type.String({ minLength: 1, maxLength: 50 })

export const CreateTicketBody = Type.Object(
  {
    subject: Subject,
    body: Body,
    requester: Type.Object(
      { email: Type.String({ format: 'email', maxLength: 254 }), name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
      { additionalProperties: false },
    ),
    priority: Type.Optional(Priority),
    type: Type.Optional(TicketType),
    channel: Type.Optional(Channel),
    groupId: Type.Optional(Id),
    group: Type.Optional({ ...Id, description: 'The same as groupId' }),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
  },
  { additionalProperties: false },
)
export type CreateTicketBody = Static<typeof CreateTicketBody>

export const UpdateTicketBody = Type.Object(
  {
    subject: Type.Optional(Subject),
    status: Type.Optional(TicketStatus),
    priority: Type.Optional(Priority),
    type: Type.Optional(TicketType),
    departmentId: Type.Optional(Nullable(Id)),
    groupId: Type.Optional(Nullable(Id)),
    assigneeId: Type.Optional(Nullable(Id)),
    organisationId: Type.Optional(Nullable(Id)),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateTicketBody = Static<typeof UpdateTicketBody>

export const TICKET_SORTS = ['updated_at', '-updated_at', 'created_at', '-created_at'] as const
export const TicketQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 200, description: 'One status or several, comma-separated' })),
    groupId: Type.Optional(Id),
    assigneeId: Type.Optional(Type.String({ maxLength: 64, description: 'A user id, `me`, or `none` for unassigned' })),
    requesterId: Type.Optional(Id),
    organisationId: Type.Optional(Id),
    group: Type.Optional({ ...Id, description: 'The same as groupId' }),
    assignee: Type.Optional(Type.String({ maxLength: 64, description: 'The same as assigneeId' })),
    requester: Type.Optional(Type.String({ maxLength: 254, description: 'A user id (the same as requesterId) or an e-mail address' })),
    organisation: Type.Optional({ ...Id, description: 'The same as organisationId' }),
    priority: Type.Optional(Type.String({ maxLength: 100, description: 'One priority or several, comma-separated' })),
    type: Type.Optional(Type.String({ maxLength: 100, description: 'One type or several, comma-separated' })),
    channel: Type.Optional(Type.String({ maxLength: 100, description: 'One channel of origin or several, comma-separated' })),
    escalatedBy: Type.Optional(Type.String({ maxLength: 64, description: '`me` or a user id: tickets they moved to a 2nd- or 3rd-line group that are still there' })),
    q: Type.Optional(Type.String({ maxLength: 500 })),
    sort: Type.Optional(Enum(TICKET_SORTS)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type TicketQuery = Static<typeof TicketQuery>

export const AttachmentSchema = Type.Object({
  id: Id,
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String(),
})
export type Attachment = Static<typeof AttachmentSchema>

export const ArticleSchema = Type.Object({
  id: Id,
  ticketId: Id,
  channel: Channel,
  direction: Direction,
  visibility: Visibility,
  author: Nullable(PersonRef),
  body: Type.String({ description: 'As received. Use bodyHtml to display.' }),
  contentType: Type.String(),
  bodyHtml: Type.String({ description: 'Sanitised HTML, safe to show in a browser' }),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(AttachmentSchema),
  createdAt: Timestamp,
})
export type Article = Static<typeof ArticleSchema>

export const CreateArticleBody = Type.Object(
  {
    body: Body,
    visibility: Type.Optional(Visibility),
    contentType: Type.Optional(Type.Union([Type.Literal('text/plain'), Type.Literal('text/html')])),
    attachmentIds: Type.Optional(Type.Array(Id, { maxItems: 20 })),
    cc: Type.Optional(
      Type.Array(Type.String({ format: 'email', maxLength: 254 }), {
        maxItems: 20,
        description: 'Staff replies by e-mail: send a copy to these addresses (e.g. the Cc of the customer\'s mail, in metadata.email.cc)',
      }),
    ),
    status: Type.Optional(TicketStatus),
  },
  { additionalProperties: false },
)
export type CreateArticleBody = Static<typeof CreateArticleBody>

export const HistoryEntrySchema = Type.Object({
  id: Id,
  actor: Nullable(PersonRef),
  field: Type.String(),
  oldValue: Nullable(Type.String()),
  newValue: Nullable(Type.String()),
  createdAt: Timestamp,
})
export type HistoryEntry = Static<typeof HistoryEntrySchema>

export const TicketCreatedSchema = Type.Object({ id: Id, number: Type.String(), ticket: TicketSchema })
