import { timingSafeEqual } from 'node:crypto'
import { isIP } from 'node:net'
import * as oidc from 'openid-client'
import type { ClaimMapping, PutSsoSettingsBody, SsoSettings, SsoSignIn } from '../../../shared/api/sso.js'
import type { AppUserRow, SsoSettingsTable } from '../../db/schema.js'
import type { Deps } from '../../deps.js'
import { AppError, type ErrorCode } from '../../errors.js'
import { auditActor, type AuditService } from '../../audit/audit.service.js'
import { normaliseEmail } from '../account.mappers.js'
import type { AccountService, LoginResult, SignInContext } from '../account.service.js'
import { type Actor, isAdmin, systemActor } from '../actor.js'
import { decryptSecret, encryptSecret } from '../secrets.js'
import { accessFromClaims, claimAt, groupsAfterSignIn } from './sso.mapping.js'
import { ssoIdentityRepository, ssoSettingsRepository } from './sso.repository.js'

export const CALLBACK_PATH = '/api/v1/auth/oidc/callback'
export const START_PATH = '/api/v1/auth/oidc/start'

/** How long a started sign-in may take at the provider (typing a password, a second factor). */
const PENDING_MS = 10 * 60_000
/** The provider's discovery document and keys are read again after this long (a changed setting reads them at once). */
const DISCOVERY_MS = 3600_000
/** Seconds to wait for the provider before telling the person it is unreachable. */
const PROVIDER_TIMEOUT_S = 10

const DEFAULT_SCOPES = ['openid', 'email', 'profile']

/**
 * Why a sign-in with the provider did not go through. The sign-in screen shows each in the person's
 * language (login.sso.* in the web app); API clients get it as `reason` in the problem.
 */
export type SsoRefusalReason =
  | 'not_configured' // single sign-on is off
  | 'unavailable' // the provider cannot be reached or answered with an error page
  | 'expired' // no started sign-in in this browser, or it took longer than PENDING_MS
  | 'state' // the answer belongs to another sign-in (CSRF, or two tabs)
  | 'denied' // the provider says no (the person cancelled, or has no access to the application)
  | 'failed' // the provider's answer did not check out (code, ID token, nonce)
  | 'email' // no (verified) e-mail address to find the user by
  | 'not_allowed' // the claims give no Loket role
  | 'unknown_user' // no such user and just-in-time creation is off
  | 'customer' // the address belongs to a customer account
  | 'conflict' // the user is linked to another account at this provider
  | 'disabled' // the account is disabled in Loket

const STATUS: Record<SsoRefusalReason, ErrorCode> = {
  not_configured: 'not_found',
  unavailable: 'unavailable',
  expired: 'validation',
  state: 'validation',
  denied: 'unauthenticated',
  failed: 'unauthenticated',
  email: 'forbidden',
  not_allowed: 'forbidden',
  unknown_user: 'forbidden',
  customer: 'forbidden',
  conflict: 'conflict',
  disabled: 'forbidden',
}

export class SsoRefusal extends AppError {
  constructor(
    readonly reason: SsoRefusalReason,
    message: string,
    /** Who tried, as far as known, for the audit log. */
    readonly who: { userId?: string; email?: string; subject?: string } = {},
  ) {
    super(STATUS[reason], message, { reason })
  }
}

/** What the browser keeps (encrypted, in a cookie) between leaving for the provider and coming back. */
interface PendingSignIn {
  state: string
  nonce: string
  verifier: string
  returnTo: string
  expiresAt: number
  /** The settings the sign-in started with: a sign-in started before a change of provider is not finished with the new one. */
  settingsAt: string
}

/** Loket itself, when single sign-on changes a user's role or groups as the provider's claims say. */
const SSO_ACTOR = systemActor('Single sign-on')

const parseMappings = (text: string): ClaimMapping[] => {
  try {
    return JSON.parse(text) as ClaimMapping[]
  } catch {
    return []
  }
}

const isLoopbackHost = (host: string) => {
  const bare = host.replace(/^\[|\]$/g, '')
  return bare === 'localhost' || bare === '::1' || (isIP(bare) === 4 && bare.startsWith('127.'))
}

