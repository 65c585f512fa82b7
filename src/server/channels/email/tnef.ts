/**
 * A small reader for Outlook's TNEF (`winmail.dat`, application/ms-tnef, MS-OXTNEF): takes out the
 * attached files with their names. Message bodies in TNEF (RTF) are left alone: Outlook also sends
 * them as text or HTML. Tolerant: what it cannot read ends the walk and it returns what it found.
 */

const SIGNATURE = 0x223e9f78
const LVL_ATTACHMENT = 0x02
const ATT_ATTACH_REND_DATA = 0x9002 // starts an attachment
const ATT_ATTACH_TITLE = 0x8010 // short (8.3) file name
const ATT_ATTACH_DATA = 0x800f // the file's bytes
const ATT_ATTACHMENT = 0x9005 // MAPI properties of the attachment
const PR_ATTACH_LONG_FILENAME = 0x3707
const PR_ATTACH_MIME_TAG = 0x370e
const PR_DISPLAY_NAME = 0x3001

export interface TnefFile {
  filename: string
  contentType?: string
  content: Buffer
}

export const isTnef = (contentType: string, filename: string) =>
  /^application\/(vnd\.)?ms-tnef$/i.test(contentType) || filename.toLowerCase() === 'winmail.dat'

const cString = (b: Buffer) => {
  const end = b.indexOf(0)
  return b.subarray(0, end === -1 ? b.length : end).toString('latin1').trim()
}

/** The string properties we care about from an attAttachment MAPI property list. */
function mapiStrings(data: Buffer): Map<number, string> {
  const out = new Map<number, string>()
  let p = 0
  const u32 = () => {
    const v = data.readUInt32LE(p)
    p += 4
    return v
  }
  const pad4 = (n: number) => (n + 3) & ~3
  try {
    const count = u32()
    for (let i = 0; i < count && p < data.length; i++) {
      const type = data.readUInt16LE(p)
      const id = data.readUInt16LE(p + 2)
      p += 4
      if (id >= 0x8000) {
        p += 16 // property set GUID
        const kind = u32()
        if (kind === 0) p += 4
        else p += pad4(u32())
      }
      const multi = (type & 0x1000) !== 0
      const base = type & 0x0fff
      const values = multi ? u32() : 1
      for (let v = 0; v < values; v++) {
        if ([0x001e, 0x001f, 0x0102, 0x000d].includes(base)) {
          const n = base === 0x000d || !multi ? u32() : 1
          for (let k = 0; k < n; k++) {
            const len = u32()
            const bytes = data.subarray(p, p + len)
            p += pad4(len)
            if (!multi && k === 0 && (base === 0x001e || base === 0x001f)) {
              out.set(id, base === 0x001f ? bytes.toString('utf16le').replace(/\0+$/, '') : cString(bytes))
            }
          }
        } else {
          const size = { 0x0002: 4, 0x0003: 4, 0x0004: 4, 0x0005: 8, 0x0006: 8, 0x0007: 8, 0x000a: 4, 0x000b: 4, 0x0014: 8, 0x0040: 8, 0x0048: 16, 0x0001: 0 }[base]
          if (size === undefined) return out // unknown type: stop, keep what we have
          p += size
        }
      }
    }
  } catch {
    // truncated property list
  }
  return out
}

export function readTnef(buf: Buffer): TnefFile[] {
  if (buf.length < 6 || buf.readUInt32LE(0) !== SIGNATURE) return []
  const files: { title?: string; long?: string; mime?: string; content?: Buffer }[] = []
  let p = 6
  while (p + 9 <= buf.length) {
    const level = buf[p]
    const id = buf.readUInt32LE(p + 1) & 0xffff
    const len = buf.readUInt32LE(p + 5)
    const start = p + 9
    if (start + len > buf.length) break
    const data = buf.subarray(start, start + len)
    p = start + len + 2 // skip the checksum
    if (level !== LVL_ATTACHMENT) continue
    if (id === ATT_ATTACH_REND_DATA) files.push({})
    const current = files[files.length - 1]
    if (!current) continue
    if (id === ATT_ATTACH_TITLE) current.title = cString(data)
    else if (id === ATT_ATTACH_DATA) current.content = Buffer.from(data)
    else if (id === ATT_ATTACHMENT) {
      const props = mapiStrings(data)
      current.long = props.get(PR_ATTACH_LONG_FILENAME) ?? props.get(PR_DISPLAY_NAME)
      current.mime = props.get(PR_ATTACH_MIME_TAG)
    }
  }
  return files
    .filter((f) => f.content)
    .map((f, i) => ({ filename: f.long || f.title || `winmail-${i + 1}.bin`, ...(f.mime && { contentType: f.mime }), content: f.content! }))
}
