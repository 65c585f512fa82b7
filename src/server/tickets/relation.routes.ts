import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Id, IdParams } from '../../shared/api/common.js'
import { LinkBody, MergeBody, SplitBody, TicketRelationsSchema } from '../../shared/api/relations.js'
import { TicketSchema } from '../../shared/api/tickets.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'
import { parseIfMatch } from './ticket.routes.js'

const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ticket version you saw, from its ETag' })) })

/** Merge, link and split: tickets that belong together, and one that holds two questions. */
export const relationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tickets = services.tickets

  app.post(
    '/tickets/:id/merge',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'Merge this duplicate into another ticket: articles, attachments, tags and requester move; this one is closed and points at the target. Staff only; needs If-Match. 422 into itself or into a merged or closed ticket',
        params: IdParams,
        headers: IfMatch,
        body: MergeBody,
        response: { 200: Type.Object({ ticket: TicketSchema, target: TicketSchema }) },
      },
    },
    async (request, reply) => {
      const result = await tickets.merge(requireActor(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)
      reply.header('etag', `"${result.ticket.version}"`)
      return result
    },
  )

  app.post(
    '/tickets/:id/splits',
    {
      schema: {
        tags: ['tickets'],
        summary: "Split a customer's message off into a new ticket (opened like any other, linked to this one). Staff only; needs If-Match",
        params: IdParams,
        headers: IfMatch,
        body: SplitBody,
        response: { 201: Type.Object({ ticket: TicketSchema, created: TicketSchema }) },
      },
    },
    async (request, reply) => {
      const result = await tickets.split(requireActor(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)
      reply.code(201).header('location', `/api/v1/tickets/${result.created.id}`).header('etag', `"${result.ticket.version}"`)
      return result
    },
  )

  app.get(
    '/tickets/:id/links',
    { schema: { tags: ['tickets'], summary: 'Linked tickets, tickets merged into this one, further requesters', params: IdParams, response: { 200: TicketRelationsSchema } } },
    (request) => tickets.relations(requireActor(request), request.params.id),
  )

  app.post(
    '/tickets/:id/links',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Link a related ticket (shown on both; 201 new, 200 linked already). Staff only; 422 for itself or an unknown ticket',
        params: IdParams,
        body: LinkBody,
        response: { 200: TicketRelationsSchema, 201: TicketRelationsSchema },
      },
    },
    async (request, reply) => {
      const actor = requireActor(request)
      const made = await tickets.link(actor, request.params.id, request.body.ticketId)
      reply.code(made ? 201 : 200)
      return tickets.relations(actor, request.params.id)
    },
  )

  app.delete(
    '/tickets/:id/links/:otherId',
    { schema: { tags: ['tickets'], summary: 'Remove the link between two tickets (staff only)', params: Type.Object({ id: Id, otherId: Id }, { additionalProperties: false }) } },
    async (request, reply) => {
      await tickets.unlink(requireActor(request), request.params.id, request.params.otherId)
      reply.code(204)
    },
  )
}
