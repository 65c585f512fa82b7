import type { Priority, TicketStatus, UpdateTicketBody } from '../../shared/api/tickets.js'
import { type Actor, systemActor } from '../accounts/actor.js'
import type { OutboxWriter } from '../outbox/outbox.js'
import type { Clock } from '../clock.js'
import type { Runtime } from '../runtime.js'
import { createServices, type Services } from '../services.js'
import {
  CUSTOMER_ORGANISATIONS, DEMO_MAILBOX, DEPARTMENTS, DESK_NAME, FIRST_NAMES, GROUPS, type GroupKey, LAST_NAMES, LOCAL_ADMINISTRATORS, PORTAL_CUSTOMERS, PRIVATE_DOMAIN,
  PRIVATE_PEOPLE, type RequesterKind, STAFF, type DemoStaff,
} from './demo-organisation.js'
import { seedCatalogue } from './demo-catalogue.js'
import { seedKnowledge } from './demo-knowledge.js'
import { seedHandoffs } from './demo-handoffs.js'
import { BUILDINGS, DESK_NOTES, TEAMS, ESCALATED, INTERIM, SCENARIOS, type Scenario, THANKS } from './demo-scenarios.js'
import { Rng } from './random.js'

const PASSWORD = 'loket-demo'

/** Printed by `loket serve --demo` and `loket seed-demo`: one password for every demo account. */
export const DEMO_LOGINS = {
  password: PASSWORD,
  users: [
    { role: 'admin', email: 'ruud.vermeulen@sc-lingedal.example', description: 'Ruud Vermeulen, administrator (beheerder): departments, groups, users' },
    { role: 'supervisor', email: 'marieke.deboer@sc-lingedal.example', description: 'Marieke de Boer, team lead (teamleider) of the service desk' },
    { role: 'supervisor', email: 'hanneke.visser@sc-lingedal.example', description: 'Hanneke Visser, team lead (teamleider) of ICT: sees its handoffs past their target under "Te late overdrachten"' },
    { role: 'agent', email: 'sanne.dekker@sc-lingedal.example', description: 'Sanne Dekker, service desk agent (1st line)' },
    { role: 'agent', email: 'kees.hoogland@sc-lingedal.example', description: 'Kees Hoogland, specialist in ICT Applicatiebeheer (2nd line)' },
    { role: 'customer', email: 'anna.jansen@lingedal.example', description: 'Anna Jansen, Gemeente Lingedal: a customer (lands in the customer portal at /portal; sees only her own tickets)' },
    { role: 'customer', email: 'peter@hoekstra.example', description: 'Peter Hoekstra, Installatietechniek Hoekstra: a customer (sees only his own tickets)' },
  ] as { role: string; email: string; description: string }[],
}

export interface SeedOptions {
  /** The moment the demo ends at (default: now). Tickets spread over the six weeks before it. */
  now?: Date
  /** Content seed: the same seed gives the same organisation, people and conversations. */
  seed?: number
  /** How many tickets (default 420). */
  tickets?: number
}

const DEFAULT_SEED = 20_261_123
const DEFAULT_TICKETS = 420
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
/** Admin rights for setting up: departments, groups and staff, as the CLI does. */
const SYSTEM = systemActor('Loket demo')

/** Status mix of a desk that keeps up: most tickets done, a working queue of new, open and waiting ones. */
const STATUS_WEIGHTS: Record<TicketStatus, number> = {
  new: 9,
  open: 14,
  waiting_for_customer: 8,
  waiting_for_third_party: 6,
  resolved: 16,
  closed: 47,
}
/** How many days ago a ticket with this status came in: new ones today, closed ones weeks ago. */
const AGE_DAYS: Record<TicketStatus, [number, number]> = {
  new: [0, 1],
  open: [0, 6],
  waiting_for_customer: [1, 9],
  waiting_for_third_party: [1, 12],
  resolved: [1, 10],
  closed: [5, 41],
}

type DemoChannel = 'email' | 'chat' | 'phone' | 'portal'

interface Person {
  email: string
  name: string
  firstName: string
  organisation: string | null
  kind: RequesterKind
  phone: string
}

interface Plan {
  index: number
  scenario: Scenario
  channel: DemoChannel
  requester: Person
  agent: DemoStaff
  colleague: DemoStaff
  specialist: DemoStaff | null
  status: TicketStatus
  escalate: boolean
  clarify: boolean
  thanks: boolean
  deskNote: boolean
  returnToDesk: boolean
  stayUnassigned: boolean
  priority: Priority
  formalMail: boolean
  sourceId: string
  text: {
    subject: string
    ask: string
    call: string
    clarify: string
    clarified: string
    answer: string
    handoff: string
    proposal: string
    final: string
    waiting: string
    interim: string
    escalated: string
    thanks: string
    deskNote: string
  }
}

