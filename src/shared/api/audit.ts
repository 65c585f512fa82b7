import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'

export const AuditEntrySchema = Type.Object({
  id: Id,
  at: Timestamp,
  actorId: Nullable(Type.String({ description: 'Who did it; null for Loket itself and the command line' })),
  actorName: Nullable(Type.String()),
  action: Type.String({ description: 'What happened, e.g. auth.signed-in, user.changed, token.revoked' }),
  subjectUserId: Nullable(Type.String({ description: 'Whose account or data it was about' })),
  subjectName: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'Changed field names and non-secret values; never passwords or tokens' }),
})
export type AuditEntry = Static<typeof AuditEntrySchema>

export const AuditQuery = Type.Object(
  {
    actorId: Type.Optional(Id),
    subjectUserId: Type.Optional(Id),
    action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    organisationId: Type.Optional({ ...Id, description: 'Entries about this organisation (its local administrators, reminders to its members, members its local administrator added)' }),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this moment' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries before this moment' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { description: 'csv: every matching entry as one CSV file (recorded as an export)' })),
  },
  { additionalProperties: false },
)
export type AuditQuery = Static<typeof AuditQuery>
