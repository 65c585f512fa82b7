import { afterAll, beforeAll, expect, it } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import { describeEachDatabase } from '../../test/databases.js'
import { startTestProvider, type TestProvider } from '../../test/oidc-provider.js'
import { createTestApp, SYSTEM_ACTOR, type TestApp } from '../../test/test-app.js'

// Single sign-on for staff end to end: Loket's routes through fastify.inject, the provider (oidc-provider
// on loopback) through real HTTP, with the provider's own sign-in form filled in as a browser would.

const CALLBACK = 'http://localhost/api/v1/auth/oidc/callback'
const PASSWORD = 'provider-password'

/** The provider's side of a sign-in, as a browser does it: follow redirects, keep cookies, post the form. */
async function atProvider(provider: TestProvider, authorizationUrl: string, login: string, action: 'login' | 'cancel' = 'login'): Promise<URL> {
  const jar = new Map<string, string>()
  const go = async (url: string, init: { method?: string; form?: Record<string, string> } = {}) => {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      body: init.form && new URLSearchParams(init.form).toString(),
    })
    for (const header of res.headers.getSetCookie()) {
      const pair = header.split(';')[0]
      const name = pair.slice(0, pair.indexOf('='))
      const value = pair.slice(pair.indexOf('=') + 1)
      if (!value || /expires=Thu, 01 Jan 1970/i.test(header)) jar.delete(name)
      else jar.set(name, value)
    }
    return res
  }
  let res = await go(authorizationUrl)
  let formPosted = false
  for (let hops = 0; hops < 10; hops++) {
    if (res.status === 200 && !formPosted) {
      const page = await res.text()
      const uid = /action="\/interaction\/([\w-]+)\/login"/.exec(page)?.[1]
      expect(uid, page).toBeTruthy()
      formPosted = true
      res = await go(`${provider.issuer}/interaction/${uid}/${action}`, { method: 'POST', form: { username: login, password: PASSWORD } })
      continue
    }
    expect([302, 303], await res.clone().text()).toContain(res.status)
    const next = new URL(res.headers.get('location')!, provider.issuer)
    if (next.href.startsWith(CALLBACK)) return next
    res = await go(next.href)
  }
  throw new Error('the provider never sent the browser back')
}

const pendingCookie = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'loket_oidc')?.value
const sessionCookie = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'loket_session' && c.value)?.value

