import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable } from './common.js'
import { TicketSchema } from './tickets.js'

export const SearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 500, description: 'A ticket number (2026-00297, 00297, 297), an e-mail address, a phone number in any notation, a name or words' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'At most this many full-text tickets (default 20)' })),
  },
  { additionalProperties: false },
)
export type SearchQuery = Static<typeof SearchQuery>

export const TicketHitSchema = Type.Object({
  matchedOn: Type.Union([Type.Literal('number'), Type.Literal('text')], { description: 'number: the query is (the end of) its number; text: full-text' }),
  ticket: TicketSchema,
})
export type TicketHit = Static<typeof TicketHitSchema>

export const PersonHitSchema = Type.Object({
  id: Id,
  name: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String({ description: 'As it was entered' })),
  role: Type.String(),
  organisation: Nullable(Type.Object({ id: Id, name: Type.String() })),
  matchedOn: Type.Union([Type.Literal('email'), Type.Literal('phone')]),
})
export type PersonHit = Static<typeof PersonHitSchema>

export const OrganisationHitSchema = Type.Object({ id: Id, name: Type.String() })
export type OrganisationHit = Static<typeof OrganisationHitSchema>

export const SearchResultSchema = Type.Object({
  query: Type.String(),
  exactTicketId: Nullable({ ...Id, description: 'Set when the query is a ticket number that names exactly one ticket: open it at once' }),
  tickets: Type.Array(TicketHitSchema, { description: 'Number matches first, then full-text matches, newest activity first' }),
  people: Type.Array(PersonHitSchema, { description: 'Staff only: people by e-mail address or phone number (E.164 compared)' }),
  organisations: Type.Array(OrganisationHitSchema, { description: 'Staff only: organisations whose name contains the query' }),
})
export type SearchResult = Static<typeof SearchResultSchema>
