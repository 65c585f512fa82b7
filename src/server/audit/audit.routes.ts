import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from '@sinclair/typebox'
import { AuditEntrySchema, AuditQuery } from '../../shared/api/audit.js'
import { Page } from '../../shared/api/common.js'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { requireActor } from '../http/auth.js'
import type { Services } from '../services.js'

/** The audit log, for administrators: read and export only; no route changes or removes an entry. */
export const auditRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const csv = async (request: FastifyRequest, reply: FastifyReply, query: AuditQuery) => {
    const stream = await services.audit.exportCsv(requireActor(request), query, request.ip)
    const day = new Date().toISOString().slice(0, 10)
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="loket-audit-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(stream)
  }
  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (administrators); ?format=csv exports every matching entry',
        querystring: AuditQuery,
        response: { 200: Page(AuditEntrySchema) },
      },
    },
    async (request, reply) => {
      if (request.query.format === 'csv') return csv(request, reply, request.query)
      return services.audit.list(requireActor(request), request.query)
    },
  )
  app.get(
    '/audit.csv',
    {
      schema: {
        tags: ['audit'],
        summary: 'Every matching audit entry as CSV (administrators); the export is itself recorded',
        querystring: Type.Omit(AuditQuery, ['limit', 'cursor', 'format']),
        produces: ['text/csv'],
      },
    },
    (request, reply) => csv(request, reply, request.query),
  )
}
