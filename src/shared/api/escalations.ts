import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'

const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description && { description }) })

/** escalated → picked_up → returned → done. A handoff is under way until it is done. */
export const ESCALATION_STATES = ['escalated', 'picked_up', 'returned', 'done'] as const
export type EscalationState = (typeof ESCALATION_STATES)[number]

const NoteText = Type.String({ minLength: 1, maxLength: 100_000, pattern: '\\S' })

export const EscalateBody = Type.Object(
  {
    groupId: Id,
    handoffNote: { ...NoteText, description: 'What the customer asked, what was tried, what is needed. Internal: the customer never sees it.' },
    coordinatorId: Type.Optional({
      ...Id,
      description: 'Who keeps the customer contact during the handoff (active staff), set in the same step; without it, the escalating desk agent (or the coordinator the ticket has, when a back office escalates further)',
    }),
  },
  { additionalProperties: false },
)
export type EscalateBody = Static<typeof EscalateBody>

export const ReturnBody = Type.Object(
  {
    note: { ...NoteText, description: 'What the back office found or did. Internal.' },
    proposedReply: Type.Optional({
      ...NoteText,
      description: 'An answer for the customer, which the coordinator reviews, edits and sends (use its article id as proposedReplyId). Internal until sent.',
    }),
  },
  { additionalProperties: false },
)
export type ReturnBody = Static<typeof ReturnBody>

const Person = Type.Object({ id: Id, name: Type.String() })

/** A proposed reply waiting for the desk: an internal article of the back office. */
export const ProposedReplySchema = Type.Object({
  articleId: Id,
  body: Type.String(),
  author: Nullable(Person),
  departmentName: Nullable(Type.String()),
})
export type ProposedReply = Static<typeof ProposedReplySchema>

/** A ticket's current handoff as the desk sees it on the ticket (never shown to customers). */
export const EscalationSummarySchema = Type.Object(
  {
    id: Id,
    state: Enum(ESCALATION_STATES),
    groupId: Id,
    departmentId: Nullable(Id),
    escalatedAt: Timestamp,
    pickedUpAt: Nullable(Timestamp),
    returnedAt: Nullable(Timestamp),
    proposedReplyId: Nullable(Id),
  },
  { description: 'The handoff under way (escalated, picked up, or returned and waiting for the desk); null when there is none. Staff only.' },
)
export type EscalationSummary = Static<typeof EscalationSummarySchema>

/** How a handoff stands against its back-office group's targets, in business time (the handoff clock, not a customer deadline). */
export const HandoffClockSchema = Type.Object({
  pickupDueAt: Nullable(Timestamp),
  returnDueAt: Nullable(Timestamp),
  running: Nullable(Enum(['pickup', 'return'] as const, 'the target the clock runs against now: pick-up until someone picks it up, then return; null once it is back at the desk')),
  dueAt: Nullable(Timestamp),
  businessMinutes: Type.Integer({ description: 'business minutes since the escalation (until it was returned, or now)' }),
  minutesLeft: Nullable(Type.Integer({ description: 'business minutes until dueAt; negative when overdue' })),
  state: Enum(['none', 'ok', 'near', 'overdue'] as const, 'none: no target; near: a quarter of the target or less is left; overdue: past due (or, once returned, returned late)'),
})
export type HandoffClockView = Static<typeof HandoffClockSchema>

export const EscalationSchema = Type.Object({
  id: Id,
  ticketId: Id,
  state: Enum(ESCALATION_STATES),
  fromGroupId: Nullable(Id),
  groupId: Id,
  departmentId: Nullable(Id),
  coordinator: Nullable(Person),
  escalatedBy: Nullable(Person),
  escalatedAt: Timestamp,
  pickedUpAt: Nullable(Timestamp),
  pickedUpBy: Nullable(Person),
  returnedAt: Nullable(Timestamp),
  returnedBy: Nullable(Person),
  doneAt: Nullable(Timestamp),
  handoffNoteId: Id,
  returnNoteId: Nullable(Id),
  proposedReply: Nullable(ProposedReplySchema),
  clock: HandoffClockSchema,
})
export type Escalation = Static<typeof EscalationSchema>

export const ESCALATION_VIEWS = ['mine', 'returned', 'ours', 'overdue'] as const
export type EscalationView = (typeof ESCALATION_VIEWS)[number]

export const EscalationQueueQuery = Type.Object(
  {
    view: Enum(ESCALATION_VIEWS, 'mine: handoffs I coordinate that are under way ("Mijn escalaties"); returned: of those, the ones back at the desk ("Terug van backoffice"); ours: handoffs waiting in my back-office groups, oldest first ("Voor ons"); overdue: handoffs past their pick-up or return target in the groups of my departments (team leads; administrators see all), oldest first'),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type EscalationQueueQuery = Static<typeof EscalationQueueQuery>

export const EscalationQueueItemSchema = Type.Object({
  escalation: EscalationSchema,
  ticket: Type.Object({ id: Id, number: Type.String(), subject: Type.String(), status: Type.String(), priority: Type.String(), requesterName: Type.String(), version: Type.Integer() }),
})
export type EscalationQueueItem = Static<typeof EscalationQueueItemSchema>
