import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'

/** The roles single sign-on may give: staff only (customers keep their passwords). */
export const StaffRole = Type.Union([Type.Literal('admin'), Type.Literal('supervisor'), Type.Literal('agent')])
export type StaffRole = Static<typeof StaffRole>

export const ClaimMapping = Type.Object(
  {
    value: Type.String({
      minLength: 1,
      maxLength: 300,
      description: 'A value of the claim (for example a group object id, a group path or a domain); "*" matches everyone the provider signs in',
    }),
    role: Type.Optional(StaffRole),
    groupIds: Type.Optional(Type.Array(Id, { maxItems: 50, description: 'Loket groups that people with this value belong to' })),
  },
  { additionalProperties: false },
)
export type ClaimMapping = Static<typeof ClaimMapping>

const ClaimName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_:./-]+$', description: 'A claim name; a dotted path reaches inside objects (realm_access.roles)' })
const Scope = Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$' })

const settingsFields = {
  enabled: Type.Boolean({ description: 'Show the button and accept sign-ins' }),
  name: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S', description: 'Shown on the button: "Inloggen met <name>"' }),
  issuerUrl: Type.String({ minLength: 1, maxLength: 500, description: 'The OpenID Connect issuer; https (http only on loopback)' }),
  clientId: Type.String({ minLength: 1, maxLength: 300 }),
  scopes: Type.Array(Scope, { minItems: 1, maxItems: 20, description: 'openid is always asked for' }),
  claim: ClaimName,
  emailClaim: ClaimName,
  mappings: Type.Array(ClaimMapping, { maxItems: 200 }),
  createUsers: Type.Boolean({ description: 'Create unknown staff at their first sign-in (true) or only sign in existing users, matched by e-mail address (false)' }),
  localPasswordsForStaff: Type.Boolean({ description: 'false: agents, supervisors and administrators can sign in with single sign-on only; customers keep their passwords' }),
}

export const SsoSettingsSchema = Type.Object({
  configured: Type.Boolean({ description: 'false until the settings have been saved once' }),
  ...settingsFields,
  hasClientSecret: Type.Boolean({ description: 'The client secret is stored (encrypted); it is never sent back' }),
  redirectUri: Type.String({ description: 'Register this at the provider as the redirect URI (LOKET_PUBLIC_URL + /api/v1/auth/oidc/callback)' }),
  updatedAt: Nullable(Timestamp),
})
export type SsoSettings = Static<typeof SsoSettingsSchema>

export const PutSsoSettingsBody = Type.Object(
  {
    ...settingsFields,
    scopes: Type.Optional(settingsFields.scopes),
    claim: Type.Optional(settingsFields.claim),
    emailClaim: Type.Optional(settingsFields.emailClaim),
    clientSecret: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 2000, description: 'Omit to keep the stored secret; null removes it (a public client)' })),
    ),
  },
  { additionalProperties: false },
)
export type PutSsoSettingsBody = Static<typeof PutSsoSettingsBody>

/** What the sign-in screen needs to know, without logging in. */
export const SsoSignInSchema = Type.Object({
  enabled: Type.Boolean(),
  name: Nullable(Type.String()),
  startUrl: Nullable(Type.String({ description: 'Send the browser here to sign in with the provider' })),
})
export type SsoSignIn = Static<typeof SsoSignInSchema>

export const SsoStartQuery = Type.Object(
  { returnTo: Type.Optional(Type.String({ maxLength: 500, description: 'A path of the agent app to come back to after signing in' })) },
  { additionalProperties: false },
)

export const SsoCallbackQuery = Type.Object(
  {
    code: Type.Optional(Type.String({ maxLength: 4000 })),
    state: Type.Optional(Type.String({ maxLength: 500 })),
    error: Type.Optional(Type.String({ maxLength: 200 })),
    error_description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: true, description: 'The authorization response; providers add parameters of their own (iss, scope, session_state, …)' },
)
