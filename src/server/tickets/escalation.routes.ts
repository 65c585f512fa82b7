import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams, Page } from '../../shared/api/common.js'
import { EscalateBody, EscalationQueueItemSchema, EscalationQueueQuery, EscalationSchema, ReturnBody } from '../../shared/api/escalations.js'
import { TicketSchema } from '../../shared/api/tickets.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'
import { parseIfMatch } from './ticket.routes.js'

const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'The ticket version you saw, from its ETag' })) })

/** Escalation as a step: to a back office and back to the desk, and the queues of handoffs. */
export const escalationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tickets = services.tickets

  app.post(
    '/tickets/:id/escalations',
    {
      schema: {
        tags: ['escalations'],
        summary: 'Escalate to a back-office group with a handoff note; you become the coordinator. Needs If-Match (412 when someone else changed the ticket first)',
        params: IdParams,
        headers: IfMatch,
        body: EscalateBody,
        response: { 201: TicketSchema },
      },
    },
    async (request, reply) => {
      const ticket = await tickets.escalate(requireActor(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)
      reply.code(201).header('etag', `"${ticket.version}"`)
      return ticket
    },
  )

  app.post(
    '/tickets/:id/returns',
    {
      schema: {
        tags: ['escalations'],
        summary: 'Return an escalated ticket to its coordinator with a note and an optional proposed reply (409 when it is not escalated). Needs If-Match',
        params: IdParams,
        headers: IfMatch,
        body: ReturnBody,
        response: { 201: TicketSchema },
      },
    },
    async (request, reply) => {
      const ticket = await tickets.returnToDesk(requireActor(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)
      reply.code(201).header('etag', `"${ticket.version}"`)
      return ticket
    },
  )

  app.get(
    '/tickets/:id/escalations',
    { schema: { tags: ['escalations'], summary: 'The handoffs of a ticket, oldest first (staff only)', params: IdParams, response: { 200: Type.Object({ items: Type.Array(EscalationSchema) }) } } },
    async (request) => ({ items: await tickets.escalationsOf(requireActor(request), request.params.id) }),
  )

  app.get(
    '/escalations',
    {
      schema: {
        tags: ['escalations'],
        summary: 'Handoff queues: mine ("Mijn escalaties"), returned ("Terug van backoffice"), ours ("Voor ons", oldest first). Staff only',
        querystring: EscalationQueueQuery,
        response: { 200: Page(EscalationQueueItemSchema) },
      },
    },
    (request) => tickets.escalationQueue(requireActor(request), request.query),
  )
}
