import { type Static, Type } from '@sinclair/typebox'
import { Language } from './accounts.js'
import { Id, NameText, Nullable, Timestamp } from './common.js'
import { AttachmentSchema } from './tickets.js'

/**
 * The placeholders a template may use: the Dutch name first, then its English alias. Both render the
 * same value; anything else between double braces is refused when the template is saved.
 */
export const PLACEHOLDERS = [
  ['klant.voornaam', 'customer.firstName'],
  ['klant.naam', 'customer.name'],
  ['melding.nummer', 'ticket.number'],
  ['melding.onderwerp', 'ticket.subject'],
  ['agent.voornaam', 'agent.firstName'],
  ['afdeling.naam', 'department.name'],
  ['organisatie.naam', 'organisation.name'],
  ['datum.vandaag', 'date.today'],
] as const
export type PlaceholderName = (typeof PLACEHOLDERS)[number][0]

/** mail: the full text with greeting and signature; chat and phone (a note of a call): short. */
export const TemplateChannel = Type.Union([Type.Literal('mail'), Type.Literal('chat'), Type.Literal('phone')])
export type TemplateChannel = Static<typeof TemplateChannel>
export const TemplateScope = Type.Union([Type.Literal('personal'), Type.Literal('group'), Type.Literal('department')], {
  description: 'personal: only its owner; group or department: everyone in that group, or in any group of that department',
})
export type TemplateScope = Static<typeof TemplateScope>

const TemplateText = Type.String({ minLength: 1, maxLength: 20_000 })
export const TemplateVariant = Type.Object(
  { language: Language, channel: TemplateChannel, body: TemplateText },
  { additionalProperties: false },
)
export type TemplateVariant = Static<typeof TemplateVariant>

/** At most this many files on one template. */
export const TEMPLATE_ATTACHMENT_LIMIT = 10

/** A file a template carries: when the template is used on a ticket, it becomes an attachment of the reply. */
export const TemplateAttachmentSchema = Type.Object({
  id: Id,
  filename: Type.String(),
  contentType: Type.String(),
  size: Type.Integer(),
  url: Type.String({ description: 'Where staff who may use the template download it' }),
})
export type TemplateAttachment = Static<typeof TemplateAttachmentSchema>

export const TemplateSchema = Type.Object({
  id: Id,
  title: Type.String(),
  shortcut: Nullable(Type.String()),
  body: Type.String({ description: 'The text used when no variant fits the ticket' }),
  language: Language,
  variants: Type.Array(TemplateVariant),
  scope: TemplateScope,
  ownerId: Nullable(Id),
  groupId: Nullable(Id),
  departmentId: Nullable(Id),
  usageCount: Type.Integer(),
  attachments: Type.Array(TemplateAttachmentSchema, { description: 'Files attached to the reply when the template is used' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: Type.Integer(),
})
export type Template = Static<typeof TemplateSchema>

const Shortcut = Type.String({ minLength: 1, maxLength: 30, pattern: '^[\\p{L}\\p{N}_-]+$', description: 'A short word to find it by, e.g. "ww"' })
const Variants = Type.Array(TemplateVariant, { maxItems: 6 })

export const CreateTemplateBody = Type.Object(
  {
    title: NameText(200),
    shortcut: Type.Optional(Nullable(Shortcut)),
    body: TemplateText,
    language: Type.Optional(Language),
    variants: Type.Optional(Variants),
    scope: TemplateScope,
    groupId: Type.Optional(Nullable(Id)),
    departmentId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
)
export type CreateTemplateBody = Static<typeof CreateTemplateBody>

export const UpdateTemplateBody = Type.Partial(CreateTemplateBody, { additionalProperties: false, minProperties: 1 })
export type UpdateTemplateBody = Static<typeof UpdateTemplateBody>

export const TemplateQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Words of the title, shortcut or text, as typed (prefixes match)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
)
export type TemplateQuery = Static<typeof TemplateQuery>

export const RenderTemplateBody = Type.Object(
  {
    ticketId: Id,
    language: Type.Optional(Language),
    channel: Type.Optional(TemplateChannel),
  },
  { additionalProperties: false },
)
export type RenderTemplateBody = Static<typeof RenderTemplateBody>

export const RenderedTemplateSchema = Type.Object({
  templateId: Id,
  text: Type.String(),
  language: Language,
  channel: TemplateChannel,
  attachments: Type.Array(AttachmentSchema, {
    description: "The template's files, uploaded to the ticket for the reply being written: send their ids with it (attachmentIds). Empty when the ticket takes no reply.",
  }),
})
export type RenderedTemplate = Static<typeof RenderedTemplateSchema>
