import nodemailer, { type Transporter } from 'nodemailer'
import type Mail from 'nodemailer/lib/mailer/index.js'
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js'
import { type MailboxConfig, smtpOptions } from './mailbox.config.js'

/** One pooled SMTP connection set per mailbox, rebuilt when the mailbox's settings change. */
export class SmtpSender {
  private readonly transports = new Map<string, { version: string; transport: Transporter<SMTPTransport.SentMessageInfo> }>()

  constructor(private readonly opts: { maxConnections?: number } = {}) {}

  private transportFor(mailbox: MailboxConfig) {
    const cached = this.transports.get(mailbox.id)
    if (cached && cached.version === mailbox.updatedAt) return cached.transport
    cached?.transport.close()
    const transport = nodemailer.createTransport({
      ...smtpOptions(mailbox),
      pool: true,
      maxConnections: this.opts.maxConnections ?? 4,
      maxMessages: 1000,
    } as SMTPTransport.Options)
    this.transports.set(mailbox.id, { version: mailbox.updatedAt, transport })
    return transport
  }

  send(mailbox: MailboxConfig, message: Mail.Options): Promise<SMTPTransport.SentMessageInfo> {
    return this.transportFor(mailbox).sendMail({ ...message, envelope: message.envelope ?? undefined })
  }

  close() {
    for (const { transport } of this.transports.values()) transport.close()
    this.transports.clear()
  }
}

/**
 * Whether an SMTP error is for good: a 5xx answer (unknown recipient, rejected message) will not
 * change by trying again, a 4xx answer or a network error may.
 */
export function isPermanentSmtpError(err: unknown): boolean {
  const e = err as { responseCode?: number; code?: string; rejectedErrors?: { responseCode?: number }[] }
  if (typeof e.responseCode === 'number') return e.responseCode >= 500 && e.responseCode < 600
  if (e.rejectedErrors?.length) return e.rejectedErrors.every((r) => (r.responseCode ?? 0) >= 500)
  return false
}

/** The domain of a mailbox address, for our Message-IDs. */
export const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1) || 'loket.invalid'
export const loketMessageId = (kind: 'article' | 'ack', id: string, address: string) => `<loket.${kind}.${id}@${domainOf(address)}>`
