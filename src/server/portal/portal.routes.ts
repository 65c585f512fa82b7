import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { InviteMemberBody, MemberSchema, MyOrganisationSchema, UpdateMemberBody } from '../../shared/api/accounts.js'
import { IdParams } from '../../shared/api/common.js'
import { BannerQuery, BannerSchema, CreateBannerBody, DeflectionBody, DeflectionQuery, DeflectionReport, UpdateBannerBody } from '../../shared/api/portal.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

const tags = ['portal']

export const portalRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post(
    '/portal/deflections',
    { schema: { tags, summary: 'A customer found the answer in a public knowledge article and needs no ticket (customers only)', body: DeflectionBody, response: { 204: Type.Null({ description: 'Counted' }) } } },
    async (request, reply) => {
      await services.portal.recordDeflection(requireActor(request), request.body.articleSlug)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/portal/deflections',
    { schema: { tags, summary: 'How many questions knowledge articles answered in the portal, and which (administrators, supervisors)', querystring: DeflectionQuery, response: { 200: DeflectionReport } } },
    (request) => services.portal.deflections(requireActor(request), request.query),
  )

  app.get(
    '/portal/organisation',
    { schema: { tags, summary: "The customer's organisation and who its local administrators are (none: the portal says how to get one)", response: { 200: MyOrganisationSchema } } },
    (request) => services.localAdmins.myOrganisation(requireActor(request)),
  )
  app.get(
    '/portal/members',
    { schema: { tags, summary: "The members of one's organisation (its local administrators only)", response: { 200: Type.Object({ items: Type.Array(MemberSchema) }) } } },
    async (request) => ({ items: await services.localAdmins.listMembers(requireActor(request)) }),
  )
  app.post(
    '/portal/members',
    { schema: { tags, summary: 'Invite a colleague: a new member and a sign-in link by mail, valid 72 hours (local administrators)', body: InviteMemberBody, response: { 201: MemberSchema } } },
    async (request, reply) => {
      reply.code(201)
      return services.localAdmins.inviteMember(requireActor(request), request.body)
    },
  )
  app.patch(
    '/portal/members/:id',
    { schema: { tags, summary: 'Switch a member off or on, or make them local administrator too (local administrators)', params: IdParams, body: UpdateMemberBody, response: { 200: MemberSchema } } },
    (request) => services.localAdmins.updateMember(requireActor(request), request.params.id, request.body),
  )

  app.get(
    '/banners',
    {
      config: { public: true },
      schema: { tags, summary: 'Banners the portal shows now (anyone); with all=true every banner (staff)', querystring: BannerQuery, response: { 200: Type.Object({ items: Type.Array(BannerSchema) }) } },
    },
    async (request) => ({ items: request.query.all ? await services.banners.all(requireActor(request)) : await services.banners.current() }),
  )
  app.post('/banners', { schema: { tags, summary: 'Put up a banner: an announcement or a known outage (staff)', body: CreateBannerBody, response: { 201: BannerSchema } } }, async (request, reply) => {
    reply.code(201)
    return services.banners.create(requireActor(request), request.body)
  })
  app.patch('/banners/:id', { schema: { tags, summary: 'Change a banner (staff)', params: IdParams, body: UpdateBannerBody, response: { 200: BannerSchema } } }, (request) =>
    services.banners.update(requireActor(request), request.params.id, request.body),
  )
  app.delete('/banners/:id', { schema: { tags, summary: 'Take a banner down (staff)', params: IdParams, response: { 204: Type.Null({ description: 'Taken down' }) } } }, async (request, reply) => {
    await services.banners.remove(requireActor(request), request.params.id)
    return reply.code(204).send(null)
  })
}