/** A clock the seed moves by hand, so every ticket, article and history entry gets a believable time. */
class DemoClock implements Clock {
  constructor(public at: number) {}
  now() {
    return new Date(this.at)
  }
  iso() {
    return new Date(this.at).toISOString()
  }
}

/**
 * The demo's history is not news: its events reach no handler, so demo replies are never handed to a
 * channel adapter (the addresses are made up) and no webhook hears of them.
 */
const silentOutbox: OutboxWriter = {
  async append() {},
}

/**
 * Loads the demo organisation once: Servicecentrum Lingedal with its service desk, back offices,
 * staff, customer organisations, customers and a few hundred tickets. Returns null when the
 * database already has users. Everything goes through the domain services.
 */
export async function seedDemo(runtime: Runtime, options: SeedOptions = {}): Promise<{ tickets: number } | null> {
  const existing = await runtime.services.accounts.listUsers(SYSTEM, { limit: 1 })
  if (existing.items.length > 0) return null

  const now = (options.now ?? new Date()).getTime()
  const seed = options.seed ?? DEFAULT_SEED
  const clock = new DemoClock(now - 120 * DAY)
  const services = createServices({ ...runtime.deps, clock, outbox: silentOutbox })
  const content = new Rng(seed)
  // Times come from their own stream: they depend on the calendar, the content never does.
  const timing = new Rng(seed ^ 0x5eed)

  const setup = await setUpOrganisation(services, clock, content)
  if (!setup) return null
  await seedKnowledge(services, SYSTEM, setup.groupIds, new Date(now), () => (clock.at += 1000))
  await seedCatalogue(services, SYSTEM, setup.groupIds, () => (clock.at += 1000))
  const plans = planTickets(content, setup.people, options.tickets ?? DEFAULT_TICKETS)
  const scheduled = plans.map((plan) => ({ plan, steps: schedule(plan, timing, now) }))
  scheduled.sort((a, b) => a.steps[0].at - b.steps[0].at || a.plan.index - b.plan.index)

  const actors = new Map<string, Actor>()
  const actorFor = async (email: string) => {
    let actor = actors.get(email)
    if (!actor) {
      const id = setup.userIds.get(email)
      const user = id ? await services.accounts.loadUser(id) : undefined
      if (!user) throw new Error(`demo user ${email} was not created`)
      actor = { user, via: 'system' }
      actors.set(email, actor)
    }
    return actor
  }
  const ctx: RunContext = { services, clock, setup, actorFor, ticketId: '', createdAt: 0, version: null }
  for (const { steps } of scheduled) {
    for (const step of steps) {
      clock.at = step.at
      await step.run(ctx)
    }
  }
  const customer = setup.people.find((p) => p.organisation === 'Gemeente Lingedal')!
  const handoffTickets = await seedHandoffs(services, runtime.deps.db, clock, SYSTEM, { groupIds: setup.groupIds, actorFor, requester: { email: customer.email, name: customer.name } }, now)
  return { tickets: scheduled.length + handoffTickets }
}

// --- organisation ----------------------------------------------------------------------------------

interface Setup {
  groupIds: Map<GroupKey, string>
  userIds: Map<string, string>
  people: Person[]
}

