import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { BrandingSchema, LogoBody, UpdateBrandingBody } from '../../shared/api/branding.js'
import { AppError } from '../errors.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

const tags = ['branding']

/** The organisation's name and logo: read by anyone (the sign-in screen), changed by administrators. */
export const brandingRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/branding',
    { config: { public: true }, schema: { tags, summary: "The organisation's name and logo address (anyone, also before signing in)", response: { 200: BrandingSchema } } },
    () => services.branding.current(),
  )
  app.put('/branding', { schema: { tags, summary: "Set the organisation's name (administrators)", body: UpdateBrandingBody, response: { 200: BrandingSchema } } }, (request) =>
    services.branding.update(requireActor(request), request.body),
  )
  app.get(
    '/branding/logo',
    {
      config: { public: true },
      schema: { tags, summary: 'The logo image (anyone); 404 when there is none', querystring: Type.Object({ v: Type.Optional(Type.String({ maxLength: 64 })) }), produces: ['image/png', 'image/jpeg', 'image/webp'] },
    },
    async (request, reply) => {
      const logo = await services.branding.logo()
      if (!logo) throw AppError.notFound('Logo', 'of this Loket')
      const etag = `"${logo.hash.slice(0, 32)}"`
      // A versioned address (?v=) never changes; the bare one is checked again after five minutes.
      reply.header('etag', etag).header('cache-control', request.query.v ? 'public, max-age=31536000, immutable' : 'public, max-age=300')
      if (request.headers['if-none-match'] === etag) return reply.code(304).send()
      return reply.type(logo.contentType).send(logo.data)
    },
  )
  app.put('/branding/logo', { schema: { tags, summary: 'Set the logo: PNG, JPEG or WebP, at most 256 KB, as base64 (administrators)', body: LogoBody, response: { 200: BrandingSchema } } }, (request) =>
    services.branding.setLogo(requireActor(request), request.body),
  )
  app.delete('/branding/logo', { schema: { tags, summary: 'Remove the logo (administrators)', response: { 200: BrandingSchema } } }, (request) =>
    services.branding.removeLogo(requireActor(request)),
  )
}
