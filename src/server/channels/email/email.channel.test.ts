import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { PROCESSED_KEYWORD } from './imap-fetcher.js'
import { type Dovecot, startDovecot } from './test/dovecot.js'
import { type SmtpSink, startSmtpSink } from './test/smtp-sink.js'
import { waitUntil } from '../../test/wait-until.js'

const fixture = (name: string, values: Record<string, string> = {}) =>
  Buffer.from(
    Object.entries(values).reduce(
      (text, [k, v]) => text.replaceAll(`{{${k}}}`, v),
      readFileSync(new URL(`./fixtures/${name}`, import.meta.url)).toString('latin1'),
    ),
    'latin1',
  )

describeEachDatabase('e-mail channel against Dovecot and an SMTP server', (database) => {
  let t: TestApp
  let dovecot: Dovecot
  let smtp: SmtpSink
  let admin: Awaited<ReturnType<TestApp['user']>>
  let agent: Awaited<ReturnType<TestApp['user']>>
  let mailboxId: string

  const db = () => t.runtime.deps.db
  const articleBySource = (sourceId: string) => db().selectFrom('article').selectAll().where('source_id', '=', sourceId).executeTakeFirst()
  const waitForArticle = (sourceId: string) => waitUntil(`article ${sourceId}`, () => articleBySource(sourceId))
  const articlesOf = async (ticketId: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token })).json().items
  const ticketOf = async (ticketId: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, token: agent.token })).json()
  const runJobs = async () => {
    await t.runtime.outbox.drain() // replies become delivery jobs through the outbox
    while (await t.runtime.deps.jobs.runOnce()) {
      // until no job is due
    }
  }
  const deliver = async (raw: Buffer) => {
    await dovecot.append('desk', raw)
    t.runtime.email.wakeAll()
  }

  beforeAll(async () => {
    ;[dovecot, smtp] = await Promise.all([startDovecot(['desk']), startSmtpSink()])
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
        senderName: 'Servicedesk Gemeente',
        imap: { host: '127.0.0.1', port: dovecot.port, tls: 'none', user: 'desk', password: dovecot.password },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
        signature: 'Servicedesk Gemeente\nTelefoon 14 020',
        acknowledgement: { enabled: true },
        blockList: ['@geblokkeerd.test'],
        pollSeconds: 5,
      },
    })
    expect(res.statusCode).toBe(201)
    mailboxId = res.json().id
    await t.runtime.email.start()
  })
  afterAll(async () => {
    await t?.close()
    await Promise.all([dovecot?.stop(), smtp?.stop()])
  })

  it('keeps mailbox passwords out of the API and encrypted at rest', async () => {
    const res = await t.request({ method: 'GET', url: `/api/v1/mailboxes/${mailboxId}`, token: admin.token })
    expect(res.statusCode).toBe(200)
    expect(res.body).not.toContain(dovecot.password)
    expect(res.json().imap).toMatchObject({ host: '127.0.0.1', hasPassword: true, folder: 'INBOX' })
    const row = await db().selectFrom('mailbox').selectAll().where('id', '=', mailboxId).executeTakeFirstOrThrow()
    expect(row.imap_password).toMatch(/^v1:/)
    expect(row.imap_password).not.toContain(dovecot.password)
    expect((await t.request({ method: 'GET', url: '/api/v1/mailboxes', token: agent.token })).statusCode).toBe(403)
  })

  it('tests a connection and says exactly which step failed', async () => {
    const good = (await t.request({ method: 'POST', url: `/api/v1/mailboxes/${mailboxId}/test`, token: admin.token })).json()
    expect(good.ok).toBe(true)
    expect(good.steps.map((s: { step: string }) => s.step)).toEqual(['imap.dns', 'imap.connect', 'imap.login', 'imap.folder', 'smtp.dns', 'smtp.connect', 'smtp.login'])
    const make = async (patch: Record<string, unknown>) => {
      const created = await t.request({
        method: 'POST',
        url: '/api/v1/mailboxes',
        token: admin.token,
        payload: {
          name: `Test ${Math.random()}`,
          address: `test${Math.random().toString(36).slice(2)}@loket.test`,
          active: false,
          imap: { host: '127.0.0.1', port: dovecot.port, tls: 'none', user: 'desk', password: dovecot.password, ...patch },
          smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
        },
      })
      const id = created.json().id
      const result = (await t.request({ method: 'POST', url: `/api/v1/mailboxes/${id}/test`, token: admin.token })).json()
      await t.request({ method: 'DELETE', url: `/api/v1/mailboxes/${id}`, token: admin.token })
      return result.steps.find((s: { ok: boolean }) => !s.ok)
    }
    expect(await make({ password: 'wrong' })).toMatchObject({ step: 'imap.login' })
    const unsaved = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes/test',
      token: admin.token,
      payload: {
        name: 'Nog niet bewaard',
        address: 'nieuw@loket.test',
        imap: { host: '127.0.0.1', port: dovecot.port, tls: 'none', user: 'desk', password: dovecot.password },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', user: 'desk', password: 'x' },
      },
    })
    expect(unsaved.json().steps.find((s: { ok: boolean }) => !s.ok)).toMatchObject({ step: 'smtp.login' })
    expect(await make({ folder: 'Bestaat-niet' })).toMatchObject({ step: 'imap.folder' })
    expect(await make({ host: 'no-such-host.invalid' })).toMatchObject({ step: 'imap.dns' })
    expect(await make({ port: 1 })).toMatchObject({ step: 'imap.connect' })
  })

  it('reads ISO-8859-1, Windows-1252 and encoded-word subjects correctly', async () => {
    for (const f of ['iso-8859-1.eml', 'windows-1252.eml', 'encoded-word-subject.eml']) await deliver(fixture(f))
    const iso = await waitForArticle('<iso1@klant.nl>')
    expect(iso.body).toContain('Ongeldige coördinaten')
    expect(iso.body).toContain('Crème brûlée')
    const cp = await waitForArticle('<cp1252@klant.nl>')
    expect(cp.body).toContain('€ 125,50')
    expect(cp.body).toContain('“Dubbel geboekt”')
    const enc = await waitForArticle('<encoded@klant.nl>')
    const ticket = await ticketOf(enc.ticket_id)
    expect(ticket.subject).toBe('Wachtwoord vergeten 🔑 én account geblokkeerd')
    expect(ticket.requester).toMatchObject({ email: 'aelwyn@klant.nl', name: 'Ælwyn Løkke' })
    expect(ticket.channel).toBe('email')
  })

  it('keeps nested multipart: inline image shown in place, attachments, calendar invite, forwarded mail, Cc, raw message', async () => {
    const raw = fixture('nested-multipart.eml')
    await deliver(raw)
    const row = await waitForArticle('<nested@klant.nl>')
    const [article] = await articlesOf(row.ticket_id)
    const byName = Object.fromEntries(article.attachments.map((a: { filename: string }) => [a.filename, a]))
    expect(Object.keys(byName).sort()).toEqual(['doorgestuurd.eml', 'invite.ics', 'logboek.pdf', 'message.eml', 'screenshot.png'])
    expect(byName['invite.ics'].contentType).toBe('text/calendar')
    expect(byName['doorgestuurd.eml'].contentType).toBe('message/rfc822')
    expect(article.contentType).toBe('text/html')
    expect(article.bodyHtml).toContain(`src="/api/v1/attachments/${byName['screenshot.png'].id}"`)
    expect(article.metadata.email.cc).toEqual([
      { email: 'teamleider@klant.nl', name: 'Teamleider' },
      { email: 'kees@klant.nl', name: 'Kees, IT' },
    ])
    expect(article.metadata.email.rawAttachmentId).toBe(byName['message.eml'].id)
    const download = await t.request({ method: 'GET', url: byName['message.eml'].url, token: agent.token })
    expect(download.statusCode).toBe(200)
    expect(download.rawPayload.equals(raw.toString('latin1').includes('\r\n') ? download.rawPayload : raw)).toBe(true)
    expect(download.rawPayload.toString('latin1')).toContain('Message-ID: <nested@klant.nl>')
    const image = await t.request({ method: 'GET', url: byName['screenshot.png'].url, token: agent.token })
    expect(image.headers['content-type']).toBe('image/png')
  })

  it('shows HTML-only mail sanitised, and files a large attachment', async () => {
    await deliver(fixture('html-only.eml'))
    const html = await waitForArticle('<htmlonly@klant.nl>')
    const [article] = await articlesOf(html.ticket_id)
    expect(article.bodyHtml).toContain('formulier')
    expect(article.bodyHtml).not.toContain('<script')
    const big = Buffer.alloc(3 * 1024 * 1024)
    for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff
    const lines = big.toString('base64').match(/.{1,76}/g)!.join('\r\n')
    await deliver(
      Buffer.from(
        'From: Groot <groot@klant.nl>\r\nTo: desk@loket.test\r\nSubject: Grote bijlage\r\nMessage-ID: <large@klant.nl>\r\nMIME-Version: 1.0\r\n' +
          'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nZie bijlage.\r\n--b\r\n' +
          'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="dump.bin"\r\n\r\n' +
          lines +
          '\r\n--b--\r\n',
      ),
    )
    const row = await waitForArticle('<large@klant.nl>')
    const [a] = await articlesOf(row.ticket_id)
    const dump = a.attachments.find((x: { filename: string }) => x.filename === 'dump.bin')
    expect(dump.size).toBe(big.length)
    const res = await t.request({ method: 'GET', url: dump.url, token: agent.token })
    expect(res.rawPayload.equals(big)).toBe(true)
  })

  it('files a message without Message-ID once, even when it arrives twice', async () => {
    const raw = fixture('no-message-id.eml')
    await deliver(raw)
    await deliver(raw)
    await waitUntil('both copies processed', async () => {
      const list = await dovecot.list('desk')
      return list.length >= 2 && list.every((m) => m.flags.includes(PROCESSED_KEYWORD))
    })
    const rows = await db().selectFrom('article').select('source_id').where('source_id', 'like', 'sha256:%').execute()
    expect(rows).toHaveLength(1)
  })

  it('threads a five-message conversation onto one ticket: In-Reply-To, References, then the number in the subject', async () => {
    await deliver(fixture('thread-1.eml'))
    const first = await waitForArticle('<t1@klant.nl>')
    const ticket = await ticketOf(first.ticket_id)
    for (const n of [2, 3, 4, 5]) await deliver(fixture(`thread-${n}.eml`, { NUMBER: ticket.number }))
    const last = await waitForArticle('<t5@klant.nl>')
    expect(last.ticket_id).toBe(first.ticket_id)
    const articles = await articlesOf(first.ticket_id)
    expect(articles.map((a: { metadata: { email: { messageId: string; threadedBy: string | null } } }) => [a.metadata.email.messageId, a.metadata.email.threadedBy])).toEqual([
      ['<t1@klant.nl>', null],
      ['<t2@klant.nl>', 'references'],
      ['<t3@klant.nl>', 'references'],
      ['<t4@klant.nl>', 'references'],
      ['<t5@klant.nl>', 'subject'],
    ])
  })

  it('acknowledges a new ticket once, with its number, marked as an automatic reply', async () => {
    await runJobs()
    const thread = await articleBySource('<t1@klant.nl>')
    const ticket = await ticketOf(thread!.ticket_id)
    const ack = smtp.received.find((m) => m.parsed.subject?.includes(ticket.number) && m.envelope.to.includes('sanne@klant.nl'))
    expect(ack).toBeDefined()
    expect(ack!.parsed.subject).toBe(`Ontvangen: Laptop start niet op [Loket #${ticket.number}]`)
    expect(ack!.parsed.headers.get('auto-submitted')).toBe('auto-replied')
    expect(ack!.parsed.inReplyTo).toBe('<t1@klant.nl>')
    expect(ack!.parsed.text).toContain(ticket.number)
    // one per new ticket, none for the replies in the thread
    expect(smtp.received.filter((m) => m.envelope.to.includes('sanne@klant.nl'))).toHaveLength(1)
  })

  it('acknowledges in English for an English-speaking customer, and at most 3 times an hour per sender', async () => {
    const created = await t.request({ method: 'POST', url: '/api/v1/users', token: admin.token, payload: { email: 'alice@abroad.test', name: 'Alice', role: 'customer', language: 'en' } })
    expect(created.statusCode).toBe(201)
    for (let i = 1; i <= 5; i++) {
      await deliver(Buffer.from(`From: Alice <alice@abroad.test>\r\nTo: desk@loket.test\r\nSubject: Question ${i}\r\nMessage-ID: <alice-${i}@abroad.test>\r\n\r\nHello ${i}\r\n`))
    }
    await waitForArticle('<alice-5@abroad.test>')
    await runJobs()
    const acks = smtp.received.filter((m) => m.envelope.to.includes('alice@abroad.test'))
    expect(acks).toHaveLength(3)
    expect(acks[0].parsed.subject).toMatch(/^Received: Question 1 \[Loket #\d{4}-\d{5}\]$/)
    expect(acks[0].parsed.text).toContain('Dear Alice')
    const fourth = await articleBySource('<alice-4@abroad.test>')
    expect(JSON.parse(fourth!.metadata).email.noAutoReply[0]).toMatch(/3 automatic replies to alice@abroad.test in the last hour/)
  })

  it('sends an agent reply through SMTP that threads in the customer\'s client, and threads the answer back', async () => {
    const first = await articleBySource('<t1@klant.nl>')
    const ticketId = first!.ticket_id
    const before = smtp.received.length
    const upload = await t.request({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/attachments?filename=handleiding.pdf`,
      token: agent.token,
      headers: { 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.4 handleiding'),
    })
    expect(upload.statusCode).toBe(201)
    const reply = await t.request({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/articles`,
      token: agent.token,
      payload: { body: 'Houd de aan-knop <10 seconden> ingedrukt.', attachmentIds: [upload.json().id], status: 'waiting_for_customer', cc: ['teamleider@klant.nl'] },
    })
    expect(reply.statusCode).toBe(201)
    await runJobs()
    const [mail] = (await smtp.waitFor(before + 1)).slice(before)
    const ticket = await ticketOf(ticketId)
    // The return path names this reply (VERP), so a bounce finds it even when it quotes nothing.
    expect(mail.envelope).toEqual({ from: expect.stringMatching(/^bounce\+r[0-9a-f]{32}-[0-9a-f]{12}@loket\.test$/), to: ['sanne@klant.nl', 'teamleider@klant.nl'] })
    expect(mail.parsed.cc).toMatchObject({ value: [{ address: 'teamleider@klant.nl' }] })
    expect(mail.parsed.from?.value[0]).toEqual({ address: 'desk@loket.test', name: 'Servicedesk Gemeente' })
    expect(mail.parsed.subject).toBe(`Re: Laptop start niet op [Loket #${ticket.number}]`)
    expect(mail.parsed.messageId).toBe(`<loket.article.${reply.json().id}@loket.test>`)
    expect(mail.parsed.inReplyTo).toBe('<t5@klant.nl>')
    expect(mail.parsed.references).toEqual(['<t1@klant.nl>', '<t2@klant.nl>', '<t3@klant.nl>', '<t4@klant.nl>', '<t5@klant.nl>'])
    expect(mail.parsed.text).toContain('Houd de aan-knop <10 seconden> ingedrukt.')
    expect(mail.parsed.text).toContain('Telefoon 14 020')
    expect(mail.parsed.html).toContain('&lt;10 seconden&gt;')
    expect(mail.parsed.attachments.map((a) => a.filename)).toEqual(['handleiding.pdf'])
    expect(mail.parsed.headers.get('x-loket')).toBe(ticket.number)
    const stored = (await articlesOf(ticketId)).find((a: { id: string }) => a.id === reply.json().id)
    expect(stored.metadata.delivery).toMatchObject({ status: 'sent', messageId: mail.parsed.messageId })

    // The customer answers from their mail client: In-Reply-To is our Message-ID.
    await deliver(
      Buffer.from(
        `From: Sanne Visser <sanne@klant.nl>\r\nTo: desk@loket.test\r\nSubject: Re: Laptop start niet op\r\nMessage-ID: <t6@klant.nl>\r\n` +
          `In-Reply-To: ${mail.parsed.messageId}\r\nReferences: ${mail.parsed.messageId}\r\n\r\nDank je, het werkt!\r\n`,
      ),
    )
    const answer = await waitForArticle('<t6@klant.nl>')
    expect(answer.ticket_id).toBe(ticketId)
    expect((await ticketOf(ticketId)).status).toBe('open') // the customer's answer reopens it
  })

  it('signs a reply with its group\'s signature and the agent\'s own part, instead of the mailbox\'s', async () => {
    const first = await articleBySource('<t1@klant.nl>')
    const ticketId = first!.ticket_id
    const department = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Handtekeningen' } })).json()
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Team Werkplek', departmentId: department.id, line: 1, signatureTemplate: 'Met vriendelijke groet,\n{{agent.handtekening}}\n{{groep.naam}}' } })).json()
    expect(group.signatureTemplate).toBe('Met vriendelijke groet,\n{{agent.handtekening}}\n{{groep.naam}}')
    expect((await t.request({ method: 'PUT', url: '/api/v1/me/signature', token: agent.token, payload: { signature: 'Sam Jansen\nWerkplekbeheer, toestel 4411' } })).statusCode).toBe(200)
    const current = await ticketOf(ticketId)
    expect((await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticketId}`, token: agent.token, headers: { 'if-match': `"${current.version}"` }, payload: { groupId: group.id } })).statusCode).toBe(200)
    const before = smtp.received.length
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'Wij komen morgen langs.' } })
    expect(reply.statusCode).toBe(201)
    await runJobs()
    const [mail] = (await smtp.waitFor(before + 1)).slice(before)
    expect(mail.parsed.text).toContain('Wij komen morgen langs.\n\n-- \nMet vriendelijke groet,\nSam Jansen\nWerkplekbeheer, toestel 4411\nTeam Werkplek')
    expect(mail.parsed.html).toContain('Sam Jansen<br>Werkplekbeheer, toestel 4411<br>Team Werkplek')
    // One signature per mail: the group's replaces the mailbox's.
    expect(mail.parsed.text).not.toContain('Telefoon 14 020')
    // The stored reply (and so the portal) holds the message only.
    expect((await articlesOf(ticketId)).find((a: { id: string }) => a.id === reply.json().id).body).toBe('Wij komen morgen langs.')
  })

  it('adds an out-of-office reply to its ticket without reopening it and without answering', async () => {
    const first = await articleBySource('<t1@klant.nl>')
    const ticketId = first!.ticket_id
    const current = await ticketOf(ticketId)
    await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticketId}`, token: agent.token, headers: { 'if-match': String(current.version) }, payload: { status: 'waiting_for_customer' } })
    const sentBefore = smtp.received.length
    await deliver(fixture('auto-reply.eml', { ID: '1', SUBJECT: 'Re: Laptop start niet op', IN_REPLY_TO: '<t6@klant.nl>' }))
    const oof = await waitForArticle('<oof-1@klant.nl>')
    expect(oof.ticket_id).toBe(ticketId)
    expect(JSON.parse(oof.metadata).email.kind).toBe('auto-reply')
    expect((await ticketOf(ticketId)).status).toBe('waiting_for_customer')
    await runJobs()
    expect(smtp.received.length).toBe(sentBefore)
  })

  it('shows a bounce on the reply it is about', async () => {
    const first = await articleBySource('<t1@klant.nl>')
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${first!.ticket_id}/articles`, token: agent.token, payload: { body: 'Nog een vraag.' } })
    await runJobs()
    const sent = (await articlesOf(first!.ticket_id)).find((a: { id: string }) => a.id === reply.json().id)
    expect(sent.metadata.delivery.status).toBe('sent')
    await deliver(fixture('bounce.eml', { ID: '1', RECIPIENT: 'sanne@klant.nl', ORIGINAL_MESSAGE_ID: sent.metadata.delivery.messageId }))
    const bounce = await waitForArticle('<bounce-1@mx.klant.nl>')
    expect(bounce.ticket_id).toBe(first!.ticket_id)
    // The bounce is noted on the reply right after its own article commits.
    const after = await waitUntil('the bounce noted on the reply', async () => {
      const a = (await articlesOf(first!.ticket_id)).find((x: { id: string }) => x.id === reply.json().id)
      return a.metadata.delivery.status === 'bounced' && a
    })
    expect(after.metadata.delivery).toMatchObject({
      status: 'bounced',
      permanent: true,
      reportArticleId: bounce.id,
      recipients: [{ recipient: 'sanne@klant.nl', action: 'failed', status: '5.1.1' }],
      reasonCode: 'mailbox-unknown',
    })
    // The agent sees the class of failure, with the bounce's own words beside it.
    expect(after.delivery).toMatchObject({ state: 'failed', reasonCode: 'mailbox-unknown', detail: expect.stringMatching(/^5\.1\.1/) })
  })

  it('shows a bounce of an acknowledgement on the message it acknowledged, not as a new ticket', async () => {
    const first = await articleBySource('<t1@klant.nl>')
    const ackId = JSON.parse(first!.metadata).acknowledgement?.messageId
    expect(ackId).toBe(`<loket.ack.${first!.id}@loket.test>`)
    await deliver(fixture('bounce.eml', { ID: '2', RECIPIENT: 'sanne@klant.nl', ORIGINAL_MESSAGE_ID: ackId }))
    const bounce = await waitForArticle('<bounce-2@mx.klant.nl>')
    expect(bounce.ticket_id).toBe(first!.ticket_id)
    const acknowledged = await waitUntil('the bounce noted on the acknowledged message', async () => {
      const a = await articleBySource('<t1@klant.nl>')
      const ack = JSON.parse(a!.metadata).acknowledgement
      return ack.status === 'bounced' && ack
    })
    expect(acknowledged).toMatchObject({ messageId: ackId, permanent: true, reportArticleId: bounce.id })
  })

  it('records a permanent SMTP failure on the article and stops retrying', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/tickets',
      token: agent.token,
      payload: { subject: 'Telefoon', body: 'Belde over de pas', channel: 'phone', requester: { email: 'reject-me@klant.nl' } },
    })
    const ticketId = created.json().id
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'Uw pas is klaar.' } })
    await runJobs()
    const article = (await articlesOf(ticketId)).find((a: { id: string }) => a.id === reply.json().id)
    expect(article.channel).toBe('email')
    expect(article.metadata.delivery).toMatchObject({ status: 'failed', permanent: true })
    expect(article.metadata.delivery.error).toMatch(/550/)
    const job = await db().selectFrom('job').selectAll().where('dedupe_key', '=', `deliver:${reply.json().id}`).executeTakeFirstOrThrow()
    expect(job.status).toBe('done')
  })

  it('drops blocked senders and our own mail, files a truncated message with a warning, and keeps going', async () => {
    await deliver(Buffer.from('From: x@geblokkeerd.test\r\nTo: desk@loket.test\r\nSubject: spam\r\nMessage-ID: <blocked@geblokkeerd.test>\r\n\r\nkoop nu\r\n'))
    await deliver(Buffer.from('From: desk@loket.test\r\nTo: desk@loket.test\r\nSubject: echo\r\nMessage-ID: <loket.article.x@loket.test>\r\nX-Loket: 2026-00001\r\n\r\necho\r\n'))
    await deliver(fixture('truncated.eml'))
    await deliver(Buffer.from('From: na@klant.nl\r\nTo: desk@loket.test\r\nSubject: Daarna\r\nMessage-ID: <after-broken@klant.nl>\r\n\r\nNog steeds bereikbaar?\r\n'))
    const broken = await waitForArticle('<truncated@klant.nl>')
    expect(JSON.parse(broken.metadata).email.warnings[0]).toMatch(/cut off/)
    expect(broken.body).toContain('Het begin van het bericht is er nog.')
    await waitForArticle('<after-broken@klant.nl>')
    await waitUntil('all processed', async () => (await dovecot.list('desk')).every((m) => m.flags.includes(PROCESSED_KEYWORD) && m.flags.includes('\\Seen')))
    expect(await articleBySource('<blocked@geblokkeerd.test>')).toBeUndefined()
    expect(await articleBySource('<loket.article.x@loket.test>')).toBeUndefined()
  })

  it('reports the fetcher status per mailbox', async () => {
    const mailbox = (await t.request({ method: 'GET', url: `/api/v1/mailboxes/${mailboxId}`, token: admin.token })).json()
    expect(mailbox.status).toMatchObject({ usesIdle: true, lastError: null })
    expect(['idle', 'fetching']).toContain(mailbox.status.state)
    expect(mailbox.status.fetchedCount).toBeGreaterThan(15)
    expect(mailbox.status.lastSuccessAt).not.toBeNull()
  })
})
