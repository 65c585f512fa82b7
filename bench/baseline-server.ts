/**
 * The baseline for ticket creation, the strongest bare insert: a plain `node:http` server that, per
 * request, parses the JSON body and writes the same rows as Loket does for a new ticket (requester
 * lookup or insert, ticket number — a counter row on SQLite, the year's sequence on PostgreSQL, as
 * Loket —, ticket, history row, first article, search entry) in one transaction of prepared
 * statements, with the same SQLite settings as Loket's connection (openSqlite): no framework, no
 * authentication, no validation, no domain logic, no ORM, no events. On PostgreSQL, plain `pg` with
 * named (prepared) statements. Run as its own process: DATABASE_URL=… PORT=… node baseline-server.js
 */
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import pg from 'pg'
import { openSqlite } from '../src/server/db/sqlite/connection.js'
import { expandForIndex, foldText } from '../src/server/db/text-search.js'

interface Body {
  subject: string
  body: string
  requester: { email: string; name?: string }
}

const url = process.env.DATABASE_URL ?? ''
const port = Number(process.env.PORT ?? 0)
const now = () => new Date().toISOString()
const domainOf = (email: string) => email.slice(email.lastIndexOf('@') + 1)

type Create = (b: Body) => Promise<{ id: string; number: string }>

function sqliteCreate(file: string): { create: Create; ready: () => Promise<void>; close: () => Promise<void> } {
  // Loket's server connection's settings, with the write-ahead log checkpointed as Loket's serve does.
  const db = openSqlite(file, { autocheckpointPages: 40_000 })
  const group = db.prepare('SELECT id, department_id FROM agent_group WHERE line = 1 ORDER BY created_at, id LIMIT 1').get() as { id: string; department_id: string }
  const findUser = db.prepare('SELECT id, organisation_id FROM app_user WHERE email = ?')
  const findOrg = db.prepare('SELECT organisation_id FROM organisation_domain WHERE domain = ?')
  const insertUser = db.prepare(
    `INSERT INTO app_user (id, email, name, role, password_hash, organisation_id, language, phone, active, created_at, updated_at)
     VALUES (?, ?, ?, 'customer', NULL, ?, 'nl', NULL, 1, ?, ?)`,
  )
  const nextNumber = db.prepare('INSERT INTO ticket_counter (year, value) VALUES (?, 1) ON CONFLICT (year) DO UPDATE SET value = ticket_counter.value + 1 RETURNING value')
  const insertTicket = db.prepare(
    `INSERT INTO ticket (id, number, subject, status, priority, type, channel, requester_id, organisation_id, department_id, group_id,
       assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at, version)
     VALUES (?, ?, ?, 'new', 'normal', 'question', 'api', ?, ?, ?, ?, NULL, ?, ?, NULL, NULL, NULL, 1)`,
  )
  const insertHistory = db.prepare(`INSERT INTO ticket_history (id, ticket_id, actor_id, field, old_value, new_value, created_at) VALUES (?, ?, NULL, 'created', NULL, ?, ?)`)
  const insertArticle = db.prepare(
    `INSERT INTO article (id, ticket_id, channel, direction, visibility, author_id, body, content_type, source_id, metadata, created_at)
     VALUES (?, ?, 'api', 'in', 'public', ?, ?, 'text/plain', NULL, '{}', ?)`,
  )
  const insertSearch = db.prepare('INSERT INTO search_entry (ticket_id, content) VALUES (?, ?)')
  const create = db.transaction((b: Body) => {
    const at = now()
    const email = b.requester.email.toLowerCase()
    let user = findUser.get(email) as { id: string; organisation_id: string | null } | undefined
    if (!user) {
      const org = findOrg.get(domainOf(email)) as { organisation_id: string } | undefined
      user = { id: randomUUID(), organisation_id: org?.organisation_id ?? null }
      insertUser.run(user.id, email, b.requester.name ?? email, user.organisation_id, at, at)
    }
    const year = new Date().getUTCFullYear()
    const seq = (nextNumber.get(year) as { value: number }).value
    const id = randomUUID()
    const number = `${year}-${String(seq).padStart(5, '0')}`
    insertTicket.run(id, number, b.subject, user.id, user.organisation_id, group.department_id, group.id, at, at)
    insertHistory.run(randomUUID(), id, number, at)
    insertArticle.run(randomUUID(), id, user.id, b.body, at)
    insertSearch.run(id, expandForIndex(`${b.subject}\n${b.body}`))
    return { id, number }
  })
  return { create: async (b) => create(b), ready: async () => {}, close: async () => void db.close() }
}

