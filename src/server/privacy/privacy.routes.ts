import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { IdParams } from '../../shared/api/common.js'
import { ErasureAnswer, ErasureBody, RetentionBody, RetentionDryRun, RetentionDryRunQuery, RetentionRule } from '../../shared/api/privacy.js'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

/** A person's data (export, erasure) and departments' retention rules: administrators only. */
export const privacyRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.get(
    '/users/:id/export',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Everything Loket holds about a person, as a ZIP of JSON files and the original attachments (administrators; audited)',
        params: IdParams,
        produces: ['application/zip'],
      },
    },
    async (request, reply) => {
      const { filename, stream } = await services.privacy.export(requireActor(request), request.params.id, request.ip)
      return reply
        .type('application/zip')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(stream)
    },
  )
  app.post(
    '/users/:id/erasure',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Erase a customer by anonymising in place, in two steps: the first call returns what goes and a confirmation; the second, with it and the name typed, erases (irreversible, audited)',
        params: IdParams,
        body: ErasureBody,
        response: { 200: ErasureAnswer },
      },
    },
    (request) => services.privacy.erase(requireActor(request), request.params.id, request.body, request.ip),
  )
  app.get(
    '/departments/:id/retention',
    { schema: { tags: ['privacy'], summary: 'A department\'s retention rule', params: IdParams, response: { 200: RetentionRule } } },
    (request) => services.privacy.retentionRule(requireActor(request), request.params.id),
  )
  app.put(
    '/departments/:id/retention',
    {
      schema: {
        tags: ['privacy'],
        summary: 'Set (months) or remove (null) a department\'s retention rule: closed tickets anonymised that many months after closure',
        params: IdParams,
        body: RetentionBody,
        response: { 200: RetentionRule },
      },
    },
    (request) => services.privacy.setRetentionRule(requireActor(request), request.params.id, request.body.months, request.ip),
  )
  app.get(
    '/departments/:id/retention/dry-run',
    {
      schema: {
        tags: ['privacy'],
        summary: 'What the retention rule (or ?months=) would anonymise now, without changing anything',
        params: IdParams,
        querystring: RetentionDryRunQuery,
        response: { 200: RetentionDryRun },
      },
    },
    (request) => services.privacy.retentionDryRun(requireActor(request), request.params.id, request.query.months),
  )
}
