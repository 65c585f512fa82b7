import { spawnSync } from 'node:child_process'
import { type AddressInfo, createServer } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'loket-cli-'))
const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cli.sqlite')}`, LOKET_DATA_DIR: dir }
const loket = (args: string[], extraEnv: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/server/cli/main.ts', ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: 60_000 })
  return { code: r.status, out: r.stdout, err: r.stderr }
}

// Each test starts the CLI several times through tsx, seconds each on a busy machine.
describe('loket CLI', { timeout: 120_000 }, () => {
  it('shows help for the program and each command', () => {
    const top = loket(['--help'])
    expect(top.code).toBe(0)
    for (const cmd of ['serve', 'migrate', 'seed-demo', 'user', 'token']) expect(top.out).toContain(cmd)
    const create = loket(['user', 'create', '--help'])
    expect(create.code).toBe(0)
    expect(create.out).toContain('--email')
  })

  it('exits with 2 and a clear message on bad arguments', () => {
    const unknown = loket(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toMatch(/unknown command/)
    const missing = loket(['user', 'create', '--email', 'a@b.nl'])
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/required option/)
    const role = loket(['user', 'create', '--email', 'a@b.nl', '--name', 'A', '--role', 'king'])
    expect(role.code).toBe(2)
    expect(role.err).toMatch(/Allowed choices/)
    const short = loket(['user', 'create', '--email', 'a@b.nl', '--name', 'A', '--role', 'agent', '--password', 'kort'])
    expect(short.code).toBe(2)
    expect(short.err).toMatch(/at least 8/)
    const nameless = loket(['user', 'create', '--email', 'a@b.nl', '--name', ' ', '--role', 'agent'])
    expect(nameless.code).toBe(2)
    expect(nameless.err).toMatch(/--name must not be empty/)
  })

  it('migrates, creates a user and prints a working token', () => {
    expect(loket(['migrate']).code).toBe(0)
    const created = loket(['user', 'create', '--email', 'Beheer@Example.nl', '--name', 'Beheerder', '--role', 'admin', '--password', 'lang-genoeg'])
    expect(created.code, created.err).toBe(0)
    expect(created.out).toContain('beheer@example.nl')
    const again = loket(['user', 'create', '--email', 'beheer@example.nl', '--name', 'X', '--role', 'admin'])
    expect(again.code).toBe(2)
    expect(again.err).toMatch(/already exists/)
    const token = loket(['token', 'create', '--email', 'beheer@example.nl'])
    expect(token.code, token.err).toBe(0)
    expect(token.out.trim()).toMatch(/^lkt_[\w-]{40,}$/)
    expect(loket(['token', 'create', '--email', 'nobody@example.nl']).code).toBe(2)
  })

  it('lists and revokes tokens, and gives a token an expiry', () => {
    expect(loket(['user', 'create', '--email', 'script@example.nl', '--name', 'Script', '--role', 'agent']).code).toBe(0)
    const made = loket(['token', 'create', '--email', 'script@example.nl', '--name', 'nachtelijk', '--expires', '2099-01-01'])
    expect(made.code, made.err).toBe(0)
    expect(loket(['token', 'create', '--email', 'script@example.nl', '--expires', 'ooit']).code).toBe(2)
    const listed = loket(['token', 'list', '--email', 'script@example.nl'])
    expect(listed.code, listed.err).toBe(0)
    expect(listed.out).not.toContain(made.out.trim())
    const line = listed.out.trim().split('\n').find((l) => l.includes('nachtelijk'))!
    expect(line).toContain('expires 2099-01-01T00:00:00.000Z')
    expect(line).toContain('last used never')
    const id = line.split('  ')[0]
    const revoked = loket(['token', 'revoke', id])
    expect(revoked.code, revoked.err).toBe(0)
    expect(revoked.out).toContain(`Revoked token ${id}`)
    expect(loket(['token', 'list', '--email', 'script@example.nl']).out).not.toContain('nachtelijk')
    expect(loket(['token', 'revoke', id]).code).not.toBe(0)
    expect(loket(['token', 'revoke', 'onbekend']).code).toBe(2)
  })

  it('stops start-up with one line naming a wrong variable', () => {
    for (const [name, value] of [
      ['PORT', 'abc'],
      ['DATABASE_URL', 'mysql://x'],
      ['LOKET_SECRET', 'short'],
      ['LOKET_PUBLIC_URL', 'ftp://x'],
      ['LOG_LEVEL', 'loud'],
      ['LOKET_TRUST_PROXY', 'nginx'],
      // Well-formed but unreachable: still one line, no driver stack trace, no password.
      ['DATABASE_URL', 'postgres://loket:geheim@127.0.0.1:1/loket'],
    ]) {
      const r = loket(['serve'], { [name]: value })
      expect(r.code, `${name}=${value}`).toBe(2)
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1)
      expect(r.err).toContain(name)
      expect(r.err).not.toContain('geheim')
    }
    expect(loket(['migrate'], { DATABASE_URL: 'postgres://loket@127.0.0.1:1/loket' }).err).toMatch(/^Configuration error: DATABASE_URL: cannot connect/)
  })

  it('names PORT or HOST when the server cannot listen there', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as AddressInfo
    try {
      for (const [name, extra] of [['PORT', { PORT: String(port), HOST: '127.0.0.1' }], ['HOST', { PORT: '0', HOST: '192.0.2.1' }]] as const) {
        const r = loket(['serve', '--roles=web'], { LOG_LEVEL: 'warn', ...extra })
        expect(r.code, r.err).toBe(2)
        expect(r.err.trim().split('\n'), r.err).toHaveLength(1)
        expect(r.err).toContain(`Configuration error: ${name}:`)
      }
    } finally {
      taken.close()
    }
  })
})
