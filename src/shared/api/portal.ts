import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'

export const DeflectionBody = Type.Object(
  { articleSlug: Type.String({ minLength: 1, maxLength: 200, description: 'The public knowledge article that answered the question' }) },
  { additionalProperties: false },
)
export type DeflectionBody = Static<typeof DeflectionBody>

export const DeflectionQuery = Type.Object(
  {
    from: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive' })),
  },
  { additionalProperties: false },
)
export type DeflectionQuery = Static<typeof DeflectionQuery>

export const DeflectionReport = Type.Object({
  total: Type.Integer(),
  articles: Type.Array(Type.Object({ slug: Type.String(), count: Type.Integer() }), { description: 'Most often first, at most 50' }),
})
export type DeflectionReport = Static<typeof DeflectionReport>

export const BannerKind = Type.Union([Type.Literal('announcement'), Type.Literal('outage')])
export const BannerSchema = Type.Object({
  id: Id,
  kind: BannerKind,
  textNl: Type.String(),
  textEn: Type.String(),
  startsAt: Timestamp,
  endsAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Banner = Static<typeof BannerSchema>
const BannerText = Type.String({ minLength: 1, maxLength: 500, pattern: '\\S' })
export const CreateBannerBody = Type.Object(
  {
    kind: BannerKind,
    textNl: BannerText,
    textEn: BannerText,
    startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
    endsAt: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'null: until taken down' }))),
  },
  { additionalProperties: false },
)
export type CreateBannerBody = Static<typeof CreateBannerBody>
export const UpdateBannerBody = Type.Partial(CreateBannerBody, { additionalProperties: false, minProperties: 1 })
export type UpdateBannerBody = Static<typeof UpdateBannerBody>
export const BannerQuery = Type.Object(
  { all: Type.Optional(Type.Boolean({ description: 'Staff: also banners that ended or have not started' })) },
  { additionalProperties: false },
)
