import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Actor } from '../accounts/actor.js'
import type { AccountService } from '../accounts/account.service.js'
import { AppError } from '../errors.js'

export const SESSION_COOKIE = 'loket_session'
export const CSRF_HEADER = 'x-csrf-token'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Reachable without logging in (login itself, the OpenAPI document). */
    public?: boolean
  }
  interface FastifyRequest {
    actor: Actor | undefined
    /** Set when the actor came in by session cookie: writes must echo it in the X-CSRF-Token header. */
    sessionCsrf: string | undefined
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Resolves who is calling: a personal API token (Authorization: Bearer …) or a session cookie.
 * Cookie-authenticated writes need the session's CSRF token in a header, which another site cannot
 * read or send; bearer tokens are not sent by browsers on their own and need none.
 */
export function registerAuthentication(app: FastifyInstance, accounts: AccountService) {
  app.decorateRequest('actor', undefined)
  app.decorateRequest('sessionCsrf', undefined)
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      const actor = match ? await accounts.authenticateToken(match[1]) : undefined
      if (!actor) throw new AppError('unauthenticated', 'The API token is not valid or has been revoked.')
      request.actor = actor
      return
    }
    const cookie = request.cookies?.[SESSION_COOKIE]
    const session = cookie ? await accounts.authenticateSession(cookie) : undefined
    if (!session) {
      // API routes answer 401 before looking at the request body; public ones say so in their config.
      if (request.url.startsWith('/api/') && request.routeOptions.config?.public !== true && request.is404 !== true) throw AppError.unauthenticated()
      return
    }
    request.actor = session.actor
    request.sessionCsrf = session.csrfToken
    if (!SAFE_METHODS.has(request.method) && request.headers[CSRF_HEADER] !== session.csrfToken) {
      throw new AppError('forbidden', 'The request is missing its CSRF token (X-CSRF-Token header). Reload the page and try again.')
    }
  })
}

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw AppError.unauthenticated()
  return request.actor
}

export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 30 * 24 * 3600 })
}
export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure })
}