/** Only a path inside Loket: never another site (an open redirect), never the API. */
export function safeReturnPath(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith('/api/')) return '/'
  return /^[\x21-\x7e]*$/.test(value) ? value : '/'
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** openid-client's codes for a provider that timed out or answered with an error page instead of OAuth. */
const UNREACHABLE = new Set(['OAUTH_TIMEOUT', 'OAUTH_ABORT', 'OAUTH_RESPONSE_IS_NOT_CONFORM', 'OAUTH_RESPONSE_IS_NOT_JSON'])
/** The network failed (fetch's TypeError carries no code; openid-client's own argument errors do) or the provider is unwell. */
const isProviderUnreachable = (err: unknown) =>
  (err instanceof TypeError && !('code' in err)) || (err instanceof oidc.ClientError && UNREACHABLE.has(err.code ?? ''))

/**
 * Single sign-on for staff with OpenID Connect (Microsoft Entra ID, Google, Keycloak …): the
 * authorization-code flow with PKCE, state and nonce through openid-client; the provider's claims
 * decide the role and the managed groups at every sign-in. Customers keep their passwords.
 */
export class SsoService {
  constructor(
    private readonly deps: Deps,
    private readonly accounts: AccountService,
    private readonly audit: AuditService,
  ) {}

  private discovered: { key: string; until: number; config: oidc.Configuration } | undefined

  redirectUri() {
    return this.deps.config.publicUrl + CALLBACK_PATH
  }

  // --- settings (administrators) --------------------------------------------------------------

  private toSettings(row: SsoSettingsTable | undefined): SsoSettings {
    return {
      configured: !!row,
      enabled: row?.enabled === 1,
      name: row?.name ?? '',
      issuerUrl: row?.issuer_url ?? '',
      clientId: row?.client_id ?? '',
      hasClientSecret: !!row?.client_secret,
      scopes: row ? row.scopes.split(' ') : DEFAULT_SCOPES,
      claim: row?.claim ?? 'groups',
      emailClaim: row?.email_claim ?? 'email',
      mappings: row ? parseMappings(row.mappings) : [],
      createUsers: row?.create_users === 1,
      localPasswordsForStaff: row ? row.local_passwords_for_staff === 1 : true,
      redirectUri: this.redirectUri(),
      updatedAt: row?.updated_at ?? null,
    }
  }

  async getSettings(actor: Actor): Promise<SsoSettings> {
    if (!isAdmin(actor)) throw AppError.forbidden('see the single sign-on settings')
    return this.toSettings(await ssoSettingsRepository.find(this.deps.db))
  }

