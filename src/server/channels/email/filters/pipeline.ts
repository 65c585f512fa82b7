import type { DeliveryReport, EmailMessage } from '../parse-mail.js'

/** What a filter may read about the mailbox the message came in on. */
export interface FilterMailbox {
  id: string
  address: string
  blockList: string[]
}

export interface FilterContext {
  mail: EmailMessage
  mailbox: FilterMailbox
  now: Date
  /** How many automatic replies went to this address since the given time (any mailbox). */
  countAutoReplies?: (address: string, sinceIso: string) => Promise<number>
}

/** The pipeline's decision about one inbound message; each filter adds to it, in order. */
export interface Verdict {
  /** Set when the message must not be ingested at all (blocked sender, our own mail); the reason. */
  drop?: string
  /** Why no automatic reply (acknowledgement) may be sent; empty when one may. */
  noAutoReply: string[]
  /** An automatic answer (out of office) or a bounce: added to its ticket, never reopening it. */
  kind?: 'auto-reply' | 'bounce'
  /** A report from machine to machine (DMARC aggregate, abuse feedback): kept in the machine mail list, never a ticket. */
  machine?: 'dmarc-report' | 'abuse-report'
  reopens: boolean
  bounce?: DeliveryReport
  /** Which filters said something, for the article's metadata and the logs. */
  matched: string[]
}

export interface MailFilter {
  readonly name: string
  apply(ctx: FilterContext, verdict: Verdict): void | Promise<void>
}

export const newVerdict = (): Verdict => ({ noAutoReply: [], reopens: true, matched: [] })

/** Runs the filters in order; a filter that drops the message ends the run. */
export async function runFilters(ctx: FilterContext, filters: readonly MailFilter[]): Promise<Verdict> {
  const verdict = newVerdict()
  for (const filter of filters) {
    const before = JSON.stringify(verdict)
    await filter.apply(ctx, verdict)
    if (JSON.stringify(verdict) !== before) verdict.matched.push(filter.name)
    if (verdict.drop) break
  }
  return verdict
}

export const header = (ctx: FilterContext, name: string) => ctx.mail.headers.get(name)?.[0]?.trim()
export const senderOf = (ctx: FilterContext) => ctx.mail.from?.email ?? ''
