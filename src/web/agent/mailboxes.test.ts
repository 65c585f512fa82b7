import { describe, expect, it } from 'vitest'
import type { Article } from './api.js'
import { CC_LIMIT } from '../../shared/api/tickets.js'
import { knownCc, parseCc, preselectCc } from './cc.js'
import { createBody, formOf, updateBody } from './Mailboxes.js'
import type { Mailbox } from './mailboxApi.js'

const mail = (over: Partial<Article>, email: Record<string, unknown>): Article =>
  ({ id: 'a', direction: 'in', channel: 'email', metadata: { email }, attachments: [], ...over }) as unknown as Article

describe('Cc of a reply', () => {
  it('takes the Cc of the customer\'s mails, latest first, without our mailbox and the customer', () => {
    const articles = [
      mail({}, { from: { email: 'jan@x.nl' }, to: [{ email: 'servicedesk@gemeente.nl' }], cc: [{ email: 'Piet@x.nl' }, { email: 'servicedesk@gemeente.nl' }] }),
      mail({ direction: 'out' }, { cc: [{ email: 'not-this@x.nl' }] }),
      mail({}, { from: { email: 'jan@x.nl' }, to: [{ email: 'servicedesk@gemeente.nl' }], cc: [{ email: 'kees@x.nl' }, { email: 'jan@x.nl' }, { email: 'piet@x.nl' }] }),
    ]
    expect(knownCc(articles, 'Jan@x.nl')).toEqual(['kees@x.nl', 'piet@x.nl'])
    expect(knownCc([mail({}, {})])).toEqual([])
  })

  it('preselects at most the limit from a mail with thousands of Cc addresses, and names the ones it left out', () => {
    const cc = Array.from({ length: 3000 }, (_, i) => ({ email: `collega${i}@gemeente.nl` }))
    const known = knownCc([mail({}, { from: { email: 'jan@x.nl' }, to: [{ email: 'servicedesk@gemeente.nl' }], cc })], 'jan@x.nl')
    expect(known).toHaveLength(3000)
    const { selected, leftOut } = preselectCc(known, CC_LIMIT)
    expect(CC_LIMIT).toBe(20)
    expect(selected).toEqual(known.slice(0, 20))
    expect(leftOut).toHaveLength(2980)
    expect(leftOut[0]).toBe('collega20@gemeente.nl')
    // What the composer sends is within what the API takes.
    expect(parseCc(selected.join(', ')).addresses).toHaveLength(20)
  })

  it('parses what the agent typed', () => {
    expect(parseCc(' a@x.nl, B@Y.nl;<c@z.nl>\nA@x.nl ')).toEqual({ addresses: ['a@x.nl', 'b@y.nl', 'c@z.nl'], invalid: [] })
    expect(parseCc('a@x.nl, nope').invalid).toEqual(['nope'])
    expect(parseCc('')).toEqual({ addresses: [], invalid: [] })
  })
})

describe('mailbox form', () => {
  const saved = {
    id: 'm1',
    name: 'Servicedesk',
    address: 'servicedesk@gemeente.nl',
    senderName: 'Servicedesk',
    active: true,
    imap: { host: 'imap.gemeente.nl', port: 993, tls: 'implicit', user: 'sd', folder: 'INBOX', processedFolder: null, hasPassword: true },
    smtp: { host: 'smtp.gemeente.nl', port: 587, tls: 'starttls', user: null, hasPassword: false },
    tlsVerify: true,
    signature: '',
    groupId: null,
    acknowledgement: { enabled: false, nl: { subject: 'Ontvangen', body: 'Dank' }, en: { subject: 'Received', body: 'Thanks' } },
    blockList: ['@spam.example'],
    pollSeconds: 60,
  } as unknown as Mailbox

  it('leaves the passwords out of an update when their fields are empty (the stored ones are kept)', () => {
    const body = updateBody(formOf(saved))
    expect(body.imap).not.toHaveProperty('password')
    expect(body.smtp).not.toHaveProperty('password')
    expect(body).toMatchObject({ imap: { host: 'imap.gemeente.nl', port: 993, processedFolder: null }, smtp: { user: null }, blockList: ['@spam.example'], groupId: null })
    expect(updateBody({ ...formOf(saved), imapPassword: 'nieuw' }).imap).toMatchObject({ password: 'nieuw' })
  })

  it('sends templates only when both subject and text are filled in, and blocks one per line', () => {
    const body = createBody({ ...formOf(saved), ackNlSubject: '', imapPassword: 'x', imapPort: '', blockList: 'a@x.nl\n\n@y.nl, z.nl' })
    expect(body.acknowledgement).toEqual({ enabled: false, en: { subject: 'Received', body: 'Thanks' } })
    expect(body.imap).not.toHaveProperty('port')
    expect(body.blockList).toEqual(['a@x.nl', '@y.nl', 'z.nl'])
  })
})
