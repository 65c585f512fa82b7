import { generateKeyPairSync } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider, { type Configuration } from 'oidc-provider'

/** A person at the test provider. */
export interface ProviderAccount {
  /** What they type as user name; also their `sub`. */
  login: string
  password: string
  email: string
  name: string
  /** The custom claim that Loket maps to roles and groups. */
  groups: string[]
  /** false: the provider says the address is not verified. */
  emailVerified?: boolean
}

export interface TestProvider {
  issuer: string
  clientId: string
  clientSecret: string
  accounts: Map<string, ProviderAccount>
  close(): Promise<void>
}

const html = (res: ServerResponse, status: number, body: string) => {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' })
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider</title></head><body><main>${body}</main></body></html>`)
}
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = ''
  for await (const chunk of req) text += chunk
  return new URLSearchParams(text)
}

/**
 * A small OpenID Connect provider on loopback (oidc-provider): one confidential client that must use
 * PKCE, a `groups` claim, and its own sign-in form (#username, #password, "Sign in" / "Cancel") so that
 * tests drive it like a person would. Consent is implied for the test client.
 */
export async function startTestProvider(options: {
  redirectUris: string[]
  accounts: ProviderAccount[]
  /** Put every claim in the ID token (Entra ID's way) instead of only at the userinfo endpoint (the default here). */
  claimsInIdToken?: boolean
}): Promise<TestProvider> {
  const accounts = new Map(options.accounts.map((a) => [a.login, a]))
  const clientId = 'loket'
  const clientSecret = 'loket-test-client-secret-0123456789'
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    jwks: { keys: [{ ...signingKey, kid: 'test', alg: 'RS256', use: 'sig' } as never] },
    cookies: { keys: ['oidc-test-provider-cookie-key'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'], groups: ['groups'] },
    scopes: ['openid', 'email', 'profile', 'groups'],
    conformIdTokenClaims: !options.claimsInIdToken,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id)
      if (!account) return undefined
      return {
        accountId: id,
        claims: () => ({ sub: id, email: account.email, email_verified: account.emailVerified ?? true, name: account.name, groups: account.groups }),
      }
    },
    // The test client is the provider's own application: no consent screen.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId)
      if (grantId) return ctx.oidc.provider.Grant.find(grantId)
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId })
      grant.addOIDCScope('openid email profile groups')
      await grant.save()
      return grant
    },
  }
  const provider = new Provider(issuer, configuration)
  const handleProvider = provider.callback()

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void (async () => {
      const path = new URL(req.url ?? '/', issuer).pathname
      const match = /^\/interaction\/([\w-]+)(\/login|\/cancel)?$/.exec(path)
      if (!match) return handleProvider(req, res)
      const details = await provider.interactionDetails(req, res)
      if (match[2] === '/cancel' && req.method === 'POST') {
        return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person cancelled signing in.' }, { mergeWithLastSubmission: false })
      }
      if (match[2] === '/login' && req.method === 'POST') {
        const form = await formBody(req)
        const account = accounts.get(form.get('username') ?? '')
        if (account && account.password === form.get('password')) {
          return provider.interactionFinished(req, res, { login: { accountId: account.login } }, { mergeWithLastSubmission: false })
        }
        return html(res, 200, loginForm(details.uid, 'Wrong user name or password.'))
      }
      return html(res, 200, loginForm(details.uid))
    })().catch((err: unknown) => {
      if (!res.headersSent) html(res, 500, `<p>${escape(String(err))}</p>`)
    })
  })

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function loginForm(uid: string, error?: string) {
  return `<h1>Test provider</h1>${error ? `<p role="alert">${escape(error)}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
  <label for="username">User name</label> <input id="username" name="username" autocomplete="username">
  <label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password">
  <button type="submit">Sign in</button>
</form>
<form method="post" action="/interaction/${uid}/cancel"><button type="submit">Cancel</button></form>`
}
