import { createHash, randomBytes } from 'node:crypto'
import type { MailboxOAuth, MailboxOAuthBody } from '../../../../shared/api/mailbox-oauth.js'
import { type Actor, isAdmin } from '../../../accounts/actor.js'
import { decryptSecret, encryptSecret, sha256 } from '../../../accounts/secrets.js'
import { type AuditService, auditActor } from '../../../audit/audit.service.js'
import type { MailboxOAuthTable } from '../../../db/schema.js'
import type { Deps } from '../../../deps.js'
import { AppError } from '../../../errors.js'
import { mailboxRepository } from '../mailbox.repository.js'
import { endpointsOf } from './mailbox-oauth.providers.js'
import { mailboxOAuthRepository } from './mailbox-oauth.repository.js'

/** The provider refused the stored refresh token (consent withdrawn, token revoked): an administrator must sign in again. */
export class ReconnectNeededError extends Error {
  readonly code = 'oauth_reconnect_needed'
  constructor(reason: string) {
    super(`Opnieuw verbinden nodig / reconnect needed: the provider refused the stored sign-in (${reason})`)
  }
}

export interface AccessToken {
  token: string
  /** Milliseconds since the epoch. */
  expiresAt: number
}

/** An access token this close to its expiry is renewed before use, so a connection never starts with one about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000
/** How long a started sign-in may take before its state is no longer accepted. */
const SIGN_IN_MS = 15 * 60_000
const TOKEN_TIMEOUT_MS = 15_000

interface TokenAnswer {
  access_token?: string
  refresh_token?: string
  expires_in?: number | string
  error?: string
  error_description?: string
}

/**
 * OAuth 2.0 for mailboxes (Microsoft 365, Google Workspace): the app registration, the administrator's
 * one-time sign-in (authorisation code with PKCE and state), and access tokens for IMAP and SMTP
 * (XOAUTH2), renewed with the stored refresh token before they expire.
 */
export class MailboxOAuthService {
  /** One refresh per mailbox at a time in this process: the fetcher and the sender share it. */
  private readonly refreshing = new Map<string, Promise<AccessToken>>()