  async putSettings(actor: Actor, body: PutSsoSettingsBody): Promise<SsoSettings> {
    if (!isAdmin(actor)) throw AppError.forbidden('change the single sign-on settings')
    const db = this.deps.db
    const current = await ssoSettingsRepository.find(db)
    const issuerUrl = body.issuerUrl.trim()
    let issuer: URL
    try {
      issuer = new URL(issuerUrl)
    } catch {
      throw AppError.validation('The issuer URL is not a URL.', { field: 'issuerUrl' })
    }
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname))) {
      throw AppError.validation('The issuer URL must start with https:// (http:// only for a provider on this machine).', { field: 'issuerUrl' })
    }
    if (issuer.search || issuer.hash || issuer.username || issuer.password) {
      throw AppError.validation('The issuer URL has no query, fragment or login in it.', { field: 'issuerUrl' })
    }
    const groupIds = [...new Set(body.mappings.flatMap((m) => m.groupIds ?? []))]
    if (groupIds.length) {
      const found = await db.selectFrom('agent_group').select('id').where('id', 'in', groupIds).execute()
      if (found.length !== groupIds.length) throw AppError.validation('A mapping names a group that does not exist.', { field: 'mappings' })
    }
    // Switching passwords off for staff with a provider that does not work would lock everyone out,
    // the administrator included: they show that it works by signing in with it first.
    if (body.enabled && !body.localPasswordsForStaff && actor.via !== 'system') {
      const own = await ssoIdentityRepository.findForUser(db, actor.user.id, issuerUrl)
      if (!own) {
        throw AppError.validation(
          'Sign in once with single sign-on yourself (with these provider settings) before switching local passwords off for staff.',
          { field: 'localPasswordsForStaff' },
        )
      }
    }
    const secret =
      body.clientSecret === undefined ? (current?.client_secret ?? null) : body.clientSecret === null ? null : encryptSecret(this.deps.config.secret, body.clientSecret)
    const scopes = [...new Set(['openid', ...(body.scopes ?? current?.scopes.split(' ') ?? DEFAULT_SCOPES)])]
    const row = {
      enabled: body.enabled ? 1 : 0,
      name: body.name.trim(),
      issuer_url: issuerUrl,
      client_id: body.clientId.trim(),
      client_secret: secret,
      scopes: scopes.join(' '),
      claim: body.claim ?? current?.claim ?? 'groups',
      email_claim: body.emailClaim ?? current?.email_claim ?? 'email',
      mappings: JSON.stringify(body.mappings.map((m) => ({ value: m.value, ...(m.role && { role: m.role }), groupIds: [...new Set(m.groupIds ?? [])] }))),
      create_users: body.createUsers ? 1 : 0,
      local_passwords_for_staff: body.localPasswordsForStaff ? 1 : 0,
      updated_at: this.deps.clock.iso(),
    }
    // Column names and new values say what changed; the client secret only by name (the audit log drops it too).
    const changed = Object.fromEntries(
      Object.entries(row).filter(([key, value]) => key !== 'updated_at' && (!current || current[key as keyof SsoSettingsTable] !== value)),
    )
    await this.deps.transaction(async (trx) => {
      await ssoSettingsRepository.save(trx, row)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'sso.settings-changed', details: { fields: Object.keys(changed), changes: changed } })
    })
    this.discovered = undefined
    return this.toSettings(await ssoSettingsRepository.find(db))
  }

  // --- the sign-in screen ----------------------------------------------------------------------

  async signInInfo(): Promise<SsoSignIn> {
    const row = await ssoSettingsRepository.find(this.deps.db)
    const enabled = row?.enabled === 1
    return { enabled, name: enabled ? row!.name : null, startUrl: enabled ? START_PATH : null }
  }

  /** Customers always may; staff may unless single sign-on is on and local passwords are off for them. */
  async passwordSignInAllowed(user: AppUserRow): Promise<boolean> {
    if (user.role === 'customer') return true
    const row = await ssoSettingsRepository.find(this.deps.db)
    return !(row?.enabled === 1 && row.local_passwords_for_staff === 0)
  }

  // --- the flow ----------------------------------------------------------------------------------

  private async enabledSettings(): Promise<SsoSettingsTable> {
    const row = await ssoSettingsRepository.find(this.deps.db)
    if (!row || row.enabled !== 1) throw new SsoRefusal('not_configured', 'Single sign-on is not switched on.')
    return row
  }

  /** The provider's metadata and keys, read once per hour or per change of settings. */
  private async providerConfig(row: SsoSettingsTable): Promise<oidc.Configuration> {
    const key = `${row.issuer_url}|${row.client_id}|${row.updated_at}`
    const now = performance.now()
    if (this.discovered?.key === key && this.discovered.until > now) return this.discovered.config
    const secret = row.client_secret ? decryptSecret(this.deps.config.secret, row.client_secret) : undefined
    const issuer = new URL(row.issuer_url)
    try {
      const config = await oidc.discovery(issuer, row.client_id, secret, secret ? oidc.ClientSecretPost(secret) : oidc.None(), {
        timeout: PROVIDER_TIMEOUT_S,
        // The settings allow plain http only for a provider on this machine (putSettings).
        ...(issuer.protocol === 'http:' && { execute: [oidc.allowInsecureRequests] }),
      })
      this.discovered = { key, until: now + DISCOVERY_MS, config }
      return config
    } catch (err) {
      throw new SsoRefusal('unavailable', `The sign-in provider at ${row.issuer_url} cannot be reached or gave no valid OpenID Connect configuration (${(err as Error).message}).`)
    }
  }

  /** Where to send the browser, and the pending sign-in to keep in its cookie (sealed with LOKET_SECRET). */
  async start(returnTo: string | undefined): Promise<{ url: string; pending: string }> {
    const row = await this.enabledSettings()
    const config = await this.providerConfig(row)
    const verifier = oidc.randomPKCECodeVerifier()
    const pending: PendingSignIn = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier,
      returnTo: safeReturnPath(returnTo),
      expiresAt: this.deps.clock.now().getTime() + PENDING_MS,
      settingsAt: row.updated_at,
    }
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(),
      scope: row.scopes,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    })
    return { url: url.href, pending: encryptSecret(this.deps.config.secret, JSON.stringify(pending)) }
  }

  /**
   * The provider sent the browser back: check the answer against the pending sign-in, exchange the
   * code, find (or create) the user, apply the claims' role and groups, and start a session.
   */
  async finish(callbackQuery: string, sealedPending: string | undefined, context: SignInContext = {}): Promise<LoginResult & { returnTo: string }> {
    const row = await this.enabledSettings()
    try {
      return await this.finishWith(row, callbackQuery, sealedPending, context)
    } catch (err) {
      if (err instanceof SsoRefusal) {
        await this.audit.record(this.deps.db, {
          actorId: null,
          action: 'auth.sign-in-failed',
          subjectUserId: err.who.userId ?? null,
          ip: context.ip,
          details: { method: 'sso', reason: err.reason, ...(err.who.email && { email: err.who.email }), ...(err.who.subject && { subject: err.who.subject }) },
        })
      }
      throw err
    }
  }

  private async finishWith(row: SsoSettingsTable, callbackQuery: string, sealedPending: string | undefined, context: SignInContext) {
    const pending = this.openPending(sealedPending, row)
    const params = new URLSearchParams(callbackQuery)
    const state = params.get('state')
    if (!state || !sameText(state, pending.state)) {
      throw new SsoRefusal('state', 'This answer from the sign-in provider does not belong to the sign-in started in this browser. Start again.')
    }
    const error = params.get('error')
    if (error) {
      const description = params.get('error_description')
      throw new SsoRefusal('denied', `The sign-in provider did not sign you in: ${error}${description ? ` (${description.slice(0, 300)})` : ''}.`)
    }
    const config = await this.providerConfig(row)
    const callbackUrl = new URL(this.redirectUri())
    callbackUrl.search = params.toString()
    let claims: Record<string, unknown>
    try {
      const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      })
      claims = { ...tokens.claims()! }
      // Providers put some claims in the ID token only when asked (Keycloak mappers, Entra optional
      // claims) and others only at the userinfo endpoint: ask it when the ID token lacks what is needed.
      const needed = [row.claim, row.email_claim]
      if (needed.some((name) => claimAt(claims, name) === undefined) && config.serverMetadata().userinfo_endpoint && tokens.access_token) {
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub as string)
        claims = { ...userinfo, ...claims }
      }
    } catch (err) {
      if (err instanceof SsoRefusal) throw err
      if (isProviderUnreachable(err)) throw new SsoRefusal('unavailable', `The sign-in provider cannot be reached (${(err as Error).message}).`)
      throw new SsoRefusal('failed', `The sign-in provider's answer could not be checked: ${(err as Error).message}`)
    }
    const user = await this.userFor(row, claims)
    const result = await this.accounts.startSession(user, context.userAgent, { method: 'sso', ip: context.ip })
    return { ...result, returnTo: pending.returnTo }
  }

  private openPending(sealed: string | undefined, row: SsoSettingsTable): PendingSignIn {
    const expired = new SsoRefusal('expired', 'No sign-in was started in this browser, or it took too long. Start again.')
    if (!sealed) throw expired
    let pending: PendingSignIn
    try {
      pending = JSON.parse(decryptSecret(this.deps.config.secret, sealed)) as PendingSignIn
    } catch {
      throw expired
    }
    if (pending.expiresAt < this.deps.clock.now().getTime() || pending.settingsAt !== row.updated_at) throw expired
    return pending
  }

  /** The Loket user behind the provider's claims, with the role and groups the claims give. */
  private async userFor(row: SsoSettingsTable, claims: Record<string, unknown>): Promise<AppUserRow> {
    const db = this.deps.db
    const issuer = row.issuer_url
    const subject = String(claims.sub)
    const access = accessFromClaims(claims, row.claim, parseMappings(row.mappings))
    const claimedEmail = claimAt(claims, row.email_claim)
    const who = { subject, ...(typeof claimedEmail === 'string' && { email: claimedEmail.slice(0, 254) }) }
    if (!access.role) {
      throw new SsoRefusal('not_allowed', `Your account at the sign-in provider gives no access to Loket (no role for your "${row.claim}"). Ask an administrator.`, who)
    }
    const now = this.deps.clock.iso()
    const identity = await ssoIdentityRepository.find(db, issuer, subject)
    let userRow: AppUserRow | undefined
    if (identity) {
      userRow = await this.accounts.getUserRow(identity.user_id)
      await ssoIdentityRepository.touch(db, issuer, subject, now)
    } else {
      const email = this.emailOf(row, claims, who)
      userRow = await this.accounts.getUserRow((await this.accounts.userIdByEmail(email)) ?? '')
      if (userRow) {
        if (userRow.role === 'customer') {
          throw new SsoRefusal('customer', `${email} is a customer account in Loket; an administrator can make it a staff account.`, { ...who, userId: userRow.id })
        }
        if (await ssoIdentityRepository.findForUser(db, userRow.id, issuer)) {
          throw new SsoRefusal('conflict', `The Loket user ${email} is already linked to another account at this sign-in provider.`, { ...who, userId: userRow.id })
        }
      } else if (row.create_users === 1) {
        const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim().slice(0, 200) : email
        const created = await this.accounts.createUser(SSO_ACTOR, { email, name, role: access.role, groupIds: access.groupIds })
        userRow = (await this.accounts.getUserRow(created.id))!
      } else {
        throw new SsoRefusal('unknown_user', `There is no Loket user with the address ${email}. Ask an administrator to add you.`, who)
      }
      await ssoIdentityRepository.insert(db, { issuer, subject, user_id: userRow.id, created_at: now, last_sign_in_at: now })
    }
    if (!userRow) throw new SsoRefusal('unknown_user', 'The Loket user linked to this account no longer exists. Ask an administrator.', who)
    if (userRow.active !== 1) throw new SsoRefusal('disabled', 'Your Loket account is disabled. Ask an administrator.', { ...who, userId: userRow.id })
    if (userRow.role === 'customer') throw new SsoRefusal('customer', 'This is a customer account; customers sign in with their password.', { ...who, userId: userRow.id })
    return this.applyAccess(userRow, access)
  }

  private emailOf(row: SsoSettingsTable, claims: Record<string, unknown>, who: SsoRefusal['who']): string {
    const value = claimAt(claims, row.email_claim)
    // An address the provider itself says is unverified could be anyone's: never link or create by it.
    if (typeof value !== 'string' || !value.includes('@') || (row.email_claim === 'email' && claims.email_verified === false)) {
      throw new SsoRefusal('email', `The sign-in provider gave no verified e-mail address ("${row.email_claim}") to find your Loket account by.`, who)
    }
    return normaliseEmail(value)
  }

  /** Role and managed groups as the claims say, at every sign-in (one change, so one record of it). */
  private async applyAccess(row: AppUserRow, access: ReturnType<typeof accessFromClaims>): Promise<AppUserRow> {
    const user = (await this.accounts.loadUser(row.id))!
    const groupIds = groupsAfterSignIn(user.groupIds, access)
    const sameGroups = groupIds.length === user.groupIds.length && groupIds.every((id) => user.groupIds.includes(id))
    const role = access.role!
    if (role === row.role && sameGroups) return row
    try {
      await this.accounts.updateUser(SSO_ACTOR, row.id, { ...(role !== row.role && { role }), ...(!sameGroups && { groupIds }) })
    } catch (err) {
      // The last active administrator keeps the role, so that someone can still manage Loket.
      if (!(err instanceof AppError && err.code === 'conflict')) throw err
      if (!sameGroups) await this.accounts.updateUser(SSO_ACTOR, row.id, { groupIds })
    }
    return (await this.accounts.getUserRow(row.id))!
  }
}
