import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { CreateTokenBody, EmailBody, LinkTokenBody, LoginBody, MeSchema, RegisterBody, TokenCreatedSchema, TokenSchema, UpdateUserBody, UserSchema } from '../../shared/api/accounts.js'
import { IdParams } from '../../shared/api/common.js'
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
      const result = await services.accounts.login(request.body.email, request.body.password, { userAgent: request.headers['user-agent'], ip: request.ip })
      setSessionCookie(reply, result.sessionToken, secureCookies || request.protocol === 'https')
      return { user: result.user, csrfToken: result.csrfToken }
    },
  )

  app.post(
    '/auth/password-forgotten',
    {
      schema: {
        tags: ['auth'],
        summary: 'Ask for a link to choose a new password; the same answer whether or not the address is known',
        body: Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false }),
        response: { 202: Type.Null({ description: 'If an active account has this address, a link (valid one hour) is on its way' }) },
      },
      config: { public: true, rateLimit: { max: Math.min(loginRateLimit, 5), timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      await services.accounts.requestPasswordReset(request.body.email)
      return reply.code(202).send(null)
    },
  )

  app.post(
    '/auth/sign-in-link',
    {
      schema: {
        tags: ['auth'],
        summary: 'Ask for a one-time sign-in link by mail (15 minutes, works once); the same answer whether or not the address is known',
        body: EmailBody,
        response: { 202: Type.Null({ description: 'If an active account may sign in with this address, a link is on its way (at most one per address per two minutes)' }) },
      },
      config: { public: true, rateLimit: { max: Math.min(loginRateLimit, 5), timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      await services.accounts.requestSignInLink(request.body.email)
      return reply.code(202).send(null)
    },
  )

  app.post(
    '/auth/sign-in-link/use',
    {
      schema: { tags: ['auth'], summary: 'Sign in with the one-time link from the mail; sets the session cookie', body: LinkTokenBody, response: { 200: MeSchema } },
      config: { public: true, rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      const result = await services.accounts.signInWithLink(request.body.token, { userAgent: request.headers['user-agent'], ip: request.ip })
      setSessionCookie(reply, result.sessionToken, secureCookies || request.protocol === 'https')
      return { user: result.user, csrfToken: result.csrfToken }
    },
  )

  app.post(
    '/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary:
          "Register in the portal with an address in a domain of an organisation that allows it; the same answer for any address (a new account, a sign-in link for an existing one, or nothing)",
        body: RegisterBody,
        response: { 202: Type.Null({ description: 'If the address may register (or has an account), a sign-in link is on its way' }) },
      },
      config: { public: true, rateLimit: { max: Math.min(loginRateLimit, 5), timeWindow: '1 minute' } },
    },
    async (request, reply) => {
      await services.accounts.register(request.body, { ip: request.ip })
      return reply.code(202).send(null)
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
      if (cookie) await services.accounts.logout(cookie, { ip: request.ip })
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
      return services.accounts.createToken(actor, actor.user.id, request.body.name, { expiresAt: request.body.expiresAt })
    },
  )
  app.get(
    '/me/tokens',
    { schema: { tags: ['auth'], summary: 'Your personal API tokens (without their secrets)', response: { 200: Type.Object({ items: Type.Array(TokenSchema) }) } } },
    async (request) => {
      const actor = requireActor(request)
      return { items: await services.accounts.listTokens(actor, actor.user.id) }
    },
  )
  app.delete(
    '/me/tokens/:id',
    { schema: { tags: ['auth'], summary: 'Revoke one of your API tokens, at once', params: IdParams, response: { 204: Type.Null({ description: 'Revoked' }) } } },
    async (request, reply) => {
      const actor = requireActor(request)
      await services.accounts.revokeToken(actor, actor.user.id, request.params.id)
      return reply.code(204).send(null)
    },
  )
}

