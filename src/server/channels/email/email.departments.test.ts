import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { waitUntil } from '../../test/wait-until.js'
import { PROCESSED_KEYWORD } from './imap-fetcher.js'
import { type Dovecot, startDovecot } from './test/dovecot.js'
import { type SmtpSink, startSmtpSink } from './test/smtp-sink.js'

/** One mail as each mailbox's server delivers it: the same bytes, with the delivery headers of that mailbox on top. */
const delivered = (to: string, raw: string) => Buffer.from(`Delivered-To: ${to}\r\nReceived: from mx.klant.nl by imap.loket.test for <${to}>; Mon, 23 Nov 2026 11:00:00 +0100\r\n${raw}`)

/** One mail, several departments: a customer who writes to two Loket mailboxes at once has one conversation. */
describeEachDatabase('e-mail to several Loket mailboxes at once, and bounces by return path', (database) => {
  let t: TestApp
  let dovecot: Dovecot
  let smtp: SmtpSink
  let agent: Awaited<ReturnType<TestApp['user']>>
  const ids: Record<string, string> = {}

  const db = () => t.runtime.deps.db
  const articlesOf = async (ticketId: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token })).json().items
  const processed = async () =>
    (await Promise.all(['ict', 'hr'].map((u) => dovecot.list(u)))).every((list) => list.every((m) => m.flags.includes(PROCESSED_KEYWORD)))
  const deliverTo = async (users: ('ict' | 'hr')[], raw: string) => {
    for (const user of users) await dovecot.append(user, delivered(`${user}@loket.test`, raw))
    t.runtime.email.wakeAll()
    await waitUntil('every message processed', processed)
  }
  const runJobs = async () => {
    await t.runtime.outbox.drain()
    while (await t.runtime.deps.jobs.runOnce()) {
      // until no job is due
    }
  }

  beforeAll(async () => {
    ;[dovecot, smtp] = await Promise.all([startDovecot(['ict', 'hr']), startSmtpSink()])
    t = await createTestApp(database)
    const admin = await t.user('admin')
    agent = await t.user('agent')
    for (const user of ['ict', 'hr']) {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/mailboxes',
        token: admin.token,
        payload: {
          name: user.toUpperCase(),
          address: `${user}@loket.test`,
          imap: { host: '127.0.0.1', port: dovecot.port, tls: 'none', user, password: dovecot.password },
          smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
          pollSeconds: 5,
        },
      })
      expect(res.statusCode).toBe(201)
      ids[user] = res.json().id
    }
    await t.runtime.email.start()
  })
  afterAll(async () => {
    await t?.close()
    await Promise.all([dovecot?.stop(), smtp?.stop()])
  })

  it('files one mail to ict@ and hr@ as one ticket with one article, and a reply-all reaching both as one article', async () => {
    await deliverTo(
      ['ict', 'hr'],
      'From: Eva Jansen <eva@klant.nl>\r\nTo: ict@loket.test, hr@loket.test\r\nSubject: Nieuwe collega: laptop en contract\r\n' +
        'Message-ID: <nieuwe-collega@klant.nl>\r\nDate: Mon, 23 Nov 2026 11:00:00 +0100\r\n\r\nMaandag begint Tim: hij heeft een laptop en een contract nodig.\r\n',
    )
    const first = await db().selectFrom('article').selectAll().where('source_id', 'like', '<nieuwe-collega@klant.nl>%').execute()
    expect(first).toHaveLength(1)
    const ticketId = first[0].ticket_id
    expect(await db().selectFrom('ticket').select('id').execute()).toHaveLength(1)

    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'We regelen beide.' } })
    expect(reply.statusCode).toBe(201)
    await runJobs()
    const sent = (await smtp.waitFor(1))[0]
    await deliverTo(
      ['ict', 'hr'],
      'From: Eva Jansen <eva@klant.nl>\r\nTo: ict@loket.test\r\nCc: hr@loket.test\r\nSubject: Re: Nieuwe collega\r\n' +
        `Message-ID: <nieuwe-collega-2@klant.nl>\r\nIn-Reply-To: ${sent.parsed.messageId}\r\nReferences: <nieuwe-collega@klant.nl> ${sent.parsed.messageId}\r\n\r\nDank jullie wel!\r\n`,
    )
    const answers = await db().selectFrom('article').selectAll().where('source_id', 'like', '<nieuwe-collega-2@klant.nl>%').execute()
    expect(answers).toHaveLength(1)
    expect(answers[0].ticket_id).toBe(ticketId)
    expect((await articlesOf(ticketId)).map((a: { direction: string }) => a.direction)).toEqual(['in', 'out', 'in'])
    // The second mailbox counts each copy as a duplicate of the article it already is.
    const counts = await waitUntil('both copies counted', async () => {
      const all = await Promise.all(['ict', 'hr'].map(async (u) => (await t.request({ method: 'GET', url: `/api/v1/mailboxes/${ids[u]}`, token: (await t.user('admin')).token })).json().status))
      return all.every((s) => s.fetchedCount === 2) && all.map((s) => s.counts)
    })
    expect(counts.reduce((n: number, c: { filed: number }) => n + c.filed, 0)).toBe(2)
    expect(counts.reduce((n: number, c: { duplicate: number }) => n + c.duplicate, 0)).toBe(2)
  })

  it('matches a bounce that quotes nothing to the exact reply by its VERP return path', async () => {
    const ticket = await db().selectFrom('ticket').select('id').executeTakeFirstOrThrow()
    const before = smtp.received.length
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: agent.token, payload: { body: 'Nog één vraag over het contract.' } })
    await runJobs()
    const [sent] = (await smtp.waitFor(before + 1)).slice(before)
    const returnPath = sent.envelope.from
    expect(returnPath).toMatch(/^bounce\+r[0-9a-f]{32}-[0-9a-f]{12}@loket\.test$/)
    // A bare bounce: no report, no quoted headers, no ticket number; only the address it was sent back to.
    await deliverTo(
      ['ict'],
      `Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.klant.nl\r\nTo: ${returnPath}\r\nSubject: failure notice\r\nMessage-ID: <bare-bounce@mx.klant.nl>\r\n\r\n` +
        'Sorry, we were unable to deliver your message to the following address.\r\n',
    )
    const bounce = await db().selectFrom('article').selectAll().where('source_id', '=', '<bare-bounce@mx.klant.nl>').executeTakeFirstOrThrow()
    expect(bounce.ticket_id).toBe(ticket.id)
    expect(JSON.parse(bounce.metadata).email).toMatchObject({ kind: 'bounce', threadedBy: 'bounce' })
    const bounced = await waitUntil('the bounce noted on the reply', async () => {
      const a = (await articlesOf(ticket.id)).find((x: { id: string }) => x.id === reply.json().id)
      return a.metadata.delivery?.status === 'bounced' && a
    })
    expect(bounced.metadata.delivery).toMatchObject({ status: 'bounced', reportArticleId: bounce.id })
    // A forged token (another signature) names no reply.
    const forged = returnPath.replace(/-[0-9a-f]{12}@/, '-000000000000@')
    await deliverTo(['ict'], `Return-Path: <>\r\nFrom: MAILER-DAEMON@mx.klant.nl\r\nTo: ${forged}\r\nSubject: failure notice\r\nMessage-ID: <forged-bounce@mx.klant.nl>\r\n\r\nNope.\r\n`)
    expect(await db().selectFrom('article').select('id').where('source_id', '=', '<forged-bounce@mx.klant.nl>').execute()).toEqual([])
  })
})
