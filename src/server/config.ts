import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { isIP } from 'node:net'
import { dirname, resolve } from 'node:path'
import type { DbConfig } from './db/config.js'


export interface Config {
  db: DbConfig
  port: number
  host: string
  /** 32-byte key for encrypting stored credentials (mailbox passwords and the like). */
  secret: Buffer
  publicUrl: string
  /**
   * Origins besides LOKET_PUBLIC_URL's whose pages may open the stream (LOKET_ALLOWED_ORIGINS); without
   * LOKET_PUBLIC_URL also this machine's own loopback addresses on PORT.
   */
  allowedOrigins?: string[]
  dataDir: string
  attachmentMaxBytes: number
  bodyLimitBytes: number
  logLevel: string
  /** The label in the ticket tag of outgoing mail subjects: `[<label> #2026-00042]`. */
  subjectTagLabel: string
  /**
   * Which peers' `X-Forwarded-For`/`X-Forwarded-Proto` to believe (Fastify's `trustProxy`): the client
   * address they name decides the login rate limit and throttling and who may read /metrics. Absent: no one.
   */
  trustProxy?: TrustProxy
  /** How long audit log entries are kept (LOKET_AUDIT_RETENTION_DAYS); older ones are removed daily. */
  auditRetentionDays?: number
  /** How long notifications in the bell are kept (LOKET_NOTIFICATION_RETENTION_DAYS); older ones are removed daily. */
  notificationRetentionDays?: number
}

export type TrustProxy = boolean | number | string[]

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** A configuration value is wrong; main prints the one line and exits. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
  }
}

export function parseDatabaseUrl(value: string, variable = 'DATABASE_URL'): DbConfig {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\//, '')
    if (!file) throw new ConfigError(variable, 'sqlite: needs a file path, e.g. sqlite:./data/loket.sqlite')
    return { kind: 'sqlite', file: file === ':memory:' ? file : resolve(file) }
  }
  if (value.startsWith('postgres://') || value.startsWith('postgresql://')) {
    try {
      new URL(value)
    } catch {
      throw new ConfigError(variable, `is not a valid URL: ${value}`)
    }
    return { kind: 'postgres', url: value, poolSize: 10 }
  }
  throw new ConfigError(variable, `must start with sqlite: or postgres:// (got "${value}")`)
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 8080
  const port = Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('PORT', `must be a whole number from 0 to 65535 (got "${value}")`)
  }
  return port
}

function parseBytes(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n <= 0) throw new ConfigError(variable, `must be a positive number of bytes (got "${value}")`)
  return n
}

function parseDays(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1 || n > 36500) throw new ConfigError(variable, `must be a whole number of days from 1 to 36500 (got "${value}")`)
  return n
}

const PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal']

/**
 * `false` (default: no peer is a proxy, not even one on this machine, since any local program could then
 * name any client address), `true`, a number of proxy hops, or addresses, CIDR ranges and the names above,
 * comma-separated.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const v = (value ?? '').trim()
  if (v === '') return false
  if (v === 'true') return true
  if (v === 'false') return false
  if (/^\d+$/.test(v)) return Number(v)
  const entries = v.split(',').map((e) => e.trim())
  for (const entry of entries) {
    const [address, bits, ...rest] = entry.split('/')
    const family = isIP(address)
    const validBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32))
    if (PROXY_RANGES.includes(entry) || (family !== 0 && validBits && rest.length === 0)) continue
    throw new ConfigError(
      'LOKET_TRUST_PROXY',
      `"${entry}" is not an address, a CIDR range or one of ${PROXY_RANGES.join(', ')} (use a comma-separated list, a number of hops, true or false)`,
    )
  }
  return entries
}

/** LOKET_ALLOWED_ORIGINS: comma-separated http(s) origins such as `https://intranet.example.nl`. */
export function parseOrigins(value: string | undefined): string[] {
  const entries = (value ?? '').split(',').map((e) => e.trim()).filter(Boolean)
  return entries.map((entry) => {
    let url: URL | undefined
    try {
      url = new URL(entry)
    } catch {
      // reported below
    }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
      throw new ConfigError('LOKET_ALLOWED_ORIGINS', `"${entry}" is not an origin (scheme, host and port only, e.g. https://intranet.example.nl)`)
    }
    return url.origin
  })
}

