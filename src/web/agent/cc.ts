import type { Article } from './api.js'

type Addr = string | { email?: unknown }
const emailOf = (a: Addr): string => (typeof a === 'string' ? a : typeof a?.email === 'string' ? a.email : '').trim().toLowerCase()

/**
 * The Cc addresses known on a ticket: the Cc of the customer's mails (metadata.email.cc), latest mail first, without the
 * addresses the mails went to (our mailbox) or came from (the customer, who gets the reply anyway).
 */
export function knownCc(articles: Article[], requesterEmail?: string): string[] {
  const skip = new Set<string>(requesterEmail ? [requesterEmail.toLowerCase()] : [])
  const found = new Set<string>()
  for (const article of [...articles].reverse()) {
    const email = (article.metadata as { email?: { cc?: Addr[]; to?: Addr[]; from?: Addr | null } }).email
    if (!email || article.direction !== 'in') continue
    for (const a of email.to ?? []) skip.add(emailOf(a))
    if (email.from) skip.add(emailOf(email.from))
    for (const a of email.cc ?? []) {
      const e = emailOf(a)
      if (e) found.add(e)
    }
  }
  return [...found].filter((e) => !skip.has(e))
}

/** "a@x.nl, b@y.nl; c@z.nl" → the addresses, and those that do not look like one. */
export function parseCc(text: string): { addresses: string[]; invalid: string[] } {
  const parts = text
    .split(/[\s,;]+/)
    .map((p) => p.trim().replace(/^<|>$/g, ''))
    .filter(Boolean)
  const addresses = [...new Set(parts.filter((p) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p)).map((p) => p.toLowerCase()))]
  return { addresses, invalid: parts.filter((p) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(p)) }
}

/**
 * The Cc a reply starts with: at most `limit` of the known addresses (a mail with thousands of Cc must
 * not make the reply fail), and the ones left out, so the composer can say which.
 */
export function preselectCc(known: string[], limit: number): { selected: string[]; leftOut: string[] } {
  return { selected: known.slice(0, limit), leftOut: known.slice(limit) }
}
