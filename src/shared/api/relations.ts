import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'

/** Merge, link and split (src/server/tickets/merge-ticket.ts, link-tickets.ts, split-ticket.ts). */
export const MergeBody = Type.Object(
  { targetId: { ...Id, description: 'The ticket this duplicate goes into' } },
  { additionalProperties: false },
)
export type MergeBody = Static<typeof MergeBody>

export const LinkBody = Type.Object({ ticketId: { ...Id, description: 'The related ticket' } }, { additionalProperties: false })
export type LinkBody = Static<typeof LinkBody>

export const SplitBody = Type.Object(
  {
    articleId: { ...Id, description: "The customer's message that becomes a ticket of its own" },
    subject: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: "The new ticket's subject; the old one's when left out" })),
  },
  { additionalProperties: false },
)
export type SplitBody = Static<typeof SplitBody>

const TicketRef = Type.Object({ id: Id, number: Type.String(), subject: Type.String(), status: Type.String() })
export type TicketRef = Static<typeof TicketRef>

export const TicketRelationsSchema = Type.Object({
  links: Type.Array(Type.Object({ ...TicketRef.properties, linkedAt: Timestamp }), { description: 'Related tickets (a customer sees only links to their own tickets)' }),
  merged: Type.Array(TicketRef, { description: 'Tickets merged into this one' }),
  requesters: Type.Array(Type.Object({ id: Id, name: Type.String(), email: Nullable(Type.String()) }), {
    description: 'Further requesters, brought by merging their ticket into this one (staff only; empty for customers)',
  }),
})
export type TicketRelations = Static<typeof TicketRelationsSchema>
