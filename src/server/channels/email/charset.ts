import { Joiner, type MimeNode, Splitter, type SplitterChunk } from '@zone-eu/mailsplit'
import chardet from 'chardet'
import iconv from 'iconv-lite'

/**
 * Legacy charsets in raw 8-bit mail (GB2312/GBK, Shift_JIS, Big5, windows-125x, ISO-8859-x) that
 * a client sent without a label, or with a wrong one. The parser reads unlabelled bytes as UTF-8
 * and shows what does not decode as U+FFFD; this makes such mail readable before it is parsed:
 * the declared charset where there is one and it decodes the bytes cleanly, otherwise the one a
 * detector finds. Only labels and 8-bit header fields change; body bytes stay as they are, and the
 * raw message is kept as it came.
 */

/** Signs of bytes read in the wrong charset: the replacement character, or C1 control characters (no text has those). */
export const MISREAD = /[\uFFFD\u0080-\u009F]/

const utf8 = new TextDecoder('utf-8', { fatal: true })

function isUtf8(bytes: Uint8Array) {
  try {
    utf8.decode(bytes)
    return true
  } catch {
    return false
  }
}

const hasEightBit = (bytes: Uint8Array) => bytes.some((b) => b >= 0x80)

/** The runs of bytes ≥ 0x80 in a header field: its words in a legacy charset. */
function eightBitRuns(bytes: Buffer): Buffer[] {
  const runs: Buffer[] = []
  let start = -1
  for (let i = 0; i <= bytes.length; i++) {
    const high = i < bytes.length && bytes[i] >= 0x80
    if (high && start === -1) start = i
    else if (!high && start !== -1) {
      runs.push(bytes.subarray(start, i))
      start = -1
    }
  }
  return runs
}

/** The text when `charset` decodes the bytes cleanly (every byte a character, no C1 controls); else undefined. */
function decodeCleanly(bytes: Buffer, charset: string): string | undefined {
  const name = charset.toLowerCase().replace(/^(us-)?ascii$/, 'utf-8')
  if (name === 'utf-8' || name === 'utf8') return isUtf8(bytes) ? bytes.toString('utf8') : undefined
  if (!iconv.encodingExists(name)) return undefined
  const text = iconv.decode(bytes, name)
  return MISREAD.test(text) ? undefined : text
}

/**
 * When the detector has no real clue (short text such as a subject or a name: every multi-byte
 * charset scores alike), the order in which mail in those charsets is most common.
 */
const TIE_BREAK = ['UTF-8', 'GB18030', 'Big5', 'Shift_JIS', 'EUC-JP', 'EUC-KR']
const NO_CLUE = 10

/**
 * The charset the detector finds most likely among those that decode `check` cleanly; `sample` is
 * what the detector reads (by default the same bytes).
 */
function detect(check: Buffer, sample: Buffer = check): string | undefined {
  const matches = chardet.analyse(sample).filter((m) => !m.name.startsWith('UTF-16') && !m.name.startsWith('UTF-32'))
  const rank = (name: string) => (TIE_BREAK.includes(name) ? TIE_BREAK.indexOf(name) : TIE_BREAK.length)
  if ((matches[0]?.confidence ?? 0) <= NO_CLUE) matches.sort((a, b) => rank(a.name) - rank(b.name))
  for (const match of matches) {
    if (decodeCleanly(check, match.name) !== undefined) return match.name
  }
  return undefined
}

/** The charset that reads these bytes: the declared one when it decodes them cleanly, else the hint, else detected. */
function charsetFor(bytes: Buffer, declared: string | false, hint?: string): string | undefined {
  if (declared && decodeCleanly(bytes, declared) !== undefined) return declared
  if (hint && decodeCleanly(bytes, hint) !== undefined) return hint
  return detect(bytes)
}

type Chunk = { type: 'node'; node: MimeNode } | { type: 'data' | 'body'; value: Buffer }

