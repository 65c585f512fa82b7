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
  /** Replies go out with the return path bounce+<token>@<mailbox domain> (see verp.ts). */
  verp: boolean
  updatedAt: string
  /** Set when the mailbox signs in with OAuth 2.0 (XOAUTH2) instead of its password. */
  oauth?: MailboxTokenSource
}

/** Access tokens of an OAuth mailbox; `renew` after the server refused the last one. */
export interface MailboxTokenSource {
  accessToken(renew?: boolean): Promise<{ token: string; expiresAt: number }>
}

export const DEFAULT_ACK_TEMPLATES: { nl: AckTemplate; en: AckTemplate } = {
  nl: {
    subject: 'Ontvangen: {{subject}}',
    body:
      'Beste {{name}},\n\nDank u wel voor uw bericht. Uw vraag heeft nu ticketnummer {{number}}. We komen er zo snel mogelijk bij u op terug.\n\n' +
      'Wilt u iets aanvullen? Beantwoord dan deze e-mail en laat het ticketnummer in het onderwerp staan.\n\nMet vriendelijke groet,\nDe servicedesk',
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

/** IMAP sign-in with an access token (XOAUTH2/OAUTHBEARER) for an OAuth mailbox; nothing to add for a password one. */
export async function imapOAuth(m: Pick<MailboxConfig, 'imap' | 'oauth'>, renew = false): Promise<Partial<ImapFlowOptions>> {
  if (!m.oauth) return {}
  const { token } = await m.oauth.accessToken(renew)
  return { auth: { user: m.imap.user, accessToken: token } }
}

/** Whether an IMAP error is the server refusing the sign-in (worth one try with a renewed access token). */
export const isImapAuthFailure = (err: unknown) => !!(err as { authenticationFailed?: boolean }).authenticationFailed

export function smtpOptions(m: Pick<MailboxConfig, 'smtp' | 'tlsVerify' | 'address' | 'oauth'>, extra: Partial<SMTPTransport.Options> = {}): SMTPTransport.Options {
  return {
    host: m.smtp.host,
    port: m.smtp.port,
    secure: m.smtp.tls === 'implicit',
    requireTLS: m.smtp.tls === 'starttls',
    ignoreTLS: m.smtp.tls === 'none',
    tls: { rejectUnauthorized: m.tlsVerify },
    auth: m.oauth ? smtpOAuth(m.oauth, m.smtp.user ?? m.address) : m.smtp.user ? { user: m.smtp.user, pass: m.smtp.password ?? '' } : undefined,
    connectionTimeout: 30_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    ...extra,
  }
}

/**
 * SMTP sign-in with XOAUTH2: nodemailer asks for a token when it has none or the one it has expired,
 * and once more with `renew` when the server refused it.
 */
function smtpOAuth(source: MailboxTokenSource, user: string): SMTPTransport.Options['auth'] {
  return {
    type: 'OAuth2',
    user,
    provisionCallback: (_user: string, renew: boolean, callback: (err: Error | null, token?: string, expires?: number) => void) => {
      source.accessToken(renew).then((t) => callback(null, t.token, t.expiresAt), (err: Error) => callback(err))
    },
  } as SMTPTransport.Options['auth']
}
