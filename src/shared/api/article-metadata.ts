/**
 * What an article's `metadata` holds, typed. The API answers it as a plain record (ArticleSchema's
 * `metadata`), so its shape on the wire does not change; code reads each part through its reader
 * below (`emailMetaOf(metadata)`, `handoffOf(metadata)`, …), which checks what is stored rather
 * than casting it: metadata written by older versions, or damaged, reads as absent or partial.
 *
 * Two kinds of part: the channel's own (`ChannelMetadata`, one member per channel, keyed by the
 * channel's name) and the channel-neutral ones (routing mark, recorded by, merged from, follow-up
 * of, split from, handoff, delivery, acknowledgement, the address and copies an agent chose for a reply).
 */

export interface MailAddress {
  email: string
  name?: string
}

/** `metadata.email`: what the e-mail channel noted about a mail it filed (email.inbound.ts). */
export interface EmailMetadata {
  /** The mailbox it came in by; null when it came in by none (a test, an import). */
  mailboxId?: string | null
  messageId?: string | null
  contentKey?: string
  reusedMessageId?: { messageId: string; articleId: string; ticketId: string }
  from?: MailAddress | null
  senderUnknown?: { raw: string }
  to?: MailAddress[]
  cc?: MailAddress[]
  replyTo?: MailAddress[]
  date?: string | null
  subject?: string
  inReplyTo?: string[]
  references?: string[]
  rawAttachmentId?: string
  /** How the mail found its ticket: by its references, the number in its subject, or as a bounce of a reply. */
  threadedBy?: 'references' | 'subject' | 'bounce' | null
  kind?: string | null
  noAutoReply?: string[]
  filters?: unknown[]
  ackWanted?: boolean
  deliveryReport?: unknown
  warnings?: string[]
}

/** One member per channel, keyed by the channel's name; a chat or telephone channel adds its own. */
export type ChannelMetadata = { email: EmailMetadata }

/** `metadata.delivery`: how an outgoing article is getting to the customer (see tickets/article-delivery.ts). */
export interface DeliveryMetadata {
  status?: string
  at?: string
  /** The id the reply went out with (mail: its Message-ID). */
  messageId?: string
  [key: string]: unknown
}

/** `metadata.acknowledgement`: the automatic acknowledgement of a new ticket's first mail. */
export interface AcknowledgementMetadata {
  status?: string
  at?: string
  [key: string]: unknown
}

/** `metadata.handoff`: an internal article of a back office's handoff (returned note, proposed reply). */
export interface HandoffMetadata {
  kind?: string
  departmentName?: string
  [key: string]: unknown
}

/** `metadata.routing`: the rule that routed a new ticket (the mark that it was routed, never twice). */
export interface RoutingMark {
  ruleId: string
  name: string
}

/** The channel-neutral parts. */
export interface NeutralMetadata {
  routing?: RoutingMark
  /** The agent who recorded a ticket on someone's behalf. */
  recordedBy?: string
  /** The number of the merged ticket a message was about. */
  mergedFrom?: string
  /** The number of the closed ticket a message was about. */
  followUpOf?: string
  /** The ticket a customer's message was split from. */
  splitFrom?: { id: string; number: string }
  handoff?: HandoffMetadata
  delivery?: DeliveryMetadata
  acknowledgement?: AcknowledgementMetadata
  /** "Ander adres": where an agent chose to send a failed reply again. */
  deliverTo?: string
  /** Copies an agent asked for on a reply. */
  cc?: (string | MailAddress)[]
}

/** An article's metadata as it is written: the channel's part and the neutral parts (older keys are kept as they are). */
export type ArticleMetadata = Partial<ChannelMetadata> & NeutralMetadata & { [key: string]: unknown }

type Metadata = Readonly<Record<string, unknown>> | undefined

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
const strOrNull = (v: unknown) => (typeof v === 'string' ? v : v === null ? null : undefined)
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined)
const address = (v: unknown): MailAddress | undefined =>
  isObject(v) && typeof v.email === 'string' ? { email: v.email, ...(typeof v.name === 'string' && { name: v.name }) } : undefined