/** Null when another process, started on the same empty database, got to the first department first. */
async function setUpOrganisation(services: Services, clock: DemoClock, r: Rng): Promise<Setup | null> {
  const tick = () => (clock.at += 1000)
  const departmentIds = new Map<string, string>()
  for (const d of DEPARTMENTS) {
    tick()
    const body = { name: d.name, customerReplyAllowed: d.customerReplyAllowed }
    try {
      departmentIds.set(d.name, (await services.desk.createDepartment(SYSTEM, body)).id)
    } catch (err) {
      // The department names are unique: the first one works as a lock between processes.
      const taken = departmentIds.size === 0 && (await services.desk.listDepartments(SYSTEM)).some((x) => x.name === d.name)
      if (taken) return null
      throw err
    }
  }
  const groupIds = new Map<GroupKey, string>()
  for (const g of GROUPS) {
    tick()
    const group = await services.desk.createGroup(SYSTEM, { name: g.name, departmentId: departmentIds.get(g.department)!, line: g.line })
    groupIds.set(g.key, group.id)
  }

  // Replies go out by mail from the start: the service desk's mailbox, pointed at a local mail catcher.
  tick()
  await services.mailboxes.create(SYSTEM, {
    name: DEMO_MAILBOX.name,
    address: DEMO_MAILBOX.address,
    senderName: DEMO_MAILBOX.senderName,
    active: false,
    imap: { host: '127.0.0.1', port: 143, tls: 'none', user: 'servicedesk', password: 'demo' },
    smtp: { host: DEMO_MAILBOX.smtp.host, port: DEMO_MAILBOX.smtp.port, tls: 'none' },
    groupId: groupIds.get('servicedesk')!,
    defaultSender: true,
  })

  const userIds = new Map<string, string>()
  for (const s of STAFF) {
    tick()
    const user = await services.accounts.createUser(SYSTEM, { email: s.email, name: s.name, role: s.role, password: PASSWORD, language: 'nl' })
    userIds.set(s.email, user.id)
  }
  // Members are set per group, as a team lead does in the desk settings.
  for (const g of GROUPS) {
    const memberIds = STAFF.filter((s) => s.groups.includes(g.key)).map((s) => userIds.get(s.email)!)
    await services.desk.updateGroup(SYSTEM, groupIds.get(g.key)!, { memberIds })
  }

  const people: Person[] = []
  const taken = new Set<string>()
  const organisationIds = new Map<string, string>()
  for (const o of CUSTOMER_ORGANISATIONS) {
    tick()
    organisationIds.set(o.name, (await services.organisations.create(SYSTEM, { name: o.name, domains: [o.domain] })).id)
    const portal = PORTAL_CUSTOMERS.filter((p) => p.organisation === o.name)
    for (const p of portal) {
      taken.add(p.email)
      people.push({ email: p.email, name: p.name, firstName: p.name.split(' ')[0], organisation: o.name, kind: o.kind, phone: p.phone })
    }
    for (let i = portal.length; i < o.people; i++) people.push(newPerson(r, taken, o.domain, o.name, o.kind))
  }
  for (let i = 0; i < PRIVATE_PEOPLE; i++) people.push(newPerson(r, taken, PRIVATE_DOMAIN, null, 'particulier'))

  const portalEmails = new Set(PORTAL_CUSTOMERS.map((p) => p.email))
  for (const p of people) {
    tick()
    const user = await services.accounts.createUser(SYSTEM, {
      email: p.email,
      name: p.name,
      role: 'customer',
      organisationId: p.organisation ? organisationIds.get(p.organisation) : null,
      phone: p.phone,
      language: 'nl',
      ...(portalEmails.has(p.email) && { password: PASSWORD }),
    })
    userIds.set(p.email, user.id)
  }
  // Some organisations manage their own accounts: the desk made a member local administrator on their request.
  for (const l of LOCAL_ADMINISTRATORS) {
    tick()
    const organisationId = organisationIds.get(l.organisation)!
    const email = l.email ?? people.find((p) => p.organisation === l.organisation)!.email
    await services.localAdmins.setLocalAdministrators(SYSTEM, organisationId, { userIds: [userIds.get(email)!], requestedBy: l.requestedBy })
    if (l.contact) await services.organisations.update(SYSTEM, organisationId, l.contact)
  }
  return { groupIds, userIds, people }
}

function newPerson(r: Rng, taken: Set<string>, domain: string, organisation: string | null, kind: RequesterKind): Person {
  for (;;) {
    const first = r.pick(FIRST_NAMES)
    const last = r.pick(LAST_NAMES)
    const local = r.chance(0.6) ? `${first}.${last}` : `${first[0]}.${last}`
    const email = `${ascii(local)}@${domain}`
    if (taken.has(email)) continue
    taken.add(email)
    return { email, name: `${first} ${last}`, firstName: first, organisation, kind, phone: `06-${r.int(10_000_000, 99_999_999)}` }
  }
}

/** "Öztürk" → "ozturk", "van den Berg" → "vandenberg": how e-mail addresses are usually made. */
const ascii = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, '').toLowerCase()

// --- planning: what happens (content stream only) -------------------------------------------------

