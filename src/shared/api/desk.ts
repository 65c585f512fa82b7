import { type Static, Type } from '@sinclair/typebox'
import { Id, NameText, Timestamp } from './common.js'

export const DepartmentSchema = Type.Object({
  id: Id,
  name: Type.String(),
  customerReplyAllowed: Type.Boolean({ description: 'Whether its groups may reply to customers directly (by default only the service desk does).' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Department = Static<typeof DepartmentSchema>
export const CreateDepartmentBody = Type.Object(
  { name: NameText(100), customerReplyAllowed: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export const UpdateDepartmentBody = Type.Object(
  { name: Type.Optional(NameText(100)), customerReplyAllowed: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, minProperties: 1 },
)

export const Line = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)])
export const GroupSchema = Type.Object({
  id: Id,
  name: Type.String(),
  departmentId: Id,
  line: Line,
  memberIds: Type.Array(Id),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Group = Static<typeof GroupSchema>
export const CreateGroupBody = Type.Object(
  { name: NameText(100), departmentId: Id, line: Line, memberIds: Type.Optional(Type.Array(Id, { maxItems: 500 })) },
  { additionalProperties: false },
)
export const UpdateGroupBody = Type.Object(
  {
    name: Type.Optional(NameText(100)),
    departmentId: Type.Optional(Id),
    line: Type.Optional(Line),
    memberIds: Type.Optional(Type.Array(Id, { maxItems: 500 })),
  },
  { additionalProperties: false, minProperties: 1 },
)
export type CreateGroupBody = Static<typeof CreateGroupBody>
export type UpdateGroupBody = Static<typeof UpdateGroupBody>
export type CreateDepartmentBody = Static<typeof CreateDepartmentBody>
export type UpdateDepartmentBody = Static<typeof UpdateDepartmentBody>
