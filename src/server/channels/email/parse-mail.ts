import { createHash } from 'node:crypto'
import { type AddressObject, type Attachment, type ParsedMail, simpleParser } from 'mailparser'
import { lookup } from 'mime-types'
import { newId } from '../../clock.js'
import { MISREAD, withReadableCharsets } from './charset.js'
import { contentKey, withCrlf } from './content-key.js'
import { readSender } from './mail-sender.js'
import { isTnef, readTnef } from './tnef.js'

export interface MailAddress {
  email: string
  name?: string
}

export interface EmailAttachment {
  /** Chosen before storing, so inline cid: images can point at their attachment URL. */
  id: string
  filename: string
  contentType: string
  content: Buffer
  contentId?: string
  inline: boolean
}

/** One recipient's line of a delivery status notification (RFC 3464). */
export interface DeliveryStatus {
  recipient: string
  action: string
  status: string
  diagnostic?: string
}

export interface DeliveryReport {
  /** The Message-ID of the mail that could not be delivered, when the report quotes it. */
  originalMessageId?: string
  recipients: DeliveryStatus[]
  /** True when at least one recipient failed for good (Action: failed, or a 5.x.x status). */
  failed: boolean
}

export interface EmailMessage {
  raw: Buffer
  /** Message-ID, or the content key when there is none: what ingest is idempotent on. */
  sourceId: string
  /** What the mail is, whatever mailbox it reached and however its lines end (see content-key.ts). */
  contentKey: string
  messageId?: string
  inReplyTo: string[]
  references: string[]
  from?: MailAddress
  /** No From field holds a valid address: its raw text, for the agent to choose the requester. */
  senderUnknown?: { raw: string }
  to: MailAddress[]
  cc: MailAddress[]
  replyTo: MailAddress[]
  subject: string
  date?: string
  text: string
  html?: string
  attachments: EmailAttachment[]
  /** Header fields by lower-case name, unfolded, as written (not decoded). */
  headers: Map<string, string[]>
  /** Top-level content type, lower case, without parameters. */
  contentType: string
  deliveryReport?: DeliveryReport
  /** Set when the message could not be parsed: the rest is a best effort from the raw bytes. */
  parseError?: string
  /** Read, but with something wrong that an agent should know (e.g. cut off). */
  warnings: string[]
}

export const contentHashSourceId = (key: string) => `sha256:${key}`

/** Splits a raw header block into unfolded fields. Works on any bytes, parseable or not. */
export function parseHeaderBlock(raw: Buffer | string): Map<string, string[]> {
  const text = typeof raw === 'string' ? raw : raw.subarray(0, headerEnd(raw)).toString('latin1')
  const end = text.search(/\r?\n\r?\n/)
  const block = end === -1 ? text : text.slice(0, end)
  const headers = new Map<string, string[]>()
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = line.slice(0, colon).trim().toLowerCase()
    if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) continue
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()])
  }
  return headers
}

function headerEnd(raw: Buffer) {
  const crlf = raw.indexOf('\r\n\r\n')
  const lf = raw.indexOf('\n\n')
  const end = [crlf, lf].filter((i) => i !== -1)
  return end.length ? Math.min(...end) + 4 : Math.min(raw.length, 256 * 1024)
}

export const firstHeader = (headers: Map<string, string[]>, name: string) => headers.get(name)?.[0]

/** Message ids as `<id>` tokens, in order, without duplicates. */
export function messageIds(value: string | string[] | undefined): string[] {
  const text = Array.isArray(value) ? value.join(' ') : (value ?? '')
  const ids = text.match(/<[^<>\s]+>/g) ?? []
  return [...new Set(ids)]
}

function addresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const list = Array.isArray(value) ? value : value ? [value] : []
  const out: MailAddress[] = []
  const walk = (entries: AddressObject['value']) => {
    for (const e of entries) {
      if (e.group) walk(e.group)
      else if (e.address && e.address.includes('@')) out.push({ email: e.address.trim().toLowerCase(), ...(e.name ? { name: e.name.trim() } : {}) })
    }
  }
  for (const a of list) walk(a.value)
  return out
}

