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
  email: Nullable(Type.String({ description: 'Where mail goes and the address one signs in with; null for a contact known only by phone number or chat' })),
  name: Type.String(),
  role: Role,
  organisationId: Nullable(Id),
  language: Language,
  phone: Nullable(Type.String()),
  active: Type.Boolean(),
  groupIds: Type.Array(Id),
  localAdmin: Type.Boolean({ description: 'Local administrator (lokaal beheerder) of their organisation: manages its members and sees its tickets in the portal' }),
  mergedIntoId: Type.Union([Id, Type.Null()], { description: 'A customer merged into another: the one they went into (this account is disabled)' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type User = Static<typeof UserSchema>

export const CreateUserBody = Type.Object(
  {
    email: Type.Optional(Email),
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
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Needed to set a new password for yourself' })),
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

export const PersonRef = Type.Object({ id: Id, name: Type.String(), email: Nullable(Type.String()) })
export type PersonRef = Static<typeof PersonRef>
export const OrganisationSchema = Type.Object({
  id: Id,
  name: Type.String(),
  domains: Type.Array(Type.String()),
  selfRegistration: Type.Boolean({ description: 'People with an address in one of the domains may register themselves in the portal' }),
  localAdministrators: Type.Array(PersonRef, { description: 'Active members who are local administrator; empty: the organisation has none (flagged)' }),
  contactEmail: Nullable(Type.String({ description: 'A general e-mail address of the organisation' })),
  contactPhone: Nullable(Type.String()),
  address: Nullable(Type.String({ description: 'Postal or visiting address, as typed (several lines)' })),
  notes: Type.Optional(Nullable(Type.String({ description: "The desk's own notes about the organisation: staff only, never sent to its members" }))),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Organisation = Static<typeof OrganisationSchema>
const ContactFields = {
  contactEmail: Type.Optional(Nullable(Type.Union([Email, Type.Literal('')]))),
  contactPhone: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  notes: Type.Optional(Nullable(Type.String({ maxLength: 10_000, description: "The desk's own notes (staff only)" }))),
}
const Domain = Type.String({ minLength: 3, maxLength: 253, pattern: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$' })
export const CreateOrganisationBody = Type.Object(
  { name: Name, domains: Type.Optional(Type.Array(Domain, { maxItems: 50 })), selfRegistration: Type.Optional(Type.Boolean()), ...ContactFields },
  { additionalProperties: false },
)
export type CreateOrganisationBody = Static<typeof CreateOrganisationBody>
export const UpdateOrganisationBody = Type.Object(
  { name: Type.Optional(Name), domains: Type.Optional(Type.Array(Domain, { maxItems: 50 })), selfRegistration: Type.Optional(Type.Boolean()), ...ContactFields },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateOrganisationBody = Static<typeof UpdateOrganisationBody>

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'Refused from this moment on; without it the token lasts until revoked' })),
  },
  { additionalProperties: false },
)
export const TokenSchema = Type.Object({
  id: Id,
  name: Type.String(),
  createdAt: Timestamp,
  expiresAt: Nullable(Timestamp),
  lastUsedAt: Nullable(Type.String({ format: 'date-time', description: 'Updated at most once a minute' })),
})
export const TokenCreatedSchema = Type.Object({
  id: Id,
  name: Type.String(),
  token: Type.String({ description: 'The secret: shown this once, only its hash is kept' }),
  createdAt: Timestamp,
  expiresAt: Nullable(Timestamp),
})
export const TokenParams = Type.Object({ id: Id, tokenId: Id }, { additionalProperties: false })

export const OrganisationQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200 })),
    withoutLocalAdministrator: Type.Optional(Type.Boolean({ description: 'Only organisations that have members but no local administrator' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type OrganisationQuery = Static<typeof OrganisationQuery>

export const LocalAdministratorsBody = Type.Object(
  {
    userIds: Type.Array(Id, { maxItems: 10, description: 'The members who are local administrator from now on (replacing the ones before); [] removes them all' }),
    requestedBy: Type.String({ minLength: 1, maxLength: 200, pattern: '\\S', description: 'Who at the organisation asked for this (name, role, how), for the audit trail' }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
)
export type LocalAdministratorsBody = Static<typeof LocalAdministratorsBody>

/** One change of an organisation's local administrators, from the audit trail: who asked, which agent did it, when, before and after. */
export const LocalAdminChangeSchema = Type.Object({
  id: Id,
  at: Timestamp,
  agent: Nullable(Type.Object({ id: Id, name: Type.String() }, { description: 'Who made the change; null for Loket itself (the command line)' })),
  requestedBy: Type.String({ description: 'Who at the organisation asked for it, as the agent wrote it down' }),
  note: Nullable(Type.String()),
  previous: Type.Array(PersonRef),
  current: Type.Array(PersonRef),
})
export type LocalAdminChange = Static<typeof LocalAdminChangeSchema>

export const ReminderBody = Type.Object(
  { organisationIds: Type.Array(Id, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
)
export const ReminderResult = Type.Object({ organisations: Type.Integer(), mailed: Type.Integer() })

/** A member of one's organisation, as its local administrator sees them in the portal. */
export const MemberSchema = Type.Object({
  id: Id,
  name: Type.String(),
  email: Nullable(Type.String()),
  active: Type.Boolean(),
  localAdmin: Type.Boolean(),
  createdAt: Timestamp,
})
export type Member = Static<typeof MemberSchema>
export const InviteMemberBody = Type.Object(
  { email: Email, name: Name, language: Type.Optional(Language) },
  { additionalProperties: false },
)
export type InviteMemberBody = Static<typeof InviteMemberBody>
export const UpdateMemberBody = Type.Object(
  {
    active: Type.Optional(Type.Boolean({ description: 'false: the member can no longer sign in, their sessions end at once; their tickets stay' })),
    localAdmin: Type.Optional(Type.Literal(true, { description: 'Make the member local administrator too (the desk removes one)' })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateMemberBody = Static<typeof UpdateMemberBody>

/** What every member reads in the portal: their organisation and who its local administrators are. */
export const MyOrganisationSchema = Type.Object({
  organisation: Nullable(Type.Object({ id: Id, name: Type.String() })),
  localAdministrators: Type.Array(PersonRef),
  youAreLocalAdministrator: Type.Boolean(),
})
export type MyOrganisation = Static<typeof MyOrganisationSchema>

export const EmailBody = Type.Object({ email: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false })
export const RegisterBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), name: Name, language: Type.Optional(Language) },
  { additionalProperties: false },
)
export type RegisterBody = Static<typeof RegisterBody>
export const LinkTokenBody = Type.Object(
  { token: Type.String({ minLength: 20, maxLength: 200, description: 'The secret from the link in the mail (after #)' }) },
  { additionalProperties: false },
)

/** One of a person's identifiers (contact_identities): how a message from any channel finds them. */
export const IdentityKind = Type.Union([Type.Literal('email'), Type.Literal('phone'), Type.Literal('chat')])
export type IdentityKind = Static<typeof IdentityKind>
export const ContactIdentitySchema = Type.Object({
  kind: IdentityKind,
  value: Type.String({ description: 'As stored and compared: an e-mail address lower-cased, a phone number in E.164 (+31612345678), a chat visitor id' }),
  primary: Type.Boolean({ description: "The account's own e-mail address (mail goes there; one signs in with it) or phone number; these change with the account, not here" }),
  createdAt: Timestamp,
})
export type ContactIdentity = Static<typeof ContactIdentitySchema>
export const AddIdentityBody = Type.Object(
  {
    kind: IdentityKind,
    value: Type.String({ minLength: 1, maxLength: 254, description: 'A phone number in any notation (06-12345678, +31 6 1234 5678) is stored in E.164' }),
  },
  { additionalProperties: false },
)
export type AddIdentityBody = Static<typeof AddIdentityBody>
export const IdentityParams = Type.Object({ id: Id, kind: IdentityKind, value: Type.String({ minLength: 1, maxLength: 254 }) }, { additionalProperties: false })
export const MergeUserBody = Type.Object(
  { intoId: Id },
  { additionalProperties: false, description: 'The customer to merge into: they keep their account and get the identifiers and tickets of this one' },
)
export type MergeUserBody = Static<typeof MergeUserBody>
export const MergeUserResult = Type.Object({
  user: UserSchema,
  moved: Type.Object({ identities: Type.Integer(), tickets: Type.Integer(), furtherRequesterOf: Type.Integer(), organisation: Type.Boolean() }),
})
export type MergeUserResult = Static<typeof MergeUserResult>
