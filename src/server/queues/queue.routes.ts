import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../shared/api/common.js'
import {
  OverviewBody, OverviewSchema, QueueCountsSchema, QueueListSchema, QueueScopeQuery, UpdateOverviewBody, WorkloadQuery, WorkloadSchema,
} from '../../shared/api/queues.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

export const queueRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const queues = services.queues

  app.get(
    '/queues',
    { schema: { tags: ['queues'], summary: "The reader's queues: built-in, their groups', and the overviews for their role or groups", querystring: QueueScopeQuery, response: { 200: QueueListSchema } } },
    (request) => queues.list(requireActor(request), request.query.scope),
  )
  app.get(
    '/queues/counts',
    { schema: { tags: ['queues'], summary: 'How many tickets each of the reader’s queues holds, exact up to 10,000, in one answer', querystring: QueueScopeQuery, response: { 200: QueueCountsSchema } } },
    (request) => queues.counts(requireActor(request), request.query.scope),
  )
  app.get(
    '/queues/workload',
    { schema: { tags: ['queues'], summary: 'Open tickets per agent (team leads and administrators)', querystring: WorkloadQuery, response: { 200: WorkloadSchema } } },
    (request) => queues.workload(requireActor(request), request.query.groupIds?.split(',').filter(Boolean)),
  )

  app.get('/overviews', { schema: { tags: ['queues'], summary: 'Overviews administrators defined (administrators see all)', response: { 200: Type.Object({ items: Type.Array(OverviewSchema) }) } } }, async (request) => ({
    items: await queues.listOverviews(requireActor(request)),
  }))
  app.post('/overviews', { schema: { tags: ['queues'], summary: 'Define an overview (administrators)', body: OverviewBody, response: { 201: OverviewSchema } } }, async (request, reply) => {
    reply.code(201)
    return queues.createOverview(requireActor(request), request.body)
  })
  app.patch('/overviews/:id', { schema: { tags: ['queues'], params: IdParams, body: UpdateOverviewBody, response: { 200: OverviewSchema } } }, (request) =>
    queues.updateOverview(requireActor(request), request.params.id, request.body),
  )
  app.delete('/overviews/:id', { schema: { tags: ['queues'], params: IdParams } }, async (request, reply) => {
    await queues.deleteOverview(requireActor(request), request.params.id)
    reply.code(204)
  })
}
