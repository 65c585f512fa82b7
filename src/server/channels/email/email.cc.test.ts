import { afterAll, beforeAll, expect, it } from 'vitest'
import { CC_LIMIT } from '../../../shared/api/tickets.js'
import { knownCc, preselectCc } from '../../../web/agent/cc.js'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { waitUntil } from '../../test/wait-until.js'
import { PROCESSED_KEYWORD } from './imap-fetcher.js'
import { type Dovecot, deskMailbox, startDovecot } from './test/dovecot.js'
import { type SmtpSink, startSmtpSink } from './test/smtp-sink.js'

/**
 * Issue 14, Cc lists: a customer's mail with thousands of Cc addresses, delivered through Dovecot, is filed whole, and
 * a reply to it does not fail: the composer starts from at most CC_LIMIT of them (the same functions as in the agent
 * app), the API refuses more than that with a 400, and the reply reaches the SMTP server with the customer and those.
 */
describeEachDatabase('a reply to a mail with 3,000 Cc addresses, through Dovecot and a real SMTP server', (database) => {
  let t: TestApp
  let dovecot: Dovecot
  let smtp: SmtpSink
  let agent: Awaited<ReturnType<TestApp['user']>>

  const runJobs = async () => {
    await t.runtime.outbox.drain()
    while (await t.runtime.deps.jobs.runOnce()) {
      // until no job is due
    }
    await t.runtime.outbox.drain()
  }

  beforeAll(async () => {
    ;[dovecot, smtp] = await Promise.all([startDovecot(['desk']), startSmtpSink()])
    t = await createTestApp(database)
    const admin = await t.user('admin')
    agent = await t.user('agent')
    const res = await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: { ...deskMailbox(dovecot, { smtpPort: smtp.port }), pollSeconds: 5 } })
    expect(res.statusCode, res.body).toBe(201)
    await t.runtime.email.start()
  })
  afterAll(async () => {
    await t?.close()
    await Promise.all([dovecot?.stop(), smtp?.stop()])
  })

  it('files all 3,000, pre-selects 20 with 2,980 left out, refuses 21, and sends the reply to the customer and the 20', async () => {
    const cc = Array.from({ length: 3000 }, (_, i) => `"Collega ${i}, Afdeling ${i % 7}" <collega${i}@bakkerij-lingedal.nl>`).join(',\r\n ')
    await dovecot.append(
      'desk',
      `From: Jan de Vries <jan@bakkerij-lingedal.nl>\r\nTo: Servicedesk <desk@loket.test>\r\nCc: ${cc}\r\nSubject: Uitnodiging personeelsfeest\r\n` +
        `Message-ID: <cc-3000@bakkerij-lingedal.nl>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
        `Mogen wij de zaal gebruiken voor ons personeelsfeest?\r\n`,
    )
    t.runtime.email.wakeAll()
    await waitUntil('the mail processed', async () => (await dovecot.list('desk')).every((m) => m.flags.includes(PROCESSED_KEYWORD)))
    const ticket = await t.runtime.deps.db.selectFrom('ticket').select('id').where('subject', '=', 'Uitnodiging personeelsfeest').executeTakeFirstOrThrow()
    const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/articles`, token: agent.token })).json().items
    expect(articles).toHaveLength(1)
    // Filed whole: every Cc address, with its name (the commas inside the quoted names did not split it).
    expect(articles[0].metadata.email.cc).toHaveLength(3000)
    expect(articles[0].metadata.email.cc[2999]).toEqual({ email: 'collega2999@bakkerij-lingedal.nl', name: 'Collega 2999, Afdeling 3' })

    // What the composer starts with.
    const { selected, leftOut } = preselectCc(knownCc(articles, 'jan@bakkerij-lingedal.nl'), CC_LIMIT)
    expect(selected).toEqual(Array.from({ length: 20 }, (_, i) => `collega${i}@bakkerij-lingedal.nl`))
    expect(leftOut).toHaveLength(2980)

    // More than the limit is refused as a whole, before anything is stored or sent.
    const tooMany = await t.request({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/articles`,
      token: agent.token,
      payload: { body: 'Aan iedereen.', cc: [...selected, leftOut[0]] },
    })
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.headers['content-type']).toContain('application/problem+json')

    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: agent.token, payload: { body: 'De zaal is vrij op 18 december.', cc: selected } })
    expect(reply.statusCode, reply.body).toBe(201)
    await runJobs()
    const [mail] = await smtp.waitFor(1)
    expect(mail.envelope.to).toHaveLength(21)
    expect(mail.envelope.to[0]).toBe('jan@bakkerij-lingedal.nl')
    const sentCc = mail.parsed.cc && !Array.isArray(mail.parsed.cc) ? mail.parsed.cc.value.map((a) => a.address) : []
    expect(sentCc).toEqual(selected)
    const after = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/articles`, token: agent.token })).json().items
    expect(after.find((a: { id: string }) => a.id === reply.json().id).delivery).toMatchObject({ state: 'sent' })
    // One ticket, one article each way: the 3,000 became no requesters or tickets of their own.
    expect(after).toHaveLength(2)
    expect(await t.runtime.deps.db.selectFrom('ticket').select('id').execute()).toHaveLength(1)
  })
})