function planTickets(r: Rng, people: Person[], count: number): Plan[] {
  const desk = STAFF.filter((s) => s.role === 'agent' && s.groups.includes('servicedesk'))
  const teamLead = STAFF.find((s) => s.role === 'supervisor')!
  const weights = Object.fromEntries(SCENARIOS.map((s) => [s.key, s.weight]))
  // Only stories with a question to ask can wait for the customer, and only those with a supplier in
  // them for a third party; they wait a little more often, so the desk's queue keeps its overall mix.
  const share = (has: (s: Scenario) => boolean) =>
    SCENARIOS.filter(has).reduce((n, s) => n + s.weight, 0) / SCENARIOS.reduce((n, s) => n + s.weight, 0)
  const waitBoost = { customer: Math.min(2, 1 / share((s) => !!s.clarify)), thirdParty: Math.min(2, 1 / share((s) => !!s.waiting)) }
  // The portal customers come first in their pool, so they have a history worth logging in for.
  const portal = new Set(PORTAL_CUSTOMERS.map((p) => p.email))
  const byKind = (kind: RequesterKind) =>
    people.filter((p) => p.kind === kind).sort((a, b) => Number(portal.has(b.email)) - Number(portal.has(a.email)))
  const taken = new Set(people.map((p) => p.email))
  const plans: Plan[] = []
  for (let index = 0; index < count; index++) {
    const key = r.weighted(weights)
    const scenario = SCENARIOS.find((s) => s.key === key)!
    const kind = r.pick(scenario.who)
    let channel = r.weighted(scenario.channels) as DemoChannel
    const status = r.weighted<TicketStatus>({
      ...STATUS_WEIGHTS,
      ...(scenario.instant && { open: 0, waiting_for_customer: 0, waiting_for_third_party: 0 }),
      waiting_for_customer: scenario.clarify && !scenario.instant ? STATUS_WEIGHTS.waiting_for_customer * waitBoost.customer : 0,
      waiting_for_third_party: scenario.waiting && !scenario.instant ? STATUS_WEIGHTS.waiting_for_third_party * waitBoost.thirdParty : 0,
    })
    // Nobody has touched a new ticket yet, so it came in by mail or the portal, not in a call or chat.
    if (status === 'new' && (channel === 'phone' || channel === 'chat')) channel = scenario.channels.portal && !scenario.channels.email ? 'portal' : 'email'

    let requester: Person
    const pool = byKind(kind)
    if (channel === 'email' && kind !== 'particulier' && r.chance(0.08)) {
      // Someone new at a known organisation: their first mail creates them, linked by the domain.
      const org = r.pick(CUSTOMER_ORGANISATIONS.filter((o) => o.kind === kind))
      requester = newPerson(r, taken, org.domain, org.name, kind)
    } else {
      requester = pool[r.skewedIndex(pool.length)]
    }

    const escalate =
      !!scenario.group && status !== 'new' && (status === 'waiting_for_third_party' ? true : r.chance(scenario.escalate ?? 0))
    // The back office's agents work the tickets; its team lead does not.
    const specialists = scenario.group ? STAFF.filter((s) => s.role === 'agent' && s.groups.includes(scenario.group!)) : []
    const agent = scenario.type === 'complaint' && r.chance(0.5) ? teamLead : r.pick(desk)
    const colleague = r.pick(desk.filter((s) => s !== agent))
    const clarify = !!scenario.clarify && status !== 'new' && (status === 'waiting_for_customer' || r.chance(0.25))
    const vars: Record<string, string> = {
      naam: requester.name,
      voornaam: requester.firstName,
      org: requester.organisation ?? 'particulier',
      agent: agent.name.split(' ')[0],
      groep: scenario.group ? GROUPS.find((g) => g.key === scenario.group)!.name : '',
      gebouw: BUILDINGS[requester.organisation ?? ''] ?? 'het gemeentehuis van Lingedal',
      afdeling: r.pick(TEAMS[requester.organisation ?? ''] ?? ['Burgerzaken']),
      tijd: `${r.int(8, 16)}.${String(r.int(0, 11) * 5).padStart(2, '0')}`,
      storingsnr: `INC${r.int(100_000, 999_999)}`,
      declaratienr: String(r.int(10_000, 99_999)),
      ordernr: String(r.int(100_000, 999_999)),
      ...scenario.vars?.(r),
    }
    const f = (list: string[] | undefined) => (list?.length ? fill(r.pick(list), vars) : '')
    plans.push({
      index,
      scenario,
      channel,
      requester,
      agent,
      colleague,
      specialist: specialists.length ? r.pick(specialists) : null,
      status,
      escalate,
      clarify,
      thanks: status === 'closed' && channel !== 'chat' && r.chance(0.3),
      deskNote: r.chance(0.08),
      returnToDesk: r.chance(0.6),
      stayUnassigned: r.chance(0.5),
      priority: scenario.priority ? r.weighted(scenario.priority) : r.weighted<Priority>({ normal: 8, low: 1, high: 1 }),
      formalMail: r.chance(0.4),
      sourceId: `demo-${seedTag(index)}`,
      text: {
        subject: f(scenario.subject),
        ask: f(scenario.ask),
        call: f(scenario.call),
        clarify: f(scenario.clarify),
        clarified: f(scenario.clarified),
        answer: f(scenario.answer),
        handoff: f(scenario.handoff),
        proposal: f(scenario.proposal),
        final: f(scenario.final),
        waiting: f(scenario.waiting),
        interim: f(INTERIM),
        escalated: f(ESCALATED),
        thanks: r.pick(THANKS),
        deskNote: fill(r.pick(DESK_NOTES), { ...vars, collega: colleague.name.split(' ')[0] }),
      },
    })
  }
  return plans
}

