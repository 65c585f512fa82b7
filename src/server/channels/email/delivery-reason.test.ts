import { createServer } from 'node:net'
import nodemailer from 'nodemailer'
import { describe, expect, it } from 'vitest'
import { classifyDelivery, deliveryReasonOf, deliveryReasonOfReport } from './delivery-reason.js'

// Answers as real servers give them (Postfix, Exim, Exchange Online, Gmail, Outlook.com, Sendmail).
const answers: [string, number | undefined, string | undefined, string][] = [
  ['550 5.1.1 <jan@klant.nl>: Recipient address rejected: User unknown in virtual mailbox table', 550, 'EENVELOPE', 'mailbox-unknown'],
  ["550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the recipient's email address", 550, 'EENVELOPE', 'mailbox-unknown'],
  ['550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 550, 'EENVELOPE', 'host-not-found'],
  ['550 No such user here', 550, 'EENVELOPE', 'mailbox-unknown'],
  ['552 5.2.2 <jan@klant.nl>: Recipient address rejected: Mailbox full', 552, 'EENVELOPE', 'mailbox-full'],
  ['452 4.2.2 The email account that you tried to reach is over quota.', 452, 'EENVELOPE', 'mailbox-full'],
  ['552 Requested mail action aborted: exceeded storage allocation', 552, 'EMESSAGE', 'mailbox-full'],
  ['552 5.3.4 Message size exceeds fixed limit', 552, 'EMESSAGE', 'message-too-large'],
  ['552-5.2.3 Your message exceeded Google\'s message size limits.', 552, 'EMESSAGE', 'message-too-large'],
  ['550 5.7.1 Service unavailable, Client host [192.0.2.1] blocked using Spamhaus', 550, 'EENVELOPE', 'rejected-policy'],
  ['550 5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass).', 550, 'EMESSAGE', 'rejected-policy'],
  ['554 5.7.1 <jan@klant.nl>: Relay access denied', 554, 'EENVELOPE', 'rejected-policy'],
  ['554 Transaction failed: message rejected as spam', 554, 'EMESSAGE', 'rejected-policy'],
  ['451 4.7.1 Greylisted, please try again later', 451, 'EENVELOPE', 'deferred'],
  ['421 4.7.0 Try again later, closing connection.', 421, 'EENVELOPE', 'deferred'],
  ['450 4.4.3 Temporary DNS failure', 450, 'EENVELOPE', 'host-not-found'],
  ['451 Temporary local problem - please try later', 451, 'EENVELOPE', 'deferred'],
  ['535 5.7.8 Username and Password not accepted.', 535, 'EAUTH', 'auth-failed'],
  ['535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', 535, 'EAUTH', 'auth-failed'],
  ['530 5.7.0 Must issue a STARTTLS command first.', 530, 'EENVELOPE', 'tls-failed'],
  ['getaddrinfo ENOTFOUND smtp.klant.invalid', undefined, 'EDNS', 'host-not-found'],
  ['connect ECONNREFUSED 127.0.0.1:25', undefined, 'ESOCKET', 'connection-failed'],
  ['Connection timeout', undefined, 'ETIMEDOUT', 'connection-failed'],
  ['Greeting never received', undefined, 'ETIMEDOUT', 'connection-failed'],
  ['self-signed certificate', undefined, 'ESOCKET', 'tls-failed'],
  ['Hostname/IP does not match certificate\'s altnames', undefined, 'ESOCKET', 'tls-failed'],
  ['Something nobody foresaw', undefined, undefined, 'other'],
]

describe('the class of a delivery failure', () => {
  it.each(answers)('%s → %s', (text, responseCode, code, expected) => {
    expect(classifyDelivery({ text, responseCode, code })).toBe(expected)
  })

  it('keeps the raw answer beside the class', () => {
    const err = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 No such user"), {
      code: 'EENVELOPE',
      responseCode: 550,
      response: '550 5.1.1 No such user',
    })
    expect(deliveryReasonOf(err)).toEqual({ reasonCode: 'mailbox-unknown', detail: 'EENVELOPE: 550 5.1.1 No such user' })
  })

  it('reads a bounce (delivery status notification) by its failed recipient', () => {
    expect(
      deliveryReasonOfReport([
        { recipient: 'a@x.nl', action: 'delivered', status: '2.0.0' },
        { recipient: 'b@x.nl', action: 'failed', status: '5.2.2', diagnostic: 'smtp; 552 5.2.2 Mailbox full' },
      ]),
    ).toEqual({ reasonCode: 'mailbox-full', detail: '5.2.2 smtp; 552 5.2.2 Mailbox full' })
    expect(deliveryReasonOfReport([{ recipient: 'b@x.nl', action: 'failed', status: '5.0.0' }])).toEqual({ reasonCode: 'bounced', detail: '5.0.0' })
    expect(deliveryReasonOfReport([])).toEqual({ reasonCode: 'bounced', detail: '' })
  })

  it('reads real network errors from nodemailer: a refused connection and an unknown host', async () => {
    // A port nobody listens on: taken and closed again.
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    await new Promise<void>((resolve) => server.close(() => resolve()))
    const refused = await nodemailer
      .createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 2000 })
      .sendMail({ from: 'a@loket.test', to: 'b@klant.nl', text: 'x' })
      .catch((err: unknown) => err)
    expect(deliveryReasonOf(refused).reasonCode).toBe('connection-failed')
    expect(deliveryReasonOf(refused).detail).toMatch(/ECONNREFUSED/)

    const unknown = await nodemailer
      .createTransport({ host: 'smtp.loket-does-not-exist.invalid', port: 25, secure: false, ignoreTLS: true, connectionTimeout: 2000 })
      .sendMail({ from: 'a@loket.test', to: 'b@klant.nl', text: 'x' })
      .catch((err: unknown) => err)
    expect(deliveryReasonOf(unknown).reasonCode).toBe('host-not-found')
  })
})
