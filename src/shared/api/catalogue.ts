import { type Static, Type } from '@sinclair/typebox'
import { FIELD_TYPES } from '../catalogue-form.js'
import { Id, Nullable, Timestamp } from './common.js'

export { FIELD_TYPES }
export type FieldType = (typeof FIELD_TYPES)[number]

const Key = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', description: 'Unique within the form: lower case letters, digits, _' })
const Label = Type.String({ minLength: 1, maxLength: 200 })

export const CatalogField = Type.Object(
  {
    key: Key,
    label: Label,
    type: Type.Unsafe<FieldType>({ type: 'string', enum: [...FIELD_TYPES] }),
    required: Type.Boolean(),
    help: Type.Optional(Type.String({ maxLength: 500 })),
    options: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 30, description: 'The choices of a choice field' })),
    showWhen: Type.Optional(
      Type.Object(
        {
          field: Key,
          equals: Type.Optional(Type.String({ maxLength: 200, description: 'Only when the other field has this value; without it, when it has any value (yes/no: when yes)' })),
        },
        { additionalProperties: false, description: 'Shown (and asked) only when another, earlier field has a value' },
      ),
    ),
    ticketField: Type.Optional(
      Type.String({
        pattern: '^[a-z][a-z0-9_]{0,39}$',
        description:
          'The key of a ticket field (GET /ticket-fields) this answer fills in on the new ticket. text and longtext fill text or number fields, date a date field, yesno a yes/no field, choice a choice or multi_choice field whose options hold every choice (by value or label). Staff only: customers get items without it.',
      }),
    ),
  },
  { additionalProperties: false },
)
export type CatalogField = Static<typeof CatalogField>

export const CatalogCategorySchema = Type.Object({ id: Id, name: Type.String(), description: Type.String(), position: Type.Integer() })
export type CatalogCategory = Static<typeof CatalogCategorySchema>

export const CatalogCategoryBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 100 }), description: Type.Optional(Type.String({ maxLength: 500 })), position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })) },
  { additionalProperties: false },
)
export type CatalogCategoryBody = Static<typeof CatalogCategoryBody>

export const CatalogItemSchema = Type.Object({
  id: Id,
  categoryId: Id,
  title: Type.String(),
  description: Type.String(),
  groupId: Id,
  departmentId: Nullable(Id),
  fields: Type.Array(CatalogField),
  steps: Type.Array(Type.String(), { description: 'Fulfilment steps the back office ticks off (staff only)' }),
  active: Type.Boolean(),
  position: Type.Integer(),
  misfits: Type.Optional(Type.Integer({ description: 'How often customers said this choice did not fit their question (staff only)' })),
  updatedAt: Timestamp,
})
export type CatalogItem = Static<typeof CatalogItemSchema>

export const CatalogItemBody = Type.Object(
  {
    categoryId: Id,
    title: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    groupId: Id,
    fields: Type.Array(CatalogField, { maxItems: 30 }),
    steps: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 30 })),
    active: Type.Optional(Type.Boolean()),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
)
export type CatalogItemBody = Static<typeof CatalogItemBody>

export const CatalogItemQuery = Type.Object(
  { categoryId: Type.Optional(Id), includeInactive: Type.Optional(Type.Boolean({ description: 'Staff only' })) },
  { additionalProperties: false },
)
export type CatalogItemQuery = Static<typeof CatalogItemQuery>

export const CatalogRequestBody = Type.Object(
  {
    values: Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 10_000 }), Type.Boolean()]), {
      description: 'Per field key: text, the chosen option, a date (YYYY-MM-DD), true/false for yes/no, the file name for a file (upload the file to the new ticket next)',
    }),
  },
  { additionalProperties: false },
)
export type CatalogRequestBody = Static<typeof CatalogRequestBody>

export const CatalogAnswer = Type.Object({ key: Type.String(), label: Type.String(), type: Type.String(), value: Type.String() })
export type CatalogAnswer = Static<typeof CatalogAnswer>

export const CatalogRequestSchema = Type.Object({
  ticketId: Id,
  itemId: Id,
  itemTitle: Type.String(),
  answers: Type.Array(CatalogAnswer),
  steps: Type.Array(Type.Object({ position: Type.Integer(), title: Type.String(), doneAt: Nullable(Timestamp), doneBy: Nullable(Type.String()) }), { description: 'Staff only; empty for customers' }),
  createdAt: Timestamp,
})
export type CatalogRequest = Static<typeof CatalogRequestSchema>

export const CatalogRequestCreated = Type.Object({ id: Id, number: Type.String() })

export const StepParams = Type.Object({ id: Id, position: Type.Integer({ minimum: 0, maximum: 100 }) }, { additionalProperties: false })
export const StepBody = Type.Object({ done: Type.Boolean() }, { additionalProperties: false })
