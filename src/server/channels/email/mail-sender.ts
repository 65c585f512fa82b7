import libmime from 'libmime'
import type { MailAddress } from './parse-mail.js'

/** An addr-spec (RFC 5322, with RFC 6531's UTF-8): dot-atom or quoted local part, a domain with a dot or an address literal. */
const ATOM = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+"
const LABEL = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?'
const ADDR_SPEC = new RegExp(`^(?:${ATOM}(?:\\.${ATOM})*|"(?:[^"\\\\\\r\\n]|\\\\.)*")@(?:${LABEL}(?:\\.${LABEL})+|\\[[0-9a-fA-F.:]+\\])$`, 'u')

export const isValidAddress = (address: string) => address.length <= 254 && ADDR_SPEC.test(address)

/** The sender of a mail as Loket reads it: a valid address, or the raw text of a From that has none. */
export interface Sender {
  from?: MailAddress
  /** Set when no From field holds a valid address: what it said, for the agent to decide. */
  unknown?: { raw: string }
}

/** Splits an address list at commas outside quotes, angle brackets and comments. */
function splitList(field: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  let angle = 0
  let comment = 0
  for (let i = 0; i < field.length; i++) {
    const c = field[i]
    if (c === '\\' && (quoted || comment)) {
      current += c + (field[++i] ?? '')
      continue
    }
    if (c === '"' && !comment) quoted = !quoted
    else if (!quoted && c === '(') comment++
    else if (!quoted && c === ')' && comment) comment--
    else if (!quoted && !comment && c === '<') angle++
    else if (!quoted && !comment && c === '>' && angle) angle--
    else if (!quoted && !comment && !angle && c === ',') {
      parts.push(current)
      current = ''
      continue
    }
    current += c
  }
  parts.push(current)
  return parts.map((p) => p.trim()).filter(Boolean)
}

/** Drops comments (outside quotes), as RFC 5322 allows them anywhere between tokens. */
function withoutComments(text: string): { text: string; comments: string[] } {
  let out = ''
  const comments: string[] = []
  let quoted = false
  let depth = 0
  let comment = ''
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\\' && i + 1 < text.length && (quoted || depth)) {
      if (depth) comment += text[++i]
      else out += c + text[++i]
      continue
    }
    if (!depth && c === '"') quoted = !quoted
    if (!quoted && c === '(') {
      if (depth++ === 0) comment = ''
      else comment += c
      continue
    }
    if (!quoted && c === ')' && depth) {
      if (--depth === 0) comments.push(comment.trim())
      else comment += c
      continue
    }
    if (depth) comment += c
    else out += c
  }
  return { text: out, comments }
}

const unquote = (name: string) => (/^".*"$/s.test(name) ? name.slice(1, -1).replace(/\\(.)/g, '$1') : name)

function decodeName(name: string) {
  try {
    return libmime.decodeWords(name).replace(/\s+/g, ' ').trim()
  } catch {
    return name.trim()
  }
}

/**
 * One mailbox of a From field, read strictly: the address between the angle brackets, or the
 * whole text when there are none. Nothing is guessed: `"jan@x.nl" <>` or `<jan@klant .nl>` has no
 * address, rather than one a reply would go to that the sender never wrote.
 */
function readMailbox(part: string): MailAddress | undefined {
  const { text, comments } = withoutComments(part)
  let quoted = false
  let open = -1
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\' && quoted) i++
    else if (text[i] === '"') quoted = !quoted
    else if (!quoted && text[i] === '<') open = i
  }
  let address: string
  let name: string
  if (open === -1) {
    address = text.trim()
    name = comments.join(' ')
  } else {
    const close = text.indexOf('>', open)
    address = text.slice(open + 1, close === -1 ? undefined : close).trim()
    name = unquote(text.slice(0, open).trim())
  }
  if (!isValidAddress(address)) return undefined
  const at = address.lastIndexOf('@')
  const decoded = name ? decodeName(name) : ''
  return { email: `${address.slice(0, at)}@${address.slice(at + 1)}`.toLowerCase(), ...(decoded && { name: decoded }) }
}

/** A header field's text: UTF-8 where its bytes are UTF-8 (RFC 6532), else as they came. */
const fieldText = (latin1: string) => {
  const bytes = Buffer.from(latin1, 'latin1')
  const utf8 = bytes.toString('utf8')
  return utf8.includes('\uFFFD') ? latin1 : utf8
}

/**
 * The sender from the From fields as written: the first mailbox with a valid address, in field
 * order (a mail may carry several From fields). When none has one, the raw text is kept and the
 * sender is unknown: the agent chooses the requester.
 */
export function readSender(fromFields: readonly string[]): Sender {
  for (const field of fromFields) {
    for (const part of splitList(fieldText(field))) {
      const mailbox = readMailbox(part)
      if (mailbox) return { from: mailbox }
    }
  }
  const raw = fromFields.map((f) => decodeName(fieldText(f))).join(', ')
  return { unknown: { raw: raw.slice(0, 500) } }
}
