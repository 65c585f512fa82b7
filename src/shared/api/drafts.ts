import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'
import { TicketStatus, Visibility } from './tickets.js'

/** A reply or note being written: one per ticket per agent, kept on the server so nothing is lost. */
export const DraftSchema = Type.Object({
  ticketId: Id,
  body: Type.String(),
  visibility: Visibility,
  status: Nullable(TicketStatus),
  updatedAt: Timestamp,
})
export type Draft = Static<typeof DraftSchema>

export const PutDraftBody = Type.Object(
  {
    body: Type.String({ maxLength: 1_000_000 }),
    visibility: Visibility,
    status: Type.Optional(Nullable(TicketStatus)),
  },
  { additionalProperties: false },
)
export type PutDraftBody = Static<typeof PutDraftBody>
