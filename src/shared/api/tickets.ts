import { type Static, Type } from '@sinclair/typebox'

/** A string enum with its literal type kept (Type.Union over a mapped array loses it). */
const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description && { description }) })
import { Id, Nullable, Timestamp } from './common.js'
import { EscalationSummarySchema } from './escalations.js'

/** At most this many Cc addresses on one reply; the composer preselects no more and says what it left out. */
export const CC_LIMIT = 20

export const TICKET_STATUSES = ['new', 'open', 'waiting_for_customer', 'waiting_for_third_party', 'resolved', 'closed'] as const
/** The statuses of work still to do: what "open" queues and counts hold. */
export const OPEN_STATUSES = ['new', 'open', 'waiting_for_customer', 'waiting_for_third_party'] as const
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

/** A choice field's option value as stored and filtered on (ticket-fields.ts). */
export const OptionValue = Type.String({ minLength: 1, maxLength: 60, pattern: '^[A-Za-z0-9_-]+$' })
/** One field's value: text, number, date and references as their JSON kind, multi_choice as an array, null for none. */
export const CustomFieldValue = Type.Union([Type.String({ maxLength: 10_000 }), Type.Number(), Type.Boolean(), Type.Array(OptionValue, { maxItems: 100 }), Type.Null()])
export type CustomFieldValue = Static<typeof CustomFieldValue>
export const CustomFieldValues = Type.Record(Type.String({ pattern: '^[a-z][a-z0-9_]*$' }), CustomFieldValue, {
  description: 'Ticket fields an administrator added (GET /ticket-fields), by key; values typed: text and choice as strings, number, date as YYYY-MM-DD, yes_no as boolean, multi_choice as an array of option values, customer and organisation as ids',
})
export type CustomFieldValues = Static<typeof CustomFieldValues>

const PersonRef = Type.Object({ id: Id, name: Type.String(), email: Nullable(Type.String({ description: 'null: known only by phone number or chat' })) })
/** An agent as a customer sees them: a name, no address (agents are reached through the ticket). */
const AgentRef = Type.Object({ id: Id, name: Type.String(), email: Type.Optional(Type.String({ description: 'Not shown to customers' })) })

/** "Wacht op derde tot <datum>": who the ticket waits on, their reference, and until when (staff only). */
export const ThirdPartySchema = Type.Object(
  {
    until: Nullable({ ...Timestamp, description: 'Back on the group\'s queue once this moment has passed (while the status is waiting_for_third_party)' }),
    supplier: Type.String({ description: 'The supplier or other party the ticket waits on' }),
    reference: Nullable(Type.String({ description: 'Their reference number for it' })),
    backAt: Nullable({ ...Timestamp, description: 'When the wait ran out and the ticket came back on its queue: the marker shown until an agent moves it on' }),
  },
  { description: 'Waiting on a third party; null when the ticket has none (and always for customers)' },
)
export type ThirdParty = Static<typeof ThirdPartySchema>

/** What an agent sets: `null` ends the wait (a waiting ticket becomes open). */
export const ThirdPartyBody = Type.Object(
  {
    until: { ...Timestamp, description: 'In the future: the ticket comes back on its group\'s queue once it has passed' },
    supplier: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
    reference: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
)
export type ThirdPartyBody = Static<typeof ThirdPartyBody>

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
  coordinator: Nullable({ ...AgentRef, description: 'The desk agent who keeps the customer contact while a back office works on the ticket (staff only; null for customers)' }),
  escalation: Nullable(EscalationSummarySchema),
  mergedInto: Nullable(Type.Object({ id: Id, number: Type.String() }, { description: 'Set when this ticket was merged into another: it is closed and takes no new articles' })),
  customFields: CustomFieldValues,
  thirdParty: Nullable(ThirdPartySchema),
  firstLineResolution: Nullable(Type.Boolean({ description: 'Recorded when resolved or closed: true when solved without an escalation to a back office; null while not resolved (staff only; null for customers)' })),
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
    customFields: Type.Optional(CustomFieldValues),
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
    coordinatorId: Type.Optional(Nullable({ ...Id, description: 'The desk agent who keeps the customer contact during a handoff' })),
    thirdParty: Type.Optional(
      Nullable({
        ...ThirdPartyBody,
        description: '"Wacht op derde tot <datum>": sets the status to waiting_for_third_party with the supplier and their reference until the date; null ends the wait (status open unless a status is given)',
      }),
    ),
    organisationId: Type.Optional(Nullable(Id)),
    tags: Type.Optional(Type.Array(Tag, { maxItems: 20 })),
    customFields: Type.Optional({ ...CustomFieldValues, description: 'Only the fields named change; null empties one' }),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateTicketBody = Static<typeof UpdateTicketBody>

export const TICKET_SORTS = [
  'updated_at', '-updated_at', 'created_at', '-created_at', 'priority', '-priority', 'status', '-status',
  'assignee', '-assignee', 'group', '-group', 'number', '-number',
] as const
export const TicketQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 200, description: 'One status or several, comma-separated' })),
    groupId: Type.Optional(Id),
    groupIds: Type.Optional(Type.String({ maxLength: 3300, pattern: '^[A-Za-z0-9_,-]*$', description: 'Several groups, comma-separated: tickets in any of them' })),
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
    fields: Type.Optional(
      Type.String({
        maxLength: 1000,
        description:
          'Ticket fields an administrator added, as key:value, several comma-separated (all must hold), e.g. contract:goud,spoed:true,klant_sinds:2026-01-01; ' +
          'value | value for any of several; multi_choice holds when one of its options is given; none for tickets without a value',
      }),
    ),
    sort: Type.Optional(Enum(TICKET_SORTS, 'priority: urgent first when descending; status: in the order of the work (new … closed); assignee and group: by name; ties by last update, then id')),
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

