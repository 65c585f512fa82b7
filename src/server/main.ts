import v8 from 'node:v8'
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { type Config, ConfigError, loadConfig } from './config.js'
import { createRuntime } from './runtime.js'
import { DEMO_LOGINS, seedDemo } from './demo/seed-demo.js'
import { pino } from 'pino'

export interface ServeOptions {
  demo: boolean
  roles: ('web' | 'worker')[]
}

/** Starts a Loket process: migrate, (demo data), HTTP and/or job workers, graceful stop on SIGTERM. */
export async function serve(options: ServeOptions, config: Config = loadConfig()) {
  // V8 lets the heap grow to about four times what is live before a full collection when collections
  // look cheap; a server that allocates fast then holds 100+ MB of garbage. 1.5 times keeps it near
  // what it uses, for a few milliseconds more of (incremental) collection per second under load.
  v8.setFlagsFromString('--heap-growing-percent=50')
  // Asynchronous writes, 4 KB or a quarter of a second at a time: one write per line was a tenth of the
  // event loop's time under load. pino flushes what is pending when the process exits.
  const logger = pino({ level: config.logLevel }, pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 }))
  // Worker processes run the jobs and the outbox's handlers (stream fan-out, deliveries, webhooks).
  const runtime = await createRuntime(config, { logger, backgroundCheckpoints: true, reactions: options.roles.includes('worker') })
  if (options.demo) {
    const seeded = await seedDemo(runtime)
    if (seeded) logger.info(`demo data loaded: ${seeded.tickets} tickets`)
  }
  const app = options.roles.includes('web') ? await buildApp(runtime, { logger }) : undefined
  if (options.roles.includes('worker')) {
    runtime.deps.jobs.start(8) // jobs wait on mail servers more than on the CPU
    await runtime.services.audit.scheduleRotation()
    await runtime.services.notifications.schedulePruning()
    await runtime.services.privacy.scheduleRetention()
    await runtime.services.knowledge.scheduleReviews()
    await runtime.services.tickets.timers.schedule()
    await runtime.email.start()
  }

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'stopping after an error')
    else logger.info(`${signal}: finishing requests in flight, then stopping`)
    await app?.close()
    await runtime.close()
  })

  if (app) {
    let address: string
    try {
      address = await app.listen({ port: config.port, host: config.host })
    } catch (err) {
      await app.close().catch(() => {})
      await runtime.close().catch(() => {})
      throw listenError(err, config)
    }
    const url = config.publicUrl
    console.log(`\nLoket is running at ${url}  (listening on ${address}, database: ${config.db.kind})`)
    if (options.demo) {
      console.log('\nDemo logins (password for all: ' + DEMO_LOGINS.password + '):')
      for (const login of DEMO_LOGINS.users) console.log(`  ${login.role.padEnd(11)} ${login.email.padEnd(34)} ${login.description}`)
    }
    console.log(`\nAPI: ${url}/api/v1  (OpenAPI: ${url}/api/v1/openapi.json)\n`)
  }
  return { app, runtime }
}

/** A port that is taken or not allowed, or a host that is not this machine's: one line naming the variable. */
function listenError(err: unknown, config: Config): unknown {
  const code = (err as { code?: unknown })?.code
  if (code === 'EADDRINUSE') return new ConfigError('PORT', `${config.port} is already in use on ${config.host}; stop the other program or choose another PORT`)
  if (code === 'EACCES') return new ConfigError('PORT', `${config.port} may not be used by this user (ports below 1024 need extra rights); choose another PORT`)
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAFNOSUPPORT') {
    return new ConfigError('HOST', `cannot listen on "${config.host}": it is not an address of this machine (${String(code)}); use e.g. 0.0.0.0, 127.0.0.1 or ::`)
  }
  return err
}
