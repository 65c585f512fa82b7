import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  AddIdentityBody, ContactIdentitySchema, IdentityParams, MergeUserBody, MergeUserResult,
  CreateOrganisationBody, CreateUserBody, LocalAdminChangeSchema, LocalAdministratorsBody, OrganisationQuery, OrganisationSchema, ReminderBody, ReminderResult, TokenParams, TokenSchema,
  UpdateOrganisationBody, UpdateUserBody, UserQuery, UserSchema,
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

  const Identities = Type.Object({ items: Type.Array(ContactIdentitySchema) })
  app.get(
    '/users/:id/identities',
    { schema: { tags: ['users'], summary: "A customer's identifiers: e-mail addresses, phone numbers (E.164), chat ids (staff)", params: IdParams, response: { 200: Identities } } },
    async (request) => ({ items: await services.identities.list(requireActor(request), request.params.id) }),
  )
  app.post(
    '/users/:id/identities',
    {
      schema: {
        tags: ['users'],
        summary: 'Add an e-mail address, phone number or chat id to a customer (staff); 409 when someone else is known by it',
        params: IdParams,
        body: AddIdentityBody,
        response: { 201: Identities },
      },
    },
    async (request, reply) => {
      reply.code(201)
      return { items: await services.identities.add(requireActor(request), request.params.id, request.body) }
    },
  )
  app.delete(
    '/users/:id/identities/:kind/:value',
    {
      schema: {
        tags: ['users'],
        summary: "Remove one of a customer's identifiers (staff); the account's own e-mail address is changed on the account instead (409)",
        params: IdentityParams,
        response: { 204: Type.Null({ description: 'Removed' }) },
      },
    },
    async (request, reply) => {
      await services.identities.remove(requireActor(request), request.params.id, request.params.kind, request.params.value)
      return reply.code(204).send(null)
    },
  )
  app.post(
    '/users/:id/merge',
    {
      schema: {
        tags: ['users'],
        summary:
          'Merge this customer into another (staff): identifiers, tickets (as requester and further requester) and, when the other has none, the organisation go over; this account is disabled and points at the other. 422 for oneself, staff, or a customer merged already',
        params: IdParams,
        body: MergeUserBody,
        response: { 200: MergeUserResult },
      },
    },
    (request) => services.identities.merge(requireActor(request), request.params.id, request.body.intoId),
  )

  app.get(
    '/users/:id/tokens',
    { schema: { tags: ['users'], summary: "A user's API tokens, without secrets (administrators; or one's own)", params: IdParams, response: { 200: Type.Object({ items: Type.Array(TokenSchema) }) } } },
    async (request) => ({ items: await services.accounts.listTokens(requireActor(request), request.params.id) }),
  )
  app.delete(
    '/users/:id/tokens/:tokenId',
    { schema: { tags: ['users'], summary: "Revoke a user's API token at once (administrators; or one's own)", params: TokenParams, response: { 204: Type.Null({ description: 'Revoked' }) } } },
    async (request, reply) => {
      await services.accounts.revokeToken(requireActor(request), request.params.id, request.params.tokenId)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/users/:id/password-reset',
    {
      schema: {
        tags: ['users'],
        summary: 'Send the user a one-time link by mail to choose a password (staff for customers, administrators for anyone)',
        params: IdParams,
        response: { 202: Type.Object({ expiresAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (request, reply) => {
      reply.code(202)
      return services.accounts.sendPasswordReset(requireActor(request), request.params.id)
    },
  )
  app.post(
    '/users/:id/invite',
    {
      schema: {
        tags: ['users'],
        summary: 'Invite the user by mail: a one-time link to choose a first password, valid 72 hours (administrators for staff, staff for customers)',
        params: IdParams,
        response: { 202: Type.Object({ expiresAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (request, reply) => {
      reply.code(202)
      return services.accounts.sendInvite(requireActor(request), request.params.id)
    },
  )
  const LinkSecret = Type.String({ minLength: 20, maxLength: 200, description: 'The secret from the link in the mail (after #)' })
  app.post(
    '/account-links/password',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Choose a new password with the one-time link from the mail; ends every session of the account',
        body: Type.Object({ token: LinkSecret, password: Type.String({ minLength: 8, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'The password is set' }) },
      },
    },
    async (request, reply) => {
      await services.accounts.resetPassword(request.body.token, request.body.password)
      return reply.code(204).send(null)
    },
  )
  app.post(
    '/account-links/email',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Confirm a new e-mail address with the one-time link sent to it; the change takes effect now',
        body: Type.Object({ token: LinkSecret }, { additionalProperties: false }),
        response: { 204: Type.Null({ description: 'The address is changed' }) },
      },
    },
    async (request, reply) => {
      await services.accounts.confirmEmail(request.body.token)
      return reply.code(204).send(null)
    },
  )

  app.get('/organisations', { schema: { tags: ['organisations'], querystring: OrganisationQuery, response: { 200: Page(OrganisationSchema) } } }, (request) =>
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
  app.put(
    '/organisations/:id/local-administrators',
    {
      schema: {
        tags: ['organisations'],
        summary: "Assign or replace an organisation's local administrators on its request (staff); recorded in the audit trail with who asked, the new ones get a mail",
        params: IdParams,
        body: LocalAdministratorsBody,
        response: { 200: OrganisationSchema },
      },
    },
    async (request) => {
      const actor = requireActor(request)
      await services.localAdmins.setLocalAdministrators(actor, request.params.id, request.body)
      return services.organisations.get(actor, request.params.id)
    },
  )
  app.get(
    '/organisations/:id/local-administrator-changes',
    {
      schema: {
        tags: ['organisations'],
        summary: "The audit trail of an organisation's local administrators, newest first: who asked, which agent did it, when, before and after (staff)",
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(LocalAdminChangeSchema) }) },
      },
    },
    async (request) => ({ items: await services.localAdmins.localAdministratorChanges(requireActor(request), request.params.id, request.query.limit) }),
  )
  app.post(
    '/organisations/local-administrator-reminders',
    {
      schema: {
        tags: ['organisations'],
        summary: 'Mail every active member of these organisations that have no local administrator a reminder to get one (staff); organisations that have one are skipped',
        body: ReminderBody,
        response: { 202: ReminderResult },
      },
    },
    async (request, reply) => {
      reply.code(202)
      return services.localAdmins.remindWithoutLocalAdmin(requireActor(request), request.body.organisationIds)
    },
  )
  app.delete(
    '/organisations/:id',
    { schema: { tags: ['organisations'], params: IdParams, response: { 204: Type.Null({ description: 'Deleted; 409 with `dependants` when members or tickets still name it' }) } } },
    async (request, reply) => {
      await services.organisations.remove(requireActor(request), request.params.id)
      return reply.code(204).send(null)
    },
  )
}
