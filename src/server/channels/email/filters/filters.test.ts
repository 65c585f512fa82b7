import { describe, expect, it } from 'vitest'
import { parseMail } from '../parse-mail.js'
import { autoReplyHeadersFilter } from './auto-reply-headers.js'
import { autoSubmittedFilter } from './auto-submitted.js'
import { blockListFilter } from './block-list.js'
import { bounceFilter } from './bounce.js'
import { MAIL_FILTERS } from './index.js'
import { noReplySenderFilter } from './no-reply-sender.js'
import { outOfOfficeFilter } from './out-of-office.js'
import { ownMailFilter } from './own-mail.js'
import { type FilterContext, type MailFilter, runFilters } from './pipeline.js'
import { precedenceFilter } from './precedence.js'
import { rateLimitFilter } from './rate-limit.js'

const mailbox = { id: 'mb1', address: 'servicedesk@gemeente.nl', blockList: ['spam@example.com', '@spammers.test'] }

/** A raw RFC 822 message: the given header lines, then a plain body. */
const raw = (...headers: string[]) =>
  Buffer.from(
    [
      ...(headers.some((h) => /^from:/i.test(h)) ? [] : ['From: Jan de Vries <jan@klant.nl>']),
      'To: servicedesk@gemeente.nl',
      ...(headers.some((h) => /^subject:/i.test(h)) ? [] : ['Subject: Printer doet het niet']),
      'Date: Mon, 23 Nov 2026 08:00:00 +0100',
      ...(headers.some((h) => /^message-id:/i.test(h)) ? [] : ['Message-ID: <m1@klant.nl>']),
      ...headers,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hallo,',
      '',
    ].join('\r\n'),
  )

async function run(filter: MailFilter | readonly MailFilter[], message: Buffer, extra: Partial<FilterContext> = {}) {
  const ctx: FilterContext = { mail: await parseMail(message), mailbox, now: new Date('2026-11-23T08:00:00Z'), ...extra }
  return runFilters(ctx, Array.isArray(filter) ? filter : [filter as MailFilter])
}

describe('block-list filter', () => {
  it('drops an address on the list', async () => {
    expect((await run(blockListFilter, raw('From: spam@example.com'))).drop).toMatch(/block list/)
  })
  it('drops a domain on the list, subdomains included', async () => {
    expect((await run(blockListFilter, raw('From: x@mail.spammers.test'))).drop).toBeDefined()
  })
  it('lets others through', async () => {
    expect((await run(blockListFilter, raw())).drop).toBeUndefined()
  })
})

describe('own-mail filter', () => {
  it('drops mail with our X-Loket header', async () => {
    expect((await run(ownMailFilter, raw('X-Loket: 2026-00042'))).drop).toMatch(/X-Loket/)
  })
  it('drops mail with one of our Message-IDs', async () => {
    expect((await run(ownMailFilter, raw('Message-ID: <loket.article.0192abc@gemeente.nl>'))).drop).toMatch(/Message-ID/)
  })
  it('drops mail from the mailbox itself', async () => {
    expect((await run(ownMailFilter, raw('From: ServiceDesk@gemeente.nl'))).drop).toBeDefined()
  })
  it('keeps a colleague at the same domain', async () => {
    expect((await run(ownMailFilter, raw('From: piet@gemeente.nl', 'Message-ID: <abc@gemeente.nl>'))).drop).toBeUndefined()
  })
})

describe('bounce filter', () => {
  const dsn = Buffer.from(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.klant.nl>',
      'To: servicedesk@gemeente.nl',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <dsn1@mx.klant.nl>',
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'Your message could not be delivered.',
      '--b1',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.klant.nl',
      '',
      'Final-Recipient: rfc822; onbekend@klant.nl',
      'Action: failed',
      'Status: 5.1.1',
      'Diagnostic-Code: smtp; 550 5.1.1 User unknown',
      '',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      'From: servicedesk@gemeente.nl',
      'Message-ID: <loket.article.123@gemeente.nl>',
      'Subject: Re: Printer [Loket #2026-00042]',
      '',
      '--b1--',
      '',
    ].join('\r\n'),
  )
  it('reads a delivery status notification: who failed, why, and which message', async () => {
    const verdict = await run(bounceFilter, dsn)
    expect(verdict.kind).toBe('bounce')
    expect(verdict.reopens).toBe(false)
    expect(verdict.noAutoReply.length).toBeGreaterThan(0)
    expect(verdict.bounce).toMatchObject({
      originalMessageId: '<loket.article.123@gemeente.nl>',
      failed: true,
      recipients: [{ recipient: 'onbekend@klant.nl', action: 'failed', status: '5.1.1', diagnostic: '550 5.1.1 User unknown' }],
    })
  })
  it('leaves ordinary mail alone', async () => {
    expect((await run(bounceFilter, raw())).kind).toBeUndefined()
  })
  it('runs before the own-mail filter would see the quoted headers (the DSN itself is not ours)', async () => {
    expect((await run(MAIL_FILTERS, dsn)).drop).toBeUndefined()
  })
})

