import { type Static, Type } from '@sinclair/typebox'
import { Nullable, Timestamp } from './common.js'

/** What the sign-in screen, the portal and the mails Loket sends show of the organisation that runs it. */
export const BrandingSchema = Type.Object({
  name: Nullable(Type.String({ description: "The organisation's name, e.g. Gemeente Lingedal; null: Loket's own" })),
  logoUrl: Nullable(Type.String({ description: 'Where the logo is served (changes with every new logo); null: none' })),
  updatedAt: Nullable(Timestamp),
})
export type Branding = Static<typeof BrandingSchema>

export const UpdateBrandingBody = Type.Object(
  { name: Nullable(Type.String({ minLength: 1, maxLength: 120, pattern: '\\S', description: 'null: no name of its own' })) },
  { additionalProperties: false },
)
export type UpdateBrandingBody = Static<typeof UpdateBrandingBody>

export const LOGO_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const
export const LOGO_MAX_BYTES = 256 * 1024
export const LogoBody = Type.Object(
  {
    contentType: Type.Union(LOGO_TYPES.map((t) => Type.Literal(t)), { description: 'PNG, JPEG or WebP (no SVG: it can carry script)' }),
    data: Type.String({ minLength: 4, maxLength: Math.ceil(LOGO_MAX_BYTES / 3) * 4 + 4, description: 'The image, base64; at most 256 KB' }),
  },
  { additionalProperties: false },
)
export type LogoBody = Static<typeof LogoBody>
