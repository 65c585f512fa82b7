import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import {
  BusinessTimeQuery, BusinessTimeSchema, CalendarSchema, ClosedDaySchema, ClosedDaysQuery, CreateCalendarBody, UpdateCalendarBody,
} from '../../shared/api/calendars.js'
import { IdParams } from '../../shared/api/common.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

/** Business-hour calendars for handoff times: administrators change them, team leads read them. */
export const calendarRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['calendars']
  const calendars = services.calendars
  app.get('/calendars', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(CalendarSchema) }) } } }, async (request) => ({
    items: await calendars.list(requireActor(request)),
  }))
  app.post(
    '/calendars',
    { schema: { tags, body: CreateCalendarBody, description: 'Overlapping hours, an unknown time zone or a date that does not exist: 422.', response: { 201: CalendarSchema } } },
    async (request, reply) => {
      reply.code(201)
      return calendars.create(requireActor(request), request.body)
    },
  )
  app.get('/calendars/:id', { schema: { tags, params: IdParams, response: { 200: CalendarSchema } } }, (request) => calendars.get(requireActor(request), request.params.id))
  app.patch(
    '/calendars/:id',
    { schema: { tags, params: IdParams, body: UpdateCalendarBody, description: 'The due times of open handoffs on this calendar are computed again.', response: { 200: CalendarSchema } } },
    (request) => calendars.update(requireActor(request), request.params.id, request.body),
  )
  app.delete(
    '/calendars/:id',
    { schema: { tags, params: IdParams, response: { 204: Type.Null({ description: 'Deleted; 409 for the default or one a group or department uses' }) } } },
    async (request, reply) => {
      await calendars.remove(requireActor(request), request.params.id)
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/calendars/:id/closed-days',
    { schema: { tags, params: IdParams, querystring: ClosedDaysQuery, description: 'Public holidays and closing days of a year', response: { 200: Type.Object({ items: Type.Array(ClosedDaySchema) }) } } },
    async (request) => ({ items: await calendars.closedDays(requireActor(request), request.params.id, request.query.year) }),
  )
  app.get(
    '/calendars/:id/business-time',
    { schema: { tags, params: IdParams, querystring: BusinessTimeQuery, description: '`from` plus `minutes` business minutes (due), or the business minutes from `from` to `to`', response: { 200: BusinessTimeSchema } } },
    (request) => calendars.businessTime(requireActor(request), request.params.id, request.query),
  )
}