const seedTag = (index: number) => String(index).padStart(4, '0')

function fill(template: string, vars: Record<string, string>) {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (vars[key] === undefined) throw new Error(`demo template needs {${key}}: ${template}`)
    return vars[key]
  })
}

// --- scheduling: when it happens (timing stream only) ---------------------------------------------

type Gap = 'start' | 'instant' | 'pickup' | 'reply' | 'customer' | 'specialist' | 'close'

interface RunContext {
  services: Services
  clock: DemoClock
  setup: Setup
  actorFor(email: string): Promise<Actor>
  ticketId: string
  createdAt: number
  /** The ticket's version when the last call returned the ticket; null after adding an article. */
  version: number | null
}

interface Step {
  gap: Gap
  at: number
  run(ctx: RunContext): Promise<void>
}

/** Europe/Amsterdam: UTC+2 from the last Sunday of March to the last Sunday of October (01:00 UTC), else UTC+1. */
function amsterdamOffset(utc: number) {
  const year = new Date(utc).getUTCFullYear()
  const lastSunday = (month: number) => {
    const d = new Date(Date.UTC(year, month + 1, 0, 1))
    return d.getTime() - d.getUTCDay() * DAY
  }
  return utc >= lastSunday(2) && utc < lastSunday(9) ? 2 * HOUR : HOUR
}
const toLocal = (utc: number) => utc + amsterdamOffset(utc)
const fromLocal = (local: number) => local - amsterdamOffset(local - HOUR)
const localHour = (utc: number) => (toLocal(utc) % DAY) / HOUR
const isWeekend = (utc: number) => [0, 6].includes(new Date(toLocal(utc)).getUTCDay())

/** The next moment the desk works (weekdays 08:00–17:30), a little after `utc` if it is already open. */
function nextWorkingMoment(utc: number, r: Rng) {
  let local = toLocal(utc)
  for (;;) {
    const day = Math.floor(local / DAY) * DAY
    const hour = (local - day) / HOUR
    const weekend = [0, 6].includes(new Date(day).getUTCDay())
    if (!weekend && hour >= 8 && hour < 17.5) return fromLocal(local)
    local = !weekend && hour < 8 ? day + 8 * HOUR + r.int(0, 40) * MINUTE : day + DAY + 8 * HOUR + r.int(0, 40) * MINUTE
  }
}

function creationTime(plan: Plan, r: Rng, now: number, daysEarlier: number) {
  const [minAge, maxAge] = AGE_DAYS[plan.status]
  const todayLocal = Math.floor(toLocal(now) / DAY) * DAY
  const desk = plan.channel === 'phone' || plan.channel === 'chat'
  let day = todayLocal - (r.int(minAge, maxAge) + daysEarlier) * DAY
  const weekday = () => new Date(day).getUTCDay()
  // The phone and the chat are closed at the weekend; mail and the portal mostly wait for Monday as well.
  if ((weekday() === 0 || weekday() === 6) && (desk || r.chance(0.75))) day -= (weekday() === 0 ? 2 : 1) * DAY
  let minute: number
  // Phone lines open at 08:00 and ring non-stop until about ten: sick reports, "where is my course", outages.
  const peak = plan.scenario.morning ? 1 : 0.45
  if (plan.channel === 'phone') minute = r.chance(peak) ? r.int(8 * 60, 10 * 60 - 1) : r.int(10 * 60, 17 * 60)
  else if (plan.channel === 'chat') minute = r.chance(peak) ? r.int(8 * 60 + 30, 10 * 60 + 30) : r.int(10 * 60 + 30, 17 * 60)
  else minute = r.chance(0.8) ? r.int(7 * 60 + 30, 17 * 60 + 30) : r.int(18 * 60, 22 * 60 + 30)
  let at = fromLocal(day + minute * MINUTE) + r.int(0, 59) * 1000
  // A ticket planned for later today happened on an earlier working day at the same time.
  while (at > now - 30 * MINUTE) at -= (isWeekend(at - DAY) ? 3 : 1) * DAY
  return at
}

