import Ajv, { type Options } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifyInstance, FastifySchema } from 'fastify'
import { AppError } from '../errors.js'

const common: Options = { allErrors: false, strict: false, useDefaults: true, removeAdditional: false }
// Query strings and path params arrive as text: coerce "20" to 20. Bodies are JSON and must have the right types.
const coercing = addFormats.default(new Ajv.default({ ...common, coerceTypes: 'array' }))
const strict = addFormats.default(new Ajv.default({ ...common, coerceTypes: false }))

export function registerValidation(app: FastifyInstance) {
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strict : coercing).compile(schema as FastifySchema & object))
  // Text the databases cannot store as sent is refused up front, the same on SQLite and PostgreSQL.
  app.addHook('preValidation', async (request) => {
    if (request.body !== undefined && !Buffer.isBuffer(request.body)) assertStorableText(request.body, 'body')
  })
}

/** No request body of the API nests deeper than a few levels; a deeper one is refused before anything walks it. */
export const MAX_BODY_DEPTH = 32

function assertStorableText(value: unknown, path: string, depth = 0): void {
  if (depth > MAX_BODY_DEPTH && value !== null && typeof value === 'object') {
    throw AppError.validation(`The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`, { field: 'body' })
  }
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw AppError.validation(`${path} contains a NUL character, which cannot be stored.`, { field: path })
    if (!value.isWellFormed()) throw AppError.validation(`${path} contains an unpaired UTF-16 surrogate.`, { field: path })
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => assertStorableText(v, `${path}[${i}]`, depth + 1))
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      assertStorableText(k, path)
      assertStorableText(v, `${path}.${k}`, depth + 1)
    }
  }
}
