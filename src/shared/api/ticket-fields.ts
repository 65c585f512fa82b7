import { type Static, Type } from '@sinclair/typebox'
import { Id, NameText, Timestamp } from './common.js'
import { OptionValue, TICKET_STATUSES } from './tickets.js'

export { OptionValue }

/** The kinds of ticket field an administrator can add (vrije velden). */
export const TICKET_FIELD_TYPES = ['text', 'number', 'date', 'choice', 'multi_choice', 'yes_no', 'customer', 'organisation'] as const
export type TicketFieldType = (typeof TICKET_FIELD_TYPES)[number]
const FieldType = Type.Unsafe<TicketFieldType>({
  type: 'string',
  enum: [...TICKET_FIELD_TYPES],
  description: 'text, number, date (YYYY-MM-DD), choice (one option), multi_choice (several), yes_no, customer (a customer\'s id), organisation (an organisation\'s id)',
})
const Status = Type.Unsafe<(typeof TICKET_STATUSES)[number]>({ type: 'string', enum: [...TICKET_STATUSES] })
export const TICKET_FIELD_VISIBILITIES = ['internal', 'public'] as const
const Visibility = Type.Unsafe<(typeof TICKET_FIELD_VISIBILITIES)[number]>({
  type: 'string',
  enum: [...TICKET_FIELD_VISIBILITIES],
  description: 'internal: staff only; public: the customer sees it on their ticket',
})

/** A field's name in the API: customFields.<key>. Lower case, digits and underscores. */
export const FieldKey = Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_]*$', description: 'The name in customFields, e.g. contract_nummer' })

export const TicketFieldOptionSchema = Type.Object(
  { value: OptionValue, labelNl: NameText(100), labelEn: NameText(100) },
  { additionalProperties: false },
)
export type TicketFieldOption = Static<typeof TicketFieldOptionSchema>

export const TicketFieldSchema = Type.Object({
  id: Id,
  key: FieldKey,
  labelNl: Type.String(),
  labelEn: Type.String(),
  type: FieldType,
  options: Type.Array(TicketFieldOptionSchema, { description: 'choice and multi_choice only' }),
  requiredStatuses: Type.Array(Status, { description: 'A ticket cannot be in these statuses without a value, e.g. ["resolved","closed"]' }),
  departmentIds: Type.Array(Id, { description: 'Shown on tickets of these departments; empty: all' }),
  visibility: Visibility,
  customerEditable: Type.Boolean({ description: 'A customer may fill it in when opening a ticket (public fields only)' }),
  position: Type.Integer(),
  active: Type.Boolean({ description: 'An inactive field keeps its values but is not shown or asked for' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type TicketField = Static<typeof TicketFieldSchema>

const fieldProps = {
  labelNl: NameText(100),
  labelEn: NameText(100),
  options: Type.Optional(Type.Array(TicketFieldOptionSchema, { maxItems: 100 })),
  requiredStatuses: Type.Optional(Type.Array(Status, { maxItems: TICKET_STATUSES.length, uniqueItems: true })),
  departmentIds: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })),
  visibility: Type.Optional(Visibility),
  customerEditable: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
}
export const CreateTicketFieldBody = Type.Object({ key: FieldKey, type: FieldType, ...fieldProps }, { additionalProperties: false })
export type CreateTicketFieldBody = Static<typeof CreateTicketFieldBody>
export const UpdateTicketFieldBody = Type.Object(
  { ...fieldProps, labelNl: Type.Optional(NameText(100)), labelEn: Type.Optional(NameText(100)), position: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false, minProperties: 1, description: 'The key and type stay as created (values are stored by type)' },
)
export type UpdateTicketFieldBody = Static<typeof UpdateTicketFieldBody>
