/**
 * What the OpenAPI document says about errors: every operation can answer with RFC 9457 problem
 * details (`application/problem+json`), and the ticket update names its concurrency answers.
 * Applied to the generated document (`transformObject` of @fastify/swagger); routes stay as they are.
 */
import { ProblemSchema } from '../../shared/api/common.js'

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } })

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

type Operation = { responses?: Record<string, unknown>; parameters?: { in?: string; name?: string }[] }
type Document = { paths?: Record<string, Record<string, unknown>>; components?: { schemas?: Record<string, unknown> } }

export function withProblemResponses<T>(input: T): T {
  const doc = input as Document
  doc.components = { ...doc.components, schemas: { ...doc.components?.schemas, Problem: ProblemSchema } }
  for (const operations of Object.values(doc.paths ?? {})) {
    for (const [method, value] of Object.entries(operations)) {
      if (!METHODS.includes(method)) continue
      const op = value as Operation
      const responses = (op.responses ??= {})
      if (op.parameters?.some((p) => p.in === 'header' && p.name?.toLowerCase() === 'if-match')) {
        responses['409'] ??= problem('The change is not allowed in the current state (e.g. an illegal status transition: invalid_transition)')
        responses['412'] ??= problem('If-Match names an older version: someone else changed it in the meantime (precondition_failed)')
        responses['428'] ??= problem('If-Match is missing (precondition_required)')
      }
      responses['4XX'] ??= problem('A problem with the request: validation (400), not logged in (401), not allowed (403), not found (404), conflict (409), too large (413), too many requests (429)')
      responses['5XX'] ??= problem('A problem on the server side (logged; details are not sent)')
    }
  }
  return input
}