export const DeliveryState = Type.Union([Type.Literal('queued'), Type.Literal('sent'), Type.Literal('deferred'), Type.Literal('failed')])
export type DeliveryState = Static<typeof DeliveryState>

/** Why a reply did not go (yet), per class of failure; the web app explains each in Dutch and English. */
export const DELIVERY_REASON_CODES = [
  'mailbox-unknown',
  'mailbox-full',
  'message-too-large',
  'rejected-policy',
  'host-not-found',
  'connection-failed',
  'tls-failed',
  'auth-failed',
  'deferred',
  'no-sending-mailbox',
  'no-address',
  'bounced',
  'other',
] as const
export const DeliveryReasonCode = Type.Union(
  DELIVERY_REASON_CODES.map((c) => Type.Literal(c)),
  {
    description:
      'deferred or failed: the class of failure, stable: mailbox-unknown (5.1.1), mailbox-full (552, x.2.2), message-too-large (x.3.4), rejected-policy (spam or policy, 5.7.x), host-not-found (DNS), connection-failed (refused, timeout), tls-failed, auth-failed (the mailbox\'s own login), deferred (the server asked to try later), no-sending-mailbox, no-address (the customer has none), bounced (sent back, no reason given), other',
  },
)
export type DeliveryReasonCode = (typeof DELIVERY_REASON_CODES)[number]

export const DeliverySchema = Type.Object(
  {
    state: DeliveryState,
    at: Timestamp,
    serverResponse: Type.Optional(Type.String({ description: "sent: the receiving server's answer, e.g. 250 2.0.0 queued as 4F2A" })),
    nextAttemptAt: Type.Optional(Timestamp),
    reason: Type.Optional(Type.String({ description: 'deferred or failed: why, in plain words (English; show reasonCode translated instead)' })),
    reasonCode: Type.Optional(DeliveryReasonCode),
    detail: Type.Optional(Type.String({ description: "deferred or failed: the raw server answer or network error, as given (e.g. 550 5.1.1 <x@y.nl>: Recipient address rejected: User unknown)" })),
  },
  { description: 'Where an outgoing public reply is on its way to the customer (staff only)' },
)
export type Delivery = Static<typeof DeliverySchema>

export const ArticleSchema = Type.Object({
  id: Id,
  ticketId: Id,
  channel: Channel,
  direction: Direction,
  visibility: Visibility,
  author: Nullable(AgentRef),
  body: Type.String({ description: 'As received. Use bodyHtml to display.' }),
  contentType: Type.String(),
  bodyHtml: Type.String({ description: 'Sanitised HTML, safe to show in a browser' }),
  metadata: Type.Record(Type.String(), Type.Unknown()),
  attachments: Type.Array(AttachmentSchema),
  delivery: Type.Optional(DeliverySchema),
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
        maxItems: CC_LIMIT,
        description: 'Staff replies by e-mail: send a copy to these addresses (e.g. the Cc of the customer\'s mail, in metadata.email.cc)',
      }),
    ),
    status: Type.Optional(TicketStatus),
    ticket: Type.Optional({
      ...UpdateTicketBody,
      description:
        "Staff: field changes saved in the same action as the reply or note (the workspace's \"Bijwerken\"), all or nothing; needs If-Match with the ticket's version. A status here is the same as `status`",
    }),
    proposedReplyId: Type.Optional({
      ...Id,
      description: "A public reply made from a back office's proposed reply (its article id): the article records who wrote it, who sent it and whether the desk changed it",
    }),
  },
  { additionalProperties: false },
)
export type CreateArticleBody = Static<typeof CreateArticleBody>

/** How an agent's public reply on a ticket reaches the customer, shown in the composer before sending (issue 14). */
export const ReplyRouteSchema = Type.Object({
  channel: Nullable(
    Type.Union([Type.Literal('email'), Type.Literal('portal')], {
      description: 'email: sent by mail (whichever way the ticket came in); portal: only in the customer portal (no mailbox can send); null: no way at all, a reply is refused',
    }),
  ),
  to: Nullable(Type.String({ description: 'The address a reply by mail goes to' })),
  from: Nullable(Type.String({ description: 'The mailbox it goes out from, as "Name <address>"' })),
  reason: Nullable(
    Type.Union([Type.Literal('no-address'), Type.Literal('no-sign-in'), Type.Literal('no-mailbox')], {
      description:
        'no-address: the customer has no e-mail address (replies are refused until the requester is changed); no-sign-in: no mailbox can send and the customer cannot sign in to the portal (their account is disabled), so replies are refused; no-mailbox: no mailbox can send',
    }),
  ),
  mailboxCanSend: Type.Boolean({ description: 'Whether any mailbox can send replies; false means no reply on any ticket goes out by mail' }),
  portalSignIn: Nullable(
    Type.Union([Type.Literal('password'), Type.Literal('link'), Type.Literal('none')], {
      description:
        'For a reply only in the portal, how the customer gets in to read it: password (they have one), link (a sign-in link by mail), none (no password, and no mailbox can send them a sign-in link: they read the reply only once one can). Null when the reply goes by mail or nowhere',
    }),
  ),
})
export type ReplyRoute = Static<typeof ReplyRouteSchema>
export const ResendArticleBody = Type.Object(
  {
    to: Type.Optional(
      Type.String({ format: 'email', maxLength: 254, description: '"Ander adres": send the reply to this address instead (e.g. when the old one no longer exists)' }),
    ),
  },
  { additionalProperties: false },
)
export type ResendArticleBody = Static<typeof ResendArticleBody>

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
