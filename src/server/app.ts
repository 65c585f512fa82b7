import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyCookie from '@fastify/cookie'
import fastifyRateLimit from '@fastify/rate-limit'
import fastifyStatic from '@fastify/static'
import fastifySwagger from '@fastify/swagger'
import fastifyWebsocket from '@fastify/websocket'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import { accountRoutes } from './accounts/account.routes.js'
import { mailboxRoutes } from './channels/email/mailbox.routes.js'
import { mailboxOAuthRoutes } from './channels/email/oauth/mailbox-oauth.routes.js'
import { authRoutes } from './accounts/auth.routes.js'
import { ssoRoutes } from './accounts/sso/sso.routes.js'
import { auditRoutes } from './audit/audit.routes.js'
import { brandingRoutes } from './branding/branding.routes.js'
import { portalRoutes } from './portal/portal.routes.js'
import { calendarRoutes } from './calendars/calendar.routes.js'
import { catalogueRoutes } from './catalogue/catalogue.routes.js'
import { privacyRoutes } from './privacy/privacy.routes.js'
import { ticketFieldRoutes } from './fields/ticket-field.routes.js'
import { routingRoutes } from './routing/routing.routes.js'
import { deskRoutes } from './desk/desk.routes.js'
import { draftRoutes } from './drafts/draft.routes.js'
import { registerAuthentication } from './http/auth.js'
import { clientProblem, frameworkProblem, registerProblemHandlers, sendProblem } from './http/problem.js'
import { registerStream } from './http/stream.js'
import { withProblemResponses } from './http/openapi.js'
import { registerSystemRoutes } from './http/system.routes.js'
import { registerValidation } from './http/validation.js'
import type { TrustProxy } from './config.js'
import type { Runtime } from './runtime.js'
import { knowledgeRoutes } from './knowledge/knowledge.routes.js'
import { publicKnowledgePages } from './knowledge/public-page.routes.js'
import { notificationRoutes } from './notifications/notification.routes.js'
import { queueRoutes } from './queues/queue.routes.js'
import { searchRoutes } from './search/search.routes.js'
import { templateRoutes } from './templates/template.routes.js'
import { escalationRoutes } from './tickets/escalation.routes.js'
import { relationRoutes } from './tickets/relation.routes.js'
import { ticketRoutes } from './tickets/ticket.routes.js'
import { webhookRoutes } from './webhooks/webhook.routes.js'

export interface AppOptions {
  logger?: FastifyBaseLogger
  /** Login attempts per IP per minute. */
  loginRateLimit?: number
  /** Tickets a customer may open per ten minutes (ticket creation is rate-limited per customer). */
  customerTicketLimit?: number
  /** Folder with the built web apps; served at / when present. */
  webRoot?: string
}

/** One access line per request, when it is answered, instead of Fastify's two (incoming and completed). */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    const line = { method: request.method, url: request.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10, ip: request.ip }
    if (error) reply.log.error({ ...line, err: error }, 'request errored')
    else reply.log.info(line, 'request')
  }
}

/**
 * What a browser may do with any answer: scripts, styles, images and connections from Loket itself only
 * (the agent app is built by Vite into files; React sets styles through the DOM), never inside another
 * site's frame, no plugins. Answers that set their own policy (attachments: a sandbox) keep it.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ')

function registerSecurityHeaders(app: FastifyInstance) {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff')
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', CONTENT_SECURITY_POLICY)
    return payload
  })
}

const defaultWebRoot = fileURLToPath(new URL('../../web', import.meta.url))

/** LOKET_TRUST_PROXY as Fastify takes it: a number of proxy hops becomes a function of the hop. */
const fastifyTrustProxy = (trust: TrustProxy = false) => (typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust)

