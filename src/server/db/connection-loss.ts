/**
 * Whether an error says the database connection went away (PostgreSQL restarted, failed over, or an
 * administrator ended the backend) rather than that the request was wrong. The request that was on it
 * fails; the server goes on and the pool opens a new connection for the next one.
 */
export function isConnectionLoss(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | undefined
  const code = typeof e?.code === 'string' ? e.code : ''
  // 57P01–57P03: admin_shutdown, crash_shutdown, cannot_connect_now; class 08: connection exceptions.
  if (/^(57P0[1-3]|08\w{3})$/.test(code) || ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(code)) return true
  const message = typeof e?.message === 'string' ? e.message : ''
  // node-postgres's own words for a connection that ended under a query, and for using it afterwards.
  return /^Connection terminated|not queryable|Connection ended unexpectedly/.test(message)
}
