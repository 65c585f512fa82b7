import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams, Page } from '../../shared/api/common.js'
import {
  ArticleSchema, AttachmentSchema, CreateArticleBody, CreateTicketBody, HistoryEntrySchema, ReplyRouteSchema, ResendArticleBody, TicketCreatedSchema, TicketQuery,
  TicketSchema, UpdateTicketBody,
} from '../../shared/api/tickets.js'
import { AppError } from '../errors.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

/**
 * The short names of the id fields (`group` for `groupId`, …), as people and other desks' tools write
 * them, folded into the full ones. Both at once is fine when they agree.
 */
export function withAliases<T extends object, A extends keyof T & string, F extends keyof T & string>(input: T, pairs: [A, F][]): Omit<T, A> {
  const out = { ...input } as Record<string, unknown>
  for (const [alias, field] of pairs) {
    if (out[alias] === undefined) continue
    if (out[field] !== undefined && out[field] !== out[alias]) throw AppError.validation(`${alias} and ${field} say different things; send one of them.`, { field: alias })
    out[field] = out[alias]
    delete out[alias]
  }
  return out as Omit<T, A>
}

/** If-Match carries the version the client edited: `"7"`, `W/"7"` or `7`. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header)
  if (!match) throw AppError.validation('If-Match must be the ticket version from its ETag, e.g. "3".', { field: 'If-Match' })
  return Number(match[1])
}

const etag = (version: number) => `"${version}"`

export const ticketRoutes: FastifyPluginAsyncTypebox<{ services: Services; attachmentMaxBytes: number; customerTicketLimit: number }> = async (
  app,
  { services, attachmentMaxBytes, customerTicketLimit },
) => {
  const tickets = services.tickets

  app.post(
    '/tickets',
    {
      schema: { tags: ['tickets'], summary: 'Open a ticket with its first message', body: CreateTicketBody, response: { 201: TicketCreatedSchema } },
      // A customer's tickets are counted per account, so one portal login cannot flood the desk; staff are not counted.
      config: {
        rateLimit: {
          max: customerTicketLimit,
          timeWindow: '10 minutes',
          keyGenerator: (request) => `customer-tickets:${request.actor?.user.id ?? request.ip}`,
          allowList: (request) => !request.actor || request.actor.user.role !== 'customer',
        },
      },
    },
    async (request, reply) => {
      const ticket = await tickets.create(requireActor(request), withAliases(request.body, [['group', 'groupId']]))
      reply.code(201).header('location', `/api/v1/tickets/${ticket.id}`).header('etag', etag(ticket.version))
      return { id: ticket.id, number: ticket.number, ticket }
    },
  )

  app.get('/tickets', { schema: { tags: ['tickets'], summary: 'List tickets (queues, filters, full-text search)', querystring: TicketQuery, response: { 200: Page(TicketSchema) } } }, (request) =>
    tickets.list(
      requireActor(request),
      withAliases(request.query, [['group', 'groupId'], ['assignee', 'assigneeId'], ['requester', 'requesterId'], ['organisation', 'organisationId']]),
    ),
  )

  app.get('/tickets/:id', { schema: { tags: ['tickets'], params: IdParams, response: { 200: TicketSchema } } }, async (request, reply) => {
    const ticket = await tickets.get(requireActor(request), request.params.id)
    reply.header('etag', etag(ticket.version))
    return ticket
  })

  app.get(
    '/tickets/by-number/:number',
    { schema: { tags: ['tickets'], params: Type.Object({ number: Type.String({ maxLength: 40 }) }), response: { 200: TicketSchema } } },
    async (request, reply) => {
      const ticket = await tickets.getByNumber(requireActor(request), request.params.number)
      reply.header('etag', etag(ticket.version))
      return ticket
    },
  )

  app.patch(
    '/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Change fields; needs If-Match with the version (412 when someone else changed it first)',
        params: IdParams,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        body: UpdateTicketBody,
        response: { 200: TicketSchema },
      },
    },
    async (request, reply) => {
      const ticket = await tickets.update(requireActor(request), request.params.id, parseIfMatch(request.headers['if-match']), request.body)
      reply.header('etag', etag(ticket.version))
      return ticket
    },
  )

  app.get('/tickets/:id/articles', { schema: { tags: ['tickets'], params: IdParams, response: { 200: Type.Object({ items: Type.Array(ArticleSchema) }) } } }, async (request) => ({
    items: await tickets.listArticles(requireActor(request), request.params.id),
  }))

  app.post(
    '/tickets/:id/articles',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Reply (public) or add an internal note; with `ticket`, change fields in the same action (If-Match: the version edited)',
        params: IdParams,
        body: CreateArticleBody,
        response: { 201: ArticleSchema },
      },
    },
    async (request, reply) => {
      reply.code(201)
      return tickets.addArticle(requireActor(request), request.params.id, request.body, parseIfMatch(request.headers['if-match']))
    },
  )

  app.get(
    '/tickets/:id/reply-route',
    {
      schema: {
        tags: ['tickets'],
        summary: 'How a public reply would reach the customer (by e-mail to whom and from which mailbox, only in the portal, or not at all); staff',
        params: IdParams,
        response: { 200: ReplyRouteSchema },
      },
    },
    (request) => tickets.replyRoute(requireActor(request), request.params.id),
  )

  app.post(
    '/tickets/:id/articles/:articleId/resend',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Send a reply whose delivery failed again, to the same address or (to) another one; staff who may reply to customers',
        params: Type.Object({ id: IdParams.properties.id, articleId: IdParams.properties.id }),
        body: ResendArticleBody,
        response: { 202: ArticleSchema },
      },
    },
    async (request, reply) => {
      reply.code(202)
      return tickets.resend(requireActor(request), request.params.id, request.params.articleId, request.body ?? {})
    },
  )

  app.get('/tickets/:id/history', { schema: { tags: ['tickets'], params: IdParams, response: { 200: Type.Object({ items: Type.Array(HistoryEntrySchema) }) } } }, async (request) => ({
    items: await tickets.history(requireActor(request), request.params.id),
  }))

  // Uploads are raw bodies (the file itself) so browsers and scripts need no multipart encoding.
  app.register(async (plugin) => {
    const uploads = plugin.withTypeProvider<TypeBoxTypeProvider>()
    uploads.removeAllContentTypeParsers()
    uploads.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: attachmentMaxBytes }, (_req, body, done) => done(null, body))
    uploads.post(
      '/tickets/:id/attachments',
      {
        bodyLimit: attachmentMaxBytes,
        schema: {
          tags: ['tickets'],
          summary: 'Upload an attachment (raw body; ?filename=); send its id with the next article',
          params: IdParams,
          querystring: Type.Object({ filename: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: false }),
          response: { 201: AttachmentSchema },
        },
      },
      async (request, reply) => {
        const file = uploadedFile(request.body, request.query.filename, request.headers['content-type'])
        reply.code(201)
        return tickets.uploadAttachment(requireActor(request), request.params.id, file)
      },
    )
  })

  // Files from outside are never rendered by the browser as a page: only images and PDFs open inline, and
  // everything comes with nosniff and a sandboxing CSP.
  app.get('/attachments/:id', { schema: { tags: ['tickets'], params: IdParams } }, async (request, reply) => {
    const { attachment, stream } = await tickets.openAttachment(requireActor(request), request.params.id)
    return reply.headers(fileHeaders(attachment)).send(stream)
  })
}

/**
 * The types an attachment is served with: common documents, archives, audio and video, and plain text.
 * Anything else (script types under any name, HTML, SVG, XML, types made up by a sender) is bytes.
 */