function postgresCreate(connectionString: string): { create: Create; ready: () => Promise<void>; close: () => Promise<void> } {
  const pool = new pg.Pool({ connectionString, max: 10 })
  let group: { id: string; department_id: string }
  const q = (client: pg.PoolClient, name: string, text: string, values: unknown[]) => client.query({ name, text, values })
  return {
    async ready() {
      group = (await pool.query('SELECT id, department_id FROM agent_group WHERE line = 1 ORDER BY created_at, id LIMIT 1')).rows[0]
      // Numbers as Loket draws them on PostgreSQL: from the year's sequence (created once, after the
      // numbers already handed out), not from a counter row that every creation would queue on.
      const year = new Date().getUTCFullYear()
      const { rows } = await pool.query(
        `SELECT greatest(coalesce((SELECT value FROM ticket_counter WHERE year = $1), 0),
                         coalesce((SELECT max(split_part(number, '-', 2)::int) FROM ticket WHERE number LIKE $2), 0)) AS n`,
        [year, `${year}-%`],
      )
      await pool.query(`CREATE SEQUENCE IF NOT EXISTS ticket_number_${year} START WITH ${Number(rows[0].n) + 1}`)
    },
    close: () => pool.end(),
    async create(b) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const at = now()
        const email = b.requester.email.toLowerCase()
        let user = (await q(client, 'find_user', 'SELECT id, organisation_id FROM app_user WHERE email = $1', [email])).rows[0] as
          | { id: string; organisation_id: string | null }
          | undefined
        if (!user) {
          const org = (await q(client, 'find_org', 'SELECT organisation_id FROM organisation_domain WHERE domain = $1', [domainOf(email)])).rows[0]
          const id = randomUUID()
          await q(
            client,
            'insert_user',
            `INSERT INTO app_user (id, email, name, role, password_hash, organisation_id, language, phone, active, created_at, updated_at)
             VALUES ($1, $2, $3, 'customer', NULL, $4, 'nl', NULL, 1, $5, $5) ON CONFLICT (email) DO NOTHING`,
            [id, email, b.requester.name ?? email, org?.organisation_id ?? null, at],
          )
          user = (await q(client, 'find_user', 'SELECT id, organisation_id FROM app_user WHERE email = $1', [email])).rows[0]
        }
        const year = new Date().getUTCFullYear()
        const seq = Number((await q(client, 'next_number', `SELECT nextval('ticket_number_${year}') AS value`, [])).rows[0].value)
        const id = randomUUID()
        const number = `${year}-${String(seq).padStart(5, '0')}`
        await q(
          client,
          'insert_ticket',
          `INSERT INTO ticket (id, number, subject, status, priority, type, channel, requester_id, organisation_id, department_id, group_id,
             assignee_id, created_at, updated_at, first_response_at, resolved_at, closed_at, version)
           VALUES ($1, $2, $3, 'new', 'normal', 'question', 'api', $4, $5, $6, $7, NULL, $8, $8, NULL, NULL, NULL, 1)`,
          [id, number, b.subject, user!.id, user!.organisation_id, group.department_id, group.id, at],
        )
        await q(client, 'insert_history', `INSERT INTO ticket_history (id, ticket_id, actor_id, field, old_value, new_value, created_at) VALUES ($1, $2, NULL, 'created', NULL, $3, $4)`, [
          randomUUID(), id, number, at,
        ])
        await q(
          client,
          'insert_article',
          `INSERT INTO article (id, ticket_id, channel, direction, visibility, author_id, body, content_type, source_id, metadata, created_at)
           VALUES ($1, $2, 'api', 'in', 'public', $3, $4, 'text/plain', NULL, '{}', $5)`,
          [randomUUID(), id, user!.id, b.body, at],
        )
        const text = foldText(`${b.subject}\n${b.body}`)
        await q(
          client,
          'insert_search',
          `INSERT INTO search_entry (id, ticket_id, tsv) VALUES ($1, $2, to_tsvector('dutch', $3) || to_tsvector('english', $3) || to_tsvector('simple', $3))`,
          [randomUUID(), id, text],
        )
        await client.query('COMMIT')
        return { id, number }
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        client.release()
      }
    },
  }
}

const store = url.startsWith('sqlite:') ? sqliteCreate(url.slice('sqlite:'.length)) : postgresCreate(url)
await store.ready()
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/readyz') {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}')
    return
  }
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    store
      .create(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body)
      .then((created) => res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(created)))
      .catch((err: unknown) => res.writeHead(500).end(String(err)))
  })
})
server.listen(port, '127.0.0.1')
process.once('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  void store.close().then(() => process.exit(0))
})