function parseLogLevel(value: string | undefined): string {
  if (value === undefined || value === '') return 'info'
  if (!LOG_LEVELS.includes(value)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')} (got "${value}")`)
  return value
}

function loadSecret(value: string | undefined, dataDir: string): Buffer {
  if (value !== undefined && value !== '') {
    const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64')
    if (key.length !== 32) {
      throw new ConfigError('LOKET_SECRET', 'must be 32 bytes, as 64 hex characters or base64 (try: openssl rand -hex 32)')
    }
    return key
  }
  // First start without a secret: generate one into the data folder so restarts can still decrypt.
  const file = resolve(dataDir, 'secret.key')
  try {
    if (existsSync(file)) {
      const stored = readFileSync(file, 'utf8').trim()
      if (!/^[0-9a-f]{64}$/i.test(stored)) {
        throw new ConfigError('LOKET_SECRET', `is not set, and ${file} does not hold 64 hex characters; restore it from a backup or set LOKET_SECRET`)
      }
      return Buffer.from(stored, 'hex')
    }
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    const key = randomBytes(32)
    writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 })
    return key
  } catch (err) {
    if (err instanceof ConfigError) throw err
    throw new ConfigError('LOKET_DATA_DIR', `cannot read or write ${file} (${(err as Error).message}); set LOKET_DATA_DIR to a writable folder or set LOKET_SECRET`)
  }
}

function parseSubjectTag(value: string | undefined): string {
  if (value === undefined || value === '') return 'Loket'
  if (!/^[\p{L}\p{N} ._-]{1,30}$/u.test(value)) {
    throw new ConfigError('LOKET_SUBJECT_TAG', `must be 1–30 letters, digits, spaces, dots or dashes, without [ ] or # (got "${value}")`)
  }
  return value.trim()
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = resolve(env.LOKET_DATA_DIR || './data')
  const db = parseDatabaseUrl(env.DATABASE_URL || `sqlite:${resolve(dataDir, 'loket.sqlite')}`)
  const port = parsePort(env.PORT)
  const host = env.HOST || '0.0.0.0'
  const publicUrl = env.LOKET_PUBLIC_URL || `http://localhost:${port}`
  try {
    const url = new URL(publicUrl)
    if (!['http:', 'https:'].includes(url.protocol)) throw new Error('protocol')
  } catch {
    throw new ConfigError('LOKET_PUBLIC_URL', `must be an http(s) URL (got "${publicUrl}")`)
  }
  return {
    db,
    port,
    host,
    secret: loadSecret(env.LOKET_SECRET, dataDir),
    publicUrl: publicUrl.replace(/\/$/, ''),
    allowedOrigins: [
      ...parseOrigins(env.LOKET_ALLOWED_ORIGINS),
      // The default public URL says localhost; the same Loket opened as 127.0.0.1 or [::1] is still this machine.
      ...(env.LOKET_PUBLIC_URL ? [] : [`http://127.0.0.1:${port}`, `http://[::1]:${port}`]),
    ],
    dataDir,
    attachmentMaxBytes: parseBytes('LOKET_ATTACHMENT_MAX_BYTES', env.LOKET_ATTACHMENT_MAX_BYTES, 25 * 1024 * 1024),
    bodyLimitBytes: parseBytes('LOKET_BODY_LIMIT_BYTES', env.LOKET_BODY_LIMIT_BYTES, 2 * 1024 * 1024),
    logLevel: parseLogLevel(env.LOG_LEVEL),
    subjectTagLabel: parseSubjectTag(env.LOKET_SUBJECT_TAG),
    trustProxy: parseTrustProxy(env.LOKET_TRUST_PROXY),
    auditRetentionDays: parseDays('LOKET_AUDIT_RETENTION_DAYS', env.LOKET_AUDIT_RETENTION_DAYS, 365),
    notificationRetentionDays: parseDays('LOKET_NOTIFICATION_RETENTION_DAYS', env.LOKET_NOTIFICATION_RETENTION_DAYS, 90),
  }
}

/**
 * A database that cannot be reached or opened at start is a configuration problem: one line naming
 * DATABASE_URL (without its password), not a driver's stack trace. Other errors are returned as they are.
 */
export function databaseStartError(err: unknown, db: DbConfig): unknown {
  const e = err as { code?: unknown; message?: unknown }
  const code = typeof e?.code === 'string' ? e.code : ''
  const message = typeof e?.message === 'string' ? e.message : String(err)
  if (db.kind === 'sqlite') {
    const fileProblem = ['SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_READONLY', 'SQLITE_CORRUPT', 'SQLITE_PERM', 'EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'EISDIR', 'ENOENT'].includes(code)
    return fileProblem ? new ConfigError('DATABASE_URL', `cannot open the SQLite database ${db.file}: ${message}`) : err
  }
  // Connection refused or unknown host, and PostgreSQL's own refusals: bad login (28xxx), unknown database (3D000).
  const connection = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET'].includes(code)
  const refused = code.startsWith('28') || code === '3D000' || /startup packet|password authentication|SASL|does not support SSL|server does not support/i.test(message)
  if (!connection && !refused) return err
  let where = 'PostgreSQL'
  try {
    const url = new URL(db.url)
    where = `PostgreSQL at ${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname.length > 1 ? url.pathname : ''}${url.username ? ` as ${decodeURIComponent(url.username)}` : ''}`
  } catch {
    // parseDatabaseUrl has checked it; keep the generic name
  }
  const reason = message || code || 'connection failed'
  return new ConfigError('DATABASE_URL', `cannot connect to ${where}: ${reason}`)
}
