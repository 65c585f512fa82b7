import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

export type DbConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize: number }

export interface Config {
  db: DbConfig
  port: number
  host: string
  /** 32-byte key for encrypting stored credentials (mailbox passwords and the like). */
  secret: Buffer
  publicUrl: string
  dataDir: string
  attachmentMaxBytes: number
  bodyLimitBytes: number
  logLevel: string
  /** The label in the ticket tag of outgoing mail subjects: `[<label> #2026-00042]`. */
  subjectTagLabel: string
}

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
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex')
  mkdirSync(dirname(file), { recursive: true })
  const key = randomBytes(32)
  writeFileSync(file, key.toString('hex') + '\n', { mode: 0o600 })
  return key
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
    dataDir,
    attachmentMaxBytes: parseBytes('LOKET_ATTACHMENT_MAX_BYTES', env.LOKET_ATTACHMENT_MAX_BYTES, 25 * 1024 * 1024),
    bodyLimitBytes: parseBytes('LOKET_BODY_LIMIT_BYTES', env.LOKET_BODY_LIMIT_BYTES, 2 * 1024 * 1024),
    logLevel: env.LOG_LEVEL || 'info',
    subjectTagLabel: parseSubjectTag(env.LOKET_SUBJECT_TAG),
  }
}
