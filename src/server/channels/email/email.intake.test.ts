import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { PROCESSED_KEYWORD } from './imap-fetcher.js'
import { deskMailbox, type Dovecot, startDovecot } from './test/dovecot.js'
import { waitUntil } from '../../test/wait-until.js'

/** A raw message exactly as stored: its bytes, line endings and 8-bit characters included. */
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url))

/** Nothing lost coming in: raw mail as others write it, delivered through Dovecot, each filed as what it is. */
describeEachDatabase('e-mail intake: every message taken in as what it is', (database) => {
  let t: TestApp
  let dovecot: Dovecot
  let agent: Awaited<ReturnType<TestApp['user']>>
  let admin: Awaited<ReturnType<TestApp['user']>>
  let mailboxId: string
  /** Every message appended to the folder: what the counters must add up to. */
  let appended = 0

  const db = () => t.runtime.deps.db
  const articlesWithMessageId = (messageId: string) =>
    db().selectFrom('article').selectAll().where('source_id', 'like', `${messageId}%`).orderBy('created_at').orderBy('id').execute()
  const articlesOf = async (ticketId: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token })).json().items
  const ticketOf = async (ticketId: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, token: agent.token })).json()
  /** Appends the messages and waits until Loket has flagged every message in the folder processed. */
  const deliverAll = async (...raws: Buffer[]) => {
    for (const raw of raws) await dovecot.append('desk', raw)
    appended += raws.length
    t.runtime.email.wakeAll()
    await waitUntil('every message processed', async () => (await dovecot.list('desk')).every((m) => m.flags.includes(PROCESSED_KEYWORD)))
  }
  const only = async (messageId: string) => {
    const rows = await articlesWithMessageId(messageId)
    expect(rows).toHaveLength(1)
    return (await articlesOf(rows[0].ticket_id)).find((a: { id: string }) => a.id === rows[0].id)
  }

  beforeAll(async () => {
    dovecot = await startDovecot(['desk'])
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: deskMailbox(dovecot, { smtpPort: 25, pollSeconds: 5, blockList: ['@geblokkeerd.test'] }),
    })
    expect(res.statusCode).toBe(201)
    mailboxId = res.json().id
    await t.runtime.email.start()
  })
  afterAll(async () => {
    await t?.close()
    await dovecot?.stop()
  })

  it('files a different mail that reuses a Message-ID, with a note, and keeps a re-read of either one article', async () => {
    const first = fixture('reused-message-id-1.eml')
    const second = fixture('reused-message-id-2.eml')
    await deliverAll(first, second, first, second)
    const rows = await articlesWithMessageId('<contactformulier@gemeente.nl>')
    expect(rows).toHaveLength(2)
    const [a, b] = await Promise.all(rows.map(async (r) => (await articlesOf(r.ticket_id)).find((x: { id: string }) => x.id === r.id)))
    expect(a.body).toContain('parkeervergunning')
    expect(b.body).toContain('grofvuil')
    expect(b.metadata.email.reusedMessageId).toEqual({ messageId: '<contactformulier@gemeente.nl>', articleId: a.id, ticketId: a.ticketId })
    expect(b.metadata.email.warnings.join(' ')).toMatch(/reuses the Message-ID <contactformulier@gemeente.nl>/)
    expect(a.metadata.email.reusedMessageId).toBeUndefined()
    expect((await ticketOf(b.ticketId)).subject).toBe('Contactformulier: grofvuil')
  })

  it('tells a reused Message-ID from a re-read when they come in later fetches (the lookup per fetched batch)', async () => {
    const withId = (name: string, id: string) => Buffer.from(fixture(name).toString('latin1').replaceAll('<contactformulier@gemeente.nl>', id), 'latin1')
    const first = withId('reused-message-id-1.eml', '<formulier-later@gemeente.nl>')
    const second = withId('reused-message-id-2.eml', '<formulier-later@gemeente.nl>')
    const other = withId('reused-message-id-2.eml', '<formulier-anders@gemeente.nl>')
    // One fetch each: the second fetch finds the first mail filed under the id, with other content.
    await deliverAll(first)
    await deliverAll(second, other)
    await deliverAll(first, withId('reused-message-id-1.eml', '<formulier-nog-een@gemeente.nl>'))
    const rows = await articlesWithMessageId('<formulier-later@gemeente.nl>')
    expect(rows.map((r) => r.source_id)).toEqual(['<formulier-later@gemeente.nl>', expect.stringMatching(/^<formulier-later@gemeente\.nl>#/)])
    const [a, b] = await Promise.all(rows.map(async (r) => (await articlesOf(r.ticket_id)).find((x: { id: string }) => x.id === r.id)))
    expect(a.body).toContain('parkeervergunning')
    expect(b.metadata.email.reusedMessageId).toEqual({ messageId: '<formulier-later@gemeente.nl>', articleId: a.id, ticketId: a.ticketId })
    expect(await articlesWithMessageId('<formulier-anders@gemeente.nl>')).toHaveLength(1)
    expect(await articlesWithMessageId('<formulier-nog-een@gemeente.nl>')).toHaveLength(1)
    // The re-read of the first mail, in a later fetch: kept as a duplicate of it, not filed again.
    const kept = await db().selectFrom('mailbox_message').selectAll().where('message_id', '=', '<formulier-later@gemeente.nl>').where('outcome', '=', 'duplicate').execute()
    expect(kept.map((k) => k.article_id)).toEqual([a.id])
  })

  it('reads one message with CRLF, LF or lone CR line endings as one message', async () => {
    await deliverAll(fixture('line-endings-crlf.eml'), fixture('line-endings-lf.eml'), fixture('line-endings-cr.eml'))
    const article = await only('<regeleinden@klant.nl>')
    expect(article.body).toContain('Tweede regel.')
    expect((await ticketOf(article.ticketId)).subject).toBe('Regeleinden')
  })

  it('files a message with lone CR line endings readably, not as one long header', async () => {
    const raw = Buffer.from('From: Oude Mac <mac@klant.nl>\rTo: desk@loket.test\rSubject: Alleen CR\rMessage-ID: <cr-only@klant.nl>\r\rRegel een.\rRegel twee.\r')
    await deliverAll(raw)
    const article = await only('<cr-only@klant.nl>')
    const ticket = await ticketOf(article.ticketId)
    expect(ticket.subject).toBe('Alleen CR')
    expect(ticket.requester.email).toBe('mac@klant.nl')
    expect(article.body).toContain('Regel twee.')
  })

  it('takes the first From field with a valid address', async () => {
    await deliverAll(fixture('several-from.eml'))
    const article = await only('<several-from@klant.nl>')
    expect((await ticketOf(article.ticketId)).requester).toMatchObject({ email: 'piet@klant.nl', name: 'Piet Jansen' })
    expect(article.metadata.email.senderUnknown).toBeUndefined()
  })

  it('never repairs an invalid sender address into another: the sender is unknown and the agent chooses', async () => {
    await deliverAll(fixture('invalid-from.eml'))
    const article = await only('<invalid-from@klant.nl>')
    expect(article.metadata.email.from).toBeNull()
    expect(article.metadata.email.senderUnknown).toEqual({ raw: '"jan@klant.nl" <jan.de.vries@klant .nl>' })
    const ticket = await ticketOf(article.ticketId)
    expect(ticket.requester.email).toMatch(/@invalid$/)
    const made = await db().selectFrom('app_user').select('email').where('email', 'in', ['jan@klant.nl', 'jan.de.vries@klant.nl', 'jan.de.vries@klant']).execute()
    expect(made).toEqual([])
  })

  it('gives no "cut off" warning for a boundary with spaces and other legal characters', async () => {
    await deliverAll(fixture('boundary-with-spaces.eml'))
    const article = await only('<boundary-spaces@klant.nl>')
    expect(article.metadata.email.warnings).toBeUndefined()
    expect(article.body).toContain('Het bericht is compleet.')
    expect(article.attachments.map((f: { filename: string }) => f.filename).sort()).toEqual(['message.eml', 'notitie.txt'])
  })

  const legacy: [file: string, messageId: string, subject: string, requester: string, body: string, attachment?: string][] = [
    ['gbk-unlabelled.eml', '<gbk-unlabelled@klant.cn>', '打印机无法连接网络', '张伟', '办公室的打印机从昨天开始无法连接网络', '错误日志.txt'],
    ['gbk-subject-only.eml', '<gbk-subject-only@klant.cn>', '密码过期', '李娜', 'Please reset my password.'],
    ['shift-jis-wrong-label.eml', '<sjis-wrong-label@klant.jp>', 'パスワードの再設定について', '山田太郎', 'パスワードを忘れてしまったので'],
    ['big5-unlabelled.eml', '<big5-unlabelled@klant.tw>', '申請新的電子郵件帳號', '陳小明', '請協助申請新的電子郵件帳號'],
    ['windows-1250-labelled-utf8.eml', '<cp1250-as-utf8@klant.pl>', 'Proszę o pomoc z drukarką', 'Paweł Łukasiewicz', 'Drukarka na drugim piętrze nie działa'],
    ['windows-1252-unlabelled.eml', '<cp1252-unlabelled@klant.nl>', 'Factuur € 125 – “dubbel” betaald', 'Françoise Müller', 'Kunt u één betaling terugstorten'],
    ['iso-8859-2-labelled.eml', '<iso-8859-2@klant.cz>', 'Žádost o nový přístup', 'Dvořák Jiří', 'prosím o přístup ke sdílené složce účtárny'],
  ]
  it('reads raw 8-bit legacy charsets without (or with a wrong) label: subject, sender name, body and attachment name, never U+FFFD', async () => {
    await deliverAll(...legacy.map(([file]) => fixture(file)))
    for (const [file, messageId, subject, requester, body, attachment] of legacy) {
      const article = await only(messageId)
      const ticket = await ticketOf(article.ticketId)
      expect(ticket.subject, file).toBe(subject)
      expect(ticket.requester.name, file).toBe(requester)
      expect(article.body, file).toContain(body)
      expect(article.body, file).not.toMatch(/\uFFFD/)
      if (attachment) expect(article.attachments.map((f: { filename: string }) => f.filename), file).toContain(attachment)
      // The raw message is kept byte for byte, whatever was relabelled to read it.
      const raw = article.attachments.find((f: { id: string }) => f.id === article.metadata.email.rawAttachmentId)
      const download = await t.request({ method: 'GET', url: raw.url, token: agent.token })
      expect(download.rawPayload.equals(fixture(file)), file).toBe(true)
    }
  })

  const listed = async (outcome: string) =>
    (await t.request({ method: 'GET', url: `/api/v1/mailboxes/${mailboxId}/messages?outcome=${outcome}`, token: admin.token })).json().items

  it('keeps DMARC and abuse reports, and bounces and auto-replies about nothing known, as machine mail: no ticket, no answer', async () => {
    const jobsBefore = await db().selectFrom('job').select('id').execute()
    const files = ['dmarc-aggregate-report.eml', 'abuse-feedback-report.eml', 'exim-bounce-unknown.eml', 'vacation-no-ticket.eml']
    await deliverAll(...files.map(fixture))
    for (const id of ['<dmarc-8712349871234@google.com>', '<arf-1@hotmail.com>', '<E1bounce-0001@mx.klant.nl>', '<oof-no-ticket@klant.nl>']) {
      expect(await articlesWithMessageId(id), id).toEqual([])
    }
    expect(await db().selectFrom('job').select('id').execute()).toHaveLength(jobsBefore.length)
    const machine = await listed('machine')
    expect(Object.fromEntries(machine.map((m: { messageId: string; kind: string }) => [m.messageId, m.kind]))).toEqual({
      '<dmarc-8712349871234@google.com>': 'dmarc-report',
      '<arf-1@hotmail.com>': 'abuse-report',
      '<E1bounce-0001@mx.klant.nl>': 'delivery-status',
      '<oof-no-ticket@klant.nl>': 'auto-reply',
    })
    const dmarc = machine.find((m: { kind: string }) => m.kind === 'dmarc-report')
    const raw = await t.request({ method: 'GET', url: dmarc.rawUrl, token: admin.token })
    expect(raw.headers['content-type']).toBe('message/rfc822')
    expect(raw.rawPayload.equals(fixture('dmarc-aggregate-report.eml'))).toBe(true)
    expect((await t.request({ method: 'GET', url: `/api/v1/mailboxes/${mailboxId}/messages`, token: agent.token })).statusCode).toBe(403)
  })

  it('accounts for every fetched message: filed, duplicate of message X, headers only, or refused with a reason', async () => {
    await deliverAll(Buffer.from('From: x@geblokkeerd.test\r\nTo: desk@loket.test\r\nSubject: spam\r\nMessage-ID: <blocked@geblokkeerd.test>\r\n\r\nkoop nu\r\n'))
    const refused = await listed('refused')
    expect(refused).toEqual([expect.objectContaining({ messageId: '<blocked@geblokkeerd.test>', reason: expect.stringMatching(/block list/), from: 'x@geblokkeerd.test' })])
    const duplicates = await listed('duplicate')
    const first = (await articlesWithMessageId('<contactformulier@gemeente.nl>'))[0]
    expect(duplicates).toEqual(expect.arrayContaining([expect.objectContaining({ messageId: '<contactformulier@gemeente.nl>', duplicateOf: { articleId: first.id, ticketId: first.ticket_id } })]))
    const status = await waitUntil('every message counted', async () => {
      const s = (await t.request({ method: 'GET', url: `/api/v1/mailboxes/${mailboxId}`, token: admin.token })).json().status
      return s.fetchedCount === appended && s
    })
    const { filed, duplicate, headersOnly, refused: refusedCount, machine } = status.counts
    expect(filed + duplicate + headersOnly + refusedCount + machine).toBe(appended)
    expect({ duplicate, refused: refusedCount, machine }).toEqual({ duplicate: 5, refused: 1, machine: 4 })
  })
})
