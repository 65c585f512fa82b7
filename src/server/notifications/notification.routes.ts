import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../shared/api/common.js'
import {
  NotificationPage,
  NotificationQuery,
  NotificationSchema,
  NotificationSettingsBody,
  NotificationSettingsSchema,
  UnreadCountSchema,
  UnseenQuery,
  UnseenSchema,
} from '../../shared/api/notifications.js'
import { AppError } from '../errors.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

const tags = ['notifications']

export const notificationRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const n = services.notifications

  app.get(
    '/notifications',
    { schema: { tags, summary: 'Your notifications, newest first (staff; only your own)', querystring: NotificationQuery, response: { 200: NotificationPage } } },
    (request) => n.list(requireActor(request), request.query),
  )

  app.get(
    '/notifications/unread-count',
    { schema: { tags, summary: 'How many of your notifications are unread', response: { 200: UnreadCountSchema } } },
    (request) => n.unreadCount(requireActor(request)),
  )

  app.post(
    '/notifications/:id/read',
    { schema: { tags, summary: 'Mark one of your notifications read (404 for anyone else\'s)', params: IdParams, response: { 200: NotificationSchema } } },
    (request) => n.markRead(requireActor(request), request.params.id),
  )

  app.post(
    '/notifications/read-all',
    { schema: { tags, summary: 'Mark all your notifications read', response: { 200: Type.Object({ marked: Type.Integer({ minimum: 0 }) }) } } },
    (request) => n.markAllRead(requireActor(request)),
  )

  app.get(
    '/me/notification-settings',
    { schema: { tags, summary: 'Which kinds of notification also come to you by mail', response: { 200: NotificationSettingsSchema } } },
    (request) => n.settings(requireActor(request)),
  )

  app.put(
    '/me/notification-settings',
    { schema: { tags, summary: 'Choose which kinds of notification also come to you by mail', body: NotificationSettingsBody, response: { 200: NotificationSettingsSchema } } },
    (request) => n.saveSettings(requireActor(request), request.body),
  )

  app.put(
    '/tickets/:id/seen',
    { schema: { tags: ['tickets'], summary: 'You opened this ticket now: its customer messages so far count as read for you', params: IdParams, response: { 204: Type.Null() } } },
    async (request, reply) => {
      await services.tickets.markSeen(requireActor(request), request.params.id)
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/tickets/unseen',
    { schema: { tags: ['tickets'], summary: 'Which of these tickets have a customer message since you last opened them', querystring: UnseenQuery, response: { 200: UnseenSchema } } },
    async (request) => {
      const actor = requireActor(request)
      const ids = [...new Set(request.query.ids.split(',').map((s) => s.trim()).filter(Boolean))]
      if (ids.length > 100) throw AppError.validation('At most 100 ticket ids at once.', { field: 'ids' })
      if (ids.some((id) => !/^[A-Za-z0-9_-]{1,64}$/.test(id))) throw AppError.validation('A ticket id is not valid.', { field: 'ids' })
      return { unseen: await services.tickets.unseenByCustomerMessage(actor, ids) }
    },
  )
}
