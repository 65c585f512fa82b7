import type { DeliveryReasonCode } from '../../../shared/api/tickets.js'
import { describeError } from './connection-test.js'
import type { DeliveryStatus } from './parse-mail.js'

/** Why a reply did not go (yet): a stable code the web app explains in Dutch or English, and the raw text it came from. */
export interface DeliveryReason {
  reasonCode: DeliveryReasonCode
  /** The server's own answer or the network error, as it was given (English, usually): shown beside the explanation. */
  detail: string
}

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/
const BASIC = /^\s*([245]\d\d)[\s-]/

/** Network and TLS errors of Node and nodemailer, by their code; nodemailer's own codes (ESOCKET, ECONNECTION) are read from their text. */
const NETWORK: Record<string, DeliveryReasonCode> = {
  ENOTFOUND: 'host-not-found',
  EAI_AGAIN: 'host-not-found',
  EDNS: 'host-not-found',
  ECONNREFUSED: 'connection-failed',
  ECONNRESET: 'connection-failed',
  ETIMEDOUT: 'connection-failed',
  EHOSTUNREACH: 'connection-failed',
  ENETUNREACH: 'connection-failed',
  EPIPE: 'connection-failed',
  ETLS: 'tls-failed',
  EAUTH: 'auth-failed',
  ENOAUTH: 'auth-failed',
  EOAUTH2: 'auth-failed',
}

const TEXT_RULES: [RegExp, DeliveryReasonCode][] = [
  [/getaddrinfo|ENOTFOUND|EAI_AGAIN|host not found|domain not found|no mx|unrouteable|unroutable|name or service not known|host or domain name not found/i, 'host-not-found'],
  [/certificate|self[- ]signed|\bssl\b|\btls\b|wrong version number|handshake|CERT_|ERR_TLS/i, 'tls-failed'],
  [/\bauth(entication)?\b.*(fail|invalid|required|unsuccessful)|invalid (login|credentials)|username and password not accepted|XOAUTH2|\b535\b/i, 'auth-failed'],
  [/mailbox (is )?full|over ?quota|quota exceeded|exceeded storage|insufficient (system )?storage|mailbox size limit/i, 'mailbox-full'],
  [/too (large|big)|message size|size limit|exceeds (the )?(maximum )?(message )?size|message length exceeds/i, 'message-too-large'],
  [/user unknown|unknown user|no such (user|mailbox|recipient|address)|does not exist|doesn't exist|unknown recipient|invalid recipient|recipient (address )?rejected|mailbox not found|mailbox unavailable|address rejected|undeliverable address|account (is )?disabled/i, 'mailbox-unknown'],
  [/spam|blocked|block ?list|black ?list|denied|policy|reputation|dmarc|\bspf\b|dkim|not permitted|relay(ing)? (denied|not permitted|access denied)|rejected for policy/i, 'rejected-policy'],
  [/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|connection (refused|closed|timed out|lost|reset)|timed? ?out|greeting never received|unexpected socket close/i, 'connection-failed'],
  [/try again later|greylist|graylist|temporar(il)?y|too many (connections|messages)|rate limit|service (not )?available/i, 'deferred'],
]

/** By enhanced status code (RFC 3463): subject.detail, whatever the class. */
function byEnhanced(subject: number, detail: number): DeliveryReasonCode | undefined {
  if (subject === 1) {
    if (detail === 2 || detail === 4 || detail === 10) return 'host-not-found' // bad destination system, ambiguous/null MX
    if ([0, 1, 3, 6].includes(detail)) return 'mailbox-unknown'
  }
  if (subject === 2) {
    if (detail === 2) return 'mailbox-full'
    if (detail === 3) return 'message-too-large'
    if (detail === 1) return 'mailbox-unknown' // mailbox disabled, not accepting messages
  }
  if (subject === 3 && detail === 4) return 'message-too-large'
  if (subject === 4 && (detail === 4 || detail === 3)) return 'host-not-found' // unable to route, directory server failure
  if (subject === 4 && (detail === 1 || detail === 2 || detail === 7)) return 'connection-failed' // no answer, bad connection, delivery time expired
  if (subject === 7) {
    if ([8, 9, 11, 12, 0].includes(detail)) return undefined // authentication or other security: the text decides (5.7.0 is used for both)
    if (detail === 10) return 'tls-failed'
    return 'rejected-policy'
  }
  return undefined
}

/**
 * The class of a delivery failure from what an SMTP server or the network said: the server's
 * enhanced status code first (RFC 3463), then its words, then the reply code; for errors with no
 * answer (DNS, connection, TLS), Node's error code. Temporary answers that fit no class are `deferred`.
 */
export function classifyDelivery(input: { text: string; responseCode?: number; code?: string }): DeliveryReasonCode {
  const { text } = input
  const enhanced = ENHANCED.exec(text)
  const basic = input.responseCode ?? (BASIC.exec(text) ? Number(BASIC.exec(text)![1]) : undefined)
  const hasAnswer = enhanced !== null || basic !== undefined
  // No answer from a server: the network or TLS said it, by its code.
  if (!hasAnswer && input.code && NETWORK[input.code]) return NETWORK[input.code]
  if (/STARTTLS|encryption (is )?required|must use tls/i.test(text)) return 'tls-failed'
  if (basic === 530 || basic === 534 || basic === 535 || basic === 454) {
    if (/auth|credential|login|password|XOAUTH/i.test(text) || basic !== 454) return 'auth-failed'
  }
  if (enhanced) {
    const code = byEnhanced(Number(enhanced[2]), Number(enhanced[3]))
    // 4.7.x is greylisting or a rate limit as often as a policy: for a temporary answer the words decide.
    if (code && !(code === 'rejected-policy' && enhanced[1] === '4')) return code
  }
  for (const [pattern, code] of TEXT_RULES) if (pattern.test(text)) return code
  if (input.code && NETWORK[input.code]) return NETWORK[input.code]
  if (basic === 552) return 'mailbox-full'
  if (basic === 550 || basic === 551 || basic === 553) return 'mailbox-unknown'
  if (basic === 554 || basic === 541) return 'rejected-policy'
  if (basic === 421) return 'connection-failed'
  if (enhanced?.[1] === '4' || (basic !== undefined && basic >= 400 && basic < 500)) return 'deferred'
  return 'other'
}

/** The reason of a failed send, from nodemailer's error. */
export function deliveryReasonOf(err: unknown): DeliveryReason {
  const e = (err ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string }
  const detail = describeError(err)
  const text = [e.response, e.message].filter(Boolean).join(' ') || detail
  return { reasonCode: classifyDelivery({ text, responseCode: e.responseCode, code: e.code }), detail }
}

/** The reason a delivery status notification gives for the recipients that failed (or were delayed). */
export function deliveryReasonOfReport(recipients: readonly DeliveryStatus[]): DeliveryReason {
  const failed = recipients.find((r) => r.action === 'failed' || r.status.startsWith('5')) ?? recipients[0]
  if (!failed) return { reasonCode: 'bounced', detail: '' }
  const detail = [failed.status, failed.diagnostic].filter(Boolean).join(' ').slice(0, 500)
  const code = classifyDelivery({ text: `${failed.diagnostic ?? ''} ${failed.status}`.trim() })
  return { reasonCode: code === 'other' ? 'bounced' : code, detail }
}
