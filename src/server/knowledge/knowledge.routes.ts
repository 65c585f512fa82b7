import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../shared/api/common.js'
import {
  ArticleQuery, ArticleSummarySchema, ArticleVersionSchema, CategorySchema, CreateArticleBody, CreateCategoryBody, KnowledgeArticleSchema,
  PublicArticleQuery, PublicArticleSchema, SuggestionsSchema, TicketRefBody, UpdateArticleBody, UpdateCategoryBody, VersionParams,
} from '../../shared/api/knowledge.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'
import { parseIfMatch } from '../tickets/ticket.routes.js'

const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String()) })

export const knowledgeRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const knowledge = services.knowledge
  const tags = ['knowledge']

  app.get(
    '/knowledge/articles',
    { schema: { tags, summary: 'Articles; customers get published public ones only. With q: full-text search, best first', querystring: ArticleQuery, response: { 200: Type.Object({ items: Type.Array(ArticleSummarySchema) }) } } },
    async (request) => ({ items: await knowledge.listArticles(requireActor(request), request.query) }),
  )
  app.post('/knowledge/articles', { schema: { tags, body: CreateArticleBody, response: { 201: KnowledgeArticleSchema } } }, async (request, reply) => {
    const article = await knowledge.createArticle(requireActor(request), request.body)
    reply.code(201).header('location', `/api/v1/knowledge/articles/${article.id}`).header('etag', `"${article.version}"`)
    return article
  })
  app.post(
    '/knowledge/articles/from-ticket',
    { schema: { tags, summary: 'Maak kennisartikel: a draft from the solution note of an escalated or resolved ticket, linked to it', body: TicketRefBody, response: { 201: KnowledgeArticleSchema } } },
    async (request, reply) => {
      const article = await knowledge.draftFromTicket(requireActor(request), request.body.ticketId)
      reply.code(201).header('location', `/api/v1/knowledge/articles/${article.id}`).header('etag', `"${article.version}"`)
      return article
    },
  )
  app.get('/knowledge/articles/:id', { schema: { tags, params: IdParams, response: { 200: KnowledgeArticleSchema } } }, async (request, reply) => {
    const article = await knowledge.getArticle(requireActor(request), request.params.id)
    reply.header('etag', `"${article.version}"`)
    return article
  })
  app.patch(
    '/knowledge/articles/:id',
    { schema: { tags, summary: 'Change an article; needs If-Match with its version (412 when someone else changed it first)', params: IdParams, headers: IfMatch, body: UpdateArticleBody, response: { 200: KnowledgeArticleSchema } } },
    async (request, reply) => {
      const article = await knowledge.updateArticle(requireActor(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)
      reply.header('etag', `"${article.version}"`)
      return article
    },
  )
  app.post(
    '/knowledge/articles/:id/archive',
    { schema: { tags, summary: 'Archive an article: kept with its versions, no longer offered', params: IdParams, headers: IfMatch, response: { 200: KnowledgeArticleSchema } } },
    async (request, reply) => {
      const article = await knowledge.archiveArticle(requireActor(request), request.params.id, parseIfMatch(request.headers['if-match']))
      reply.header('etag', `"${article.version}"`)
      return article
    },
  )
  app.get(
    '/knowledge/articles/:id/versions',
    { schema: { tags, summary: 'Every version, newest first: who changed what, when', params: IdParams, response: { 200: Type.Object({ items: Type.Array(ArticleVersionSchema) }) } } },
    async (request) => ({ items: await knowledge.versions(requireActor(request), request.params.id) }),
  )
  app.get('/knowledge/articles/:id/versions/:version', { schema: { tags, params: VersionParams, response: { 200: ArticleVersionSchema } } }, (request) =>
    knowledge.version(requireActor(request), request.params.id, request.params.version),
  )
  app.post(
    '/knowledge/articles/:id/versions/:version/restore',
    { schema: { tags, summary: 'Make an earlier version the newest one again', params: VersionParams, headers: IfMatch, response: { 200: KnowledgeArticleSchema } } },
    async (request, reply) => {
      const article = await knowledge.restore(requireActor(request), request.params.id, request.params.version, parseIfMatch(request.headers['if-match']))
      reply.header('etag', `"${article.version}"`)
      return article
    },
  )
  app.post(
    '/knowledge/articles/:id/uses',
    { schema: { tags, summary: 'Record that the article was linked or sent on a ticket (once per ticket)', params: IdParams, body: TicketRefBody, response: { 200: KnowledgeArticleSchema } } },
    (request) => knowledge.recordUse(requireActor(request), request.params.id, request.body.ticketId),
  )

  app.get('/knowledge/categories', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(CategorySchema) }) } } }, async (request) => {
    requireActor(request)
    return { items: await knowledge.listCategories() }
  })
  app.post('/knowledge/categories', { schema: { tags, body: CreateCategoryBody, response: { 201: CategorySchema } } }, async (request, reply) => {
    reply.code(201)
    return knowledge.createCategory(requireActor(request), request.body)
  })
  app.patch('/knowledge/categories/:id', { schema: { tags, params: IdParams, body: UpdateCategoryBody, response: { 200: CategorySchema } } }, (request) =>
    knowledge.updateCategory(requireActor(request), request.params.id, request.body),
  )

  app.get(
    '/tickets/:id/suggestions',
    { schema: { tags: ['tickets', ...tags], summary: "Templates and articles ranked by the ticket's text", params: IdParams, response: { 200: SuggestionsSchema } } },
    (request) => knowledge.suggestions(requireActor(request), request.params.id),
  )

  app.get(
    '/public/knowledge/articles',
    {
      config: { public: true },
      schema: { tags, summary: 'Published public articles, without signing in; with q: full-text search', security: [], querystring: PublicArticleQuery, response: { 200: Type.Object({ items: Type.Array(PublicArticleSchema) }) } },
    },
    async (request) => ({ items: await knowledge.publicArticles(request.query) }),
  )
}