function parseDeliveryReport(attachments: Attachment[]): DeliveryReport | undefined {
  const status = attachments.find((a) => /^message\/(global-)?delivery-status$/i.test(a.contentType))
  if (!status) return undefined
  const blocks = status.content.toString('utf8').split(/\r?\n\s*\r?\n/).map((b) => parseHeaderBlock(`${b}\r\n\r\n`))
  const recipients: DeliveryStatus[] = []
  for (const block of blocks.slice(1).length ? blocks.slice(1) : blocks) {
    const recipient = (firstHeader(block, 'final-recipient') ?? firstHeader(block, 'original-recipient'))?.replace(/^[^;]*;\s*/, '')
    const action = firstHeader(block, 'action')
    if (!recipient || !action) continue
    recipients.push({
      recipient: recipient.trim().toLowerCase(),
      action: action.trim().toLowerCase(),
      status: (firstHeader(block, 'status') ?? '').trim(),
      ...(firstHeader(block, 'diagnostic-code') && { diagnostic: firstHeader(block, 'diagnostic-code')!.replace(/^[^;]*;\s*/, '') }),
    })
  }
  const original = attachments.find((a) => /^(message\/(global-)?rfc822|text\/(global-)?rfc822-headers|message\/global-headers)$/i.test(a.contentType))
  const originalMessageId = original ? messageIds(firstHeader(parseHeaderBlock(original.content), 'message-id'))[0] : undefined
  return {
    originalMessageId,
    recipients,
    failed: recipients.some((r) => r.action === 'failed' || r.status.startsWith('5')),
  }
}

const lookupType = (filename: string) => lookup(filename) || 'application/octet-stream'

const safeFilename = (name: string) => name.replace(/[/\\\p{Cc}]/gu, '_').slice(0, 255) || 'attachment'

function extensionFor(contentType: string) {
  const known: Record<string, string> = {
    'text/calendar': 'ics',
    'message/rfc822': 'eml',
    'message/delivery-status': 'txt',
    'message/global-delivery-status': 'txt',
    'text/rfc822-headers': 'txt',
    'image/png': 'png',
    'image/jpeg': 'jpg',
    'image/gif': 'gif',
    'application/pdf': 'pdf',
    'text/plain': 'txt',
    'text/html': 'html',
  }
  return known[contentType] ?? 'bin'
}

/** What we ask of mailparser: cid: links kept (we point them at attachments), no text↔HTML conversions we do not use. */
export const PARSER_OPTIONS = {
  keepCidLinks: true,
  keepDeliveryStatus: true,
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipImageLinks: true,
  skipTextLinks: true,
} as const

/** Switches for the bench's before/after figures; Loket itself always uses both. */
export interface ParseOptions {
  /** Relabel text in a legacy charset without (or with a wrong) label (default on). */
  detectCharsets?: boolean
  /** The content key of content-key.ts (default on); off, a plain SHA-256 of the raw bytes, as before issue 14. */
  contentKey?: boolean
  /** Adds the milliseconds spent parsing, and within that on charsets (the check, relabelling, the second parse). */
  timings?: { parseMs: number; charsetMs: number }
}

/**
 * Parses a raw RFC 5322 message with mailparser: every charset, quoted-printable and base64, HTML
 * and text, attachments (inline images, forwarded mail, calendar invites, delivery reports). Never
 * throws: a message it cannot read comes back with `parseError` and the raw text as its body.
 */
export async function parseMail(raw: Buffer, opts: ParseOptions = {}): Promise<EmailMessage> {
  if (!opts.timings) return parse(raw, opts)
  const started = performance.now()
  try {
    return await parse(raw, opts)
  } finally {
    opts.timings.parseMs += performance.now() - started
  }
}

