import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * VERP-style return paths (variable envelope return path): every reply and acknowledgement goes
 * out with its own envelope sender, `bounce+<token>@<mailbox domain>`, and a bounce is sent back to
 * exactly that address. The token names the article and is signed with LOKET_SECRET, so a bounce
 * finds its reply even when it quotes nothing of it, and no one can forge one for another reply.
 */
export type VerpKind = 'article' | 'ack'

const sign = (secret: Buffer, kind: VerpKind, articleId: string) => createHmac('sha256', secret).update(`verp:${kind}:${articleId}`).digest('hex').slice(0, 12)

export function verpAddress(secret: Buffer, kind: VerpKind, articleId: string, mailboxAddress: string): string {
  const domain = mailboxAddress.slice(mailboxAddress.lastIndexOf('@') + 1)
  return `bounce+${kind === 'ack' ? 'a' : 'r'}${articleId.replace(/-/g, '')}-${sign(secret, kind, articleId)}@${domain}`
}

const TOKEN = /\bbounce\+([ar])([0-9a-f]{32})-([0-9a-f]{12})@/gi

/** The article a VERP address in these header values names, when its signature holds. */
export function readVerp(secret: Buffer, values: readonly string[]): { kind: VerpKind; articleId: string } | undefined {
  for (const value of values) {
    for (const [, k, hex, signature] of value.matchAll(TOKEN)) {
      const h = hex.toLowerCase()
      const articleId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
      const kind: VerpKind = k.toLowerCase() === 'a' ? 'ack' : 'article'
      const expected = Buffer.from(sign(secret, kind, articleId))
      const given = Buffer.from(signature.toLowerCase())
      if (given.length === expected.length && timingSafeEqual(given, expected)) return { kind, articleId }
    }
  }
  return undefined
}

/** Header fields in which the receiving server names the address a message was delivered to. */
export const DELIVERY_ADDRESS_FIELDS = ['delivered-to', 'x-original-to', 'envelope-to', 'x-envelope-to', 'x-delivered-to', 'to', 'cc'] as const
