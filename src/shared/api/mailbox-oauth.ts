import { type Static, Type } from '@sinclair/typebox'
import { Nullable, Timestamp } from './common.js'

/** Who signs the mailbox in: Microsoft 365 (Entra ID), Google Workspace, or any other OAuth 2.0 server (tests, self-hosted). */
export const OAuthProvider = Type.Union([Type.Literal('microsoft'), Type.Literal('google'), Type.Literal('custom')])
export type OAuthProvider = Static<typeof OAuthProvider>

export const MailboxOAuthSchema = Type.Object({
  provider: OAuthProvider,
  tenant: Nullable(Type.String({ description: 'Microsoft: the directory (tenant) ID or domain' })),
  clientId: Type.String(),
  hasClientSecret: Type.Boolean(),
  authorizeUrl: Nullable(Type.String({ description: 'custom provider only' })),
  tokenUrl: Nullable(Type.String({ description: 'custom provider only' })),
  state: Type.Union([Type.Literal('not_connected'), Type.Literal('connected'), Type.Literal('reconnect_needed')], {
    description: 'reconnect_needed: the provider refused the stored sign-in (consent withdrawn, password changed, token revoked); an administrator signs in again',
  }),
  connectedAt: Nullable(Timestamp),
  lastError: Nullable(Type.String()),
  redirectUri: Type.String({ description: 'Register this address as the redirect URI of the app' }),
})
export type MailboxOAuth = Static<typeof MailboxOAuthSchema>

const Url = Type.String({ format: 'uri', maxLength: 2000 })

export const MailboxOAuthBody = Type.Object(
  {
    provider: OAuthProvider,
    tenant: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9.-]+$' }))),
    clientId: Type.String({ minLength: 1, maxLength: 500 }),
    clientSecret: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 2000, description: 'Left out: keep the stored one' }))),
    authorizeUrl: Type.Optional(Nullable(Url)),
    tokenUrl: Type.Optional(Nullable(Url)),
    scopes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  },
  { additionalProperties: false },
)
export type MailboxOAuthBody = Static<typeof MailboxOAuthBody>