describeEachDatabase('single sign-on for staff (OpenID Connect)', (database) => {
  let t: TestApp
  let provider: TestProvider
  let admin: { id: string; token: string }
  let groups: { servicedesk: string; vergunningen: string; manual: string }

  const account = (login: string, groups: string[], extra: { email?: string; emailVerified?: boolean } = {}) => {
    provider.accounts.set(login, { login, password: PASSWORD, email: extra.email ?? `${login}@gemeente.example`, name: `Mw. ${login}`, groups, emailVerified: extra.emailVerified })
  }

  const settings = (overrides: Record<string, unknown> = {}) => ({
    enabled: true,
    name: 'Gemeente-account',
    issuerUrl: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    scopes: ['openid', 'email', 'profile', 'groups'],
    claim: 'groups',
    mappings: [
      { value: 'loket-agents', role: 'agent', groupIds: [groups.servicedesk] },
      { value: 'loket-vergunningen', groupIds: [groups.vergunningen] },
      { value: 'loket-supervisors', role: 'supervisor' },
      { value: 'loket-admins', role: 'admin' },
    ],
    createUsers: true,
    localPasswordsForStaff: true,
    ...overrides,
  })
  const putSettings = (body: Record<string, unknown>, token = admin.token) => t.request({ method: 'PUT', url: '/api/v1/settings/sso', token, payload: body })

  /** A whole sign-in: Loket's start, the provider's form, Loket's callback. */
  async function signIn(login: string, options: { returnTo?: string; page?: boolean; action?: 'login' | 'cancel' } = {}) {
    const start = await t.request({ method: 'GET', url: `/api/v1/auth/oidc/start${options.returnTo ? `?returnTo=${encodeURIComponent(options.returnTo)}` : ''}` })
    expect(start.statusCode, start.body).toBe(302)
    const back = await atProvider(provider, start.headers.location as string, login, options.action)
    return t.request({
      method: 'GET',
      url: back.pathname + back.search,
      cookies: { loket_oidc: pendingCookie(start)! },
      headers: options.page ? { accept: 'text/html' } : {},
    })
  }
  const me = async (cookie: string) => (await t.request({ method: 'GET', url: '/api/v1/me', cookies: { loket_session: cookie } })).json()
  /** The audit log's entries of one kind (newest first), as an administrator reads them. */
  const audit = async (action: string, subjectUserId?: string) =>
    (await t.request({ method: 'GET', url: `/api/v1/audit?action=${action}${subjectUserId ? `&subjectUserId=${subjectUserId}` : ''}`, token: admin.token })).json().items as {
      actorId: string | null
      subjectUserId: string | null
      ip: string | null
      details: Record<string, unknown>
    }[]

  beforeAll(async () => {
    t = await createTestApp(database)
    provider = await startTestProvider({ redirectUris: [CALLBACK], accounts: [] })
    admin = await t.user('admin')
    const desk = t.runtime.services.desk
    const dept = await desk.createDepartment(SYSTEM_ACTOR, { name: 'Publiekszaken', customerReplyAllowed: true })
    const group = (name: string, line: 1 | 2) => desk.createGroup(SYSTEM_ACTOR, { name, departmentId: dept.id, line })
    groups = { servicedesk: (await group('Servicedesk', 1)).id, vergunningen: (await group('Vergunningen', 2)).id, manual: (await group('Handmatig', 2)).id }
  })
  afterAll(async () => {
    await provider?.close()
    await t?.close()
  })

  it('lets only administrators read and change the settings, and never sends the client secret back', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/settings/sso' })).statusCode).toBe(401)
    expect((await t.request({ method: 'PUT', url: '/api/v1/settings/sso', payload: settings() })).statusCode).toBe(401)
    for (const role of ['customer', 'agent', 'supervisor'] as const) {
      const user = await t.user(role)
      const read = await t.request({ method: 'GET', url: '/api/v1/settings/sso', token: user.token })
      expect(read.statusCode, role).toBe(403)
      expect(read.headers['content-type']).toContain('application/problem+json')
      expect((await putSettings(settings(), user.token)).statusCode, role).toBe(403)
    }
    const before = await t.request({ method: 'GET', url: '/api/v1/settings/sso', token: admin.token })
    expect(before.json()).toMatchObject({ configured: false, enabled: false, redirectUri: CALLBACK, localPasswordsForStaff: true })
    expect((await t.request({ method: 'GET', url: '/api/v1/auth/oidc' })).json()).toEqual({ enabled: false, name: null, startUrl: null })

    const saved = await putSettings(settings())
    expect(saved.statusCode, saved.body).toBe(200)
    expect(saved.json()).toMatchObject({ configured: true, enabled: true, name: 'Gemeente-account', hasClientSecret: true, emailClaim: 'email' })
    expect(saved.body).not.toContain(provider.clientSecret)
    const row = await t.runtime.deps.db.selectFrom('sso_settings').select('client_secret').executeTakeFirstOrThrow()
    expect(row.client_secret).toMatch(/^v1:/)
    expect(row.client_secret).not.toContain(provider.clientSecret)
    // Saving again without the secret keeps it.
    const { clientSecret: _omitted, ...withoutSecret } = settings()
    expect((await putSettings(withoutSecret)).json().hasClientSecret).toBe(true)
    expect((await t.request({ method: 'GET', url: '/api/v1/auth/oidc' })).json()).toEqual({ enabled: true, name: 'Gemeente-account', startUrl: '/api/v1/auth/oidc/start' })
    // Recorded with the fields changed, never the secret.
    const [latest, first] = await audit('sso.settings-changed')
    expect(latest).toMatchObject({ actorId: admin.id, details: { fields: [] } })
    expect(first.details.fields).toEqual(expect.arrayContaining(['issuer_url', 'client_id', 'client_secret', 'mappings']))
    expect(JSON.stringify(first)).not.toContain(provider.clientSecret)
    expect(JSON.stringify(first)).not.toContain(row.client_secret)
  })

  it('refuses settings that cannot be right', async () => {
    const plainHttp = await putSettings(settings({ issuerUrl: 'http://login.example.org/realms/loket' }))
    expect(plainHttp.statusCode).toBe(400)
    expect(plainHttp.json().errors[0].field).toBe('issuerUrl')
    const unknownGroup = await putSettings(settings({ mappings: [{ value: 'x', role: 'agent', groupIds: ['no-such-group'] }] }))
    expect(unknownGroup.statusCode).toBe(400)
    const badRole = await putSettings(settings({ mappings: [{ value: 'x', role: 'customer' }] }))
    expect(badRole.statusCode).toBe(400)
    // Not before the administrator has shown that signing in with the provider works.
    const lockout = await putSettings(settings({ localPasswordsForStaff: false }))
    expect(lockout.statusCode).toBe(400)
    expect(lockout.json().errors[0].field).toBe('localPasswordsForStaff')
  })

  it('signs in a new agent with PKCE, state and nonce, creates them just in time with the mapped role and groups, and sets the session cookie', async () => {
    account('anna', ['loket-agents', 'loket-vergunningen', 'other-app-users'])
    const start = await t.request({ method: 'GET', url: '/api/v1/auth/oidc/start?returnTo=%2Ftickets%2Fabc' })
    const authorization = new URL(start.headers.location as string)
    expect(authorization.origin).toBe(provider.issuer)
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorization.searchParams.get('code_challenge')).toBeTruthy()
    expect(authorization.searchParams.get('state')).toBeTruthy()
    expect(authorization.searchParams.get('nonce')).toBeTruthy()
    expect(authorization.searchParams.get('redirect_uri')).toBe(CALLBACK)
    const pending = start.cookies.find((c) => c.name === 'loket_oidc')!
    expect(pending).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oidc' })
    expect(pending.value).not.toContain(authorization.searchParams.get('state')!)

    const back = await atProvider(provider, authorization.href, 'anna')
    const done = await t.request({ method: 'GET', url: back.pathname + back.search, cookies: { loket_oidc: pending.value }, headers: { accept: 'text/html' } })
    expect(done.statusCode, done.body).toBe(302)
    expect(done.headers.location).toBe('/tickets/abc')
    const session = done.cookies.find((c) => c.name === 'loket_session')!
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
    const who = await me(session.value)
    expect(who.user).toMatchObject({ email: 'anna@gemeente.example', name: 'Mw. anna', role: 'agent' })
    expect(new Set(who.user.groupIds)).toEqual(new Set([groups.servicedesk, groups.vergunningen]))
    expect(who.csrfToken).toBeTruthy()
    expect((await audit('auth.signed-in', who.user.id))[0]).toMatchObject({ actorId: who.user.id, details: { method: 'sso' } })
    expect(await audit('user.created', who.user.id)).toHaveLength(1)
    // The pending sign-in is used up.
    expect(done.cookies.find((c) => c.name === 'loket_oidc')?.value).toBe('')
    const replay = await t.request({ method: 'GET', url: back.pathname + back.search })
    expect(replay.statusCode).toBe(400)
    expect(replay.json()).toMatchObject({ code: 'validation', reason: 'expired' })
  })

  it('applies role and group changes from the claims at every sign-in, leaving groups that no mapping names alone', async () => {
    account('bram', ['loket-agents'])
    const first = await signIn('bram')
    const bram = (await me(sessionCookie(first)!)).user
    expect(bram.role).toBe('agent')
    await t.runtime.services.accounts.updateUser(SYSTEM_ACTOR, bram.id, { groupIds: [...bram.groupIds, groups.manual] })

    account('bram', ['loket-admins', 'loket-vergunningen'])
    const second = await signIn('bram')
    const after = (await me(sessionCookie(second)!)).user
    expect(after.id).toBe(bram.id)
    expect(after.role).toBe('admin')
    expect((await audit('user.role-changed', bram.id))[0]).toMatchObject({ actorId: null, details: { from: 'agent', to: 'admin' } })
    expect(new Set(after.groupIds)).toEqual(new Set([groups.vergunningen, groups.manual]))

    account('bram', ['loket-supervisors'])
    const third = (await me(sessionCookie(await signIn('bram'))!)).user
    expect(third.role).toBe('supervisor')
    expect(third.groupIds).toEqual([groups.manual])
  })

  it('refuses someone whose claims give no role, and creates nobody', async () => {
    account('kees', ['loket-vergunningen', 'other-app-users'])
    const refused = await signIn('kees')
    expect(refused.statusCode).toBe(403)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json()).toMatchObject({ code: 'forbidden', reason: 'not_allowed' })
    expect(sessionCookie(refused)).toBeUndefined()
    expect(await t.runtime.services.accounts.userIdByEmail('kees@gemeente.example')).toBeUndefined()
    expect((await audit('auth.sign-in-failed'))[0]).toMatchObject({
      actorId: null,
      subjectUserId: null,
      details: { method: 'sso', reason: 'not_allowed', email: 'kees@gemeente.example', subject: 'kees' },
    })
    // A browser is sent back to the sign-in screen, which says why.
    const page = await signIn('kees', { page: true })
    expect(page.statusCode).toBe(302)
    expect(page.headers.location).toBe('/?sso_error=not_allowed')
  })

  it('links existing staff by e-mail address when just-in-time creation is off, and refuses unknown people, customers and unverified addresses', async () => {
    expect((await putSettings(settings({ createUsers: false }))).statusCode).toBe(200)
    const carla = await t.user('agent', { email: 'carla@gemeente.example', password: 'carla-local-password' })
    account('carla', ['loket-agents'])
    const linked = await signIn('carla')
    expect((await me(sessionCookie(linked)!)).user.id).toBe(carla.id)
    const identity = await t.runtime.deps.db.selectFrom('user_sso_identity').selectAll().where('user_id', '=', carla.id).executeTakeFirstOrThrow()
    expect(identity).toMatchObject({ issuer: provider.issuer, subject: 'carla' })

    account('dirk', ['loket-agents'])
    expect((await signIn('dirk')).json()).toMatchObject({ reason: 'unknown_user' })

    await t.user('customer', { email: 'eva@gemeente.example' })
    account('eva', ['loket-agents'])
    expect((await signIn('eva')).json()).toMatchObject({ reason: 'customer' })

    await t.user('agent', { email: 'frank@gemeente.example' })
    account('frank', ['loket-agents'], { emailVerified: false })
    expect((await signIn('frank')).json()).toMatchObject({ reason: 'email' })

    // Another provider account with carla's address cannot take over her linked account.
    account('carla2', ['loket-agents'], { email: 'carla@gemeente.example' })
    expect((await signIn('carla2')).json()).toMatchObject({ reason: 'conflict' })

    const disabled = await t.user('agent', { email: 'gert@gemeente.example' })
    await t.runtime.services.accounts.updateUser(SYSTEM_ACTOR, disabled.id, { active: false })
    account('gert', ['loket-agents'])
    expect((await signIn('gert')).json()).toMatchObject({ reason: 'disabled' })
    expect((await audit('auth.sign-in-failed', disabled.id))[0].details).toMatchObject({ method: 'sso', reason: 'disabled' })
    expect((await putSettings(settings())).statusCode).toBe(200)
  })

  it('refuses an answer that belongs to another sign-in, one without a started sign-in, and a cancelled one', async () => {
    account('hans', ['loket-agents'])
    const mine = await t.request({ method: 'GET', url: '/api/v1/auth/oidc/start' })
    const theirs = await t.request({ method: 'GET', url: '/api/v1/auth/oidc/start' })
    const back = await atProvider(provider, theirs.headers.location as string, 'hans')
    // The attacker's answer (their code and state) in the victim's browser (the victim's pending sign-in).
    const mismatch = await t.request({ method: 'GET', url: back.pathname + back.search, cookies: { loket_oidc: pendingCookie(mine)! } })
    expect(mismatch.statusCode).toBe(400)
    expect(mismatch.json()).toMatchObject({ reason: 'state' })
    const forged = await t.request({ method: 'GET', url: back.pathname + back.search, cookies: { loket_oidc: 'v1:AAAA:BBBB:CCCC' }, headers: { accept: 'text/html' } })
    expect(forged.headers.location).toBe('/?sso_error=expired')

    const cancelled = await signIn('hans', { action: 'cancel' })
    expect(cancelled.statusCode).toBe(401)
    expect(cancelled.json()).toMatchObject({ reason: 'denied' })
    expect(cancelled.json().detail).toContain('access_denied')

    // A wrong client secret: the provider refuses to exchange the code.
    expect((await putSettings(settings({ clientSecret: 'not-the-secret' }))).statusCode).toBe(200)
    const wrongSecret = await signIn('hans')
    expect(wrongSecret.statusCode).toBe(401)
    expect(wrongSecret.json()).toMatchObject({ reason: 'failed' })
    expect((await putSettings(settings())).statusCode).toBe(200)
  })

  it('puts claims from the ID token first (Entra ID style), and says so clearly when the provider is down', async () => {
    const entra = await startTestProvider({ redirectUris: [CALLBACK], accounts: [], claimsInIdToken: true })
    const previous = provider
    try {
      provider = entra
      expect((await putSettings(settings())).statusCode).toBe(200)
      account('ines', ['loket-supervisors'])
      const done = await signIn('ines')
      expect((await me(sessionCookie(done)!)).user.role).toBe('supervisor')

      // The provider goes down between the sign-in form and the exchange of the code.
      const start = await t.request({ method: 'GET', url: '/api/v1/auth/oidc/start' })
      const back = await atProvider(provider, start.headers.location as string, 'ines')
      await entra.close()
      const lost = await t.request({ method: 'GET', url: back.pathname + back.search, cookies: { loket_oidc: pendingCookie(start)! } })
      expect(lost.statusCode, lost.body).toBe(503)
      expect(lost.json()).toMatchObject({ code: 'unavailable', reason: 'unavailable' })
    } finally {
      await entra.close()
      provider = previous
    }
    // And it is still down when the next sign-in starts (after a change of settings, nothing is remembered of it).
    expect((await putSettings({ ...settings(), issuerUrl: entra.issuer })).statusCode).toBe(200)
    const down = await t.request({ method: 'GET', url: '/api/v1/auth/oidc/start' })
    expect(down.statusCode).toBe(503)
    expect(down.json()).toMatchObject({ code: 'unavailable', reason: 'unavailable' })
    const page = await t.request({ method: 'GET', url: '/api/v1/auth/oidc/start', headers: { accept: 'text/html' } })
    expect(page.headers.location).toBe('/?sso_error=unavailable')
    expect((await putSettings(settings())).statusCode).toBe(200)
  })

  it('switches local passwords off for staff (after the administrator signed in with the provider), never for customers', async () => {
    account('joke', ['loket-admins'])
    const signedIn = await signIn('joke')
    const cookie = sessionCookie(signedIn)!
    const { csrfToken, user } = await me(cookie)
    const off = await t.request({
      method: 'PUT',
      url: '/api/v1/settings/sso',
      cookies: { loket_session: cookie },
      headers: { 'x-csrf-token': csrfToken },
      payload: settings({ localPasswordsForStaff: false }),
    })
    expect(off.statusCode, off.body).toBe(200)
    expect(off.json().localPasswordsForStaff).toBe(false)
    expect(user.role).toBe('admin')

    const agent = await t.user('agent', { password: 'agent-local-password' })
    const refused = await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: 'agent-local-password' } })
    expect(refused.statusCode).toBe(403)
    expect(refused.json()).toMatchObject({ reason: 'sso_only' })
    // A wrong password still says only that it is wrong.
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: 'wrong-password' } })).statusCode).toBe(401)
    const customer = await t.user('customer', { password: 'customer-password' })
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: customer.email, password: 'customer-password' } })).statusCode).toBe(200)
    // Single sign-on itself goes on working, and switching it off gives staff their passwords back.
    expect(sessionCookie(await signIn('joke'))).toBeTruthy()
    expect((await putSettings(settings({ enabled: false, localPasswordsForStaff: false }))).statusCode).toBe(200)
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: agent.email, password: 'agent-local-password' } })).statusCode).toBe(200)
    const notOn = await t.request({ method: 'GET', url: '/api/v1/auth/oidc/start' })
    expect(notOn.statusCode).toBe(404)
    expect(notOn.json()).toMatchObject({ reason: 'not_configured' })
  })
})