/** The HTTP application: plugins, then modules, in an explicit order. */
export async function buildApp(runtime: Runtime, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config, services, deps } = runtime
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    logController: new OneLinePerRequest(),
    bodyLimit: config.bodyLimitBytes,
    // Only a reverse proxy's X-Forwarded-For is believed: anyone else could name any address and so
    // dodge the login rate limit or pass for this machine at /metrics (LOKET_TRUST_PROXY, default no one).
    trustProxy: fastifyTrustProxy(config.trustProxy),
    ajv: { customOptions: { removeAdditional: false } },
    // Requests that arrive while the server stops get a 503 problem (registerProblemHandlers), not Fastify's own body.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    frameworkErrors: frameworkProblem,
    clientErrorHandler: clientProblem,
  }).withTypeProvider<TypeBoxTypeProvider>()

  registerValidation(app)
  registerProblemHandlers(app)
  registerSecurityHeaders(app)
  await app.register(fastifyCookie)
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'rate_limited',
      message: `Too many attempts. Try again in ${Math.ceil(ctx.ttl / 1000)} seconds.`,
    }),
  })
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Loket API', version: '1', description: 'The HTTP API of Loket, the shared service desk. Errors are RFC 9457 problem+json.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (loket token create)' },
          session: { type: 'apiKey', in: 'cookie', name: 'loket_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transformObject: (document) => ('openapiObject' in document ? withProblemResponses(document.openapiObject) : document.swaggerObject),
  })

  registerAuthentication(app, services.accounts)
  registerSystemRoutes(app, deps)

  const secureCookies = config.publicUrl.startsWith('https:')
  await app.register(
    async (api) => {
      await api.register(authRoutes, { services, secureCookies, loginRateLimit: options.loginRateLimit ?? 10 })
      await api.register(ssoRoutes, { services, secureCookies, loginRateLimit: options.loginRateLimit ?? 10 })
      await api.register(accountRoutes, { services })
      await api.register(deskRoutes, { services })
      await api.register(ticketRoutes, { services, attachmentMaxBytes: config.attachmentMaxBytes, customerTicketLimit: options.customerTicketLimit ?? 10 })
      await api.register(escalationRoutes, { services })
      await api.register(relationRoutes, { services })
      await api.register(draftRoutes, { services })
      await api.register(mailboxRoutes, { services })
      await api.register(mailboxOAuthRoutes, { services })
      await api.register(webhookRoutes, { services })
      await api.register(templateRoutes, { services, attachmentMaxBytes: config.attachmentMaxBytes })
      await api.register(knowledgeRoutes, { services })
      await api.register(auditRoutes, { services })
      await api.register(brandingRoutes, { services })
      await api.register(privacyRoutes, { services })
      await api.register(searchRoutes, { services })
      await api.register(routingRoutes, { services })
      await api.register(portalRoutes, { services })
      await api.register(catalogueRoutes, { services })
      await api.register(queueRoutes, { services })
      await api.register(notificationRoutes, { services })
      await api.register(calendarRoutes, { services })
      await api.register(ticketFieldRoutes, { services })
      registerStream(api, { events: deps.events, clock: deps.clock, accounts: services.accounts, config })
      api.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger())
    },
    { prefix: '/api/v1' },
  )

  await app.register(publicKnowledgePages, { services })

  const webRoot = options.webRoot ?? defaultWebRoot
  if (existsSync(webRoot)) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] })
    // Client-side routes of the web apps fall back to their index page; unknown API paths stay 404.
    // (A catch-all route, not a second not-found handler: registerProblemHandlers has set that one.)
    app.get('/*', { schema: { hide: true }, config: { public: true } }, (request, reply) => {
      if (!request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html')) {
        // The customer portal is its own small app under /portal; everything else is the agent app.
        const page = request.url === '/portal' || request.url.startsWith('/portal/') || request.url.startsWith('/portal?') ? 'portal/index.html' : 'index.html'
        return reply.header('cache-control', 'no-cache').sendFile(page)
      }
      return sendProblem(reply, { status: 404, code: 'not_found', detail: `There is nothing at ${request.method} ${request.url.split('?')[0]}.` })
    })
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(
        '<!doctype html><html lang="nl"><meta charset="utf-8"><title>Loket</title><h1>Loket</h1><p>De API draait op <a href="/api/v1/openapi.json">/api/v1</a>.</p></html>',
      ),
    )
  }
  return app
}
