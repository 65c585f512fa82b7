import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isConnectionLoss } from '../db/connection-loss.js'
import { AppError, type ErrorCode } from '../errors.js'
import { isForeignKeyViolation, isUniqueViolation } from '../db/dialect.js'

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Not logged in',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Too large',
  414: 'Address too long',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  428: 'Precondition required',
  429: 'Too many requests',
  431: 'Request headers too large',
  500: 'Internal error',
  503: 'Unavailable',
}

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  code: string
  errors?: { field: string; message: string }[]
  [extra: string]: unknown
}

export function sendProblem(
  reply: FastifyReply,
  problem: { status: number; code: string; title?: string; detail?: string; errors?: Problem['errors']; [extra: string]: unknown },
) {
  const body: Problem = {
    ...problem,
    type: `https://loket.dev/problems/${problem.code.replace(/_/g, '-')}`,
    title: problem.title ?? TITLES[problem.status] ?? 'Error',
    instance: reply.request.url.split('?')[0],
  }
  return reply.code(problem.status).type('application/problem+json; charset=utf-8').send(body)
}

const CODE_BY_STATUS: Record<number, ErrorCode | string> = {
  400: 'validation', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable',
  409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'rate_limited',
}

/** Every error leaves as RFC 9457 problem+json; 5xx details are logged, never sent. */
export function registerProblemHandlers(app: FastifyInstance) {
  // While stopping, requests in flight finish; new ones (on connections kept alive) are turned away
  // before any work, so a load balancer sends them elsewhere.
  let stopping = false
  app.addHook('preClose', (done) => {
    stopping = true
    done()
  })
  app.addHook('onRequest', (_request, reply, done) => {
    if (!stopping) return done()
    reply.header('connection', 'close').header('retry-after', '5')
    void sendProblem(reply, { status: 503, code: 'unavailable', detail: 'Loket is stopping; try again in a few seconds.' })
  })
  app.setErrorHandler((error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) {
      const { field, ...rest } = (error.details ?? {}) as { field?: string; retryAfter?: number }
      if (typeof rest.retryAfter === 'number') reply.header('retry-after', String(rest.retryAfter))
      return sendProblem(reply, {
        status: error.status,
        code: error.code,
        detail: error.message,
        ...(field && { errors: [{ field, message: error.message }] }),
        ...rest,
      })
    }
    const fe = error as FastifyError
    if (fe.validation) {
      const errors = readableErrors(fe.validation).map((v) => ({
        field: fieldOf(v.instancePath, v.params as Record<string, unknown>, fe.validationContext),
        message: v.message ?? 'is not valid',
      }))
      return sendProblem(reply, {
        status: 400,
        code: 'validation',
        detail: `The request is not valid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`,
        errors,
      })
    }
    const constraint = constraintViolation(error)
    if (constraint) return sendProblem(reply, { status: 409, code: 'conflict', detail: constraint })
    if (isConnectionLoss(error)) {
      request.log.warn({ err: error }, 'request failed: database connection lost')
      reply.header('retry-after', '2')
      return sendProblem(reply, { status: 503, code: 'unavailable', detail: 'The connection to the database was lost while handling this request. Try again in a moment.' })
    }
    const status = fe.statusCode ?? 500
    if (status >= 400 && status < 500) {
      return sendProblem(reply, { status, code: String(CODE_BY_STATUS[status] ?? 'bad_request'), detail: fe.message })
    }
    request.log.error({ err: error }, 'unhandled error')
    return sendProblem(reply, { status: 500, code: 'internal', detail: 'Something went wrong on our side. It has been logged; please try again.' })
  })
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, { status: 404, code: 'not_found', detail: `There is nothing at ${request.method} ${request.url.split('?')[0]}.` }),
  )
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any route runs (a %-escape that does not
 * decode, a path parameter over 100 characters) also leaves as problem+json.
 */
export function frameworkProblem(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendProblem(reply, { status: 414, code: 'uri_too_long', detail: 'A part of the address is longer than any id or number Loket uses.' })
  }
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400
  const detail = error.code === 'FST_ERR_BAD_URL' ? 'The address contains a %-escape that is not valid UTF-8.' : error.message
  return sendProblem(reply, { status, code: String(CODE_BY_STATUS[status] ?? 'bad_request'), detail })
}

/**
 * Fastify's `clientErrorHandler`: a request Node's HTTP parser cannot read (headers too large, a timeout,
 * garbage) gets a problem+json answer on the raw socket, which is then closed.
 */
export function clientProblem(err: Error & { code?: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const [status, code, detail] =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request did not arrive in time.']
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'The request headers (or the address) are larger than the server accepts.']
        : [400, 'bad_request', 'The request is not valid HTTP.']
  const body = JSON.stringify({ type: `https://loket.dev/problems/${code.replace(/_/g, '-')}`, title: TITLES[status], status, detail, code })
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${TITLES[status]}\r\nConnection: close\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    )
  }
  socket.destroy(err)
}

type ValidationIssue = NonNullable<FastifyError['validation']>[number]

/**
 * A choice between constants (`Type.Union` of literals: statuses, roles, lines) fails as one error per
 * constant plus the `anyOf` itself: "must be equal to constant; must be equal to constant; …". Those
 * become one "must be one of a, b, c" per field.
 */
function readableErrors(issues: ValidationIssue[]): ValidationIssue[] {
  const out: ValidationIssue[] = []
  for (const issue of issues) {
    if (issue.keyword === 'pattern' && (issue.params as { pattern?: string }).pattern === '\\S') {
      out.push({ ...issue, message: 'must not be empty or only spaces' }) // NameText
      continue
    }
    if (issue.keyword !== 'anyOf') {
      out.push(issue)
      continue
    }
    const branch = `${issue.schemaPath}/`
    const inside = (v: ValidationIssue) => v.instancePath === issue.instancePath && v.schemaPath.startsWith(branch)
    const alternatives = issues.filter(inside)
    const allowed = alternatives.filter((v) => v.keyword === 'const').map((v) => (v.params as { allowedValue?: unknown }).allowedValue)
    if (allowed.length === 0 || alternatives.some((v) => v.keyword !== 'const' && v.keyword !== 'type')) {
      out.push(issue)
      continue
    }
    // Drop what was said for each alternative; say once what is allowed.
    for (let i = out.length - 1; i >= 0; i--) if (inside(out[i])) out.splice(i, 1)
    out.push({ ...issue, message: `must be one of ${[...new Set(allowed)].map((a) => JSON.stringify(a)).join(', ')}` })
  }
  return out
}

function fieldOf(instancePath: string, params: Record<string, unknown>, context?: string) {
  const path = instancePath.replace(/^\//, '').replace(/\//g, '.')
  const extra = (params.missingProperty ?? params.additionalProperty) as string | undefined
  const name = [path, extra].filter(Boolean).join('.')
  return name || context || 'body'
}

/**
 * Two requests racing past a service's own check meet the database's constraint instead: that is
 * still a conflict for the client, not a server error. SQLite and PostgreSQL name them differently.
 */
function constraintViolation(error: unknown): string | undefined {
  if (isUniqueViolation(error)) {
    return 'This already exists (it was just created by another request).'
  }
  if (isForeignKeyViolation(error)) {
    return 'Something this refers to does not exist (any more).'
  }
  return undefined
}
