import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { ConfigError, databaseStartError, loadConfig } from '../config.js'
import { createDb } from '../db/create-db.js'
import { migrateToLatest } from '../db/migrate.js'
import { DEMO_LOGINS, seedDemo } from '../demo/seed-demo.js'
import { AppError } from '../errors.js'
import { createRuntime } from '../runtime.js'
import { serve } from '../main.js'
import { systemActor } from '../accounts/actor.js'

/** The CLI acts with full rights: whoever runs it already holds the server's data and configuration. */
const SYSTEM = systemActor('Loket CLI')

const ROLES = ['admin', 'supervisor', 'agent', 'customer'] as const

/** A wrong argument noticed by a command itself: printed as one line, exit code 2. */
class UsageError extends Error {}

function parseRoles(value: string) {
  const roles = value.split(',').map((r) => r.trim())
  for (const r of roles) if (r !== 'web' && r !== 'worker') throw new InvalidArgumentError(`unknown role "${r}" (use web, worker)`)
  return roles as ('web' | 'worker')[]
}

async function withRuntime<T>(fn: (runtime: Awaited<ReturnType<typeof createRuntime>>) => Promise<T>) {
  // A command's events are left to the servers' dispatchers (reactions in worker processes).
  const runtime = await createRuntime(loadConfig(), { reactions: false })
  try {
    return await fn(runtime)
  } finally {
    await runtime.close()
  }
}

const program = new Command()
program
  .name('loket')
  .description('Loket, the shared service desk. Configuration comes from the environment: DATABASE_URL, PORT, HOST, LOKET_SECRET, LOKET_PUBLIC_URL.')
  .showHelpAfterError()
  .exitOverride()

program
  .command('serve')
  .description('Start the server (migrates the database first)')
  .option('--demo', 'load the demo organisation on first start (empty database)', false)
  .option('--roles <roles>', 'what this process runs: web, worker or both', parseRoles, ['web', 'worker'] as ('web' | 'worker')[])
  .action(async (opts: { demo: boolean; roles: ('web' | 'worker')[] }) => {
    await serve({ demo: opts.demo, roles: opts.roles })
  })

program
  .command('migrate')
  .description('Bring the database schema up to date (safe to run again, and from several processes)')
  .action(async () => {
    const { db } = loadConfig()
    let database: ReturnType<typeof createDb>
    try {
      database = createDb(db)
    } catch (err) {
      throw databaseStartError(err, db)
    }
    try {
      const applied = await migrateToLatest(database).catch((err: unknown) => {
        throw databaseStartError(err, db)
      })
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.')
    } finally {
      await database.close()
    }
  })

program
  .command('seed-demo')
  .description('Load the demo organisation, tickets and logins into an empty database')
  .action(() =>
    withRuntime(async (runtime) => {
      const seeded = await seedDemo(runtime)
      if (!seeded) {
        console.log('The database already has users; demo data is only loaded into an empty database.')
        return
      }
      console.log(`Demo data loaded: ${seeded.tickets} tickets. Logins (password ${DEMO_LOGINS.password}):`)
      for (const u of DEMO_LOGINS.users) console.log(`  ${u.role.padEnd(11)} ${u.email}`)
    }),
  )

const user = program.command('user').description('Manage users')
user
  .command('create')
  .description('Create a user (staff or customer)')
  .requiredOption('--email <email>', 'e-mail address (the login)')
  .requiredOption('--name <name>', 'full name')
  .addOption(new Option('--role <role>', 'role').choices(ROLES).makeOptionMandatory())
  .option('--password <password>', 'password (at least 8 characters); without one the user cannot log in yet')
  .option('--language <language>', 'nl or en', 'nl')
  .action((opts: { email: string; name: string; role: (typeof ROLES)[number]; password?: string; language: string }) =>
    withRuntime(async (runtime) => {
      if (opts.language !== 'nl' && opts.language !== 'en') throw new UsageError('--language must be nl or en')
      if (opts.password !== undefined && opts.password.length < 8) throw new UsageError('--password must be at least 8 characters')
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(opts.email)) throw new UsageError(`--email is not an e-mail address: ${opts.email}`)
      if (!opts.name.trim()) throw new UsageError('--name must not be empty')
      if (opts.name.length > 200) throw new UsageError('--name must be at most 200 characters')
      const created = await runtime.services.accounts.createUser(SYSTEM, {
        email: opts.email,
        name: opts.name,
        role: opts.role,
        password: opts.password,
        language: opts.language,
      })
      console.log(`Created ${created.role} ${created.email} (id ${created.id})`)
    }),
  )

const token = program.command('token').description('Manage personal API tokens')
token
  .command('create')
  .description('Create a personal API token for a user and print it (shown only once)')
  .requiredOption('--email <email>', 'the user the token acts as')
  .option('--name <name>', 'what the token is for', 'cli')
  .option('--expires <date>', 'refuse the token from this date and time on (ISO 8601, e.g. 2027-06-30 or 2027-06-30T17:00:00Z)')
  .action((opts: { email: string; name: string; expires?: string }) =>
    withRuntime(async (runtime) => {
      if (!opts.name.trim() || opts.name.length > 100) throw new UsageError('--name must be 1 to 100 characters')
      if (opts.expires !== undefined && Number.isNaN(Date.parse(opts.expires))) throw new UsageError(`--expires is not a date: ${opts.expires}`)
      const userId = await runtime.services.accounts.userIdByEmail(opts.email)
      if (!userId) throw new UsageError(`no user with e-mail ${opts.email}`)
      const created = await runtime.services.accounts.createToken(SYSTEM, userId, opts.name, { expiresAt: opts.expires })
      console.log(created.token)
    }),
  )
token
  .command('list')
  .description("List a user's API tokens (id, name, created, expires, last used; never the secret)")
  .requiredOption('--email <email>', 'whose tokens')
  .action((opts: { email: string }) =>
    withRuntime(async (runtime) => {
      const userId = await runtime.services.accounts.userIdByEmail(opts.email)
      if (!userId) throw new UsageError(`no user with e-mail ${opts.email}`)
      for (const t of await runtime.services.accounts.listTokens(SYSTEM, userId)) {
        console.log([t.id, t.name, `created ${t.createdAt}`, `expires ${t.expiresAt ?? 'never'}`, `last used ${t.lastUsedAt ?? 'never'}`].join('  '))
      }
    }),
  )
token
  .command('revoke')
  .description('Revoke an API token at once (its id, from `token list` or the API)')
  .argument('<id>', 'the token id')
  .action((id: string) =>
    withRuntime(async (runtime) => {
      const userId = await runtime.services.accounts.tokenOwner(id)
      if (!userId) throw new UsageError(`no token with id ${id}`)
      await runtime.services.accounts.revokeToken(SYSTEM, userId, id)
      console.log(`Revoked token ${id}`)
    }),
  )

try {
  await program.parseAsync(process.argv)
} catch (err) {
  // Thrown by our own actions (commander prints the ones it raises while parsing).
  if (err instanceof UsageError) {
    console.error(`error: ${err.message}`)
    process.exit(2)
  }
  if (err instanceof CommanderError) {
    // Help and version end normally; a usage mistake ends with 2 after commander printed why.
    process.exit(err.exitCode === 0 ? 0 : 2)
  }
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`)
    process.exit(2)
  }
  if (err instanceof AppError) {
    console.error(`error: ${err.message}`)
    process.exit(err.code === 'validation' || err.code === 'conflict' ? 2 : 1)
  }
  console.error(err)
  process.exit(1)
}
