import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { SearchQuery, SearchResultSchema } from '../../shared/api/search.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

export const searchRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Find tickets (by number or words), people (by e-mail address or phone number) and organisations (by name) in one answer',
        querystring: SearchQuery,
        response: { 200: SearchResultSchema },
      },
    },
    (request) => services.search.search(requireActor(request), request.query),
  )
}
