import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import type { Actor } from '../src/server/accounts/actor.js'
import { buildApp } from '../src/server/app.js'
import type { Config } from '../src/server/config.js'
import { createRuntime, type Runtime } from '../src/server/runtime.js'
import { SYSTEM_ACTOR, testConfig } from '../src/server/test/test-app.js'
import type { User } from '../src/shared/api/accounts.js'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.js'
export { CHROMIUM, CHROMIUM_ARGS }
export const PASSWORD = 'loket-e2e-wachtwoord'

/**
 * Builds the agent app and the customer portal with Vite into a folder of this test run. Not dist/web: `npm run build` elsewhere
 * empties and refills that folder, which would pull the files from under a running test server.
 */
export async function buildWeb(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'loket-e2e-web-'))
  const { build } = await import('vite')
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } })
  // The customer portal, served at /portal from the same folder.
  await build({ configFile: join(ROOT, 'vite.portal.config.ts'), logLevel: 'warn', build: { outDir: join(outDir, 'portal'), emptyOutDir: true } })
  for (const page of ['index.html', 'portal/index.html']) {
    if (!existsSync(join(outDir, page))) throw new Error(`vite build wrote no ${page} to ${outDir}`)
  }
  return outDir
}

export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: the browser tests cannot run. Install Debian's package: apt-get install -y chromium`)
  }
  return CHROMIUM
}

/** A seeded person: every one has an e-mail address. */
type SeededUser = User & { email: string }

export interface Seeded {
  anna: SeededUser
  bram: SeededUser
  /** only in a back office (2nd line, no direct customer replies) */
  carla: SeededUser
  customers: SeededUser[]
  groups: { servicedesk: string; vergunningen: string }
  ticketIds: string[]
  chatTicketId: string
}

export interface Loket {
  url: string
  runtime: Runtime
  app: FastifyInstance
  seed: Seeded
  actorOf(user: User): Actor
  close(): Promise<void>
}

const asActor = (user: User): Actor => ({ user, via: 'system' })

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/**
 * A real Loket on a fresh SQLite database, listening on a free port (or the given one, when the
 * configuration must name its address), with a small Dutch service desk.
 */
export async function startLoket(webRoot: string, options: { port?: number; config?: Partial<Config> } = {}): Promise<Loket> {
  const loket = await startServer(webRoot, options)
  return { ...loket, seed: await seedWorkspace(loket.runtime) }
}

/** A Loket as it is after installing: one administrator (beheer@gemeente-loket.nl) and nothing else. */
export async function startEmptyLoket(webRoot: string): Promise<Omit<Loket, 'seed'>> {
  const loket = await startServer(webRoot, {})
  await loket.runtime.services.accounts.createUser(SYSTEM_ACTOR, { email: 'beheer@gemeente-loket.nl', name: 'Ruud Vermeulen', role: 'admin', password: PASSWORD })
  return loket
}

async function startServer(webRoot: string, options: { port?: number; config?: Partial<Config> }): Promise<Omit<Loket, 'seed'>> {
  const dir = mkdtempSync(join(tmpdir(), 'loket-e2e-'))
  // The browser's pages come from this address: it is the public URL, whose origin may open the stream.
  const port = options.port ?? (await freePort())
  const runtime = await createRuntime(testConfig({ kind: 'sqlite', file: join(dir, 'loket.sqlite') }, dir, { publicUrl: `http://127.0.0.1:${port}`, ...options.config }))
  const app = await buildApp(runtime, { webRoot, loginRateLimit: 1000 })
  await app.listen({ port, host: '127.0.0.1' })
  return {
    url: `http://127.0.0.1:${port}`,
    runtime,
    app,
    actorOf: asActor,
    async close() {
      await app.close()
      await runtime.close()
      rmSync(dir, { recursive: true, force: true })
      rmSync(webRoot, { recursive: true, force: true })
    },
  }
}