async function parse(raw: Buffer, opts: ParseOptions): Promise<EmailMessage> {
  const key = opts.contentKey === false ? createHash('sha256').update(raw).digest('hex') : contentKey(raw)
  let readable = withCrlf(raw)
  let headers = parseHeaderBlock(readable)
  const contentType = (firstHeader(headers, 'content-type') ?? 'text/plain').split(';')[0].trim().toLowerCase()
  try {
    let parsed = await simpleParser(readable, PARSER_OPTIONS)
    // Text in a legacy charset without (or with a wrong) label: relabel and read it again.
    const charsetStarted = opts.timings ? performance.now() : 0
    if (opts.detectCharsets !== false && misread(parsed)) {
      const relabelled = await withReadableCharsets(readable).catch(() => undefined)
      if (relabelled) {
        readable = relabelled
        headers = parseHeaderBlock(readable)
        parsed = await simpleParser(readable, PARSER_OPTIONS)
      }
    }
    if (opts.timings) opts.timings.charsetMs += performance.now() - charsetStarted
    const messageId = messageIds(parsed.messageId)[0]
    const attachments: EmailAttachment[] = parsed.attachments.flatMap((a, i): EmailAttachment[] => {
      const type = (a.contentType || 'application/octet-stream').toLowerCase()
      const filename = safeFilename(a.filename ?? `${/delivery-status/.test(type) ? 'delivery-status' : /rfc822-headers/.test(type) ? 'original-headers' : `attachment-${i + 1}`}.${extensionFor(type)}`)
      // Outlook's winmail.dat: the files inside it instead (the raw message keeps the original).
      const unpacked = isTnef(type, filename) ? readTnef(a.content) : []
      if (unpacked.length) {
        return unpacked.map((f) => ({
          id: newId(),
          filename: safeFilename(f.filename),
          contentType: (f.contentType ?? lookupType(f.filename)).toLowerCase(),
          content: f.content,
          inline: false,
        }))
      }
      return [
        {
          id: newId(),
          filename,
          contentType: type,
          content: a.content,
          ...(a.contentId && { contentId: a.contentId.replace(/^<|>$/g, '') }),
          inline: !!a.related || a.contentDisposition === 'inline',
        },
      ]
    })
    const deliveryReport = parseDeliveryReport(parsed.attachments)
    const warnings: string[] = []
    // The boundary as the parser read it: quoted, it may hold spaces and other legal characters.
    const boundary = (parsed.headers.get('content-type') as { params?: { boundary?: string } } | undefined)?.params?.boundary
    if (contentType.startsWith('multipart/') && boundary && !readable.includes(`--${boundary}--`)) {
      warnings.push('This message seems to be cut off (its last MIME part never ends): parts of it may be missing. The original is attached as message.eml.')
    }
    const sender = readSender(headers.get('from') ?? [])
    return {
      raw,
      sourceId: messageId ?? contentHashSourceId(key),
      contentKey: key,
      messageId,
      inReplyTo: messageIds(parsed.inReplyTo),
      references: messageIds(parsed.references),
      from: sender.from && { ...sender.from, ...(!sender.from.name && nameFor(parsed.from, sender.from.email)) },
      ...(sender.unknown && { senderUnknown: sender.unknown }),
      to: addresses(parsed.to),
      cc: addresses(parsed.cc),
      replyTo: addresses(parsed.replyTo),
      subject: (parsed.subject ?? '').replace(/\s+/g, ' ').trim(),
      date: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.toISOString() : undefined,
      text: parsed.text ?? '',
      html: parsed.html || undefined,
      attachments,
      headers,
      contentType,
      deliveryReport,
      warnings,
    }
  } catch (err) {
    return unparseable(raw, key, headers, contentType, err)
  }
}

/** Whether any text the parser decoded shows bytes read in the wrong charset. */
function misread(parsed: ParsedMail): boolean {
  const names = [parsed.from, parsed.to, parsed.cc, parsed.replyTo].flatMap((a) => addresses(a).map((m) => m.name ?? ''))
  return [parsed.subject ?? '', parsed.text ?? '', parsed.html || '', ...names, ...parsed.attachments.map((a) => a.filename ?? '')].some((t) => MISREAD.test(t))
}

/** The display name the parser decoded for an address, when the strict reading found none. */
function nameFor(from: AddressObject | AddressObject[] | undefined, email: string): { name?: string } {
  const name = addresses(from).find((a) => a.email === email)?.name
  return name ? { name } : {}
}

/** What we can still tell from the header block when the parser gives up. */
function unparseable(raw: Buffer, key: string, headers: Map<string, string[]>, contentType: string, err: unknown): EmailMessage {
  const sender = readSender(headers.get('from') ?? [])
  const messageId = messageIds(firstHeader(headers, 'message-id'))[0]
  return {
    raw,
    sourceId: messageId ?? contentHashSourceId(key),
    contentKey: key,
    messageId,
    inReplyTo: messageIds(firstHeader(headers, 'in-reply-to')),
    references: messageIds(headers.get('references')),
    from: sender.from,
    ...(sender.unknown && { senderUnknown: sender.unknown }),
    to: [],
    cc: [],
    replyTo: [],
    subject: (firstHeader(headers, 'subject') ?? '').slice(0, 500),
    text: raw.toString('latin1'),
    attachments: [],
    headers,
    contentType,
    parseError: String((err as Error)?.message ?? err).slice(0, 500),
    warnings: [],
  }
}

/** Points inline images (`cid:` links) at the attachment they are stored as. */
export function rewriteCidLinks(html: string, attachments: EmailAttachment[]): string {
  const byCid = new Map(attachments.filter((a) => a.contentId).map((a) => [a.contentId!.toLowerCase(), a.id]))
  if (byCid.size === 0) return html
  return html.replace(/cid:([^"'\s)>]+)/gi, (match, cid: string) => {
    let key = cid
    try {
      key = decodeURIComponent(cid)
    } catch {
      // keep as is
    }
    const id = byCid.get(key.toLowerCase())
    return id ? `/api/v1/attachments/${id}` : match
  })
}