describe('auto-submitted filter', () => {
  it('never answers Auto-Submitted: auto-generated', async () => {
    const v = await run(autoSubmittedFilter, raw('Auto-Submitted: auto-generated'))
    expect(v.noAutoReply).toEqual(['Auto-Submitted: auto-generated'])
    expect(v.reopens).toBe(true)
  })
  it('treats auto-replied as an automatic answer that does not reopen', async () => {
    const v = await run(autoSubmittedFilter, raw('Auto-Submitted: auto-replied'))
    expect(v).toMatchObject({ kind: 'auto-reply', reopens: false })
  })
  it('answers Auto-Submitted: no', async () => {
    expect((await run(autoSubmittedFilter, raw('Auto-Submitted: no'))).noAutoReply).toEqual([])
  })
})

describe('precedence filter', () => {
  for (const value of ['bulk', 'junk', 'list']) {
    it(`never answers Precedence: ${value}`, async () => {
      expect((await run(precedenceFilter, raw(`Precedence: ${value}`))).noAutoReply).toHaveLength(1)
    })
  }
  it('never answers a mailing list', async () => {
    expect((await run(precedenceFilter, raw('List-Id: <nieuws.klant.nl>'))).noAutoReply).toEqual(['mailing list'])
  })
})

describe('auto-reply-headers filter', () => {
  it('recognises X-Autoreply', async () => {
    expect(await run(autoReplyHeadersFilter, raw('X-Autoreply: yes'))).toMatchObject({ kind: 'auto-reply', reopens: false })
  })
  it('recognises X-Autorespond', async () => {
    expect((await run(autoReplyHeadersFilter, raw('X-Autorespond: Afwezigheidsassistent'))).kind).toBe('auto-reply')
  })
  it('respects X-Auto-Response-Suppress', async () => {
    const v = await run(autoReplyHeadersFilter, raw('X-Auto-Response-Suppress: DR, OOF, AutoReply'))
    expect(v.noAutoReply).toHaveLength(1)
    expect(v.kind).toBeUndefined()
  })
})

describe('out-of-office filter', () => {
  for (const subject of ['Automatisch antwoord: Printer', 'Out of Office: Printer', 'Afwezig', 'Automatic reply: Re: [Loket #2026-00001]']) {
    it(`recognises "${subject}"`, async () => {
      expect(await run(outOfOfficeFilter, raw(`Subject: ${subject}`))).toMatchObject({ kind: 'auto-reply', reopens: false })
    })
  }
  it('decodes an encoded-word subject first', async () => {
    expect((await run(outOfOfficeFilter, raw('Subject: =?utf-8?Q?Automatisch_antwoord=3A_vakantie?='))).kind).toBe('auto-reply')
  })
  it('leaves a normal subject alone', async () => {
    expect((await run(outOfOfficeFilter, raw('Subject: Office 365 werkt niet'))).kind).toBeUndefined()
  })
})

describe('no-reply-sender filter', () => {
  for (const sender of ['MAILER-DAEMON@mx.klant.nl', 'postmaster@klant.nl', 'no-reply@bank.nl', 'noreply@github.com', 'do-not-reply@x.nl', 'donotreply@x.nl']) {
    it(`never answers ${sender}`, async () => {
      expect((await run(noReplySenderFilter, raw(`From: ${sender}`))).noAutoReply).toHaveLength(1)
    })
  }
  it('never answers an empty return path', async () => {
    expect((await run(noReplySenderFilter, raw('Return-Path: <>'))).noAutoReply).toEqual(['empty return path'])
  })
  it('answers a person', async () => {
    expect((await run(noReplySenderFilter, raw())).noAutoReply).toEqual([])
  })
})

describe('rate-limit filter', () => {
  it('stops after the hourly limit per sender', async () => {
    const v = await run(rateLimitFilter, raw(), { countAutoReplies: async () => 3 })
    expect(v.noAutoReply[0]).toMatch(/3 automatic replies to jan@klant.nl in the last hour/)
  })
  it('stops after the daily limit', async () => {
    const v = await run(rateLimitFilter, raw(), { countAutoReplies: async (_a, since) => (since < '2026-11-23T07:00:00.000Z' ? 10 : 1) })
    expect(v.noAutoReply[0]).toMatch(/last day/)
  })
  it('allows below the limit', async () => {
    expect((await run(rateLimitFilter, raw(), { countAutoReplies: async () => 0 })).noAutoReply).toEqual([])
  })
})

describe('the whole pipeline', () => {
  it('lets an ordinary customer mail through with an acknowledgement allowed', async () => {
    const v = await run(MAIL_FILTERS, raw(), { countAutoReplies: async () => 0 })
    expect(v).toMatchObject({ noAutoReply: [], reopens: true })
    expect(v.drop).toBeUndefined()
    expect(v.kind).toBeUndefined()
  })
  it('two auto-responders cannot loop: an out-of-office gets no answer', async () => {
    const v = await run(MAIL_FILTERS, raw('Subject: Out of office', 'Auto-Submitted: auto-replied', 'X-Autoreply: yes'))
    expect(v.kind).toBe('auto-reply')
    expect(v.noAutoReply.length).toBeGreaterThan(0)
    expect(v.matched).toEqual(expect.arrayContaining(['auto-submitted', 'auto-reply-headers']))
  })
})
