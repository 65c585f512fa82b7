import { type Static, Type } from '@sinclair/typebox'
import { Id, NameText, Nullable, Timestamp } from './common.js'

const Enum = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description && { description }) })

/** How a ticket that lands in a group gets an assignee: not at all, in turn, or to the member with the fewest open tickets. */
export const ASSIGNMENT_MODES = ['off', 'round_robin', 'fewest_open'] as const
export type AssignmentMode = (typeof ASSIGNMENT_MODES)[number]
const CalendarRef = Nullable(Id)
const TargetMinutes = Nullable(Type.Integer({ minimum: 1, maximum: 525_600, description: 'business minutes' }))

export const DepartmentSchema = Type.Object({
  id: Id,
  name: Type.String(),
  customerReplyAllowed: Type.Boolean({ description: 'Whether its groups may reply to customers directly (by default only the service desk does).' }),
  calendarId: { ...CalendarRef, description: 'The business calendar of its groups’ handoff clocks; null: the default calendar' },
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Department = Static<typeof DepartmentSchema>
export const CreateDepartmentBody = Type.Object(
  { name: NameText(100), customerReplyAllowed: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export const UpdateDepartmentBody = Type.Object(
  { name: Type.Optional(NameText(100)), customerReplyAllowed: Type.Optional(Type.Boolean()), calendarId: Type.Optional(CalendarRef) },
  { additionalProperties: false, minProperties: 1 },
)

export const Line = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])
export const GroupSchema = Type.Object({
  id: Id,
  name: Type.String(),
  departmentId: Id,
  line: Line,
  memberIds: Type.Array(Id),
  calendarId: { ...CalendarRef, description: 'Its own business calendar; null: its department’s, else the default' },
  pickupTargetMinutes: { ...TargetMinutes, description: 'Handoff target: an escalated ticket is picked up within this many business minutes of its escalation; null: none' },
  returnTargetMinutes: { ...TargetMinutes, description: 'Handoff target: an escalated ticket is back at the desk within this many business minutes of its escalation; null: none' },
  assignment: Enum(ASSIGNMENT_MODES, 'How a ticket that lands in the group (new or escalated) gets an assignee among the available members under their limit'),
  signatureTemplate: Type.String({ description: "The signature of the group's e-mail replies, with placeholders {{agent.naam}}, {{agent.handtekening}} (the agent's own part), {{groep.naam}}, {{organisatie.naam}} (or agent.name, agent.signature, group.name, organisation.name); '' none" }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Group = Static<typeof GroupSchema>
const SignatureTemplate = Type.String({ maxLength: 2000 })
export const CreateGroupBody = Type.Object(
  { name: NameText(100), departmentId: Id, line: Line, memberIds: Type.Optional(Type.Array(Id, { maxItems: 500 })), signatureTemplate: Type.Optional(SignatureTemplate) },
  { additionalProperties: false },
)
export const UpdateGroupBody = Type.Object(
  {
    name: Type.Optional(NameText(100)),
    departmentId: Type.Optional(Id),
    line: Type.Optional(Line),
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
    calendarId: Type.Optional(CalendarRef),
    pickupTargetMinutes: Type.Optional(TargetMinutes),
    returnTargetMinutes: Type.Optional(TargetMinutes),
    assignment: Type.Optional(Enum(ASSIGNMENT_MODES)),
    signatureTemplate: Type.Optional(SignatureTemplate),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type CreateGroupBody = Static<typeof CreateGroupBody>
export type UpdateGroupBody = Static<typeof UpdateGroupBody>
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBody>

/** An agent's availability for assignment within their groups. */
export const AvailabilitySchema = Type.Object({
  available: Type.Boolean({ description: 'beschikbaar (true) or afwezig (false): only available members get tickets by a group\'s assignment rule' }),
  openTicketLimit: Nullable(Type.Integer({ minimum: 1, description: 'At most this many open tickets by assignment; null: no limit' })),
})
export type AvailabilityView = Static<typeof AvailabilitySchema>
export const UpdateAvailabilityBody = Type.Object(
  {
    available: Type.Optional(Type.Boolean()),
    openTicketLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Team leads and administrators only' }))),
  },
  { additionalProperties: false, minProperties: 1 },
)
export const AvailabilityParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, description: 'A staff user id, or `me`' }) }, { additionalProperties: false })

/** A staff member's own part of their groups' signatures (the profile page). */
export const OwnSignatureSchema = Type.Object({ signature: Type.String({ maxLength: 1000, description: 'Plain text, a few lines; \'\' none' }) }, { additionalProperties: false })
export type OwnSignature = Static<typeof OwnSignatureSchema>
