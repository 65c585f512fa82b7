import { afterAll, beforeAll, expect, it } from 'vitest'
import { type SmtpSink, startSmtpSink } from '../channels/email/test/smtp-sink.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'
import { decryptSecret } from './secrets.js'

describeEachDatabase('who may change a password', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database)
  })
  afterAll(() => t?.close())

  const login = (email: string, password: string) => t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })

  it("does not let staff set a customer's password, so no one can sign in as a customer", async () => {
    const customer = await t.user('customer', { email: 'klant.pw@example.nl', password: 'eigen-wachtwoord' })
    for (const role of ['agent', 'supervisor', 'admin'] as const) {
      const staff = await t.user(role)
      const res = await t.request({ method: 'PATCH', url: `/api/v1/users/${customer.id}`, token: staff.token, payload: { password: 'door-de-balie-gezet' } })
      expect(res.statusCode, role).toBe(403)
      expect(res.headers['content-type']).toContain('application/problem+json')
      const created = await t.request({ method: 'POST', url: '/api/v1/users', token: staff.token, payload: { email: `nieuw.${role}@example.nl`, name: 'Nieuw', role: 'customer', password: 'door-de-balie-gezet' } })
      expect(created.statusCode, role).toBe(403)
    }
    expect((await login('klant.pw@example.nl', 'door-de-balie-gezet')).statusCode).toBe(401)
    expect((await login('klant.pw@example.nl', 'eigen-wachtwoord')).statusCode).toBe(200)
  })

  it('asks for the current password to set a new one on PATCH /me', async () => {
    const user = await t.user('agent', { email: 'zelf.pw@desk.nl', password: 'huidig-wachtwoord' })
    const patch = (payload: object) => t.request({ method: 'PATCH', url: '/api/v1/me', token: user.token, payload })
    const without = await patch({ password: 'nieuw-wachtwoord' })
    expect(without.statusCode).toBe(400)
    expect(without.json()).toMatchObject({ code: 'validation', errors: [{ field: 'currentPassword' }] })
    const wrong = await patch({ password: 'nieuw-wachtwoord', currentPassword: 'geraden-wachtwoord' })
    expect(wrong.statusCode).toBe(403)
    expect((await login('zelf.pw@desk.nl', 'nieuw-wachtwoord')).statusCode).toBe(401)
    expect((await patch({ password: 'nieuw-wachtwoord', currentPassword: 'huidig-wachtwoord' })).statusCode).toBe(200)
    expect((await login('zelf.pw@desk.nl', 'nieuw-wachtwoord')).statusCode).toBe(200)
    // Other own fields need no password.
    expect((await patch({ name: 'Zelf' })).statusCode).toBe(200)
    // Anonymous: 401.
    expect((await t.request({ method: 'PATCH', url: '/api/v1/me', payload: { name: 'x' } })).statusCode).toBe(401)
  })
})

