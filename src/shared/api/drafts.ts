import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'
import { ProposedReplySchema } from './escalations.js'
import { TicketStatus, Visibility } from './tickets.js'

/** A reply or note being written: one per ticket per agent, kept on the server so nothing is lost. */
export const DraftSchema = Type.Object({
  ticketId: Id,
  body: Type.String(),
  visibility: Visibility,
  status: Nullable(TicketStatus),
  proposal: Nullable({ ...ProposedReplySchema, description: 'The proposed reply this draft was made from ("Gebruik als antwoord"): sending the draft with its articleId as proposedReplyId records it' }),
  updatedAt: Timestamp,
})
export type Draft = Static<typeof DraftSchema>

export const PutDraftBody = Type.Object(
  {
    body: Type.String({ maxLength: 1_000_000 }),
    visibility: Visibility,
    status: Type.Optional(Nullable(TicketStatus)),
    proposedReplyId: Type.Optional(Nullable({ ...Id, description: 'A proposed reply of this ticket that the draft is made from; null (or left out) for none' })),
  },
  { additionalProperties: false },
)
export type PutDraftBody = Static<typeof PutDraftBody>
