import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
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
