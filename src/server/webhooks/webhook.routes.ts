import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../shared/api/common.js'
import {
  CreateWebhookBody, UpdateWebhookBody, WebhookDeliveryQuery, WebhookDeliverySchema, WebhookSchema, WebhookWithSecretSchema,
} from '../../shared/api/webhooks.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

/** Administrators' outgoing webhooks. Secrets go in, and come out only in the answer that set them. */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['webhooks']
  app.get('/webhooks', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(WebhookSchema) }) } } }, async (request) => ({
    items: await services.webhooks.list(requireActor(request)),
  }))
  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        body: CreateWebhookBody,
        description: 'Subscribes a URL to event types. Each delivery is a signed POST (see the Loket-Signature header in docs/administrators-webhooks.md).',
        response: { 201: WebhookWithSecretSchema },
      },
    },
    async (request, reply) => {
      reply.code(201)
      return services.webhooks.create(requireActor(request), request.body)
    },
  )
  app.get('/webhooks/:id', { schema: { tags, params: IdParams, response: { 200: WebhookSchema } } }, (request) =>
    services.webhooks.get(requireActor(request), request.params.id),
  )
  app.patch(
    '/webhooks/:id',
    { schema: { tags, params: IdParams, body: UpdateWebhookBody, response: { 200: Type.Union([WebhookWithSecretSchema, WebhookSchema]) } } },
    (request) => services.webhooks.update(requireActor(request), request.params.id, request.body),
  )
  app.delete('/webhooks/:id', { schema: { tags, params: IdParams } }, async (request, reply) => {
    await services.webhooks.remove(requireActor(request), request.params.id)
    return reply.code(204).send()
  })
  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: WebhookDeliveryQuery,
        description: 'Every try of every event to this webhook, newest first: status code or error, duration, time, next try.',
        response: { 200: Type.Object({ items: Type.Array(WebhookDeliverySchema) }) },
      },
    },
    async (request) => ({ items: await services.webhooks.deliveries(requireActor(request), request.params.id, request.query.limit) }),
  )
}
