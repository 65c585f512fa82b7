import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { Id, IdParams } from '../../shared/api/common.js'
import {
  CreateTemplateBody, RenderedTemplateSchema, RenderTemplateBody, TemplateAttachmentSchema, TemplateQuery, TemplateSchema, UpdateTemplateBody,
} from '../../shared/api/templates.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'
import { fileHeaders, parseIfMatch, uploadedFile } from '../tickets/ticket.routes.js'

const FileParams = Type.Object({ id: Id, attachmentId: Id }, { additionalProperties: false })

export const templateRoutes: FastifyPluginAsyncTypebox<{ services: Services; attachmentMaxBytes: number }> = async (app, { services, attachmentMaxBytes }) => {
  const templates = services.templates
  const tags = ['templates']

  app.get(
    '/templates',
    { schema: { tags, summary: 'Templates you may use; with q, those whose title, shortcut or text hold every word', querystring: TemplateQuery, response: { 200: Type.Object({ items: Type.Array(TemplateSchema) }) } } },
    async (request) => ({ items: await templates.list(requireActor(request), request.query) }),
  )
  app.post('/templates', { schema: { tags, body: CreateTemplateBody, response: { 201: TemplateSchema } } }, async (request, reply) => {
    const template = await templates.create(requireActor(request), request.body)
    reply.code(201).header('location', `/api/v1/templates/${template.id}`).header('etag', `"${template.version}"`)
    return template
  })
  app.get('/templates/:id', { schema: { tags, params: IdParams, response: { 200: TemplateSchema } } }, async (request, reply) => {
    const template = await templates.get(requireActor(request), request.params.id)
    reply.header('etag', `"${template.version}"`)
    return template
  })
  app.patch(
    '/templates/:id',
    {
      schema: {
        tags,
        summary: 'Change a template (If-Match with its version is optional; 412 when someone else changed it first)',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: UpdateTemplateBody,
        response: { 200: TemplateSchema },
      },
    },
    async (request, reply) => {
      const template = await templates.update(requireActor(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)
      reply.header('etag', `"${template.version}"`)
      return template
    },
  )
  app.delete('/templates/:id', { schema: { tags, params: IdParams, response: { 204: Type.Null({ description: 'The template is gone' }) } } }, async (request, reply) => {
    await templates.remove(requireActor(request), request.params.id)
    return reply.code(204).send(null)
  })
  app.post(
    '/templates/:id/render',
    {
      schema: {
        tags,
        summary: "The template's text for a ticket: the customer's language and the ticket's channel, placeholders filled in (422 lists those without a value)",
        params: IdParams,
        body: RenderTemplateBody,
        response: { 200: RenderedTemplateSchema },
      },
    },
    (request) => templates.render(requireActor(request), request.params.id, request.body),
  )

  // A template's files: uploaded as raw bodies like a ticket's, served like attachments (nosniff, sandbox).
  app.register(async (plugin) => {
    const uploads = plugin.withTypeProvider<TypeBoxTypeProvider>()
    uploads.removeAllContentTypeParsers()
    uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: attachmentMaxBytes }, (_req, body, done) => done(null, body))
    uploads.post(
      '/templates/:id/attachments',
      {
        bodyLimit: attachmentMaxBytes,
        schema: {
          tags,
          summary: 'Add a file to a template (raw body; ?filename=): attached to the reply whenever the template is used',
          params: IdParams,
          querystring: Type.Object({ filename: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }),
          response: { 201: TemplateAttachmentSchema },
        },
      },
      async (request, reply) => {
        const file = uploadedFile(request.body, request.query.filename, request.headers['content-type'])
        reply.code(201)
        return templates.addAttachment(requireActor(request), request.params.id, file)
      },
    )
  })
  app.get('/templates/:id/attachments/:attachmentId', { schema: { tags, summary: "Download one of a template's files", params: FileParams } }, async (request, reply) => {
    const { attachment, stream } = await templates.openAttachment(requireActor(request), request.params.id, request.params.attachmentId)
    return reply.headers(fileHeaders(attachment)).send(stream)
  })
  app.delete(
    '/templates/:id/attachments/:attachmentId',
    { schema: { tags, summary: 'Take a file off a template (replies that were sent keep theirs)', params: FileParams, response: { 204: Type.Null({ description: 'The template no longer carries it' }) } } },
    async (request, reply) => {
      await templates.removeAttachment(requireActor(request), request.params.id, request.params.attachmentId)
      return reply.code(204).send(null)
    },
  )
}
