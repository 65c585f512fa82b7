import type { ImapFlowOptions } from 'imapflow'
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js'
import type { TlsMode } from '../../../shared/api/mailboxes.js'

export interface AckTemplate {
  subject: string
  body: string
}

/** A mailbox as the fetcher and the sender use it: passwords decrypted, JSON fields parsed. */
export interface MailboxConfig {
  id: string
  name: string
  address: string
  senderName: string
  active: boolean
  imap: { host: string; port: number; tls: TlsMode; user: string; password: string; folder: string; processedFolder: string | null }
  smtp: { host: string; port: number; tls: TlsMode; user: string | null; password: string | null }
  tlsVerify: boolean
  signature: string
  groupId: string | null
  acknowledgement: { enabled: boolean; nl: AckTemplate; en: AckTemplate }
  blockList: string[]
  pollSeconds: number
  updatedAt: string
}

export const DEFAULT_ACK_TEMPLATES: { nl: AckTemplate; en: AckTemplate } = {
  nl: {
    subject: 'Ontvangen: {{subject}}',
    body:
      'Beste {{name}},\n\nDank u wel voor uw bericht. We hebben het geregistreerd als melding {{number}} en komen er zo snel mogelijk bij u op terug.\n\n' +
      'Wilt u iets aanvullen? Beantwoord dan deze e-mail en laat het meldingnummer in het onderwerp staan.\n\nMet vriendelijke groet,\nDe servicedesk',
  },
  en: {
    subject: 'Received: {{subject}}',
    body:
      'Dear {{name}},\n\nThank you for your message. We have registered it as ticket {{number}} and will get back to you as soon as we can.\n\n' +
      'Anything to add? Reply to this e-mail and keep the ticket number in the subject.\n\nKind regards,\nThe service desk',
  },
}

export const defaultPort = (kind: 'imap' | 'smtp', tls: TlsMode) =>
  kind === 'imap' ? (tls === 'implicit' ? 993 : 143) : tls === 'implicit' ? 465 : tls === 'starttls' ? 587 : 25

export function imapOptions(m: Pick<MailboxConfig, 'imap' | 'tlsVerify'>, extra: Partial<ImapFlowOptions> = {}): ImapFlowOptions {
  return {
    host: m.imap.host,
    port: m.imap.port,
    secure: m.imap.tls === 'implicit',
    doSTARTTLS: m.imap.tls === 'starttls' ? true : m.imap.tls === 'none' ? false : undefined,
    tls: { rejectUnauthorized: m.tlsVerify },
    auth: { user: m.imap.user, pass: m.imap.password },
    logger: false,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
    ...extra,
  }
}

export function smtpOptions(m: Pick<MailboxConfig, 'smtp' | 'tlsVerify'>, extra: Partial<SMTPTransport.Options> = {}): SMTPTransport.Options {
  return {
    host: m.smtp.host,
    port: m.smtp.port,
    secure: m.smtp.tls === 'implicit',
    requireTLS: m.smtp.tls === 'starttls',
    ignoreTLS: m.smtp.tls === 'none',
    tls: { rejectUnauthorized: m.tlsVerify },
    auth: m.smtp.user ? { user: m.smtp.user, pass: m.smtp.password ?? '' } : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    ...extra,
  }
}