  constructor(
    private readonly deps: Deps,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  private get key() {
    return this.deps.config.secret
  }

  /** Where the provider sends the administrator back; registered as the app's redirect URI. */
  redirectUri() {
    return `${this.deps.config.publicUrl}/api/v1/mailboxes/oauth/callback`
  }

  private requireAdmin(actor: Actor, action: string) {
    if (!isAdmin(actor)) throw AppError.forbidden(action)
  }

  private async requireMailbox(id: string) {
    const row = await mailboxRepository.findById(this.deps.db, id)
    if (!row) throw AppError.notFound('Mailbox', id)
    return row
  }

  private toApi(r: MailboxOAuthTable): MailboxOAuth {
    return {
      provider: r.provider as MailboxOAuth['provider'],
      tenant: r.tenant,
      clientId: r.client_id,
      hasClientSecret: !!r.client_secret,
      authorizeUrl: r.authorize_url,
      tokenUrl: r.token_url,
      state: r.state as MailboxOAuth['state'],
      connectedAt: r.connected_at,
      lastError: r.last_error,
      redirectUri: this.redirectUri(),
    }
  }

  /** The OAuth settings of every mailbox that has them, by mailbox id (for the mailbox list). */
  async summaries(): Promise<Map<string, MailboxOAuth>> {
    return new Map((await mailboxOAuthRepository.list(this.deps.db)).map((r) => [r.mailbox_id, this.toApi(r)]))
  }

  async summary(mailboxId: string): Promise<MailboxOAuth | null> {
    const row = await mailboxOAuthRepository.find(this.deps.db, mailboxId)
    return row ? this.toApi(row) : null
  }

  /** Whether the mailbox signs in with OAuth (then IMAP and SMTP use XOAUTH2, not the password). */
  async uses(mailboxId: string): Promise<boolean> {
    return !!(await mailboxOAuthRepository.find(this.deps.db, mailboxId))
  }

  async register(actor: Actor, mailboxId: string, body: MailboxOAuthBody): Promise<MailboxOAuth> {
    this.requireAdmin(actor, 'change mailboxes')
    const mailbox = await this.requireMailbox(mailboxId)
    if (body.provider === 'microsoft' && !body.tenant) throw AppError.validation('Microsoft 365 needs the directory (tenant) ID.', { field: 'tenant' })
    if (body.provider === 'custom' && (!body.authorizeUrl || !body.tokenUrl)) {
      throw AppError.validation('A custom provider needs its authorisation and token addresses.', { field: body.authorizeUrl ? 'tokenUrl' : 'authorizeUrl' })
    }
    const current = await mailboxOAuthRepository.find(this.deps.db, mailboxId)
    const now = this.deps.clock.iso()
    const custom = body.provider === 'custom'
    const fields = {
      provider: body.provider,
      tenant: body.provider === 'microsoft' ? (body.tenant ?? null) : null,
      client_id: body.clientId.trim(),
      authorize_url: custom ? (body.authorizeUrl ?? null) : null,
      token_url: custom ? (body.tokenUrl ?? null) : null,
      scopes: custom ? (body.scopes ?? null) : null,
    }
    if (!current && !body.clientSecret) throw AppError.validation('The client secret is required.', { field: 'clientSecret' })
    const secret = body.clientSecret ? encryptSecret(this.key, body.clientSecret) : (current?.client_secret ?? null)
    // Another app or directory: the tokens of the old one are worth nothing.
    const sameApp = current && (Object.keys(fields) as (keyof typeof fields)[]).every((k) => current[k] === fields[k])
    const tokens = sameApp
      ? {}
      : { refresh_token: null, access_token: null, access_expires_at: null, state: 'not_connected', connected_at: null, last_error: null }
    await this.deps.transaction(async (trx) => {
      if (current) await mailboxOAuthRepository.update(trx, mailboxId, { ...fields, ...tokens, client_secret: secret, updated_at: now })
      else
        await mailboxOAuthRepository.insert(trx, {
          mailbox_id: mailboxId,
          ...fields,
          client_secret: secret,
          refresh_token: null,
          access_token: null,
          access_expires_at: null,
          state: 'not_connected',
          last_error: null,
          connected_at: null,
          pending_state: null,
          pending_verifier: null,
          pending_until: null,
          updated_at: now,
        })
      // The fetcher and the sender pick up the new way of signing in.
      await mailboxRepository.update(trx, mailboxId, { updated_at: now })
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'mailbox.oauth_registered',
        details: { mailboxId, name: mailbox.name, provider: fields.provider, tenant: fields.tenant, clientId: fields.client_id, clientSecretChanged: !!body.clientSecret },
      })
    })
    return this.toApi((await mailboxOAuthRepository.find(this.deps.db, mailboxId))!)
  }

  /** Back to the password: the registration and its tokens are forgotten. */
  async remove(actor: Actor, mailboxId: string): Promise<void> {
    this.requireAdmin(actor, 'change mailboxes')
    const mailbox = await this.requireMailbox(mailboxId)
    await this.deps.transaction(async (trx) => {
      const result = await mailboxOAuthRepository.delete(trx, mailboxId)
      if (Number(result.numDeletedRows) === 0) throw AppError.notFound('OAuth sign-in of mailbox', mailboxId)
      await mailboxRepository.update(trx, mailboxId, { updated_at: this.deps.clock.iso() })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'mailbox.oauth_removed', details: { mailboxId, name: mailbox.name } })
    })
  }

  /** Starts the administrator's sign-in: the provider's authorisation address, with PKCE (S256) and a one-time state. */
  async startConnect(actor: Actor, mailboxId: string): Promise<{ url: string }> {
    this.requireAdmin(actor, 'connect mailboxes')
    const mailbox = await this.requireMailbox(mailboxId)
    const row = await mailboxOAuthRepository.find(this.deps.db, mailboxId)
    if (!row) throw AppError.validation('Register the app (client ID and secret) first.', { field: 'clientId' })
    const state = randomBytes(32).toString('base64url')
    const verifier = randomBytes(48).toString('base64url')
    const challenge = createHash('sha256').update(verifier).digest('base64url')
    await mailboxOAuthRepository.update(this.deps.db, mailboxId, {
      pending_state: sha256(state),
      pending_verifier: encryptSecret(this.key, verifier),
      pending_until: new Date(this.deps.clock.now().getTime() + SIGN_IN_MS).toISOString(),
    })
    const endpoints = endpointsOf(row)
    const url = new URL(endpoints.authorizeUrl)
    const params: Record<string, string> = {
      client_id: row.client_id,
      response_type: 'code',
      redirect_uri: this.redirectUri(),
      scope: endpoints.scopes,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      login_hint: mailbox.imap_user,
      ...endpoints.extra,
    }
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
    return { url: url.toString() }
  }

  /**
   * The provider's answer: checks the state, trades the code (with the PKCE verifier) for tokens and
   * stores the refresh token. Returns the mailbox, or throws with a short reason for the screen.
   */
  async finishConnect(actor: Actor, query: { state?: string; code?: string; error?: string; error_description?: string }): Promise<string> {
    this.requireAdmin(actor, 'connect mailboxes')
    const row = query.state ? await mailboxOAuthRepository.findByPendingState(this.deps.db, sha256(query.state)) : undefined
    if (!row || !row.pending_verifier || !row.pending_until || row.pending_until < this.deps.clock.iso()) {
      throw AppError.validation('This sign-in is unknown or expired; start it again from the mailbox screen.', { reason: 'state' })
    }
    const verifier = decryptSecret(this.key, row.pending_verifier)
    // The state is used once, whatever the outcome.
    await mailboxOAuthRepository.update(this.deps.db, row.mailbox_id, { pending_state: null, pending_verifier: null, pending_until: null })
    if (query.error || !query.code) {
      const reason = (query.error ?? 'no_code').slice(0, 100)
      throw AppError.validation(`The provider did not sign the mailbox in: ${reason}${query.error_description ? ` (${query.error_description.slice(0, 300)})` : ''}`, { reason })
    }
    const answer = await this.tokenRequest(row, { grant_type: 'authorization_code', code: query.code, redirect_uri: this.redirectUri(), code_verifier: verifier })
    if (!answer.ok || !answer.body.access_token || !answer.body.refresh_token) {
      const reason = answer.body.error ?? (answer.body.refresh_token ? `http_${answer.status}` : 'no_refresh_token')
      throw AppError.validation(`The provider did not hand out tokens: ${reason}${answer.body.error_description ? ` (${answer.body.error_description.slice(0, 300)})` : ''}`, { reason })
    }
    const now = this.deps.clock.iso()
    await this.deps.transaction(async (trx) => {
      await mailboxOAuthRepository.update(trx, row.mailbox_id, {
        ...this.tokenFields(answer.body),
        refresh_token: encryptSecret(this.key, answer.body.refresh_token!),
        state: 'connected',
        connected_at: now,
        last_error: null,
        updated_at: now,
      })
      // The fetcher starts again with the new sign-in at once rather than waiting out its back-off.
      await mailboxRepository.update(trx, row.mailbox_id, { updated_at: now })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'mailbox.oauth_connected', details: { mailboxId: row.mailbox_id, provider: row.provider } })
    })
    return row.mailbox_id
  }

  private tokenFields(body: TokenAnswer) {
    const seconds = Number(body.expires_in)
    const expiresAt = this.deps.clock.now().getTime() + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000
    return { access_token: encryptSecret(this.key, body.access_token!), access_expires_at: new Date(expiresAt).toISOString() }
  }

  private async tokenRequest(row: MailboxOAuthTable, params: Record<string, string>) {
    const body = new URLSearchParams({ ...params, client_id: row.client_id })
    if (row.client_secret) body.set('client_secret', decryptSecret(this.key, row.client_secret))
    const response = await fetch(endpointsOf(row).tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    })
    const answer = (await response.json().catch(() => ({}))) as TokenAnswer
    return { ok: response.ok, status: response.status, body: answer }
  }

  /**
   * An access token for IMAP and SMTP: the stored one while it has more than a few minutes left,
   * otherwise (or when `renew`, after the server refused it) a new one from the refresh token.
   * Throws ReconnectNeededError when the provider refuses the refresh token; other failures
   * (network, 5xx) throw plainly and the caller tries again later.
   */
  async accessToken(mailboxId: string, renew = false): Promise<AccessToken> {
    const row = await mailboxOAuthRepository.find(this.deps.db, mailboxId)
    if (!row) throw new Error('this mailbox has no OAuth sign-in')
    if (row.state === 'reconnect_needed') throw new ReconnectNeededError(row.last_error ?? 'refused earlier')
    if (!row.refresh_token) throw new ReconnectNeededError('not connected yet')
    const expiresAt = row.access_expires_at ? Date.parse(row.access_expires_at) : 0
    if (!renew && row.access_token && expiresAt - RENEW_BEFORE_MS > this.deps.clock.now().getTime()) {
      return { token: decryptSecret(this.key, row.access_token), expiresAt }
    }
    let pending = this.refreshing.get(mailboxId)
    if (!pending) {
      pending = this.refresh(row).finally(() => this.refreshing.delete(mailboxId))
      this.refreshing.set(mailboxId, pending)
    }
    return pending
  }

  private async refresh(row: MailboxOAuthTable): Promise<AccessToken> {
    const answer = await this.tokenRequest(row, { grant_type: 'refresh_token', refresh_token: decryptSecret(this.key, row.refresh_token!) })
    if (!answer.ok || !answer.body.access_token) {
      // invalid_grant: revoked, expired, consent withdrawn, password changed. Only a new sign-in helps.
      if (answer.body.error === 'invalid_grant' || answer.body.error === 'unauthorized_client' || answer.body.error === 'invalid_client') {
        const reason = `${answer.body.error}${answer.body.error_description ? `: ${answer.body.error_description.slice(0, 300)}` : ''}`
        await this.deps.transaction(async (trx) => {
          await mailboxOAuthRepository.update(trx, row.mailbox_id, { state: 'reconnect_needed', last_error: reason, access_token: null, access_expires_at: null })
          await this.audit.record(trx, { actorId: null, action: 'mailbox.oauth_refused', details: { mailboxId: row.mailbox_id, provider: row.provider, reason } })
        })
        throw new ReconnectNeededError(reason)
      }
      throw new Error(`the token endpoint answered ${answer.status}${answer.body.error ? ` (${answer.body.error})` : ''}`)
    }
    const fields = this.tokenFields(answer.body)
    await mailboxOAuthRepository.update(this.deps.db, row.mailbox_id, {
      ...fields,
      // Microsoft hands out a new refresh token with each use; Google keeps the old one.
      ...(answer.body.refresh_token ? { refresh_token: encryptSecret(this.key, answer.body.refresh_token) } : {}),
      last_error: null,
    })
    return { token: answer.body.access_token, expiresAt: Date.parse(fields.access_expires_at) }
  }
}
