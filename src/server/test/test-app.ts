import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { buildApp } from '../app.js'
import type { Config } from '../config.js'
import type { DbConfig } from '../db/config.js'
import { createRuntime, type Runtime } from '../runtime.js'
import { systemActor } from '../accounts/actor.js'
import type { Role } from '../../shared/api/accounts.js'
import type { TestDatabase } from './databases.js'

export interface TestApp {
  app: FastifyInstance
  runtime: Runtime
  /** Creates a user and returns a bearer token for them. */
  user(role: Role, fields?: { email?: string; name?: string; password?: string; organisationId?: string | null; groupIds?: string[] }): Promise<{ id: string; email: string; token: string; auth: { authorization: string } }>
  request(opts: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

export const SYSTEM_ACTOR = systemActor('test')

export function testConfig(db: DbConfig, dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    db,
    port: 0,
    host: '127.0.0.1',
    secret: Buffer.alloc(32, 7),
    publicUrl: 'http://localhost',
    dataDir,
    attachmentMaxBytes: 5 * 1024 * 1024,
    bodyLimitBytes: 2 * 1024 * 1024,
    logLevel: 'silent',
    subjectTagLabel: 'Loket',
    auditRetentionDays: 365,
    notificationRetentionDays: 90,
    ...overrides,
  }
}

let counter = 0

/** A full Loket (migrated database, services, HTTP app) on a fresh database of the given kind. */
export async function createTestApp(database: TestDatabase, options: { loginRateLimit?: number; customerTicketLimit?: number; config?: Partial<Config> } = {}): Promise<TestApp> {
  const created = await database.create()
  const dataDir = mkdtempSync(join(tmpdir(), 'loket-data-'))
  const runtime = await createRuntime(testConfig(created.config, dataDir, options.config))
  const app = await buildApp(runtime, { loginRateLimit: options.loginRateLimit ?? 1000, customerTicketLimit: options.customerTicketLimit ?? 1000, webRoot: join(dataDir, 'no-web') })
  await app.ready()
  return {
    app,
    runtime,
    async user(role, fields = {}) {
      const n = ++counter
      const email = fields.email ?? `${role}${n}.${process.pid}@test.loket.nl`
      const user = await runtime.services.accounts.createUser(SYSTEM_ACTOR, {
        email,
        name: fields.name ?? `${role} ${n}`,
        role,
        password: fields.password,
        organisationId: fields.organisationId,
        groupIds: fields.groupIds,
      })
      const { token } = await runtime.services.accounts.createToken(SYSTEM_ACTOR, user.id, 'test')
      return { id: user.id, email, token, auth: { authorization: `Bearer ${token}` } }
    },
    request({ token, headers, ...opts }) {
      return app.inject({ ...opts, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } })
    },
    async close() {
      await app.close()
      await runtime.close()
      await created.drop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
