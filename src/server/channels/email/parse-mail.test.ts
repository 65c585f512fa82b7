import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { contentKey } from './content-key.js'
import { readSender } from './mail-sender.js'
import { parseMail, rewriteCidLinks } from './parse-mail.js'

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url))

describe('parseMail', () => {
  it('unpacks Outlook winmail.dat (TNEF) into its files, long names included', async () => {
    const mail = await parseMail(fixture('winmail-tnef.eml'))
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.length])).toEqual([
      ['Verslag overleg storing.txt', 'text/plain', 50],
      ['LOGO.PNG', 'image/png', 70],
    ])
    expect(mail.attachments[0].content.toString()).toContain('de storing is verholpen')
  })

  it('reads the Cc, Reply-To and thread headers', async () => {
    const mail = await parseMail(fixture('nested-multipart.eml'))
    expect(mail.cc.map((c) => c.email)).toEqual(['teamleider@klant.nl', 'kees@klant.nl'])
    const reply = await parseMail(fixture('thread-4.eml'))
    expect(reply.inReplyTo).toEqual(['<t3@klant.nl>'])
    expect(reply.references).toEqual(['<t1@klant.nl>', '<t2@klant.nl>', '<t3@klant.nl>'])
  })

  it('uses a hash of the bytes as the source id when there is no Message-ID', async () => {
    const a = await parseMail(fixture('no-message-id.eml'))
    const b = await parseMail(fixture('no-message-id.eml'))
    expect(a.sourceId).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(a.sourceId).toBe(b.sourceId)
  })

  it('warns about a message that was cut off, and keeps what it could read', async () => {
    const mail = await parseMail(fixture('truncated.eml'))
    expect(mail.parseError).toBeUndefined()
    expect(mail.text).toContain('Het begin van het bericht is er nog.')
    expect(mail.warnings[0]).toMatch(/cut off/)
  })

  it('never throws: bytes that are no mail at all still give a sender-less message to file raw', async () => {
    const mail = await parseMail(Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x02]))
    expect(mail.sourceId).toMatch(/^sha256:/)
    expect(mail.from).toBeUndefined()
  })

  it('points cid: links at the stored attachments', async () => {
    const mail = await parseMail(fixture('nested-multipart.eml'))
    const image = mail.attachments.find((a) => a.contentId === 'screenshot@klant.nl')!
    expect(rewriteCidLinks(mail.html!, mail.attachments)).toContain(`src="/api/v1/attachments/${image.id}"`)
    expect(rewriteCidLinks('<img src="cid:unknown@x">', mail.attachments)).toBe('<img src="cid:unknown@x">')
  })
})

describe('contentKey', () => {
  const mail = 'From: Jan <jan@klant.nl>\r\nTo: desk@loket.test\r\nSubject: Printer\r\nMessage-ID: <k@klant.nl>\r\n\r\nRegel een.\r\nRegel twee.\r\n'
  it('is one key for one mail, whatever its line endings, trailing blank lines and relay headers', () => {
    const key = contentKey(Buffer.from(mail))
    expect(contentKey(Buffer.from(mail.replace(/\r\n/g, '\n')))).toBe(key)
    expect(contentKey(Buffer.from(mail.replace(/\r\n/g, '\r')))).toBe(key)
    expect(contentKey(Buffer.from(`${mail}\r\n\r\n`))).toBe(key)
    expect(contentKey(Buffer.from(`Received: from mx.klant.nl by imap.loket.test\r\nDelivered-To: hr@loket.test\r\n${mail}`))).toBe(key)
  })
  it('differs for a different mail under the same Message-ID', () => {
    expect(contentKey(Buffer.from(mail.replace('Regel twee.', 'Regel drie.')))).not.toBe(contentKey(Buffer.from(mail)))
    expect(contentKey(Buffer.from(mail.replace('Jan <jan@', 'Piet <piet@')))).not.toBe(contentKey(Buffer.from(mail)))
  })
})

describe('readSender', () => {
  it('reads names and comments, and decodes encoded words', () => {
    expect(readSender(['"de Vries, Jan" <Jan@Klant.NL>'])).toEqual({ from: { email: 'jan@klant.nl', name: 'de Vries, Jan' } })
    expect(readSender(['jan@klant.nl (Jan de Vries)'])).toEqual({ from: { email: 'jan@klant.nl', name: 'Jan de Vries' } })
    expect(readSender(['=?utf-8?Q?=C3=86lwyn?= <aelwyn@klant.nl>'])).toEqual({ from: { email: 'aelwyn@klant.nl', name: 'Ælwyn' } })
  })
  it('never turns an invalid address into a valid one', () => {
    for (const field of ['"jan@evil.nl" <>', '<jan@klant .nl>', 'jan@@klant.nl', 'jan(at)klant.nl', 'jan@klant', 'Jan <jan@klant.nl@evil.nl>']) {
      expect(readSender([field]), field).toEqual({ unknown: { raw: field } })
    }
  })
  it('takes the first valid mailbox over several fields', () => {
    expect(readSender(['Kapot <x@@y>', 'Piet <piet@klant.nl>, Kees <kees@klant.nl>']).from).toEqual({ email: 'piet@klant.nl', name: 'Piet' })
  })
})