const addresses = (v: unknown) => (Array.isArray(v) ? v.map(address).filter((a): a is MailAddress => !!a) : undefined)
const THREADED_BY = ['references', 'subject', 'bounce'] as const

/** Drops the keys a reader found nothing valid for, so a part reads back as what was stored. */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T

/** The e-mail channel's part, checked field by field; undefined when there is none. */
export function emailMetaOf(metadata: Metadata): EmailMetadata | undefined {
  const e = metadata?.email
  if (!isObject(e)) return undefined
  const reused = e.reusedMessageId
  return defined<EmailMetadata>({
    mailboxId: strOrNull(e.mailboxId),
    messageId: strOrNull(e.messageId),
    contentKey: str(e.contentKey),
    reusedMessageId:
      isObject(reused) && typeof reused.messageId === 'string' && typeof reused.articleId === 'string' && typeof reused.ticketId === 'string'
        ? { messageId: reused.messageId, articleId: reused.articleId, ticketId: reused.ticketId }
        : undefined,
    from: e.from === null ? null : address(e.from),
    senderUnknown: isObject(e.senderUnknown) && typeof e.senderUnknown.raw === 'string' ? { raw: e.senderUnknown.raw } : undefined,
    to: addresses(e.to),
    cc: addresses(e.cc),
    replyTo: addresses(e.replyTo),
    date: strOrNull(e.date),
    subject: str(e.subject),
    inReplyTo: strings(e.inReplyTo),
    references: strings(e.references),
    rawAttachmentId: str(e.rawAttachmentId),
    threadedBy: e.threadedBy === null ? null : THREADED_BY.find((t) => t === e.threadedBy),
    kind: strOrNull(e.kind),
    noAutoReply: strings(e.noAutoReply),
    filters: Array.isArray(e.filters) ? e.filters : undefined,
    ackWanted: typeof e.ackWanted === 'boolean' ? e.ackWanted : undefined,
    deliveryReport: e.deliveryReport,
    warnings: strings(e.warnings),
  })
}

/** `metadata.delivery` when it is a record (its fields are read by tickets/article-delivery.ts `deliveryOf`). */
export function deliveryMetaOf(metadata: Metadata): DeliveryMetadata | undefined {
  const d = metadata?.delivery
  if (!isObject(d)) return undefined
  return defined({ ...d, status: str(d.status), at: str(d.at), messageId: str(d.messageId) })
}

export function acknowledgementOf(metadata: Metadata): AcknowledgementMetadata | undefined {
  const a = metadata?.acknowledgement
  if (!isObject(a)) return undefined
  return defined({ ...a, status: str(a.status), at: str(a.at) })
}

export function handoffOf(metadata: Metadata): HandoffMetadata | undefined {
  const h = metadata?.handoff
  if (!isObject(h)) return undefined
  return defined({ ...h, kind: str(h.kind), departmentName: str(h.departmentName) })
}

export function routingOf(metadata: Metadata): RoutingMark | undefined {
  const r = metadata?.routing
  return isObject(r) && typeof r.ruleId === 'string' && typeof r.name === 'string' ? { ruleId: r.ruleId, name: r.name } : undefined
}

/** Whether a new ticket's first article carries a routing mark of any form (it is then routed never again). */
export const isRouted = (metadata: Metadata) => !!metadata?.routing

export const deliverToOf = (metadata: Metadata) => str(metadata?.deliverTo)

/** The copies an agent asked for on a reply, as addresses. */
export const ccOf = (metadata: Metadata): string[] | undefined =>
  Array.isArray(metadata?.cc) ? metadata.cc.map((c) => (typeof c === 'string' ? c : address(c)?.email)).filter((c): c is string => !!c) : undefined

/** An article's stored metadata (JSON text), parsed; `{}` for text that is not an object (shown as empty elsewhere too). */
export function parseMetadata(text: string): ArticleMetadata {
  try {
    const parsed: unknown = JSON.parse(text)
    return isObject(parsed) ? parsed : {}
  } catch {
    return {}
  }
}
