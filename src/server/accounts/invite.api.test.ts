import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'
import { decryptSecret } from './secrets.js'

// Onboarding (issue 15): an invitation by mail to choose a first password, and "Wachtwoord vergeten?".
describeEachDatabase('invitations and forgotten passwords', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database, { loginRateLimit: 5 })
    admin = await t.user('admin')
  })
  afterAll(() => t?.close())

  const queuedMails = async () => {
    const jobs = await t.runtime.deps.db.selectFrom('job').select('payload').where('queue', '=', 'account.mail').orderBy('id').execute()
    return jobs.map((j) => JSON.parse(decryptSecret(t.runtime.config.secret, JSON.parse(j.payload).sealed)) as { to: string; subject: string; text: string })
  }
  const secretOf = (mail: { text: string }) => /#([\w-]{20,})/.exec(mail.text)![1]
  const setPassword = (token: string, password: string) => t.request({ method: 'POST', url: '/api/v1/account-links/password', payload: { token, password } })
  const login = (email: string, password: string) => t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } })

  it('invites a new agent: a link valid 72 hours that sets a first password once', async () => {
    const created = await t.request({ method: 'POST', url: '/api/v1/users', token: admin.token, payload: { email: 'nieuw.agent@gemeente.example', name: 'Nina Nieuw', role: 'agent' } })
    expect(created.statusCode).toBe(201)
    const id = created.json().id
    const before = (await queuedMails()).length
    const sent = await t.request({ method: 'POST', url: `/api/v1/users/${id}/invite`, token: admin.token })
    expect(sent.statusCode).toBe(202)
    const valid = Date.parse(sent.json().expiresAt) - Date.now()
    expect(valid).toBeGreaterThan(71 * 3600_000)
    expect(valid).toBeLessThanOrEqual(72 * 3600_000)
    const [mail] = (await queuedMails()).slice(before)
    expect(mail).toMatchObject({ to: 'nieuw.agent@gemeente.example', subject: 'U bent uitgenodigd voor Loket' })
    expect(mail.text).toContain('http://localhost/wachtwoord-instellen#')
    expect(mail.text).toContain('72 uur')
    expect((await setPassword(secretOf(mail), 'mijn-eerste-wachtwoord')).statusCode).toBe(204)
    expect((await login('nieuw.agent@gemeente.example', 'mijn-eerste-wachtwoord')).statusCode).toBe(200)
    expect((await setPassword(secretOf(mail), 'nog-een-keer-proberen')).statusCode).toBe(400)
    const audit = (await t.request({ method: 'GET', url: `/api/v1/audit?subjectUserId=${id}`, token: admin.token })).json().items
    expect(audit.map((e: { action: string }) => e.action)).toContain('user.invited')
  })

  it('lets administrators invite anyone, staff only customers, and nobody else', async () => {
    const agent = await t.user('agent')
    const supervisor = await t.user('supervisor')
    const customer = await t.user('customer')
    const colleague = await t.user('agent')
    const invite = (id: string, token?: string) => t.request({ method: 'POST', url: `/api/v1/users/${id}/invite`, token })
    expect((await invite(colleague.id)).statusCode).toBe(401)
    expect((await invite(colleague.id, agent.token)).statusCode).toBe(403)
    expect((await invite(colleague.id, supervisor.token)).statusCode).toBe(403)
    expect((await invite(colleague.id, customer.token)).statusCode).toBe(404)
    expect((await invite(customer.id, (await t.user('customer')).token)).statusCode).toBe(404)
    expect((await invite(customer.id, agent.token)).statusCode).toBe(202)
    expect((await invite(colleague.id, admin.token)).statusCode).toBe(202)
    expect((await invite('onbekend', admin.token)).statusCode).toBe(404)
    await t.request({ method: 'PATCH', url: `/api/v1/users/${colleague.id}`, token: admin.token, payload: { active: false } })
    expect((await invite(colleague.id, admin.token)).statusCode).toBe(409)
  })

  it('answers "Wachtwoord vergeten?" the same for known and unknown addresses, mails once, and is rate-limited', async () => {
    const known = await t.user('customer', { email: 'vergeten@example.nl' })
    const disabled = await t.user('agent', { email: 'uit@gemeente.example' })
    await t.request({ method: 'PATCH', url: `/api/v1/users/${disabled.id}`, token: admin.token, payload: { active: false } })
    const before = (await queuedMails()).length
    const ask = (email: string) => t.request({ method: 'POST', url: '/api/v1/auth/password-forgotten', payload: { email }, remoteAddress: '10.1.2.3' })
    const answers = [await ask('vergeten@example.nl'), await ask('niemand@example.nl'), await ask('uit@gemeente.example'), await ask('VERGETEN@example.nl')]
    expect(answers.map((r) => r.statusCode)).toEqual([202, 202, 202, 202])
    expect(new Set(answers.map((r) => r.body)).size).toBe(1)
    const mails = (await queuedMails()).slice(before)
    expect(mails.map((m) => m.to)).toEqual(['vergeten@example.nl'])
    expect(mails[0].subject).toBe('Stel uw wachtwoord in voor Loket')
    expect((await setPassword(secretOf(mails[0]), 'weer-een-wachtwoord')).statusCode).toBe(204)
    expect((await login(known.email, 'weer-een-wachtwoord')).statusCode).toBe(200)
    // Five a minute from one network address; the sixth is refused.
    expect((await ask('iemand@example.nl')).statusCode).toBe(202)
    expect((await ask('vergeten@example.nl')).statusCode).toBe(429)
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/password-forgotten', payload: { email: 7 }, remoteAddress: '10.9.9.9' })).statusCode).toBe(400)
  })
})
