import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { PutSsoSettingsBody, SsoCallbackQuery, SsoSettingsSchema, SsoSignInSchema, SsoStartQuery } from '../../../shared/api/sso.js'
import { requireActor, setSessionCookie } from '../../http/auth.js'
import type { Services } from '../../services.js'
import { SsoRefusal } from './sso.service.js'

/** The sign-in started here and not yet finished (sealed with LOKET_SECRET); only the callback reads it. */
const PENDING_COOKIE = 'loket_oidc'
const PENDING_PATH = '/api/v1/auth/oidc'

const Redirect = Type.Null({ description: 'A redirect (302): see the Location header' })

/**
 * Single sign-on for staff. Start and callback are browser navigations: a refusal sends the browser back
 * to the sign-in screen with its reason (`/?sso_error=<reason>`), which says it in the person's language;
 * other clients get the problem+json with the same `reason`.
 */
export const ssoRoutes: FastifyPluginAsyncTypebox<{ services: Services; secureCookies: boolean; loginRateLimit: number }> = async (
  app,
  { services, secureCookies, loginRateLimit },
) => {
  const secure = (request: FastifyRequest) => secureCookies || request.protocol === 'https'
  const wantsPage = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html')
  const refused = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!wantsPage(request)) throw err
    const reason = err instanceof SsoRefusal ? err.reason : 'failed'
    if (!(err instanceof SsoRefusal)) request.log.error({ err }, 'single sign-on failed')
    else request.log.warn({ reason, detail: err.message }, 'single sign-on refused')
    return reply.redirect(`/?sso_error=${reason}`, 302)
  }

  app.get(
    '/auth/oidc',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Whether the sign-in screen offers single sign-on, and its name', response: { 200: SsoSignInSchema } } },
    () => services.sso.signInInfo(),
  )

  app.get(
    '/auth/oidc/start',
    {
      config: { public: true },
      schema: { tags: ['auth'], summary: 'Start signing in at the single sign-on provider (a browser navigation)', querystring: SsoStartQuery, response: { 302: Redirect } },
    },
    async (request, reply) => {
      try {
        const { url, pending } = await services.sso.start(request.query.returnTo)
        reply.setCookie(PENDING_COOKIE, pending, { path: PENDING_PATH, httpOnly: true, sameSite: 'lax', secure: secure(request), maxAge: 600 })
        return reply.redirect(url, 302)
      } catch (err) {
        return refused(request, reply, err)
      }
    },
  )

  app.get(
    '/auth/oidc/callback',
    {
      config: { public: true, rateLimit: { max: loginRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Where the provider sends the browser back; sets the session cookie and goes on to the agent app',
        querystring: SsoCallbackQuery,
        response: { 302: Redirect },
      },
    },
    async (request, reply) => {
      // Used once, whatever comes of it.
      reply.clearCookie(PENDING_COOKIE, { path: PENDING_PATH, httpOnly: true, sameSite: 'lax', secure: secure(request) })
      try {
        const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : ''
        const result = await services.sso.finish(query, request.cookies[PENDING_COOKIE], { userAgent: request.headers['user-agent'], ip: request.ip })
        setSessionCookie(reply, result.sessionToken, secure(request))
        return reply.redirect(result.returnTo, 302)
      } catch (err) {
        return refused(request, reply, err)
      }
    },
  )

  app.get(
    '/settings/sso',
    { schema: { tags: ['settings'], summary: 'Single sign-on settings (administrators); the client secret is never sent', response: { 200: SsoSettingsSchema } } },
    (request) => services.sso.getSettings(requireActor(request)),
  )

  app.put(
    '/settings/sso',
    {
      schema: {
        tags: ['settings'],
        summary: 'Set up single sign-on (administrators)',
        description: 'Replaces the settings. The client secret is stored encrypted; omit it to keep the stored one.',
        body: PutSsoSettingsBody,
        response: { 200: SsoSettingsSchema },
      },
    },
    (request) => services.sso.putSettings(requireActor(request), request.body),
  )
}
