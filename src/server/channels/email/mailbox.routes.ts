import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Id, IdParams } from '../../../shared/api/common.js'
import { ConnectionTestSchema, CreateMailboxBody, MailboxMessageQuery, MailboxMessageSchema, MailboxSchema, UpdateMailboxBody, WaitingMailSchema } from '../../../shared/api/mailboxes.js'
import { requireActor } from '../../http/auth.js'
import type { Services } from '../../services.js'

/** Administrators' mailboxes for the e-mail channel. Passwords go in, never out. */
export const mailboxRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['mailboxes']
  app.get('/mailboxes', { schema: { tags, response: { 200: Type.Object({ items: Type.Array(MailboxSchema) }) } } }, async (request) => ({
    items: await services.mailboxes.list(requireActor(request)),
  }))
  app.get('/mailboxes/waiting-mail', { schema: { tags, description: 'How many account mails wait for a sending mailbox (administrators).', response: { 200: WaitingMailSchema } } }, (request) =>
    services.mailboxes.waitingMail(requireActor(request)),
  )
  app.post('/mailboxes', { schema: { tags, body: CreateMailboxBody, response: { 201: MailboxSchema } } }, async (request, reply) => {
    reply.code(201)
    return services.mailboxes.create(requireActor(request), request.body)
  })
  app.get('/mailboxes/:id', { schema: { tags, params: IdParams, response: { 200: MailboxSchema } } }, (request) =>
    services.mailboxes.get(requireActor(request), request.params.id),
  )
  app.patch('/mailboxes/:id', { schema: { tags, params: IdParams, body: UpdateMailboxBody, response: { 200: MailboxSchema } } }, (request) =>
    services.mailboxes.update(requireActor(request), request.params.id, request.body),
  )
  app.delete('/mailboxes/:id', { schema: { tags, params: IdParams } }, async (request, reply) => {
    await services.mailboxes.remove(requireActor(request), request.params.id)
    return reply.code(204).send()
  })
  app.post(
    '/mailboxes/test',
    {
      schema: {
        tags,
        body: CreateMailboxBody,
        description: 'Tests settings before they are saved: DNS, TCP/TLS, login and folder for IMAP; DNS, TCP/TLS and login for SMTP.',
        response: { 200: ConnectionTestSchema },
      },
    },
    (request) => services.mailboxes.testSettings(requireActor(request), request.body),
  )
  app.post(
    '/mailboxes/:id/test',
    {
      schema: {
        tags,
        params: IdParams,
        description: 'Connects to the IMAP and SMTP servers with the stored settings and reports each step: DNS, TCP/TLS, login, folder.',
        response: { 200: ConnectionTestSchema },
      },
    },
    (request) => services.mailboxes.testConnection(requireActor(request), request.params.id),
  )
  app.get(
    '/mailboxes/:id/messages',
    {
      schema: {
        tags,
        params: IdParams,
        querystring: MailboxMessageQuery,
        description: 'Fetched messages that became no article of their own: machine mail (DMARC and abuse reports, bounces and automatic replies about nothing known), refused mail and duplicates, newest first.',
        response: { 200: Type.Object({ items: Type.Array(MailboxMessageSchema) }) },
      },
    },
    async (request) => ({ items: await services.mailboxes.listMessages(requireActor(request), request.params.id, request.query) }),
  )
  app.get(
    '/mailboxes/:id/messages/:messageId/raw',
    { schema: { tags, params: Type.Object({ id: Id, messageId: Id }), description: 'The raw message (message/rfc822).' } },
    async (request, reply) => {
      const raw = await services.mailboxes.rawMessage(requireActor(request), request.params.id, request.params.messageId)
      return reply
        .type('message/rfc822')
        .header('content-length', raw.size)
        .header('content-disposition', `attachment; filename="message-${request.params.messageId}.eml"`)
        .send(raw.content)
    },
  )
}
