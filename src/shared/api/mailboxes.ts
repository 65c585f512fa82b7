import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'
import { MailboxOAuthSchema } from './mailbox-oauth.js'

/** How a connection is secured: TLS from the first byte, STARTTLS upgrade, or none (loopback/test only). */
export const TlsMode = Type.Union([Type.Literal('implicit'), Type.Literal('starttls'), Type.Literal('none')], {
  description: 'implicit: TLS from the start (IMAPS 993, SMTPS 465); starttls: upgrade a plain connection (IMAP 143, submission 587); none: never encrypt',
})
export type TlsMode = Static<typeof TlsMode>

const Host = Type.String({ minLength: 1, maxLength: 253 })
const Port = Type.Integer({ minimum: 1, maximum: 65535 })
const Address = Type.String({ format: 'email', maxLength: 254 })
const Template = Type.Object(
  {
    subject: Type.String({ minLength: 1, maxLength: 500 }),
    body: Type.String({ minLength: 1, maxLength: 20_000, description: 'Plain text. Placeholders: {{number}}, {{subject}}, {{name}}' }),
  },
  { additionalProperties: false },
)

export const MailboxStatusSchema = Type.Object({
  state: Type.Union([Type.Literal('stopped'), Type.Literal('connecting'), Type.Literal('idle'), Type.Literal('polling'), Type.Literal('fetching'), Type.Literal('error'), Type.Literal('disabled')]),
  usesIdle: Nullable(Type.Boolean({ description: 'Whether the server supports IMAP IDLE (push); false means Loket polls.' })),
  lastFetchAt: Nullable(Timestamp),
  lastSuccessAt: Nullable(Timestamp),
  lastError: Nullable(Type.String()),
  lastErrorAt: Nullable(Timestamp),
  fetchedCount: Type.Integer({ description: 'Messages fetched since the mailbox was added: the sum of `counts`' }),
  counts: Type.Object(
    {
      filed: Type.Integer({ description: 'Filed as an article (a new ticket or on its ticket)' }),
      duplicate: Type.Integer({ description: 'Read again (after a crash, or the same mail in a second mailbox): already filed, see the machine mail list' }),
      headersOnly: Type.Integer({ description: 'Over the size limit: its headers filed, the message left on the mail server' }),
      refused: Type.Integer({ description: 'Not filed, with a reason (block list, sent by Loket itself): see the list' }),
      machine: Type.Integer({ description: 'Machine mail kept in the list instead of a ticket (DMARC and abuse reports, unmatched bounces and auto-replies)' }),
    },
    { description: 'What became of every fetched message (issue 14)' },
  ),
})
export type MailboxStatus = Static<typeof MailboxStatusSchema>

export const MailboxSchema = Type.Object({
  id: Id,
  name: Type.String(),
  address: Type.String({ description: 'The address customers write to and replies come from' }),
  senderName: Type.String(),
  active: Type.Boolean(),
  imap: Type.Object({
    host: Type.String(),
    port: Port,
    tls: TlsMode,
    user: Type.String(),
    folder: Type.String(),
    processedFolder: Nullable(Type.String({ description: 'Move processed mail here; when null it is flagged \\Seen in place' })),
    hasPassword: Type.Boolean(),
  }),
  smtp: Type.Object({
    host: Type.String(),
    port: Port,
    tls: TlsMode,
    user: Nullable(Type.String()),
    hasPassword: Type.Boolean(),
  }),
  tlsVerify: Type.Boolean({ description: 'Check the servers\' certificates (switch off only for a self-signed server you trust)' }),
  signature: Type.String(),
  groupId: Nullable(Id),
  acknowledgement: Type.Object({ enabled: Type.Boolean(), nl: Template, en: Template }),
  blockList: Type.Array(Type.String()),
  pollSeconds: Type.Integer(),
  verp: Type.Boolean({ description: 'Replies go out with the return path bounce+<token>@<mailbox domain>, so a bounce finds its reply even when it quotes nothing' }),
  defaultSender: Type.Boolean({ description: "Replies go out from this mailbox when the ticket's department has no mailbox of its own (tickets opened through the API, the portal or by phone): at most one mailbox is the default; choosing one unsets the other" }),
  status: MailboxStatusSchema,
  /** Set when the mailbox signs in with OAuth 2.0 (Microsoft 365, Google) instead of a password. */
  oauth: Type.Optional(Nullable(MailboxOAuthSchema)),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Mailbox = Static<typeof MailboxSchema>

const BlockList = Type.Array(Type.String({ minLength: 1, maxLength: 254, description: 'An address (jan@x.nl) or a whole domain (@x.nl or x.nl)' }), { maxItems: 1000 })

export const CreateMailboxBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    address: Address,
    senderName: Type.Optional(Type.String({ maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
    imap: Type.Object(
      {
        host: Host,
        port: Type.Optional(Port),
        tls: Type.Optional(TlsMode),
        user: Type.String({ minLength: 1, maxLength: 254 }),
        password: Type.String({ minLength: 1, maxLength: 1000 }),
        folder: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        processedFolder: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
      },
      { additionalProperties: false },
    ),
    smtp: Type.Object(
      {
        host: Host,
        port: Type.Optional(Port),
        tls: Type.Optional(TlsMode),
        user: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 254 }))),
        password: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 1000 }))),
      },
      { additionalProperties: false },
    ),
    tlsVerify: Type.Optional(Type.Boolean()),
    signature: Type.Optional(Type.String({ maxLength: 10_000 })),
    groupId: Type.Optional(Nullable(Id)),
    acknowledgement: Type.Optional(
      Type.Object({ enabled: Type.Boolean(), nl: Type.Optional(Template), en: Type.Optional(Template) }, { additionalProperties: false }),
    ),
    blockList: Type.Optional(BlockList),
    pollSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
    verp: Type.Optional(Type.Boolean()),
    defaultSender: Type.Optional(Type.Boolean({ description: "Replies go out from this mailbox when the ticket's department has no mailbox of its own (tickets opened through the API, the portal or by phone): at most one mailbox is the default; choosing one unsets the other" })),
  },
  { additionalProperties: false },
)
export type CreateMailboxBody = Static<typeof CreateMailboxBody>

