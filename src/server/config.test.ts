import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, databaseStartError, loadConfig, parseTrustProxy } from './config.js'

const dir = mkdtempSync(join(tmpdir(), 'loket-config-'))
const env = { LOKET_DATA_DIR: dir, LOKET_SECRET: '07'.repeat(32) }
const failure = (fn: () => unknown) => {
  try {
    fn()
  } catch (err) {
    return err as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('configuration', () => {
  it('reads the origins that may open the stream besides LOKET_PUBLIC_URL', () => {
    expect(loadConfig({ ...env, PORT: '8080' }).allowedOrigins).toEqual(['http://127.0.0.1:8080', 'http://[::1]:8080'])
    const config = loadConfig({ ...env, LOKET_PUBLIC_URL: 'https://loket.example.nl', LOKET_ALLOWED_ORIGINS: 'https://intranet.example.nl, http://10.0.0.5:8080/' })
    expect(config.allowedOrigins).toEqual(['https://intranet.example.nl', 'http://10.0.0.5:8080'])
    for (const bad of ['intranet.example.nl', 'https://intranet.example.nl/loket', 'ftp://x.nl', '*']) {
      expect(failure(() => loadConfig({ ...env, LOKET_ALLOWED_ORIGINS: bad })).variable).toBe('LOKET_ALLOWED_ORIGINS')
    }
  })

  it('believes X-Forwarded-For from no one, not even loopback, unless told which proxies to trust', () => {
    expect(loadConfig(env).trustProxy).toBe(false)
    expect(parseTrustProxy('loopback')).toEqual(['loopback'])
    expect(parseTrustProxy('false')).toBe(false)
    expect(parseTrustProxy('true')).toBe(true)
    expect(parseTrustProxy('2')).toBe(2)
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.7,loopback,::1,fd00::/8')).toEqual(['10.0.0.0/8', '192.168.1.7', 'loopback', '::1', 'fd00::/8'])
    for (const bad of ['nginx', '10.0.0.0/33', '300.1.1.1', '10.0.0.1/8/2', 'yes']) {
      expect(failure(() => loadConfig({ ...env, LOKET_TRUST_PROXY: bad })).variable, bad).toBe('LOKET_TRUST_PROXY')
    }
  })

  it('names LOG_LEVEL when it is not a level', () => {
    expect(loadConfig({ ...env, LOG_LEVEL: 'debug' }).logLevel).toBe('debug')
    expect(failure(() => loadConfig({ ...env, LOG_LEVEL: 'loud' })).message).toMatch(/^LOG_LEVEL: must be one of/)
  })

  it('refuses a damaged secret file and a data folder it cannot write, naming the variable', () => {
    const damaged = mkdtempSync(join(tmpdir(), 'loket-config-secret-'))
    writeFileSync(join(damaged, 'secret.key'), 'not a key\n')
    expect(failure(() => loadConfig({ LOKET_DATA_DIR: damaged })).variable).toBe('LOKET_SECRET')
    const file = join(dir, 'a-file')
    writeFileSync(file, '')
    expect(failure(() => loadConfig({ LOKET_DATA_DIR: join(file, 'data') })).variable).toBe('LOKET_DATA_DIR')
    // A generated secret is read back the same on the next start.
    const fresh = mkdtempSync(join(tmpdir(), 'loket-config-fresh-'))
    expect(loadConfig({ LOKET_DATA_DIR: fresh }).secret.equals(loadConfig({ LOKET_DATA_DIR: fresh }).secret)).toBe(true)
  })

  it('turns a database that cannot be reached or opened into one line naming DATABASE_URL, without the password', () => {
    const pg = { kind: 'postgres', url: 'postgres://loket:geheim@db.internal:6543/loket', poolSize: 10 } as const
    const refused = Object.assign(new AggregateError([], ''), { code: 'ECONNREFUSED' })
    const line = databaseStartError(refused, pg) as ConfigError
    expect(line).toBeInstanceOf(ConfigError)
    expect(line.message).toBe('DATABASE_URL: cannot connect to PostgreSQL at db.internal:6543/loket as loket: ECONNREFUSED')
    expect(line.message).not.toContain('geheim')
    const badLogin = Object.assign(new Error('password authentication failed for user "loket"'), { code: '28P01' })
    expect((databaseStartError(badLogin, pg) as ConfigError).variable).toBe('DATABASE_URL')
    expect((databaseStartError(Object.assign(new Error('database "x" does not exist'), { code: '3D000' }), pg) as ConfigError).variable).toBe('DATABASE_URL')
    const sqliteFile = { kind: 'sqlite', file: '/x/loket.sqlite' } as const
    expect((databaseStartError(Object.assign(new Error('unable to open database file'), { code: 'SQLITE_CANTOPEN' }), sqliteFile) as ConfigError).variable).toBe('DATABASE_URL')
    // Anything else is not a configuration problem and passes through unchanged.
    const other = Object.assign(new Error('syntax error'), { code: '42601' })
    expect(databaseStartError(other, pg)).toBe(other)
  })
})
