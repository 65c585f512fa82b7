import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  CatalogCategoryBody,
  CatalogCategorySchema,
  CatalogItemBody,
  CatalogItemQuery,
  CatalogItemSchema,
  CatalogRequestBody,
  CatalogRequestCreated,
  CatalogRequestSchema,
  StepBody,
  StepParams,
} from '../../shared/api/catalogue.js'
import { IdParams } from '../../shared/api/common.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

const tags = ['catalogue']

/** The service catalogue: everyone signed in reads it, customers make requests, administrators edit it. */
export const catalogueRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const catalogue = services.catalogue
  app.get('/catalog/categories', { schema: { tags, summary: 'The catalogue\'s themes, in their order', response: { 200: Type.Object({ items: Type.Array(CatalogCategorySchema) }) } } }, async (request) => {
    requireActor(request)
    return { items: await catalogue.listCategories() }
  })
  app.post('/catalog/categories', { schema: { tags, summary: 'A new theme (administrators)', body: CatalogCategoryBody, response: { 201: CatalogCategorySchema } } }, async (request, reply) =>
    reply.code(201).send(await catalogue.createCategory(requireActor(request), request.body)),
  )
  app.put('/catalog/categories/:id', { schema: { tags, summary: 'Change a theme (administrators)', params: IdParams, body: CatalogCategoryBody, response: { 200: CatalogCategorySchema } } }, (request) =>
    catalogue.updateCategory(requireActor(request), request.params.id, request.body),
  )
  app.get(
    '/catalog/items',
    { schema: { tags, summary: 'Active items with their forms; staff also see steps, routing and how often an item did not fit', querystring: CatalogItemQuery, response: { 200: Type.Object({ items: Type.Array(CatalogItemSchema) }) } } },
    async (request) => ({ items: await catalogue.listItems(requireActor(request), request.query) }),
  )
  app.get('/catalog/items/:id', { schema: { tags, summary: 'One item with its form', params: IdParams, response: { 200: CatalogItemSchema } } }, (request) =>
    catalogue.getItem(requireActor(request), request.params.id),
  )
  app.post('/catalog/items', { schema: { tags, summary: 'A new item (administrators)', body: CatalogItemBody, response: { 201: CatalogItemSchema } } }, async (request, reply) =>
    reply.code(201).send(await catalogue.createItem(requireActor(request), request.body)),
  )
  app.put('/catalog/items/:id', { schema: { tags, summary: 'Change an item (administrators)', params: IdParams, body: CatalogItemBody, response: { 200: CatalogItemSchema } } }, (request) =>
    catalogue.updateItem(requireActor(request), request.params.id, request.body),
  )
  app.post(
    '/catalog/items/:id/requests',
    { schema: { tags, summary: 'A customer\'s request: opens a ticket in the item\'s group with the answers as a table', params: IdParams, body: CatalogRequestBody, response: { 201: CatalogRequestCreated } } },
    async (request, reply) => reply.code(201).send(await catalogue.request(requireActor(request), request.params.id, request.body)),
  )
  app.post(
    '/catalog/items/:id/misfits',
    { schema: { tags, summary: 'A customer says this choice did not fit their question (counted per item)', params: IdParams, response: { 204: Type.Null({ description: 'Counted' }) } } },
    async (request, reply) => {
      await catalogue.reportMisfit(requireActor(request), request.params.id)
      return reply.code(204).send(null)
    },
  )
  app.get('/tickets/:id/catalog-request', { schema: { tags, summary: 'The catalogue request behind a ticket: its answers, and for staff its fulfilment steps', params: IdParams, response: { 200: CatalogRequestSchema } } }, (request) =>
    catalogue.requestOf(requireActor(request), request.params.id),
  )
  app.put(
    '/tickets/:id/catalog-request/steps/:position',
    { schema: { tags, summary: 'Tick a fulfilment step off, or on again (staff)', params: StepParams, body: StepBody, response: { 200: CatalogRequestSchema } } },
    (request) => catalogue.setStep(requireActor(request), request.params.id, request.params.position, request.body.done),
  )
}