async function seedWorkspace(runtime: Runtime): Promise<Seeded> {
  const { accounts, desk, organisations, tickets } = runtime.services
  const sys = SYSTEM_ACTOR
  const dept = await desk.createDepartment(sys, { name: 'Servicedesk', customerReplyAllowed: true })
  const backOffice = await desk.createDepartment(sys, { name: 'Vergunningen', customerReplyAllowed: false })
  const anna = await accounts.createUser(sys, { email: 'anna@gemeente-loket.nl', name: 'Anna de Vries', role: 'agent', password: PASSWORD })
  const bram = await accounts.createUser(sys, { email: 'bram@gemeente-loket.nl', name: 'Bram Jansen', role: 'agent', password: PASSWORD, language: 'en' })
  const servicedesk = await desk.createGroup(sys, { name: '1e lijn Servicedesk', departmentId: dept.id, line: 1, memberIds: [anna.id, bram.id] })
  const carla = await accounts.createUser(sys, { email: 'carla@gemeente-loket.nl', name: 'Carla Smit', role: 'agent', password: PASSWORD })
  const vergunningen = await desk.createGroup(sys, { name: 'Team Vergunningen', departmentId: backOffice.id, line: 2, memberIds: [bram.id, carla.id] })
  const org = await organisations.create(sys, { name: 'Bakkerij Van Dam', domains: ['bakkerijvandam.nl'] })
  const customers = [
    await accounts.createUser(sys, { email: 'jan@bakkerijvandam.nl', name: 'Jan van Dam', role: 'customer', organisationId: org.id, phone: '+31 6 12345678' }),
    await accounts.createUser(sys, { email: 'fatima.elamrani@example.nl', name: 'Fatima El Amrani', role: 'customer' }),
    await accounts.createUser(sys, { email: 'p.dekker@example.nl', name: 'Pieter Dekker', role: 'customer' }),
  ]
  const ids: string[] = []
  // Ticket changes are recorded with their author, so they need a real user (not the system actor).
  const admin = asActor(await accounts.createUser(sys, { email: 'beheer@gemeente-loket.nl', name: 'Ruud Vermeulen', role: 'admin', password: PASSWORD }))
  const open = async (subject: string, body: string, who: SeededUser, extra: Record<string, unknown> = {}) => {
    const tk = await tickets.create(admin, { subject, body, requester: { email: who.email, name: who.name }, groupId: servicedesk.id, ...extra })
    ids.push(tk.id)
    return tk
  }
  const t1 = await open(
    'Vraag over mijn terrasvergunning',
    'Goedemiddag,\n\nIk heb drie weken geleden een terrasvergunning aangevraagd maar nog niets gehoord. Kunt u zeggen hoe het ervoor staat?\n\nMet vriendelijke groet,\nJan van Dam\n\nOp 1 november 2026 schreef Gemeente Loket:\n> Wij hebben uw aanvraag ontvangen.\n> Zaaknummer Z-2026-1234.',
    customers[0],
    { channel: 'email', priority: 'high', type: 'request', tags: ['vergunning'] },
  )
  await tickets.addArticle(asActor(anna), t1.id, { body: 'Aanvraag staat bij Team Vergunningen, wacht op advies brandweer.', visibility: 'internal' })
  await tickets.addArticle(asActor(anna), t1.id, { body: 'Beste heer Van Dam,\n\nUw aanvraag wordt behandeld; u hoort binnen vijf werkdagen van ons.\n\nMet vriendelijke groet,\nAnna de Vries', visibility: 'public' })
  // The customer answers from the portal in HTML, quoting the earlier reply.
  await tickets.addArticle(asActor(customers[0]), t1.id, {
    body: '<p>Dank u. Hoe lang duurt het advies van de <b>brandweer</b> meestal?</p><img src="https://tracker.example/pixel.gif" alt="" width="1" height="1"><blockquote><p>Uw aanvraag wordt behandeld; u hoort binnen vijf werkdagen van ons.</p></blockquote><script>alert(1)</script>',
    contentType: 'text/html',
  })
  await open('Afspraak paspoort verzetten', 'Ik wil mijn afspraak voor een nieuw paspoort van donderdag naar volgende week verzetten.', customers[1], { channel: 'phone' })
  await open('Container niet geleegd', 'De groene container in de Lindenlaan is deze week niet geleegd.', customers[2], { channel: 'portal', type: 'complaint' })
  await open('Parkeervergunning bezoek', 'Hoe vraag ik een bezoekersvergunning aan voor parkeren?', customers[1], { channel: 'chat', type: 'question', priority: 'low' })
  await open('Storing website afvalkalender', 'De afvalkalender op de website laadt niet.', customers[0], { channel: 'email', type: 'incident', priority: 'urgent' })
  const t6 = await open('Bezwaar WOZ-beschikking', 'Ik wil bezwaar maken tegen de WOZ-waarde van mijn woning.', customers[2], { channel: 'email' })
  await tickets.update(admin, t6.id, t6.version, { assigneeId: anna.id, status: 'open' })
  // A chat as the widget hands it over: one transcript; answered in the chat, so it is resolved already.
  const chat = await tickets.ingest({
    channel: 'chat',
    sourceId: 'chat-e2e-1',
    from: { kind: 'email', address: customers[1].email, name: customers[1].name },
    subject: 'Chat: openingstijden milieustraat',
    body: '[10:02] Fatima: Hoe laat is de milieustraat zaterdag open?\n[10:03] Anna: Goedemorgen Fatima, zaterdag van 9.00 tot 16.00 uur.\n[10:03] Fatima: Dank je!',
    contentType: 'text/plain',
    metadata: { transcript: true, agent: 'Anna de Vries' },
  })
  const chatTicket = await tickets.get(admin, chat.ticket.id)
  await tickets.update(admin, chatTicket.id, chatTicket.version, { status: 'resolved' })
  return { anna, bram, carla, customers, groups: { servicedesk: servicedesk.id, vergunningen: vergunningen.id }, ticketIds: ids, chatTicketId: chat.ticket.id }
}
