import { afterAll, beforeAll, expect, it } from 'vitest'
import { type SmtpSink, startSmtpSink } from '../channels/email/test/smtp-sink.js'
import { describeEachDatabase } from '../test/databases.js'
import { png } from '../test/png.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

// Branding (issue 15): the organisation's name and logo on the sign-in screen and in the mails Loket sends.
describeEachDatabase('branding', (database) => {
  let t: TestApp
  let smtp: SmtpSink
  let admin: Awaited<ReturnType<TestApp['user']>>
  let agent: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    smtp = await startSmtpSink()
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
    customer = await t.user('customer')
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.stop()
  })

  const logo = png(40, 20)
  const get = () => t.request({ method: 'GET', url: '/api/v1/branding' })

  it('shows Loket without a name or logo of its own, to anyone, before anyone signs in', async () => {
    const res = await get()
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ name: null, logoUrl: null, updatedAt: null })
    const none = await t.request({ method: 'GET', url: '/api/v1/branding/logo' })
    expect(none.statusCode).toBe(404)
    expect(none.headers['content-type']).toContain('application/problem+json')
  })

  it('lets administrators only set the name and logo, and audits each change', async () => {
    for (const who of [agent, customer]) {
      const res = await t.request({ method: 'PUT', url: '/api/v1/branding', token: who.token, payload: { name: 'Gemeente Lingedal' } })
      expect(res.statusCode).toBe(403)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect((await t.request({ method: 'PUT', url: '/api/v1/branding/logo', token: who.token, payload: { contentType: 'image/png', data: logo.toString('base64') } })).statusCode).toBe(403)
    }
    expect((await t.request({ method: 'PUT', url: '/api/v1/branding', payload: { name: 'Gemeente Lingedal' } })).statusCode).toBe(401)
    const named = await t.request({ method: 'PUT', url: '/api/v1/branding', token: admin.token, payload: { name: '  Gemeente Lingedal ' } })
    expect(named.statusCode).toBe(200)
    expect(named.json()).toMatchObject({ name: 'Gemeente Lingedal', logoUrl: null })
    const set = await t.request({ method: 'PUT', url: '/api/v1/branding/logo', token: admin.token, payload: { contentType: 'image/png', data: logo.toString('base64') } })
    expect(set.statusCode).toBe(200)
    expect(set.json().logoUrl).toMatch(/^\/api\/v1\/branding\/logo\?v=[0-9a-f]{16}$/)
    expect((await get()).json()).toMatchObject({ name: 'Gemeente Lingedal', logoUrl: set.json().logoUrl })
    const audit = (await t.request({ method: 'GET', url: '/api/v1/audit?action=branding.changed', token: admin.token })).json().items as { details: Record<string, unknown> }[]
    expect(audit.map((e) => e.details)).toEqual(expect.arrayContaining([{ name: 'Gemeente Lingedal' }, { logo: expect.objectContaining({ contentType: 'image/png', bytes: logo.length }) }]))
  })

  it('serves the logo as it was given, with an ETag, to anyone', async () => {
    const url = (await get()).json().logoUrl as string
    const res = await t.request({ method: 'GET', url })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('image/png')
    expect(res.headers['cache-control']).toContain('immutable')
    expect(res.rawPayload.equals(logo)).toBe(true)
    const again = await t.request({ method: 'GET', url: '/api/v1/branding/logo', headers: { 'if-none-match': String(res.headers.etag) } })
    expect(again.statusCode).toBe(304)
  })

  it('refuses a logo that is not the image it claims, too large, or not base64, with a 4xx problem', async () => {
    const cases = [
      { contentType: 'image/png', data: Buffer.from('GIF89a……').toString('base64') },
      { contentType: 'image/jpeg', data: logo.toString('base64') },
      { contentType: 'image/png', data: 'dit is geen base64!' },
      { contentType: 'image/png', data: Buffer.concat([logo, Buffer.alloc(300 * 1024)]).toString('base64') },
      { contentType: 'image/svg+xml', data: Buffer.from('<svg onload="alert(1)"/>').toString('base64') },
    ]
    for (const payload of cases) {
      const res = await t.request({ method: 'PUT', url: '/api/v1/branding/logo', token: admin.token, payload })
      expect([400, 422], payload.contentType).toContain(res.statusCode)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    // The logo that was there is still there.
    expect((await t.request({ method: 'GET', url: '/api/v1/branding/logo' })).rawPayload.equals(logo)).toBe(true)
  })

  it('puts the name under, and the logo at the top of, the mails Loket sends on its own account', async () => {
    const mailbox = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: { name: 'Servicedesk', address: 'servicedesk@lingedal.example', imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'x', password: 'x' }, smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' } },
    })
    expect(mailbox.statusCode).toBe(201)
    const invited = await t.request({ method: 'POST', url: '/api/v1/users', token: admin.token, payload: { email: 'nina@lingedal.example', name: 'Nina Nieuw', role: 'agent' } })
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${invited.json().id}/invite`, token: admin.token })).statusCode).toBe(202)
    while (await t.runtime.deps.jobs.runOnce()) {
      // until the mail job has run
    }
    const [mail] = await smtp.waitFor(1)
    expect(mail.envelope.to).toEqual(['nina@lingedal.example'])
    expect(mail.parsed.text).toContain('\n-- \nGemeente Lingedal')
    // The HTML names the logo by its Content-ID (mailparser shows it inlined as a data: address).
    expect(mail.raw.toString('latin1')).toContain('src=3D"cid:logo@loket"')
    expect(mail.parsed.html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="Gemeente Lingedal"/)
    expect(mail.parsed.html).toContain('<a href="http://localhost/wachtwoord-instellen#')
    const image = mail.parsed.attachments.find((a) => a.cid === 'logo@loket')
    expect(image?.contentType).toBe('image/png')
    expect(image?.content.equals(logo)).toBe(true)

    // Without a logo the mail is plain text again, still signed with the name.
    expect((await t.request({ method: 'DELETE', url: '/api/v1/branding/logo', token: admin.token })).json()).toMatchObject({ logoUrl: null, name: 'Gemeente Lingedal' })
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${invited.json().id}/invite`, token: admin.token })).statusCode).toBe(202)
    while (await t.runtime.deps.jobs.runOnce()) {
      // until the mail job has run
    }
    const [, plain] = await smtp.waitFor(2)
    expect(plain.parsed.html).toBe(false)
    expect(plain.parsed.attachments).toEqual([])
    expect(plain.parsed.text).toContain('Gemeente Lingedal')
  })
})
