import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { type SmtpSink, startSmtpSink } from './test/smtp-sink.js'

/**
 * Issue 14, "a reply always has a way to the customer": a ticket opened through the API, the portal or
 * by phone gets its public replies by e-mail from its department's mailbox or the default sending
 * mailbox; without a mailbox only in the portal; without an address not at all.
 */
describeEachDatabase('a reply always has a way to the customer, against a real SMTP server', (database) => {
  let t: TestApp
  let smtp: SmtpSink
  let admin: Awaited<ReturnType<TestApp['user']>>
  let agent: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  const groups: Record<string, string> = {}

  const runDueJobs = async () => {
    await t.runtime.outbox.drain()
    while (await t.runtime.deps.jobs.runOnce()) {
      // until no job is due
    }
    await t.runtime.outbox.drain()
  }
  const open = async (payload: Record<string, unknown>, token = agent.token) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token, payload: { subject: 'Laptop start niet', body: 'Zwart scherm.', ...payload } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().id as string
  }
  const route = async (ticketId: string, token = agent.token) => t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/reply-route`, token })
  const reply = (ticketId: string, body = 'We kijken ernaar.') => t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body } })
  const mailbox = async (name: string, address: string, extra: Record<string, unknown> = {}) => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: {
        name,
        address,
        // Only sending is tested: no fetcher runs, so the IMAP side is never used.
        imap: { host: '127.0.0.1', port: 1, tls: 'none', user: name, password: 'x' },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
        ...extra,
      },
    })
    expect(res.statusCode).toBe(201)
    return res.json() as { id: string; defaultSender: boolean }
  }
  const deliveryOf = async (ticketId: string, articleId: string) =>
    (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token })).json().items.find((a: { id: string }) => a.id === articleId)

  beforeAll(async () => {
    smtp = await startSmtpSink()
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
    customer = await t.user('customer', { email: 'j.devries@bakkerij-lingedal.nl', name: 'Jan de Vries' })
    // New tickets without a group go to the service desk, whose department has no mailbox.
    for (const [name, department, line] of [['Servicedesk', 'Servicedesk', 1], ['ICT Applicaties', 'ICT', 2], ['ICT Werkplek', 'ICT', 2]] as const) {
      const departments = (await t.request({ method: 'GET', url: '/api/v1/departments', token: admin.token })).json()
      const found = (departments.items ?? departments).find((d: { name: string }) => d.name === department)
      const dep = found ?? (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: department } })).json()
      const g = await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name, departmentId: dep.id, line, memberIds: [agent.id] } })
      expect(g.statusCode).toBe(201)
      groups[name] = g.json().id
    }
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.stop()
  })

  it('without a mailbox: a reply on an API ticket is only in the portal, and the desk is told that no mailbox can send', async () => {
    const ticketId = await open({ channel: 'api', requester: { email: 'p.jansen@gemeente-lingedal.nl' } })
    const res = await route(ticketId)
    expect(res.statusCode).toBe(200)
    // Created by the agent, this requester has no password, and without a mailbox no sign-in link reaches them: the line says so.
    expect(res.json()).toEqual({ channel: 'portal', to: null, from: null, reason: 'no-mailbox', mailboxCanSend: false, portalSignIn: 'none' })
    const sent = await reply(ticketId)
    expect(sent.statusCode).toBe(201)
    expect(sent.json()).toMatchObject({ channel: 'portal', direction: 'out', visibility: 'public' })
    await runDueJobs()
    expect(smtp.count).toBe(0)
    expect(sent.json().delivery).toBeUndefined() // nothing claims it was sent
  })

  it('without a mailbox: only in the portal for a customer who can sign in there with a password', async () => {
    const withPassword = await t.user('customer', { email: 'm.visser@bakkerij-lingedal.nl', password: 'een-lang-wachtwoord-2026' })
    const ticketId = await open({ channel: 'phone', requester: { email: withPassword.email } })
    expect((await route(ticketId)).json()).toEqual({ channel: 'portal', to: null, from: null, reason: 'no-mailbox', mailboxCanSend: false, portalSignIn: 'password' })
    expect((await reply(ticketId)).statusCode).toBe(201)
  })

  it('without a mailbox: a disabled customer cannot sign in to the portal either, so there is no channel and a reply is refused', async () => {
    const disabled = await t.user('customer', { email: 'oud-account@bakkerij-lingedal.nl', password: 'een-lang-wachtwoord-2026' })
    const ticketId = await open({ channel: 'phone', requester: { email: disabled.email } })
    const off = await t.request({ method: 'PATCH', url: `/api/v1/users/${disabled.id}`, token: admin.token, payload: { active: false } })
    expect(off.statusCode, off.body).toBe(200)
    expect((await route(ticketId)).json()).toEqual({ channel: null, to: null, from: null, reason: 'no-sign-in', mailboxCanSend: false, portalSignIn: null })
    const refused = await reply(ticketId)
    expect(refused.statusCode).toBe(409)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json()).toMatchObject({ reason: 'no-sign-in' })
    // Enabled again: the portal it is.
    expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${disabled.id}`, token: admin.token, payload: { active: true } })).statusCode).toBe(200)
    expect((await route(ticketId)).json()).toMatchObject({ channel: 'portal', portalSignIn: 'password' })
  })

  it('without a mailbox: a sender without a valid address has no way in, even when the mail had a Reply-To (sign-in links go to the account\'s own address)', async () => {
    const ingested = await t.runtime.services.tickets.ingest({
      channel: 'email',
      sourceId: '<zonder-afzender-1@formulier.example>',
      from: { kind: 'email', address: 'unknown-sender@invalid', name: 'Formulier' },
      subject: 'Contactformulier',
      body: 'Graag terugbellen.',
      contentType: 'text/plain',
      metadata: { email: { mailboxId: null, messageId: '<zonder-afzender-1@formulier.example>', replyTo: [{ email: 'echte.klant@bakkerij-lingedal.nl' }] } },
    })
    expect((await route(ingested.ticket.id)).json()).toEqual({ channel: null, to: null, from: null, reason: 'no-address', mailboxCanSend: false, portalSignIn: null })
    expect((await reply(ingested.ticket.id)).statusCode).toBe(409)
  })

  it('a reply on an API-opened ticket goes out by e-mail from its department\'s mailbox and arrives at the SMTP server', async () => {
    await mailbox('ICT', 'ict@sc-lingedal.test', { groupId: groups['ICT Applicaties'], senderName: 'ICT Servicecentrum' })
    // A ticket in the department's other group (which has no mailbox of its own), opened through the API.
    const ticketId = await open({ channel: 'api', groupId: groups['ICT Werkplek'], requester: { email: 'p.jansen@gemeente-lingedal.nl', name: 'Piet Jansen' } })
    expect((await route(ticketId)).json()).toEqual({
      channel: 'email',
      to: 'p.jansen@gemeente-lingedal.nl',
      from: 'ICT Servicecentrum <ict@sc-lingedal.test>',
      reason: null,
      mailboxCanSend: true,
      portalSignIn: null,
    })
    const sent = await reply(ticketId, 'Uw laptop wordt morgen vervangen.')
    expect(sent.statusCode).toBe(201)
    expect(sent.json()).toMatchObject({ channel: 'email' })
    await runDueJobs()
    const [mail] = await smtp.waitFor(1)
    expect(mail.envelope.to).toEqual(['p.jansen@gemeente-lingedal.nl'])
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: 'ict@sc-lingedal.test', name: 'ICT Servicecentrum' })
    expect(mail.parsed.subject).toMatch(/^Re: Laptop start niet \[Loket #\d{4}-\d{5}\]$/)
    expect(mail.parsed.text).toContain('Uw laptop wordt morgen vervangen.')
    expect((await deliveryOf(ticketId, sent.json().id)).delivery).toMatchObject({ state: 'sent' })
  })

  it('a portal or phone ticket outside any mailbox\'s department goes out from the default sending mailbox an administrator chose', async () => {
    const desk = await mailbox('Servicedesk', 'servicedesk@sc-lingedal.test', { defaultSender: true, active: false })
    expect(desk.defaultSender).toBe(true)
    const portalTicket = await open({ requester: { email: customer.email } }, customer.token)
    const phoneTicket = await open({ channel: 'phone', requester: { email: 'k.bakker@waterschap-lingedal.nl' } })
    for (const [ticketId, to] of [[portalTicket, customer.email], [phoneTicket, 'k.bakker@waterschap-lingedal.nl']]) {
      expect((await route(ticketId)).json()).toMatchObject({ channel: 'email', to, from: 'Servicedesk <servicedesk@sc-lingedal.test>' })
      expect((await reply(ticketId)).statusCode).toBe(201)
    }
    await runDueJobs()
    const mails = await smtp.waitFor(3)
    expect(mails.slice(1).map((m) => [m.envelope.to[0], m.parsed.from?.value[0].address])).toEqual([
      [customer.email, 'servicedesk@sc-lingedal.test'],
      ['k.bakker@waterschap-lingedal.nl', 'servicedesk@sc-lingedal.test'],
    ])
  })

  it('one default sending mailbox: choosing another unsets the first, and is for administrators only', async () => {
    const other = await mailbox('HR', 'hr@sc-lingedal.test')
    expect((await t.request({ method: 'PATCH', url: `/api/v1/mailboxes/${other.id}`, token: agent.token, payload: { defaultSender: true } })).statusCode).toBe(403)
    const res = await t.request({ method: 'PATCH', url: `/api/v1/mailboxes/${other.id}`, token: admin.token, payload: { defaultSender: true } })
    expect(res.json().defaultSender).toBe(true)
    const all = (await t.request({ method: 'GET', url: '/api/v1/mailboxes', token: admin.token })).json().items as { address: string; defaultSender: boolean }[]
    expect(all.filter((m) => m.defaultSender).map((m) => m.address)).toEqual(['hr@sc-lingedal.test'])
    const bad = await t.request({ method: 'PATCH', url: `/api/v1/mailboxes/${other.id}`, token: admin.token, payload: { defaultSender: 'ja' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
  })

  it('a customer without an e-mail address: no channel, a reply is refused (a note is not), until the requester has one', async () => {
    const ticketId = await open({ channel: 'phone', requester: { email: 'geanonimiseerd-7@anonymised.invalid' } })
    expect((await route(ticketId)).json()).toEqual({ channel: null, to: null, from: null, reason: 'no-address', mailboxCanSend: true, portalSignIn: null })
    const refused = await reply(ticketId)
    expect(refused.statusCode).toBe(409)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json()).toMatchObject({ reason: 'no-address' })
    const note = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'Teruggebeld.', visibility: 'internal' } })
    expect(note.statusCode).toBe(201)
  })

  it('shows the route to staff only', async () => {
    const ticketId = await open({ requester: { email: customer.email } }, customer.token)
    expect((await route(ticketId, customer.token)).statusCode).toBe(403)
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/reply-route` })).statusCode).toBe(401)
    const missing = await route('00000000-0000-0000-0000-000000000000')
    expect(missing.statusCode).toBe(404)
    expect(missing.headers['content-type']).toContain('application/problem+json')
  })
})
