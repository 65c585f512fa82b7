import { createHash, type Hash } from 'node:crypto'

/**
 * Header fields the sender wrote. Relays and the receiving server add others (Received,
 * Delivered-To, Authentication-Results …), so one mail that reaches two mailboxes differs in those
 * but not in these.
 */
const ORIGINATOR_FIELDS = new Set([
  'from',
  'sender',
  'reply-to',
  'to',
  'cc',
  'subject',
  'date',
  'message-id',
  'in-reply-to',
  'references',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
])

const CR = 0x0d
const LF = 0x0a

/** Feeds bytes to the hash with CRLF and a lone CR both written as LF. */
function updateNormalised(hash: Hash, bytes: Buffer) {
  let from = 0
  for (let cr = bytes.indexOf(CR, from); cr !== -1; cr = bytes.indexOf(CR, from)) {
    hash.update(bytes.subarray(from, cr))
    hash.update('\n')
    from = bytes[cr + 1] === LF ? cr + 2 : cr + 1
  }
  hash.update(bytes.subarray(from))
}

/** Where the body starts: after the first empty line, whatever the line endings (CRLF, LF or lone CR). */
function bodyStart(raw: Buffer): number {
  let start = raw.length
  for (const [separator, length] of [['\r\n\r\n', 4], ['\n\n', 2], ['\n\r\n', 3], ['\r\r', 2]] as const) {
    const at = raw.indexOf(separator)
    if (at !== -1 && at + length < start) start = at + length
  }
  return start
}

/**
 * What one mail is, whichever mailbox it reached and however its lines end: a SHA-256 of the
 * sender's header fields (unfolded, in order) and the body, with CRLF, LF and lone CR read as one
 * line ending and trailing blank lines ignored. A re-read of the same mail gives the same key; a
 * different mail that reuses a Message-ID does not.
 */
export function contentKey(raw: Buffer): string {
  const start = bodyStart(raw)
  const head = raw.subarray(0, start).toString('latin1').replace(/\r\n?/g, '\n')
  const fields = head
    .replace(/\n[ \t]+/g, ' ')
    .split('\n')
    .map((line) => {
      const colon = line.indexOf(':')
      if (colon <= 0) return undefined
      const name = line.slice(0, colon).trim().toLowerCase()
      return ORIGINATOR_FIELDS.has(name) ? `${name}:${line.slice(colon + 1).replace(/\s+/g, ' ').trim()}` : undefined
    })
    .filter((f): f is string => f !== undefined)
  const hash = createHash('sha256')
  hash.update(fields.join('\n'))
  hash.update('\n\n')
  let end = raw.length
  while (end > start && (raw[end - 1] === CR || raw[end - 1] === LF || raw[end - 1] === 0x20 || raw[end - 1] === 0x09)) end--
  updateNormalised(hash, raw.subarray(start, end))
  return hash.digest('hex')
}

/** A message with lone CRs as line endings (old Mac clients, some gateways) made readable for the parser: CRLF. */
export function withCrlf(raw: Buffer): Buffer {
  const lf = raw.indexOf(LF)
  const cr = raw.indexOf(CR)
  if (cr === -1 || (lf !== -1 && lf < 64 * 1024)) return raw
  return Buffer.from(raw.toString('latin1').replace(/\r(?!\n)/g, '\r\n'), 'latin1')
}