async function split(raw: Buffer): Promise<Chunk[]> {
  const chunks: Chunk[] = []
  const splitter = new Splitter()
  splitter.end(raw)
  for await (const data of splitter as AsyncIterable<SplitterChunk>) {
    if (data.type === 'node') chunks.push({ type: 'node', node: data as MimeNode })
    else if ('value' in data && data.value) chunks.push({ type: data.type as 'data' | 'body', value: data.value as Buffer })
  }
  return chunks
}

async function join(chunks: Chunk[]): Promise<Buffer> {
  const joiner = new Joiner()
  const out: Buffer[] = []
  const reading = (async () => {
    for await (const b of joiner as AsyncIterable<Buffer>) out.push(b)
  })()
  for (const c of chunks) joiner.write(c.type === 'node' ? c.node : c)
  joiner.end()
  await reading
  return Buffer.concat(out)
}

async function transferDecoded(node: MimeNode, body: Buffer[]): Promise<Buffer> {
  const decoder = node.getDecoder()
  const out: Buffer[] = []
  const done = new Promise<void>((resolve, reject) => {
    decoder.on('data', (b: Buffer) => out.push(b))
    decoder.on('end', resolve)
    decoder.on('error', reject)
  })
  for (const b of body) decoder.write(b)
  decoder.end()
  await done
  return Buffer.concat(out)
}

const headerLines = (node: MimeNode) => (node.headers ? node.headers.getList() : [])

/** A text part that is shown as the message (not an attachment). */
const isTextPart = (node: MimeNode) =>
  !node.multipart && /^text\/(plain|html|enriched)?$/.test(node.contentType || 'text/plain') && node.disposition !== 'attachment' && !node.filename

/**
 * The message with labels that read: text parts whose bytes their declared charset (or its absence)
 * cannot decode get the charset that can, and 8-bit header fields that are not UTF-8 are rewritten
 * as UTF-8 (RFC 6532) from their part's charset, the message's body charset, or a detected one.
 */
export async function withReadableCharsets(raw: Buffer): Promise<Buffer> {
  const chunks = await split(raw)
  // Each node with the body bytes that follow it.
  const parts: { node: MimeNode; body: Buffer[] }[] = []
  for (const c of chunks) {
    if (c.type === 'node') parts.push({ node: c.node, body: [] })
    else if (c.type === 'body' && parts.length) parts[parts.length - 1].body.push(c.value)
  }
  let bodyCharset: string | undefined
  const eightBitFields: Buffer[] = []
  for (const { node, body } of parts) {
    for (const line of headerLines(node)) {
      const bytes = Buffer.from(line.line, 'binary')
      if (hasEightBit(bytes) && !isUtf8(bytes)) eightBitFields.push(bytes.subarray(line.key.length + 1))
    }
    if (!isTextPart(node)) continue
    const bytes = await transferDecoded(node, body)
    if (!hasEightBit(bytes)) continue
    const charset = charsetFor(bytes, node.charset)
    if (!charset) continue
    bodyCharset ??= charset
    if (charset !== node.charset) node.setCharset(charset)
  }
  if (eightBitFields.length) {
    // Header fields in one message come from one client, in one charset: judge them together, and
    // by their 8-bit runs alone (the addresses and ASCII words around them mislead the detector).
    const fields = Buffer.concat(eightBitFields.flatMap((b) => [b, Buffer.from('\r\n')]))
    const runs = Buffer.concat(eightBitFields.flatMap((b) => eightBitRuns(b).flatMap((run) => [run, Buffer.from(' ')])))
    const headerCharset = bodyCharset && decodeCleanly(fields, bodyCharset) !== undefined ? bodyCharset : (detect(fields, runs) ?? detect(fields))
    for (const { node } of parts) {
      let changed = false
      for (const line of headerLines(node)) {
        const bytes = Buffer.from(line.line, 'binary')
        if (!hasEightBit(bytes) || isUtf8(bytes)) continue
        const charset = charsetFor(bytes, node.charset, headerCharset) ?? headerCharset
        if (!charset) continue
        line.line = Buffer.from(iconv.decode(bytes, charset), 'utf8').toString('binary')
        changed = true
      }
      // The lines were changed in place: the header block is built from them again.
      if (changed && node.headers) (node.headers as unknown as { changed: boolean }).changed = true
    }
  }
  return join(chunks)
}
