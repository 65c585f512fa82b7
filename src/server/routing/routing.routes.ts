import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../shared/api/common.js'
import {
  CreateRoutingRuleBody, RoutingRuleOrderBody, RoutingRuleSchema, RoutingTestBody, RoutingTestResultSchema, UpdateRoutingRuleBody,
} from '../../shared/api/routing.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

/** Administrators' routing rules: ordered, the first that matches a new ticket wins. */
export const routingRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['routing-rules']
  const List = Type.Object({ items: Type.Array(RoutingRuleSchema) })
  app.get('/routing-rules', { schema: { tags, response: { 200: List } } }, async (request) => ({ items: await services.routing.list(requireActor(request)) }))
  app.post('/routing-rules', { schema: { tags, body: CreateRoutingRuleBody, response: { 201: RoutingRuleSchema } } }, async (request, reply) => {
    reply.code(201)
    return services.routing.create(requireActor(request), request.body)
  })
  app.patch('/routing-rules/:id', { schema: { tags, params: IdParams, body: UpdateRoutingRuleBody, response: { 200: RoutingRuleSchema } } }, (request) =>
    services.routing.update(requireActor(request), request.params.id, request.body),
  )
  app.delete('/routing-rules/:id', { schema: { tags, params: IdParams } }, async (request, reply) => {
    await services.routing.remove(requireActor(request), request.params.id)
    return reply.code(204).send()
  })
  app.put(
    '/routing-rules/order',
    { schema: { tags, body: RoutingRuleOrderBody, description: 'Puts the rules in this order; the list must name every rule once (409 otherwise).', response: { 200: List } } },
    async (request) => ({ items: await services.routing.reorder(requireActor(request), request.body.ids) }),
  )
  app.post(
    '/routing-rules/test',
    { schema: { tags, body: RoutingTestBody, description: 'Which rule a sample ticket would meet first and what it would set; nothing is written.', response: { 200: RoutingTestResultSchema } } },
    (request) => services.routing.test(requireActor(request), request.body),
  )
}
