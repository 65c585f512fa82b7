import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface OAuthServer {
  url: string
  authorizeUrl: string
  tokenUrl: string
  introspectionUrl: string
  clientId: string
  clientSecret: string
  /** Requests to the token endpoint, by grant type. */
  grants: { authorization_code: number; refresh_token: number }
  /** Whether an access token is valid now (unknown, expired and revoked ones are not), and for whom. */
  check(accessToken: string): string | undefined
  /** Every access token handed out so far lapses (as after its hour), refresh tokens stay good. */
  expireAccessTokens(): void
  /** The user withdraws consent: every token, access and refresh, is dead. */
  revokeAll(): void
  stop(): Promise<void>
}

const b64url = (buf: Buffer) => buf.toString('base64url')
const token = (prefix: string) => `${prefix}.${b64url(randomBytes(24))}`

/**
 * A small OAuth 2.0 authorisation server for the tests, behaving as Entra ID and Google do where
 * Loket depends on it: authorisation code with PKCE (S256) checked at the token endpoint, codes
 * used once, client authentication by secret, refresh tokens that rotate, `invalid_grant` for a
 * revoked or unknown one, and RFC 7662 introspection (POST) for Dovecot. The "user" consents at
 * once: the authorisation endpoint redirects straight back with a code, signed in as `user`.
 */
export async function startOAuthServer(opts: { user: string; clientId?: string; clientSecret?: string; expiresIn?: number }): Promise<OAuthServer> {
  const clientId = opts.clientId ?? 'loket-test-client'
  const clientSecret = opts.clientSecret ?? 'test-client-secret'
  const codes = new Map<string, { redirectUri: string; challenge: string; user: string; used: boolean }>()
  const access = new Map<string, { user: string; expiresAt: number; revoked: boolean }>()
  const refresh = new Map<string, { user: string; revoked: boolean }>()
  const grants = { authorization_code: 0, refresh_token: 0 }

  const json = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
    res.end(JSON.stringify(body))
  }
  const form = async (req: IncomingMessage) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    return new URLSearchParams(Buffer.concat(chunks).toString('utf8'))
  }
  const issue = (user: string) => {
    const accessToken = token('at')
    const refreshToken = token('rt')
    const expiresIn = opts.expiresIn ?? 3600
    access.set(accessToken, { user, expiresAt: Date.now() + expiresIn * 1000, revoked: false })
    refresh.set(refreshToken, { user, revoked: false })
    return { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, refresh_token: refreshToken, scope: 'mail' }
  }
  const check = (accessToken: string) => {
    const t = access.get(accessToken)
    return t && !t.revoked && t.expiresAt > Date.now() ? t.user : undefined
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    try {
      if (req.method === 'GET' && url.pathname === '/authorize') {
        const q = url.searchParams
        const redirectUri = q.get('redirect_uri')
        if (q.get('client_id') !== clientId || !redirectUri) return json(res, 400, { error: 'invalid_request', error_description: 'unknown client or no redirect_uri' })
        const back = new URL(redirectUri)
        back.searchParams.set('state', q.get('state') ?? '')
        if (q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge')) {
          back.searchParams.set('error', 'invalid_request')
        } else {
          const code = token('code')
          codes.set(code, { redirectUri, challenge: q.get('code_challenge')!, user: opts.user, used: false })
          back.searchParams.set('code', code)
        }
        res.writeHead(302, { location: back.toString() })
        return res.end()
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const p = await form(req)
        if (p.get('client_id') !== clientId || p.get('client_secret') !== clientSecret) return json(res, 401, { error: 'invalid_client' })
        if (p.get('grant_type') === 'authorization_code') {
          grants.authorization_code++
          const code = codes.get(p.get('code') ?? '')
          const verifier = p.get('code_verifier') ?? ''
          if (!code || code.used || code.redirectUri !== p.get('redirect_uri')) return json(res, 400, { error: 'invalid_grant', error_description: 'bad code' })
          code.used = true
          if (b64url(createHash('sha256').update(verifier).digest()) !== code.challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' })
          return json(res, 200, issue(code.user))
        }
        if (p.get('grant_type') === 'refresh_token') {
          grants.refresh_token++
          const old = refresh.get(p.get('refresh_token') ?? '')
          if (!old || old.revoked) return json(res, 400, { error: 'invalid_grant', error_description: 'AADSTS50173: The provided grant has expired due to it being revoked.' })
          old.revoked = true // rotates, as Entra ID does
          return json(res, 200, issue(old.user))
        }
        return json(res, 400, { error: 'unsupported_grant_type' })
      }
      if (req.method === 'POST' && url.pathname === '/introspect') {
        const user = check((await form(req)).get('token') ?? '')
        return json(res, 200, user ? { active: true, username: user, scope: 'mail' } : { active: false })
      }
      json(res, 404, { error: 'not_found' })
    } catch (err) {
      json(res, 500, { error: 'server_error', error_description: String(err) })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    authorizeUrl: `${url}/authorize`,
    tokenUrl: `${url}/token`,
    introspectionUrl: `${url}/introspect`,
    clientId,
    clientSecret,
    grants,
    check,
    expireAccessTokens() {
      for (const t of access.values()) t.expiresAt = 0
    },
    revokeAll() {
      for (const t of access.values()) t.revoked = true
      for (const t of refresh.values()) t.revoked = true
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
