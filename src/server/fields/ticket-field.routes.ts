import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../shared/api/common.js'
import { CreateTicketFieldBody, TicketFieldSchema, UpdateTicketFieldBody } from '../../shared/api/ticket-fields.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

/** Ticket fields an administrator adds (vrije velden): everyone signed in reads what they may see; administrators change them. */
export const ticketFieldRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['ticket-fields']
  const List = Type.Object({ items: Type.Array(TicketFieldSchema) })
  app.get(
    '/ticket-fields',
    { schema: { tags, description: 'Staff get every field (also switched off); customers the public fields in use.', response: { 200: List } } },
    async (request) => ({ items: await services.fields.list(requireActor(request)) }),
  )
  app.post('/ticket-fields', { schema: { tags, body: CreateTicketFieldBody, response: { 201: TicketFieldSchema } } }, async (request, reply) => {
    reply.code(201)
    return services.fields.create(requireActor(request), request.body)
  })
  app.patch('/ticket-fields/:id', { schema: { tags, params: IdParams, body: UpdateTicketFieldBody, response: { 200: TicketFieldSchema } } }, (request) =>
    services.fields.update(requireActor(request), request.params.id, request.body),
  )
  app.delete(
    '/ticket-fields/:id',
    { schema: { tags, params: IdParams, description: 'Only a field no ticket holds a value of (409 otherwise: switch it off with active: false).' } },
    async (request, reply) => {
      await services.fields.remove(requireActor(request), request.params.id)
      return reply.code(204).send()
    },
  )
}
