import { type TSchema, Type } from '@sinclair/typebox'

export const Id = Type.String({ minLength: 1, maxLength: 64, description: 'UUIDv7' })
export const Timestamp = Type.String({ format: 'date-time' })
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()])

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false })

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    nextCursor: Nullable(Type.String({ description: 'Pass as `cursor` to get the next page; null on the last page.' })),
  })

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri', description: 'identifies the kind of problem, e.g. https://loket.dev/problems/not-found' }),
    title: Type.String({ description: 'short summary of the kind of problem' }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String({ description: 'what went wrong with this request, for people' })),
    instance: Type.Optional(Type.String({ description: 'the path of the request' })),
    code: Type.String({
      description:
        'the same kind of problem for programs: validation, unauthenticated, forbidden, not_found, conflict, invalid_transition, precondition_failed, precondition_required, payload_too_large, rate_limited, …',
    }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String(),
          message: Type.String(),
          expected: Type.Optional(Type.Union([Type.Literal('number'), Type.Literal('option'), Type.Literal('other')], { description: 'answer_does_not_fit: what the answer must be' })),
        }),
        { description: 'for validation problems: which fields are wrong and why' },
      ),
    ),
  },
  {
    description:
      'RFC 9457 problem details. Extra members depend on `code` (e.g. `from`, `to`, `allowed` for invalid_transition, `currentVersion` for precondition_failed).',
    additionalProperties: true,
  },
)

/** A name people give (department, group, organisation, user): not empty and not only spaces. */
export const NameText = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' })
