import { type Static, Type } from '@sinclair/typebox'
import { Id, NameText, Nullable, Timestamp } from './common.js'
import { Channel, Priority, TicketType } from './tickets.js'

const Language = Type.Union([Type.Literal('nl'), Type.Literal('en')])
const Tag = Type.String({ minLength: 1, maxLength: 50 })
const Some = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { minItems: 1, maxItems: 200, uniqueItems: true, description }))

/** A requester condition: a whole address (jan@gemeente.nl) or a domain (gemeente.nl, or @gemeente.nl). */
export const RequesterPattern = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]*@?[^\\s@]+\\.[^\\s@]+$' })

/** When a rule matches: every condition given holds; a condition holds when any of its values does. */
export const RoutingConditionsSchema = Type.Object(
  {
    channels: Some(Channel, 'The ways in: email, chat, phone, portal, api'),
    mailboxIds: Some(Id, 'The mailboxes a mail came in through'),
    organisationIds: Some(Id, "The requester's organisation"),
    requesters: Some(RequesterPattern, 'Addresses (jan@gemeente.nl) or domains (gemeente.nl)'),
    words: Some(Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }), 'Words or phrases, in any case; any one of them is enough'),
    wordsIn: Type.Optional(Type.Union([Type.Literal('subject'), Type.Literal('body'), Type.Literal('both')], { description: 'Where the words are looked for (default both)' })),
    languages: Some(Language, "The requester's language"),
  },
  { additionalProperties: false },
)
export type RoutingConditions = Static<typeof RoutingConditionsSchema>

/** What a matching rule sets on the new ticket. A department alone sends it to that department's first-line group. */
export const RoutingActionsSchema = Type.Object(
  {
    departmentId: Type.Optional(Id),
    groupId: Type.Optional(Id),
    priority: Type.Optional(Priority),
    type: Type.Optional(TicketType),
    tags: Type.Optional(Type.Array(Tag, { minItems: 1, maxItems: 20, uniqueItems: true, description: 'Added to the tags the ticket has' })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type RoutingActions = Static<typeof RoutingActionsSchema>

export const RoutingRuleSchema = Type.Object({
  id: Id,
  name: Type.String(),
  enabled: Type.Boolean(),
  position: Type.Integer({ description: 'Its place in the order, from 1: the first rule that matches wins' }),
  conditions: RoutingConditionsSchema,
  actions: RoutingActionsSchema,
  neverMatches: Nullable(
    Type.Object({ ruleId: Id, name: Type.String() }, { description: 'An earlier rule that matches every ticket this one would: this rule never fires' }),
  ),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type RoutingRule = Static<typeof RoutingRuleSchema>

export const CreateRoutingRuleBody = Type.Object(
  { name: NameText(100), enabled: Type.Optional(Type.Boolean()), conditions: RoutingConditionsSchema, actions: RoutingActionsSchema },
  { additionalProperties: false },
)
export type CreateRoutingRuleBody = Static<typeof CreateRoutingRuleBody>
export const UpdateRoutingRuleBody = Type.Object(
  { name: Type.Optional(NameText(100)), enabled: Type.Optional(Type.Boolean()), conditions: Type.Optional(RoutingConditionsSchema), actions: Type.Optional(RoutingActionsSchema) },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateRoutingRuleBody = Static<typeof UpdateRoutingRuleBody>
export const RoutingRuleOrderBody = Type.Object(
  { ids: Type.Array(Id, { maxItems: 5000, uniqueItems: true, description: 'Every rule, in the new order' }) },
  { additionalProperties: false },
)

/** A ticket as it would come in: which rule would take it, and what it would set. */
export const RoutingTestBody = Type.Object(
  {
    channel: Channel,
    requester: Type.String({ format: 'email', maxLength: 254 }),
    subject: Type.String({ maxLength: 1000 }),
    body: Type.String({ maxLength: 100_000 }),
    mailboxId: Type.Optional(Id),
    organisationId: Type.Optional(Nullable(Id)),
    language: Type.Optional(Language),
  },
  { additionalProperties: false, description: "Organisation and language, when left out, are the requester's (a known address) or those of the address's domain" },
)
export type RoutingTestBody = Static<typeof RoutingTestBody>
export const RoutingTestResultSchema = Type.Object({
  rule: Nullable(Type.Object({ id: Id, name: Type.String(), position: Type.Integer() })),
  sets: Type.Object({
    groupId: Type.Optional(Id),
    departmentId: Type.Optional(Id),
    priority: Type.Optional(Priority),
    type: Type.Optional(TicketType),
    tags: Type.Optional(Type.Array(Type.String())),
  }),
  organisationId: Nullable(Id),
  language: Language,
})
export type RoutingTestResult = Static<typeof RoutingTestResultSchema>
