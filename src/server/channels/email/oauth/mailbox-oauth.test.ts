import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../../test/databases.js'
import { createTestApp, type TestApp } from '../../../test/test-app.js'
import { waitUntil } from '../../../test/wait-until.js'
import { PROCESSED_KEYWORD } from '../imap-fetcher.js'
import { type Dovecot, startDovecot } from '../test/dovecot.js'
import { type OAuthServer, startOAuthServer } from './test/oauth-server.js'
import { startXOAuth2Smtp, type XOAuth2Smtp } from './test/xoauth2-smtp.js'

const mail = (id: string, subject: string) =>
  Buffer.from(`From: Sanne Visser <sanne@klant.nl>\r\nTo: desk@loket.test\r\nSubject: ${subject}\r\nMessage-ID: <${id}@klant.nl>\r\n\r\nGraag hulp.\r\n`)

describeEachDatabase('mailboxes signed in with OAuth 2.0 (XOAUTH2) against Dovecot, an SMTP server and an authorisation server', (database) => {
  let t: TestApp
  let oauth: OAuthServer
  let dovecot: Dovecot
  let smtp: XOAuth2Smtp
  let admin: Awaited<ReturnType<TestApp['user']>>
  let agent: Awaited<ReturnType<TestApp['user']>>
  let mailboxId: string

  const db = () => t.runtime.deps.db
  const mailbox = async () => (await t.request({ method: 'GET', url: `/api/v1/mailboxes/${mailboxId}`, token: admin.token })).json()
  const waitForArticle = (sourceId: string) =>
    waitUntil(`article ${sourceId}`, () => db().selectFrom('article').selectAll().where('source_id', '=', sourceId).executeTakeFirst())
  const deliver = async (raw: Buffer) => {
    await dovecot.append('desk', raw)
    t.runtime.email.wakeAll()
  }
  const runJobs = async () => {
    await t.runtime.outbox.drain()
    while (await t.runtime.deps.jobs.runOnce()) {
      // until no job is due
    }
  }
  /** A settings change makes the fetcher sign in again (as a restart would). */
  const reconnectFetcher = async () => {
    const current = await mailbox()
    await t.request({ method: 'PATCH', url: `/api/v1/mailboxes/${mailboxId}`, token: admin.token, payload: { pollSeconds: current.pollSeconds === 5 ? 6 : 5 } })
    await t.runtime.email.refresh()
  }
  /** The administrator's "Verbinden" click, the provider's consent screen, and the way back. */
  const connect = async () => {
    const started = await t.request({ method: 'POST', url: `/api/v1/mailboxes/${mailboxId}/oauth/connect`, token: admin.token })
    expect(started.statusCode).toBe(200)
    const atProvider = await fetch(started.json().url, { redirect: 'manual' })
    expect(atProvider.status).toBe(302)
    const back = new URL(atProvider.headers.get('location')!)
    expect(back.origin + back.pathname).toBe('http://localhost/api/v1/mailboxes/oauth/callback')
    return t.request({ method: 'GET', url: back.pathname + back.search, token: admin.token, headers: { accept: 'text/html' } })
  }

  beforeAll(async () => {
    oauth = await startOAuthServer({ user: 'desk' })
    ;[dovecot, smtp] = await Promise.all([startDovecot(['desk'], { oauth2IntrospectionUrl: oauth.introspectionUrl }), startXOAuth2Smtp(oauth.check)])
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: {
        name: 'Servicedesk',
        address: 'desk@loket.test',
        // Not the account's password: only the OAuth sign-in can open this mailbox.
        imap: { host: '127.0.0.1', port: dovecot.port, tls: 'none', user: 'desk', password: 'not-the-password' },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', user: 'desk' },
        pollSeconds: 5,
      },
    })
    expect(res.statusCode).toBe(201)
    mailboxId = res.json().id
  })
  afterAll(async () => {
    await t?.close()
    await Promise.all([dovecot?.stop(), smtp?.stop(), oauth?.stop()])
  })

  it('registers the app with its secret encrypted, only for administrators, and checks what each provider needs', async () => {
    const put = (token: string, payload: object) => t.request({ method: 'PUT', url: `/api/v1/mailboxes/${mailboxId}/oauth`, token, payload })
    expect((await put(agent.token, { provider: 'google', clientId: 'x', clientSecret: 'y' })).statusCode).toBe(403)
    const noTenant = await put(admin.token, { provider: 'microsoft', clientId: 'x', clientSecret: 'y' })
    expect(noTenant.statusCode).toBe(400)
    expect(noTenant.headers['content-type']).toContain('application/problem+json')
    expect((await put(admin.token, { provider: 'custom', clientId: 'x', clientSecret: 'y' })).statusCode).toBe(400)
    expect((await t.request({ method: 'POST', url: `/api/v1/mailboxes/${mailboxId}/oauth/connect`, token: admin.token })).statusCode).toBe(400)

    // Microsoft's and Google's addresses and scopes, with PKCE and state.
    await put(admin.token, { provider: 'microsoft', tenant: 'gemeente.onmicrosoft.com', clientId: 'ms-client', clientSecret: 'ms-secret' })
    const ms = new URL((await t.request({ method: 'POST', url: `/api/v1/mailboxes/${mailboxId}/oauth/connect`, token: admin.token })).json().url)
    expect(ms.origin + ms.pathname).toBe('https://login.microsoftonline.com/gemeente.onmicrosoft.com/oauth2/v2.0/authorize')
    expect(ms.searchParams.get('scope')).toBe('https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access')
    expect(ms.searchParams.get('code_challenge_method')).toBe('S256')
    expect(ms.searchParams.get('redirect_uri')).toBe('http://localhost/api/v1/mailboxes/oauth/callback')
    expect(ms.searchParams.get('state')).toMatch(/^[\w-]{40,}$/)
    await put(admin.token, { provider: 'google', clientId: 'g-client', clientSecret: 'g-secret' })
    const google = new URL((await t.request({ method: 'POST', url: `/api/v1/mailboxes/${mailboxId}/oauth/connect`, token: admin.token })).json().url)
    expect(google.origin + google.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth')
    expect(Object.fromEntries(['scope', 'access_type', 'prompt'].map((k) => [k, google.searchParams.get(k)]))).toEqual({
      scope: 'https://mail.google.com/',
      access_type: 'offline',
      prompt: 'consent',
    })

    const registered = await put(admin.token, {
      provider: 'custom',
      clientId: oauth.clientId,
      clientSecret: oauth.clientSecret,
      authorizeUrl: oauth.authorizeUrl,
      tokenUrl: oauth.tokenUrl,
      scopes: 'mail',
    })
    expect(registered.statusCode).toBe(200)
    expect(registered.json()).toMatchObject({ provider: 'custom', clientId: oauth.clientId, hasClientSecret: true, state: 'not_connected' })
    expect(registered.body).not.toContain(oauth.clientSecret)
    const row = await db().selectFrom('mailbox_oauth').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirstOrThrow()
    expect(row.client_secret).toMatch(/^v1:/)
    expect(row.client_secret).not.toContain(oauth.clientSecret)
  })

  it('connects through the authorisation-code flow with PKCE, refusing an unknown or reused state', async () => {
    const forged = await t.request({ method: 'GET', url: '/api/v1/mailboxes/oauth/callback?state=forged&code=x', token: admin.token, headers: { accept: 'text/html' } })
    expect(forged.statusCode).toBe(302)
    expect(forged.headers.location).toBe('/admin/mailboxes?oauth_error=state')
    expect((await t.request({ method: 'GET', url: '/api/v1/mailboxes/oauth/callback?state=x&code=y' })).statusCode).toBe(401)

    const started = await t.request({ method: 'POST', url: `/api/v1/mailboxes/${mailboxId}/oauth/connect`, token: admin.token })
    const back = new URL((await fetch(started.json().url, { redirect: 'manual' })).headers.get('location')!)
    // Someone else's session cannot finish an administrator's sign-in.
    expect((await t.request({ method: 'GET', url: back.pathname + back.search, token: agent.token })).statusCode).toBe(403)
    const done = await t.request({ method: 'GET', url: back.pathname + back.search, token: admin.token, headers: { accept: 'text/html' } })
    expect(done.statusCode).toBe(302)
    expect(done.headers.location).toBe(`/admin/mailboxes?oauth=connected&mailbox=${mailboxId}`)
    expect(oauth.grants.authorization_code).toBe(1)
    const again = await t.request({ method: 'GET', url: back.pathname + back.search, token: admin.token })
    expect(again.statusCode).toBe(400)

    const shown = await mailbox()
    expect(shown.oauth).toMatchObject({ state: 'connected', redirectUri: 'http://localhost/api/v1/mailboxes/oauth/callback' })
    expect(shown.oauth.connectedAt).toBeTruthy()
    const row = await db().selectFrom('mailbox_oauth').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirstOrThrow()
    expect(row.refresh_token).toMatch(/^v1:/)
    expect(row.access_token).toMatch(/^v1:/)
    expect(JSON.stringify(shown)).not.toMatch(/rt\.|at\./)
  })

  it('fetches mail over XOAUTH2, sends the reply over XOAUTH2, and passes the connection test', async () => {
    const test = (await t.request({ method: 'POST', url: `/api/v1/mailboxes/${mailboxId}/test`, token: admin.token })).json()
    expect(test.steps.find((s: { ok: boolean }) => !s.ok)).toBeUndefined()
    expect(test.ok).toBe(true)

    await t.runtime.email.start()
    await deliver(mail('o1', 'Printer kapot'))
    const article = await waitForArticle('<o1@klant.nl>')
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${article.ticket_id}/articles`, token: agent.token, payload: { body: 'We komen eraan.' } })
    expect(reply.statusCode).toBe(201)
    await runJobs()
    await waitUntil('the reply at the SMTP server', async () => smtp.received.length === 1)
    expect(smtp.received[0].user).toBe('desk')
    expect(smtp.received[0].parsed.subject).toContain('Printer kapot')
    expect(smtp.refused).toBe(0)
  })

  it('renews an access token before it expires, and once when a server refuses it', async () => {
    // Close to its expiry: the next use takes a new one.
    const before = oauth.grants.refresh_token
    await db().updateTable('mailbox_oauth').set({ access_expires_at: new Date(Date.now() + 60_000).toISOString() }).where('mailbox_id', '=', mailboxId).execute()
    await t.runtime.services.mailboxOAuth.accessToken(mailboxId)
    expect(oauth.grants.refresh_token).toBe(before + 1)
    await t.runtime.services.mailboxOAuth.accessToken(mailboxId)
    expect(oauth.grants.refresh_token).toBe(before + 1)

    // The servers no longer take the token Loket believes good (revoked early, clocks apart): IMAP renews once.
    oauth.expireAccessTokens()
    await reconnectFetcher()
    await deliver(mail('o2', 'Scherm flikkert'))
    await waitForArticle('<o2@klant.nl>')
    expect(oauth.grants.refresh_token).toBe(before + 2)

    // And SMTP too.
    oauth.expireAccessTokens()
    const article = await waitForArticle('<o2@klant.nl>')
    await t.request({ method: 'POST', url: `/api/v1/tickets/${article.ticket_id}/articles`, token: agent.token, payload: { body: 'Probeer een andere kabel.' } })
    await runJobs()
    await waitUntil('the second reply at the SMTP server', async () => smtp.received.length === 2)
    expect(smtp.refused).toBeGreaterThanOrEqual(1)
    expect(oauth.grants.refresh_token).toBe(before + 3)
    expect((await mailbox()).oauth.state).toBe('connected')
  })

  it('shows "reconnect needed" when consent is withdrawn, loses nothing, and takes the mail in after a new sign-in', async () => {
    oauth.revokeAll()
    await reconnectFetcher()
    await deliver(mail('o3', 'Geen toegang meer'))
    const shown = await waitUntil('reconnect needed', async () => {
      const m = await mailbox()
      return m.oauth.state === 'reconnect_needed' && m.status.state === 'error' ? m : undefined
    })
    expect(shown.oauth.lastError).toContain('invalid_grant')
    expect(shown.status.lastError).toMatch(/reconnect needed/i)
    const audit = await db().selectFrom('audit_log').select('action').where('action', '=', 'mailbox.oauth_refused').execute()
    expect(audit.length).toBe(1)

    // The message waits on the server, unprocessed; a reply waits in the queue, not lost and not marked sent.
    const waiting = (await dovecot.list('desk')).at(-1)!
    expect(waiting.flags).not.toContain(PROCESSED_KEYWORD)
    const first = await waitForArticle('<o1@klant.nl>')
    await t.request({ method: 'POST', url: `/api/v1/tickets/${first.ticket_id}/articles`, token: agent.token, payload: { body: 'Bent u er nog?' } })
    await runJobs()
    expect(smtp.received.length).toBe(2)
    const queued = await db().selectFrom('article').select('metadata').where('ticket_id', '=', first.ticket_id).orderBy('created_at', 'desc').executeTakeFirstOrThrow()
    expect(JSON.stringify(queued.metadata)).not.toContain('"sent"')

    // The administrator signs in again: the waiting mail comes in.
    const done = await connect()
    expect(done.headers.location).toBe(`/admin/mailboxes?oauth=connected&mailbox=${mailboxId}`)
    expect((await mailbox()).oauth.state).toBe('connected')
    await t.runtime.email.refresh()
    t.runtime.email.wakeAll()
    await waitForArticle('<o3@klant.nl>')
    await waitUntil('the mailbox working again', async () => (await mailbox()).status.state !== 'error')
  })
})