function after(at: number, gap: Gap, r: Rng) {
  switch (gap) {
    case 'start':
      return at
    case 'instant':
      return at + r.int(1, 4) * MINUTE + r.int(0, 59) * 1000
    case 'pickup':
      return nextWorkingMoment(at + r.int(4, 75) * MINUTE, r)
    case 'reply':
      return nextWorkingMoment(at + r.int(10, 150) * MINUTE, r)
    case 'specialist':
      return nextWorkingMoment(at + r.int(40, 20 * 60) * MINUTE, r)
    case 'close':
      return nextWorkingMoment(at + r.int(2, 6) * DAY, r)
    case 'customer': {
      let next = at + r.int(15, 26 * 60) * MINUTE
      const hour = localHour(next)
      if (hour >= 23 || hour < 7) next += (hour >= 23 ? 24 - hour + 7.5 : 7.5 - hour) * HOUR
      return next
    }
  }
}

/** The steps of one ticket with their times. A story that would run past `now` starts a day earlier. */
function schedule(plan: Plan, r: Rng, now: number): Step[] {
  const steps = conversation(plan)
  const limit = now - 2 * MINUTE
  for (let daysEarlier = 0; ; daysEarlier++) {
    let at = creationTime(plan, r, now, daysEarlier)
    for (const step of steps) step.at = at = after(at, step.gap, r)
    if (steps[steps.length - 1].at <= limit) return steps
    if (daysEarlier === 30) break
  }
  // Never reached with the gaps above; kept so a longer story can never end in the future.
  const start = steps[0].at
  const scale = (limit - start) / (steps[steps.length - 1].at - start)
  for (const step of steps) step.at = Math.round(start + (step.at - start) * scale)
  return steps
}

// --- the conversation of one ticket ---------------------------------------------------------------

