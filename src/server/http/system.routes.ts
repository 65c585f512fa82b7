import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import client from 'prom-client'
import { isAdmin } from '../accounts/actor.js'
import type { Deps } from '../deps.js'
import { sendProblem } from './problem.js'

const registry = new client.Registry()
client.collectDefaultMetrics({ register: registry, prefix: 'loket_' })
const httpDuration = new client.Histogram({
  name: 'loket_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
})

const isLoopback = (ip: string) => ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1'

/** Health for load balancers, metrics for Prometheus. Metrics are for loopback or administrators only. */
export function registerSystemRoutes(app: FastifyInstance, deps: Pick<Deps, 'db'>) {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    httpDuration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000)
  })
  // The outbox (src/server/outbox) should be (nearly) empty: a growing count means no worker handles it.
  registry.removeSingleMetric('loket_outbox_events')
  new client.Gauge({
    name: 'loket_outbox_events',
    help: 'Domain events in the outbox: pending (not yet handled) and failed (set aside after repeated handler failures)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await deps.db.selectFrom('outbox').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute()
      for (const status of ['pending', 'failed']) this.set({ status }, Number(rows.find((r) => r.status === status)?.n ?? 0))
    },
  })
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }))
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db)
      return { status: 'ready' }
    } catch {
      return sendProblem(reply, { status: 503, code: 'unavailable', detail: 'The database cannot be reached.' })
    }
  })
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    // A request a local proxy forwards comes from a loopback peer too: it is not "this machine".
    const local = isLoopback(request.ip) && request.headers['x-forwarded-for'] === undefined && request.headers.forwarded === undefined
    if (!local && !(request.actor && isAdmin(request.actor))) {
      return sendProblem(reply, { status: 403, code: 'forbidden', detail: 'Metrics are available from this machine or to administrators.' })
    }
    reply.type(registry.contentType)
    return registry.metrics()
  })
}