export const UpdateMailboxBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    address: Type.Optional(Address),
    senderName: Type.Optional(Type.String({ maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
    imap: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Host),
          port: Type.Optional(Port),
          tls: Type.Optional(TlsMode),
          user: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
          password: Type.Optional(Type.String({ minLength: 1, maxLength: 1000, description: 'Leave out to keep the stored password' })),
          folder: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
          processedFolder: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200 }))),
        },
        { additionalProperties: false },
      ),
    ),
    smtp: Type.Optional(
      Type.Object(
        {
          host: Type.Optional(Host),
          port: Type.Optional(Port),
          tls: Type.Optional(TlsMode),
          user: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 254 }))),
          password: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 1000, description: 'Leave out to keep, null to remove' }))),
        },
        { additionalProperties: false },
      ),
    ),
    tlsVerify: Type.Optional(Type.Boolean()),
    signature: Type.Optional(Type.String({ maxLength: 10_000 })),
    groupId: Type.Optional(Nullable(Id)),
    acknowledgement: Type.Optional(
      Type.Object({ enabled: Type.Optional(Type.Boolean()), nl: Type.Optional(Template), en: Type.Optional(Template) }, { additionalProperties: false }),
    ),
    blockList: Type.Optional(BlockList),
    pollSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600 })),
    verp: Type.Optional(Type.Boolean()),
    defaultSender: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateMailboxBody = Static<typeof UpdateMailboxBody>

export const ConnectionStepSchema = Type.Object({
  step: Type.Union(
    ['imap.dns', 'imap.connect', 'imap.login', 'imap.folder', 'smtp.dns', 'smtp.connect', 'smtp.login'].map((s) => Type.Literal(s)),
    { description: 'dns: the host name resolves; connect: TCP and TLS handshake; login: the credentials; folder: the IMAP folder exists' },
  ),
  ok: Type.Boolean(),
  detail: Type.String(),
  ms: Type.Integer(),
})
export type ConnectionStep = { step: string; ok: boolean; detail: string; ms: number }
export const ConnectionTestSchema = Type.Object({ ok: Type.Boolean(), steps: Type.Array(ConnectionStepSchema) })
export type ConnectionTest = { ok: boolean; steps: ConnectionStep[] }

export const MAILBOX_MESSAGE_OUTCOMES = ['machine', 'refused', 'duplicate'] as const
export const MailboxMessageSchema = Type.Object({
  id: Id,
  outcome: Type.Union(MAILBOX_MESSAGE_OUTCOMES.map((o) => Type.Literal(o))),
  kind: Nullable(
    Type.Union(['dmarc-report', 'abuse-report', 'delivery-status', 'auto-reply'].map((k) => Type.Literal(k)), {
      description: 'For machine mail: a DMARC aggregate report, an abuse (ARF) report, a delivery status notification or an automatic reply that belongs to no ticket',
    }),
  ),
  reason: Type.String({ description: 'Why it became no article of its own, in plain words' }),
  messageId: Nullable(Type.String()),
  from: Nullable(Type.String()),
  subject: Type.String(),
  duplicateOf: Nullable(Type.Object({ articleId: Id, ticketId: Nullable(Id) }, { description: 'The article this message was filed as before' })),
  rawUrl: Nullable(Type.String({ description: 'The raw message (.eml), kept for machine mail and refused mail' })),
  size: Type.Integer(),
  receivedAt: Timestamp,
})
export type MailboxMessage = Static<typeof MailboxMessageSchema>
export const MailboxMessageQuery = Type.Object(
  {
    outcome: Type.Optional(Type.Union(MAILBOX_MESSAGE_OUTCOMES.map((o) => Type.Literal(o)))),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
)
export type MailboxMessageQuery = Static<typeof MailboxMessageQuery>

export const WaitingMailSchema = Type.Object(
  {
    count: Type.Integer({ description: 'Account mails (invitations, password and sign-in links, address confirmations, local-admin mails, notification mails) that wait because no mailbox can send' }),
    since: Nullable(Timestamp),
  },
  { description: 'Mail that waits for a sending mailbox; it goes out by itself once a mailbox can send' },
)
export type WaitingMail = Static<typeof WaitingMailSchema>