const DOWNLOAD_TYPES = new Set([
  'text/plain', 'text/csv', 'text/calendar', 'text/vcard',
  'application/pdf', 'application/zip', 'application/gzip', 'application/x-7z-compressed', 'application/json', 'application/rtf',
  'application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint', 'application/vnd.ms-outlook',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.oasis.opendocument.presentation',
  'message/rfc822',
  'image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp', 'image/tiff', 'image/heic',
  'audio/mpeg', 'audio/ogg', 'audio/wav', 'audio/mp4', 'video/mp4', 'video/webm', 'video/quicktime',
])
const safeDownloadType = (type: string) => (DOWNLOAD_TYPES.has(type) ? type : 'application/octet-stream')

/** The headers a stored file is served with (attachments, a template's files): see above. */
export function fileHeaders(file: { filename: string; content_type: string; size: number }): Record<string, string | number> {
  const inline = /^(image\/(png|jpeg|gif|webp)|application\/pdf)$/.test(file.content_type)
  const encoded = encodeURIComponent(file.filename)
  const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return {
    'content-type': inline ? file.content_type : safeDownloadType(file.content_type),
    'content-length': file.size,
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encoded}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=3600',
  }
}

/** An upload's body (raw bytes) and name as the routes take them: a clean file name and a plain media type. */
export function uploadedFile(body: unknown, filename: string, contentTypeHeader: string | undefined) {
  if (!Buffer.isBuffer(body) || body.length === 0) throw AppError.validation('The upload is empty.', { field: 'body' })
  const contentType = (contentTypeHeader ?? 'application/octet-stream').split(';')[0].trim().toLowerCase()
  return {
    filename: filename.replace(/[/\\\p{Cc}]/gu, '_'),
    contentType: /^[\w.+-]+\/[\w.+-]+$/.test(contentType) ? contentType : 'application/octet-stream',
    content: body,
  }
}
