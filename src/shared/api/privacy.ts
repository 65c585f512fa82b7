import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'

/** What erasing a person touches: their tickets (as requester), articles, files, and what they wrote on other tickets. */
export const ErasureSummary = Type.Object({
  tickets: Type.Integer({ description: 'Tickets they asked (requester): subject, every article and file anonymised' }),
  articles: Type.Integer({ description: 'Articles whose text and mail headers are removed' }),
  attachments: Type.Integer({ description: 'Attachments removed, raw mails (message.eml) included' }),
  articlesElsewhere: Type.Integer({ description: 'Of those articles, the ones they wrote on other people\'s tickets' }),
})
export type ErasureSummary = Static<typeof ErasureSummary>

export const ErasureBody = Type.Object(
  {
    confirmation: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'The token from the first call (step 2)' })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'The person\'s name as shown in the first call, typed again (step 2)' })),
  },
  { additionalProperties: false },
)
export type ErasureBody = Static<typeof ErasureBody>

export const ErasureAnswer = Type.Union([
  Type.Object({
    step: Type.Literal('confirm'),
    person: Type.Object({ id: Id, name: Type.String(), email: Nullable(Type.String()) }),
    summary: ErasureSummary,
    confirmation: Type.String({ description: 'Send it back, with the person\'s name typed, to erase: valid for 10 minutes' }),
    expiresAt: Timestamp,
  }),
  Type.Object({
    step: Type.Literal('erased'),
    person: Type.Object({ id: Id, name: Type.String({ description: '"Geanonimiseerde klant #n"' }) }),
    number: Type.Integer(),
    summary: ErasureSummary,
  }),
])
export type ErasureAnswer = Static<typeof ErasureAnswer>

export const RetentionRule = Type.Object({
  departmentId: Id,
  months: Nullable(Type.Integer({ minimum: 1, description: 'Closed tickets are anonymised this many months after they were closed; null: kept' })),
})
export type RetentionRule = Static<typeof RetentionRule>

export const RetentionBody = Type.Object(
  { months: Nullable(Type.Integer({ minimum: 1, maximum: 1200 })) },
  { additionalProperties: false },
)

export const RetentionDryRunQuery = Type.Object(
  { months: Type.Optional(Type.Integer({ minimum: 1, maximum: 1200, description: 'Try another period than the department\'s rule' })) },
  { additionalProperties: false },
)

export const RetentionDryRun = Type.Object({
  departmentId: Id,
  months: Type.Integer(),
  cutoff: Timestamp,
  tickets: Type.Integer({ description: 'Closed tickets the next run would anonymise' }),
  oldestClosedAt: Nullable(Timestamp),
  sample: Type.Array(Type.Object({ id: Id, number: Type.String(), closedAt: Timestamp })),
})
export type RetentionDryRun = Static<typeof RetentionDryRun>
