import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { CreateTokenBody, LoginBody, MeSchema, TokenCreatedSchema, UpdateUserBody, UserSchema } from '../../shared/api/accounts.js'
import { clearSessionCookie, requireActor, SESSION_COOKIE, setSessionCookie } from '../http/auth.js'
import type { Services } from '../services.js'

export const authRoutes: FastifyPluginAsyncTypebox<{ services: Services; secureCookies: boolean; loginRateLimit: number }> = async (
  app,
  { services, secureCookies, loginRateLimit },
) => {
  app.post(
    '/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Log in with e-mail and password; sets the session cookie', body: LoginBody, response: { 200: MeSchema } },
      config: { public: true, rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await services.accounts.login(request.body.email, request.body.password, request.headers['user-agent'])
      setSessionCookie(reply, result.sessionToken, secureCookies || request.protocol === 'https')
      return { user: result.user, csrfToken: result.csrfToken }
    },
  )

  app.post(
    '/auth/logout',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 204: Type.Null({ description: 'The session has ended and its cookie is cleared (also when there was none)' }) },
      },
    },
    async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE]
      if (cookie) await services.accounts.logout(cookie)
      clearSessionCookie(reply, secureCookies || request.protocol === 'https')
      return reply.code(204).send(null)
    },
  )

  app.get('/me', { schema: { tags: ['auth'], summary: 'Who is logged in', response: { 200: MeSchema } } }, async (request) => {
    const actor = requireActor(request)
    return { user: actor.user, csrfToken: request.sessionCsrf ?? null }
  })

  app.patch(
    '/me',
    { schema: { tags: ['auth'], summary: 'Change your own name, language, phone or password', body: UpdateUserBody, response: { 200: UserSchema } } },
    async (request) => {
      const actor = requireActor(request)
      return services.accounts.updateUser(actor, actor.user.id, request.body)
    },
  )

  app.post(
    '/me/tokens',
    { schema: { tags: ['auth'], summary: 'Create a personal API token (shown once)', body: CreateTokenBody, response: { 201: TokenCreatedSchema } } },
    async (request, reply) => {
      const actor = requireActor(request)
      reply.code(201)
      return services.accounts.createToken(actor, actor.user.id, request.body.name)
    },
  )
}