const greeting = (utc: number) => {
  const hour = localHour(utc)
  return hour < 12 ? 'Goedemorgen' : hour < 18 ? 'Goedemiddag' : 'Goedenavond'
}
const clockTime = (utc: number) => {
  const minutes = Math.floor((toLocal(utc) % DAY) / MINUTE)
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

function customerMail(plan: Plan, at: number, body: string) {
  const p = plan.requester
  const opening = plan.formalMail ? 'Beste servicedesk,' : `${greeting(at)},`
  const closing = plan.formalMail ? 'Met vriendelijke groet,' : 'Groet,'
  return `${opening}\n\n${body}\n\n${closing}\n${p.name}${p.organisation ? `\n${p.organisation}` : ''}`
}

function deskMail(plan: Plan, at: number, body: string, author: DemoStaff, afterCall: boolean) {
  const intro = afterCall ? 'Zoals zojuist telefonisch besproken, hierbij nog even op een rij.\n\n' : ''
  return `${greeting(at)} ${plan.requester.firstName},\n\n${intro}${body}\n\nMet vriendelijke groet,\n\n${author.name}\n${DESK_NAME}`
}

const callBack = (plan: Plan) =>
  `Terugbelverzoek: ${plan.requester.firstName} terugbellen op ${plan.requester.phone} zodra er nieuws is. Klant is tot 17.00 uur bereikbaar.`

/** The chat as the widget keeps it: one transcript, with the agent's part in it. */
function chatTranscript(plan: Plan, at: number) {
  const agent = plan.agent.name.split(' ')[0]
  const customer = plan.requester.firstName
  const lines: [string, string][] = [
    [customer, plan.text.ask],
    [agent, `${greeting(at)} ${customer}, u spreekt met ${agent} van de servicedesk. Ik kijk even met u mee.`],
  ]
  if (plan.clarify) {
    lines.push([agent, plan.text.clarify])
    if (plan.status === 'waiting_for_customer') {
      lines.push([customer, 'Dat moet ik even opzoeken, ik stuur het straks per mail.'], [agent, 'Prima, dan zet ik de melding zolang op wachten. Tot straks!'])
      return transcriptText(lines, at)
    }
    lines.push([customer, plan.text.clarified])
  }
  if (plan.escalate) {
    lines.push([agent, `Dit moet ik voorleggen aan mijn collega's van ${GROUPS.find((g) => g.key === plan.scenario.group)!.name}. U krijgt per mail bericht zodra er meer bekend is.`])
    lines.push([customer, 'Oké, dank je.'])
  } else if (plan.status === 'open' || plan.status === 'waiting_for_third_party') {
    lines.push([agent, 'Dat moet ik even uitzoeken. Ik mail u zodra ik meer weet.'], [customer, 'Top, bedankt.'])
  } else {
    lines.push([agent, plan.text.answer], [customer, plan.text.thanks])
  }
  return transcriptText(lines, at)
}

function transcriptText(lines: [string, string][], end: number) {
  return lines.map(([who, text], i) => `[${clockTime(end - (lines.length - 1 - i) * 70_000)}] ${who}: ${text}`).join('\n')
}

/** Creates the ticket, then plays the conversation: triage, questions, escalation, answers, closing. */
function conversation(plan: Plan): Step[] {
  const steps: Step[] = []
  const add = (gap: Gap, run: Step['run']) => steps.push({ gap, at: 0, run })
  const s = plan.scenario
  const agent = plan.agent
  const specialist = plan.specialist
  const { text } = plan
  const domain = plan.requester.email.split('@')[1]

  const update = async (ctx: RunContext, actorEmail: string, body: UpdateTicketBody) => {
    const actor = await ctx.actorFor(actorEmail)
    const version = ctx.version ?? (await ctx.services.tickets.get(actor, ctx.ticketId)).version
    ctx.version = (await ctx.services.tickets.update(actor, ctx.ticketId, version, body)).version
  }
  const note = async (ctx: RunContext, author: string, body: string, status?: TicketStatus) => {
    ctx.version = null
    await ctx.services.tickets.addArticle(await ctx.actorFor(author), ctx.ticketId, { body, visibility: 'internal', ...(status && { status }) })
  }
  const reply = async (ctx: RunContext, body: string, status?: TicketStatus, author: DemoStaff = agent) => {
    ctx.version = null
    await ctx.services.tickets.addArticle(await ctx.actorFor(author.email), ctx.ticketId, {
      // A reply right after the call sums it up; later ones are ordinary mails.
      body: deskMail(plan, ctx.clock.at, body, author, plan.channel === 'phone' && ctx.clock.at - ctx.createdAt < 30 * MINUTE),
      visibility: 'public',
      ...(status && { status }),
    })
  }
  const customerWrites = async (ctx: RunContext, body: string, n: number) => {
    if (plan.channel === 'portal') {
      ctx.version = null
      await ctx.services.tickets.addArticle(await ctx.actorFor(plan.requester.email), ctx.ticketId, { body })
      return
    }
    const r = await ctx.services.tickets.ingest({
      channel: 'email',
      ticketId: ctx.ticketId,
      from: { kind: 'email', address: plan.requester.email, name: plan.requester.name },
      subject: `Re: ${text.subject}`,
      body: `${body}\n\nGroet,\n${plan.requester.firstName}`,
      contentType: 'text/plain',
      sourceId: `<${plan.sourceId}.${n}@${domain}>`,
    })
    ctx.version = r.ticket.version
  }

  // 1. The contact comes in.
  add('start', async (ctx) => {
    ctx.createdAt = ctx.clock.at
    const from = { kind: 'email' as const, address: plan.requester.email, name: plan.requester.name }
    if (plan.channel === 'email') {
      const r = await ctx.services.tickets.ingest({
        channel: 'email', from, subject: text.subject, body: customerMail(plan, ctx.clock.at, text.ask), contentType: 'text/plain',
        sourceId: `<${plan.sourceId}@${domain}>`,
      })
      ctx.ticketId = r.ticket.id
      ctx.version = r.ticket.version
    } else if (plan.channel === 'chat') {
      const r = await ctx.services.tickets.ingest({
        channel: 'chat', from, subject: text.subject, body: chatTranscript(plan, ctx.clock.at), contentType: 'text/plain',
        sourceId: `chat-${plan.sourceId}`, metadata: { transcript: true, agent: agent.name },
      })
      ctx.ticketId = r.ticket.id
      ctx.version = r.ticket.version
    } else if (plan.channel === 'portal') {
      const t = await ctx.services.tickets.create(await ctx.actorFor(plan.requester.email), {
        // A customer does not choose how urgent their question is (the desk does), nor the channel.
        subject: text.subject, body: text.ask, requester: { email: plan.requester.email }, type: s.type,
      })
      ctx.ticketId = t.id
      ctx.version = t.version
    } else {
      const t = await ctx.services.tickets.create(await ctx.actorFor(agent.email), {
        subject: text.subject, body: text.call, requester: { email: from.address, name: from.name }, channel: 'phone', type: s.type, priority: plan.priority, tags: s.tags,
      })
      ctx.ticketId = t.id
      ctx.version = t.version
    }
  })
  if (plan.status === 'new') return steps

  // 2. The desk takes it: assigns it and sets type, priority and tags.
  add(plan.channel === 'phone' || plan.channel === 'chat' ? 'instant' : 'pickup', (ctx) =>
    update(ctx, agent.email, { assigneeId: ctx.setup.userIds.get(agent.email)!, type: s.type, priority: plan.priority, tags: s.tags }),
  )
  if (plan.deskNote) add('reply', (ctx) => note(ctx, agent.email, text.deskNote))

  // 3. A question back to the customer, and their answer.
  if (plan.clarify) {
    if (plan.channel === 'chat') {
      if (plan.status === 'waiting_for_customer') {
        add('instant', (ctx) => update(ctx, agent.email, { status: 'waiting_for_customer' }))
        return steps
      }
    } else {
      add('instant', (ctx) => reply(ctx, text.clarify, 'waiting_for_customer'))
      if (plan.status === 'waiting_for_customer') return steps
      add('customer', (ctx) => customerWrites(ctx, text.clarified, 1))
    }
  }

  // After the customer's answer the desk picks up again in office hours; otherwise it carries straight on.
  const next: Gap = plan.clarify && plan.channel !== 'chat' ? 'reply' : 'instant'

  const finish = () => {
    if (plan.status !== 'closed') return
    if (plan.thanks) {
      add('customer', (ctx) => customerWrites(ctx, text.thanks, 2))
      add('reply', (ctx) => update(ctx, agent.email, { status: 'closed' }))
    } else {
      add('close', (ctx) => update(ctx, agent.email, { status: 'closed' }))
    }
  }

  // 4a. The desk hands it to 2nd line with a handoff note; 2nd line proposes, the desk answers.
  if (plan.escalate && specialist) {
    const group = s.group!
    if (plan.channel !== 'chat') add(next, (ctx) => reply(ctx, text.escalated, 'open'))
    else add(next, (ctx) => update(ctx, agent.email, { status: 'open' }))
    add('instant', (ctx) => note(ctx, agent.email, text.handoff))
    add('instant', (ctx) => update(ctx, agent.email, { groupId: ctx.setup.groupIds.get(group)!, assigneeId: null }))
    if (plan.status === 'open' && plan.stayUnassigned) return steps
    add('specialist', (ctx) => update(ctx, specialist.email, { assigneeId: ctx.setup.userIds.get(specialist.email)! }))
    if (plan.status === 'open') return steps
    if (plan.status === 'waiting_for_third_party') {
      add('instant', (ctx) => note(ctx, specialist.email, text.waiting, 'waiting_for_third_party'))
      return steps
    }
    add('specialist', (ctx) => note(ctx, specialist.email, text.proposal))
    if (plan.returnToDesk) {
      add('instant', (ctx) =>
        update(ctx, specialist.email, { groupId: ctx.setup.groupIds.get('servicedesk')!, assigneeId: ctx.setup.userIds.get(agent.email)! }),
      )
    }
    add('reply', (ctx) => reply(ctx, text.final, 'resolved'))
    finish()
    return steps
  }

  // 4b. The desk solves it on first line.
  if (plan.status === 'open' || plan.status === 'waiting_for_third_party') {
    if (plan.channel === 'chat') add(next, (ctx) => update(ctx, agent.email, { status: 'open' }))
    // After a call the desk promises to call back rather than mailing "we are looking into it".
    else if (plan.channel === 'phone') add(next, (ctx) => note(ctx, agent.email, callBack(plan), 'open'))
    else add(next, (ctx) => reply(ctx, text.interim, 'open'))
    if (plan.status === 'waiting_for_third_party') add('reply', (ctx) => note(ctx, agent.email, text.waiting, 'waiting_for_third_party'))
    return steps
  }
  if (plan.channel === 'chat') add('instant', (ctx) => update(ctx, agent.email, { status: 'resolved' }))
  else add(plan.channel === 'phone' ? next : 'reply', (ctx) => reply(ctx, text.answer, 'resolved'))
  finish()
  return steps
}
