import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../shared/api/common.js'
import {
  AvailabilityParams, AvailabilitySchema, CreateDepartmentBody, CreateGroupBody, DepartmentSchema, GroupSchema, OwnSignatureSchema, UpdateAvailabilityBody, UpdateDepartmentBody, UpdateGroupBody,
} from '../../shared/api/desk.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

export const deskRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get('/departments', { schema: { tags: ['departments'], response: { 200: Type.Object({ items: Type.Array(DepartmentSchema) }) } } }, async (request) => ({
    items: await services.desk.listDepartments(requireActor(request)),
  }))
  app.post('/departments', { schema: { tags: ['departments'], body: CreateDepartmentBody, response: { 201: DepartmentSchema } } }, async (request, reply) => {
    reply.code(201)
    return services.desk.createDepartment(requireActor(request), request.body)
  })
  app.patch(
    '/departments/:id',
    { schema: { tags: ['departments'], params: IdParams, body: UpdateDepartmentBody, response: { 200: DepartmentSchema } } },
    (request) => services.desk.updateDepartment(requireActor(request), request.params.id, request.body),
  )
  app.delete(
    '/departments/:id',
    { schema: { tags: ['departments'], params: IdParams, response: { 204: Type.Null({ description: 'Deleted; 409 with `dependants` when anything still depends on it' }) } } },
    async (request, reply) => {
      await services.desk.deleteDepartment(requireActor(request), request.params.id)
      return reply.code(204).send(null)
    },
  )
  app.get('/groups', { schema: { tags: ['groups'], response: { 200: Type.Object({ items: Type.Array(GroupSchema) }) } } }, async (request) => ({
    items: await services.desk.listGroups(requireActor(request)),
  }))
  app.post('/groups', { schema: { tags: ['groups'], body: CreateGroupBody, response: { 201: GroupSchema } } }, async (request, reply) => {
    reply.code(201)
    return services.desk.createGroup(requireActor(request), request.body)
  })
  app.patch('/groups/:id', { schema: { tags: ['groups'], params: IdParams, body: UpdateGroupBody, response: { 200: GroupSchema } } }, (request) =>
    services.desk.updateGroup(requireActor(request), request.params.id, request.body),
  )
  app.delete('/groups/:id', { schema: { tags: ['groups'], params: IdParams, response: { 204: Type.Null({ description: 'Deleted; 409 with `dependants` when anything still depends on it' }) } } }, async (request, reply) => {
    await services.desk.deleteGroup(requireActor(request), request.params.id)
    return reply.code(204).send(null)
  })

  // One's own part of the groups' signatures (the profile page; staff only).
  app.get(
    '/me/signature',
    { schema: { tags: ['groups'], summary: "Your own part of your groups' reply signatures ({{agent.handtekening}}; staff)", response: { 200: OwnSignatureSchema } } },
    (request) => services.signatures.own(requireActor(request)),
  )
  app.put(
    '/me/signature',
    { schema: { tags: ['groups'], summary: "Set your own part of your groups' reply signatures (staff)", body: OwnSignatureSchema, response: { 200: OwnSignatureSchema } } },
    (request) => services.signatures.setOwn(requireActor(request), request.body),
  )

  app.get(
    '/tickets/:id/signature',
    {
      schema: {
        tags: ['groups'],
        summary: "The signature your public reply on this ticket gets by e-mail: its group's with your own part ('': the sending mailbox's own signature; staff)",
        params: IdParams,
        response: { 200: OwnSignatureSchema },
      },
    },
    (request) => services.signatures.preview(requireActor(request), request.params.id),
  )

  // Availability for assignment within groups: `me` or a user id (a colleague's: team leads and administrators).
  const userIdOf = (request: { params: { id: string } }, actorId: string) => (request.params.id === 'me' ? actorId : request.params.id)
  app.get(
    '/users/:id/availability',
    { schema: { tags: ['groups'], summary: "An agent's availability (beschikbaar/afwezig) and limit of open tickets for assignment", params: AvailabilityParams, response: { 200: AvailabilitySchema } } },
    (request) => {
      const actor = requireActor(request)
      return services.desk.availability(actor, userIdOf(request, actor.user.id))
    },
  )
  app.put(
    '/users/:id/availability',
    {
      schema: {
        tags: ['groups'],
        summary: 'Switch availability (one\'s own), or set a limit of open tickets (team leads and administrators)',
        params: AvailabilityParams,
        body: UpdateAvailabilityBody,
        response: { 200: AvailabilitySchema },
      },
    },
    (request) => {
      const actor = requireActor(request)
      return services.desk.setAvailability(actor, userIdOf(request, actor.user.id), request.body)
    },
  )
}
