import { type Static, Type } from '@sinclair/typebox'
import { Id, NameText, Nullable, Timestamp } from './common.js'

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('supervisor'), Type.Literal('agent'), Type.Literal('customer')])
export type Role = Static<typeof Role>
export const Language = Type.Union([Type.Literal('nl'), Type.Literal('en')])
export type Language = Static<typeof Language>

const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 })
const Name = NameText(200)
const Password = Type.String({ minLength: 8, maxLength: 200 })
const Phone = Type.String({ minLength: 3, maxLength: 40 })

export const UserSchema = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  organisationId: Nullable(Id),
  language: Language,
  phone: Nullable(Type.String()),
  active: Type.Boolean(),
  groupIds: Type.Array(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type User = Static<typeof UserSchema>

export const CreateUserBody = Type.Object(
  {
    email: Email,
    name: Name,
    role: Role,
    password: Type.Optional(Password),
    organisationId: Type.Optional(Nullable(Id)),
    language: Type.Optional(Language),
    phone: Type.Optional(Nullable(Phone)),
    groupIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  },
  { additionalProperties: false },
)
export type CreateUserBody = Static<typeof CreateUserBody>

export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(Email),
    name: Type.Optional(Name),
    role: Type.Optional(Role),
    password: Type.Optional(Password),
    organisationId: Type.Optional(Nullable(Id)),
    language: Type.Optional(Language),
    phone: Type.Optional(Nullable(Phone)),
    active: Type.Optional(Type.Boolean()),
    groupIds: Type.Optional(Type.Array(Id, { maxItems: 50 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateUserBody = Static<typeof UpdateUserBody>

export const UserQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.Optional(Role),
    organisationId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type UserQuery = Static<typeof UserQuery>

export const LoginBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
)
export type LoginBody = Static<typeof LoginBody>

export const MeSchema = Type.Object({ user: UserSchema, csrfToken: Nullable(Type.String()) })

export const OrganisationSchema = Type.Object({
  id: Id,
  name: Type.String(),
  domains: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Organisation = Static<typeof OrganisationSchema>
const Domain = Type.String({ minLength: 3, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$' })
export const CreateOrganisationBody = Type.Object(
  { name: Name, domains: Type.Optional(Type.Array(Domain, { maxItems: 50 })) },
  { additionalProperties: false },
)
export type CreateOrganisationBody = Static<typeof CreateOrganisationBody>
export const UpdateOrganisationBody = Type.Object(
  { name: Type.Optional(Name), domains: Type.Optional(Type.Array(Domain, { maxItems: 50 })) },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateOrganisationBody = Static<typeof UpdateOrganisationBody>

export const CreateTokenBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false })
export const TokenCreatedSchema = Type.Object({ id: Id, name: Type.String(), token: Type.String() })
