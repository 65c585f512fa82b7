import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../shared/api/common.js'
import { DraftSchema, PutDraftBody } from '../../shared/api/drafts.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

export const draftRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/tickets/:id/draft',
    { schema: { tags: ['tickets'], summary: 'Your reply draft on this ticket (204 when there is none)', params: IdParams, response: { 200: DraftSchema, 204: Type.Null() } } },
    async (request, reply) => {
      const draft = await services.drafts.get(requireActor(request), request.params.id)
      if (!draft) return reply.code(204).send(null)
      return draft
    },
  )

  app.put(
    '/tickets/:id/draft',
    { schema: { tags: ['tickets'], summary: 'Keep your reply draft on this ticket', params: IdParams, body: PutDraftBody, response: { 200: DraftSchema } } },
    (request) => services.drafts.put(requireActor(request), request.params.id, request.body),
  )

  app.delete(
    '/tickets/:id/draft',
    { schema: { tags: ['tickets'], summary: 'Throw your reply draft away', params: IdParams, response: { 204: Type.Null({ description: 'The draft is gone (also when there was none)' }) } } },
    async (request, reply) => {
      await services.drafts.remove(requireActor(request), request.params.id)
      return reply.code(204).send(null)
    },
  )
}
