import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { IdParams } from '../../../../shared/api/common.js'
import { MailboxOAuthBody, MailboxOAuthSchema } from '../../../../shared/api/mailbox-oauth.js'
import { AppError } from '../../../errors.js'
import { requireActor } from '../../../http/auth.js'
import type { Services } from '../../../services.js'

const CallbackQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 200 })),
  code: Type.Optional(Type.String({ maxLength: 4000 })),
  error: Type.Optional(Type.String({ maxLength: 200 })),
  error_description: Type.Optional(Type.String({ maxLength: 2000 })),
})

/**
 * OAuth 2.0 sign-in of mailboxes (Microsoft 365, Google). The callback is a browser navigation: it
 * goes back to the mailbox screen (`/admin/mailboxes`) with `?oauth=connected` or `?oauth_error=<reason>`; other clients
 * get the problem+json.
 */
export const mailboxOAuthRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const tags = ['mailboxes']
  app.put(
    '/mailboxes/:id/oauth',
    { schema: { tags, params: IdParams, body: MailboxOAuthBody, summary: 'Register the app (client ID, secret, tenant) the mailbox signs in with', response: { 200: MailboxOAuthSchema } } },
    (request) => services.mailboxOAuth.register(requireActor(request), request.params.id, request.body),
  )
  app.delete('/mailboxes/:id/oauth', { schema: { tags, params: IdParams, summary: 'Back to signing in with the password' } }, async (request, reply) => {
    await services.mailboxOAuth.remove(requireActor(request), request.params.id)
    return reply.code(204).send()
  })
  app.post(
    '/mailboxes/:id/oauth/connect',
    {
      schema: {
        tags,
        params: IdParams,
        summary: 'Start the administrator\'s sign-in: the provider\'s address to open in the browser (authorisation code with PKCE)',
        response: { 200: Type.Object({ url: Type.String() }) },
      },
    },
    (request) => services.mailboxOAuth.startConnect(requireActor(request), request.params.id),
  )
  app.get(
    '/mailboxes/oauth/callback',
    { schema: { tags, querystring: CallbackQuery, summary: 'Where the provider sends the administrator back (a browser navigation)', response: { 302: Type.Null() } } },
    async (request, reply) => {
      try {
        const mailboxId = await services.mailboxOAuth.finishConnect(requireActor(request), request.query)
        return reply.redirect(`/admin/mailboxes?oauth=connected&mailbox=${encodeURIComponent(mailboxId)}`, 302)
      } catch (err) {
        if (!(request.headers.accept ?? '').includes('text/html')) throw err
        const reason = err instanceof AppError && typeof err.details?.reason === 'string' ? err.details.reason : 'failed'
        request.log.warn({ err }, 'mailbox OAuth sign-in refused')
        return reply.redirect(`/admin/mailboxes?oauth_error=${encodeURIComponent(reason)}`, 302)
      }
    },
  )
}
