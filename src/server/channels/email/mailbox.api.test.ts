import { afterAll, beforeAll, expect, it } from 'vitest'
import { decryptSecret } from '../../accounts/secrets.js'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'

describeEachDatabase('mailboxes API', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  let agent: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
  })
  afterAll(() => t?.close())

  const body = (address: string) => ({
    name: 'HR',
    address,
    imap: { host: 'imap.example.nl', user: 'hr@example.nl', password: 'imap-geheim' },
    smtp: { host: 'smtp.example.nl', user: 'hr@example.nl', password: 'smtp-geheim' },
  })

  it('creates a mailbox with sensible defaults, and never returns its passwords', async () => {
    const res = await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: body('HR@Example.nl') })
    expect(res.statusCode).toBe(201)
    expect(res.body).not.toMatch(/geheim/)
    expect(res.json()).toMatchObject({
      address: 'hr@example.nl',
      senderName: 'HR',
      active: true,
      imap: { port: 993, tls: 'implicit', folder: 'INBOX', processedFolder: null, hasPassword: true },
      smtp: { port: 587, tls: 'starttls', hasPassword: true },
      tlsVerify: true,
      acknowledgement: { enabled: false, nl: { subject: expect.stringContaining('{{subject}}') } },
      status: { state: 'stopped', fetchedCount: 0, lastError: null },
    })
    const row = await t.runtime.deps.db.selectFrom('mailbox').selectAll().where('id', '=', res.json().id).executeTakeFirstOrThrow()
    expect(decryptSecret(t.runtime.config.secret, row.imap_password)).toBe('imap-geheim')
    expect(decryptSecret(t.runtime.config.secret, row.smtp_password!)).toBe('smtp-geheim')
  })

  it('keeps a password that an update leaves out, and replaces one that it gives', async () => {
    const created = (await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: body('ict@example.nl') })).json()
    const res = await t.request({
      method: 'PATCH',
      url: `/api/v1/mailboxes/${created.id}`,
      token: admin.token,
      payload: { imap: { tls: 'starttls' }, smtp: { password: 'nieuw-geheim' }, blockList: ['Spam.example', '@x.nl', 'Jan@Y.nl'] },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ imap: { tls: 'starttls', port: 143 }, blockList: ['@spam.example', '@x.nl', 'jan@y.nl'] })
    const row = await t.runtime.deps.db.selectFrom('mailbox').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow()
    expect(decryptSecret(t.runtime.config.secret, row.imap_password)).toBe('imap-geheim')
    expect(decryptSecret(t.runtime.config.secret, row.smtp_password!)).toBe('nieuw-geheim')
  })

  it('refuses a second mailbox for the same address, an unknown group, and invalid input', async () => {
    expect((await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: body('hr@example.nl') })).statusCode).toBe(409)
    const badGroup = await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: { ...body('a@example.nl'), groupId: 'nope' } })
    expect(badGroup.statusCode).toBe(400)
    const badAddress = await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: body('geen-adres') })
    expect(badAddress.statusCode).toBe(400)
  })

  it('is for administrators only', async () => {
    for (const [method, url] of [['GET', '/api/v1/mailboxes'], ['POST', '/api/v1/mailboxes']] as const) {
      const res = await t.request({ method, url, token: agent.token, ...(method === 'POST' && { payload: body('b@example.nl') }) })
      expect(res.statusCode).toBe(403)
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/mailboxes' })).statusCode).toBe(401)
  })

  it('removes a mailbox', async () => {
    const created = (await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: body('weg@example.nl') })).json()
    expect((await t.request({ method: 'DELETE', url: `/api/v1/mailboxes/${created.id}`, token: admin.token })).statusCode).toBe(204)
    expect((await t.request({ method: 'GET', url: `/api/v1/mailboxes/${created.id}`, token: admin.token })).statusCode).toBe(404)
  })
})
