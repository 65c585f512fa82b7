import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  CreateOrganisationBody, CreateUserBody, OrganisationSchema, UpdateOrganisationBody, UpdateUserBody, UserQuery, UserSchema,
} from '../../shared/api/accounts.js'
import { IdParams, Page } from '../../shared/api/common.js'
import { Type } from '@sinclair/typebox'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

export const accountRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/users', { schema: { tags: ['users'], querystring: UserQuery, response: { 200: Page(UserSchema) } } }, (request) =>
    services.accounts.listUsers(requireActor(request), request.query),
  )
  app.post('/users', { schema: { tags: ['users'], body: CreateUserBody, response: { 201: UserSchema } } }, async (request, reply) => {
    reply.code(201)
    return services.accounts.createUser(requireActor(request), request.body)
  })
  app.get('/users/:id', { schema: { tags: ['users'], params: IdParams, response: { 200: UserSchema } } }, (request) =>
    services.accounts.getUser(requireActor(request), request.params.id),
  )
  app.patch('/users/:id', { schema: { tags: ['users'], params: IdParams, body: UpdateUserBody, response: { 200: UserSchema } } }, (request) =>
    services.accounts.updateUser(requireActor(request), request.params.id, request.body),
  )

  const OrgQuery = Type.Object(
    { q: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), cursor: Type.Optional(Type.String({ maxLength: 500 })) },
    { additionalProperties: false },
  )
  app.get('/organisations', { schema: { tags: ['organisations'], querystring: OrgQuery, response: { 200: Page(OrganisationSchema) } } }, (request) =>
    services.organisations.list(requireActor(request), request.query),
  )
  app.post('/organisations', { schema: { tags: ['organisations'], body: CreateOrganisationBody, response: { 201: OrganisationSchema } } }, async (request, reply) => {
    reply.code(201)
    return services.organisations.create(requireActor(request), request.body)
  })
  app.get('/organisations/:id', { schema: { tags: ['organisations'], params: IdParams, response: { 200: OrganisationSchema } } }, (request) =>
    services.organisations.get(requireActor(request), request.params.id),
  )
  app.patch(
    '/organisations/:id',
    { schema: { tags: ['organisations'], params: IdParams, body: UpdateOrganisationBody, response: { 200: OrganisationSchema } } },
    (request) => services.organisations.update(requireActor(request), request.params.id, request.body),
  )
}