describeEachDatabase('links by mail: password reset and a new e-mail address', (database) => {
  let t: TestApp
  let smtp: SmtpSink
  let admin: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database)
    smtp = await startSmtpSink()
    admin = await t.user('admin')
    const mailbox = { name: 'Servicedesk', address: 'servicedesk@gemeente.example', imap: { host: '127.0.0.1', user: 'x', password: 'x' }, smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' } }
    expect((await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: mailbox })).statusCode).toBe(201)
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.stop()
  })

  const queuedMails = async () => {
    const jobs = await t.runtime.deps.db.selectFrom('job').select('payload').where('queue', '=', 'account.mail').orderBy('id').execute()
    return jobs.map((j) => JSON.parse(decryptSecret(t.runtime.config.secret, JSON.parse(j.payload).sealed)) as { to: string; subject: string; text: string })
  }
  const secretOf = (mail: { text: string }) => /#([\w-]{20,})/.exec(mail.text)![1]
  const login = (email: string, password: string) => t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })

  it('lets staff send a customer a one-time link to choose a password, in their language, by real mail', async () => {
    const customer = await t.user('customer', { email: 'reset.klant@example.nl', password: 'oud-wachtwoord' })
    const english = await t.user('customer', { email: 'reset.english@example.nl' })
    await t.runtime.services.accounts.updateUser({ user: { id: 'system', role: 'admin' } as never, via: 'system' }, english.id, { language: 'en' })
    const agent = await t.user('agent')
    const url = (id: string) => `/api/v1/users/${id}/password-reset`
    // Who may: staff for customers, administrators for anyone; nobody anonymously.
    expect((await t.request({ method: 'POST', url: url(customer.id) })).statusCode).toBe(401)
    const other = await t.user('customer')
    expect((await t.request({ method: 'POST', url: url(customer.id), token: other.token })).statusCode).toBe(404)
    const colleague = await t.user('agent')
    expect((await t.request({ method: 'POST', url: url(colleague.id), token: agent.token })).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: url(colleague.id), token: admin.token })).statusCode).toBe(202)
    const supervisor = await t.user('supervisor')
    expect((await t.request({ method: 'POST', url: url(english.id), token: supervisor.token })).statusCode).toBe(202)
    const sent = await t.request({ method: 'POST', url: url(customer.id), token: agent.token })
    expect(sent.statusCode).toBe(202)
    const expires = Date.parse(sent.json().expiresAt) - Date.now()
    expect(expires).toBeGreaterThan(15 * 60_000)
    expect(expires).toBeLessThanOrEqual(72 * 3600_000)

    const mails = await queuedMails()
    const dutch = mails.find((m) => m.to === 'reset.klant@example.nl')!
    expect(dutch.subject).toBe('Stel uw wachtwoord in voor Loket')
    expect(dutch.text).toContain('http://localhost/wachtwoord-instellen#')
    expect(mails.find((m) => m.to === 'reset.english@example.nl')!.subject).toBe('Set your password for Loket')
    // The job payload holds no readable secret.
    const raw = await t.runtime.deps.db.selectFrom('job').select('payload').where('queue', '=', 'account.mail').execute()
    expect(JSON.stringify(raw)).not.toContain(secretOf(dutch))
    // The e-mail channel sends it through the mailbox.
    while (await t.runtime.deps.jobs.runOnce()) {
      // every queued mail
    }
    const received = await smtp.waitFor(3)
    const mail = received.find((m) => m.envelope.to.includes('reset.klant@example.nl'))!
    expect(mail.parsed.from?.value[0].address).toBe('servicedesk@gemeente.example')
    expect(mail.parsed.text).toContain(secretOf(dutch))

    // The link works once, sets the password, ends the sessions.
    const session = await login('reset.klant@example.nl', 'oud-wachtwoord')
    const cookie = String(session.headers['set-cookie']).split(';')[0]
    const use = (token: string, password = 'zelf-gekozen-wachtwoord') => t.request({ method: 'POST', url: '/api/v1/account-links/password', payload: { token, password } })
    expect((await use(secretOf(dutch))).statusCode).toBe(204)
    expect((await t.request({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401)
    expect((await login('reset.klant@example.nl', 'zelf-gekozen-wachtwoord')).statusCode).toBe(200)
    const again = await use(secretOf(dutch), 'nog-een-wachtwoord')
    expect(again.statusCode).toBe(400)
    expect(again.headers['content-type']).toContain('application/problem+json')
    expect((await use('x'.repeat(43))).statusCode).toBe(400)
    const audit = (await t.request({ method: 'GET', url: `/api/v1/audit?subjectUserId=${customer.id}`, token: admin.token })).json().items
    expect(audit.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['user.password-reset-sent', 'user.password-reset']))
    expect(JSON.stringify(audit)).not.toContain(secretOf(dutch))
  })

  it('refuses an expired link, and a newer link replaces an older one', async () => {
    const customer = await t.user('customer', { email: 'verlopen@example.nl' })
    const agent = await t.user('agent')
    const before = (await queuedMails()).length
    await t.request({ method: 'POST', url: `/api/v1/users/${customer.id}/password-reset`, token: agent.token })
    await t.request({ method: 'POST', url: `/api/v1/users/${customer.id}/password-reset`, token: agent.token })
    const [first, second] = (await queuedMails()).slice(before)
    const use = (token: string) => t.request({ method: 'POST', url: '/api/v1/account-links/password', payload: { token, password: 'nieuw-wachtwoord' } })
    expect((await use(secretOf(first))).statusCode).toBe(400)
    await t.runtime.deps.db.updateTable('account_link').set({ expires_at: '2020-01-01T00:00:00.000Z' }).where('user_id', '=', customer.id).execute()
    expect((await use(secretOf(second))).statusCode).toBe(400)
  })

  it('changes an e-mail address only when the new address confirms it', async () => {
    const customer = await t.user('customer', { email: 'oud.adres@example.nl', password: 'wachtwoord-adres' })
    const agent = await t.user('agent')
    const before = (await queuedMails()).length
    const patched = await t.request({ method: 'PATCH', url: `/api/v1/users/${customer.id}`, token: agent.token, payload: { email: 'Nieuw.Adres@example.nl' } })
    expect(patched.statusCode).toBe(200)
    expect(patched.json().email).toBe('oud.adres@example.nl')
    expect((await login('oud.adres@example.nl', 'wachtwoord-adres')).statusCode).toBe(200)
    const [mail] = (await queuedMails()).slice(before)
    expect(mail).toMatchObject({ to: 'nieuw.adres@example.nl', subject: 'Bevestig uw nieuwe e-mailadres voor Loket' })
    expect(mail.text).toContain('http://localhost/e-mailadres-bevestigen#')
    const confirm = (token: string) => t.request({ method: 'POST', url: '/api/v1/account-links/email', payload: { token } })
    expect((await confirm(secretOf(mail))).statusCode).toBe(204)
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${customer.id}`, token: agent.token })).json().email).toBe('nieuw.adres@example.nl')
    expect((await login('nieuw.adres@example.nl', 'wachtwoord-adres')).statusCode).toBe(200)
    expect((await confirm(secretOf(mail))).statusCode).toBe(400)
    const audit = (await t.request({ method: 'GET', url: `/api/v1/audit?subjectUserId=${customer.id}`, token: admin.token })).json().items
    expect(audit.find((e: { action: string }) => e.action === 'user.email-change-requested')).toMatchObject({ actorId: agent.id, details: { to: 'nieuw.adres@example.nl' } })
    expect(audit.find((e: { action: string }) => e.action === 'user.email-changed')).toMatchObject({ actorId: customer.id, details: { from: 'oud.adres@example.nl', to: 'nieuw.adres@example.nl' } })
  })
})
