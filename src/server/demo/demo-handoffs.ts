import type { Actor } from '../accounts/actor.js'
import type { Clock } from '../clock.js'
import type { Executor } from '../db/schema.js'
import type { Services } from '../services.js'
import type { GroupKey } from './demo-organisation.js'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE
const office = [{ from: '08:30', to: '17:00' }]
const week = (day: typeof office) => ({ monday: day, tuesday: day, wednesday: day, thursday: day, friday: day, saturday: [], sunday: [] })

interface HandoffSetup {
  groupIds: Map<GroupKey, string>
  actorFor(email: string): Promise<Actor>
  requester: { email: string; name: string }
}

/**
 * Issue 16 in the demo: business calendars, handoff targets, routing rules, escalations in every state (waiting
 * to be picked up, picked up, returned with a proposed reply waiting for the desk, near its target, overdue) and
 * tickets waiting on a third party. Made after the scenario tickets (so the routing rules do not change them),
 * with times counted back from `now` on the calendar, so "near" and "overdue" hold whenever the demo starts.
 */
export async function seedHandoffs(services: Services, db: Executor, clock: Clock & { at: number }, system: Actor, setup: HandoffSetup, now: number): Promise<number> {
  const { groupIds } = setup
  const group = (key: GroupKey) => groupIds.get(key)!
  clock.at = now - 3 * DAY

  // Calendars: office hours with the Dutch holidays (the default), and a longer day for the ICT back offices.
  const kantoor = await services.calendars.create(system, {
    name: 'Kantoortijden Lingedal',
    hours: week(office),
    holidays: { dutchHolidays: true, goodFriday: false, liberationDay: 'lustrum' },
    closingDays: [{ date: `${new Date(now).getUTCFullYear()}-12-31`, label: 'Oudejaarsdag' }],
    isDefault: true,
  })
  const ict = await services.calendars.create(system, {
    name: 'ICT-dienstverlening',
    hours: week([{ from: '07:30', to: '18:00' }]),
    holidays: { dutchHolidays: true, goodFriday: true, liberationDay: 'lustrum' },
  })
  // Handoff targets in business minutes: pick up within half a day, back within two days (ICT: faster).
  for (const key of ['applicatiebeheer', 'werkplekbeheer'] as const) {
    await services.desk.updateGroup(system, group(key), { calendarId: ict.id, pickupTargetMinutes: 120, returnTargetMinutes: 960 })
  }
  for (const key of ['personeelszaken', 'salarisadministratie', 'huisvesting', 'crediteuren'] as const) {
    await services.desk.updateGroup(system, group(key), { calendarId: kantoor.id, pickupTargetMinutes: 240, returnTargetMinutes: 1020 })
  }

  // Routing rules: first match wins.
  await services.routing.create(system, {
    name: 'Salarisvragen naar Salarisadministratie',
    conditions: { words: ['loonstrook', 'salaris', 'jaaropgave'], wordsIn: 'subject' },
    actions: { groupId: group('salarisadministratie'), type: 'question', tags: ['salaris'] },
  })
  await services.routing.create(system, {
    name: 'Storingen met spoed',
    conditions: { words: ['storing', 'werkt niet', 'plat'], wordsIn: 'subject' },
    actions: { priority: 'high', type: 'incident', tags: ['storing'] },
  })
  await services.routing.create(system, {
    name: 'Het Rivierencollege via de portal',
    conditions: { requesters: ['rivierencollege.example'], channels: ['portal'] },
    actions: { tags: ['onderwijs'] },
  })

  const desk = await setup.actorFor('sanne.dekker@sc-lingedal.example')
  const kees = await setup.actorFor('kees.hoogland@sc-lingedal.example')
  const bas = await setup.actorFor('bas.willems@sc-lingedal.example')
  const ictCalendar = (await services.calendars.calendarFor(db, ict.id)).calendar
  /** The moment this many business minutes (on the ICT calendar) before now. */
  const businessAgo = (minutes: number) => {
    let lo = now - 60 * DAY
    let hi = now
    while (hi - lo > MINUTE) {
      const mid = Math.floor((lo + hi) / 2)
      if (ictCalendar.minutesBetween(new Date(mid), new Date(now)) > minutes) lo = mid
      else hi = mid
    }
    return hi
  }
  const escalated = async (subject: string, body: string, note: string, to: GroupKey, at: number) => {
    clock.at = at - 20 * MINUTE
    const ticket = await services.tickets.create(desk, { subject, body, requester: setup.requester, channel: 'phone', type: 'incident', groupId: group('servicedesk') })
    clock.at = at
    return services.tickets.escalate(desk, ticket.id, ticket.version, { groupId: group(to), handoffNote: note })
  }

  // Waiting to be picked up, well within its target.
  await escalated(
    'Zaakwijzer geeft foutmelding bij het opslaan van een besluit',
    'Bij het opslaan van een besluit in Zaakwijzer krijg ik "Fout 500". Het besluit is dan niet opgeslagen.',
    'Klant krijgt Fout 500 bij opslaan besluit in Zaakwijzer. Cache gewist en opnieuw ingelogd, helpt niet. Graag logs bekijken.',
    'applicatiebeheer',
    businessAgo(15),
  )
  // Picked up by the back office, working on it.
  const picked = await escalated(
    'Laptop start niet meer op na update',
    'Mijn laptop blijft hangen op het Windows-logo sinds de update van vannacht.',
    'Laptop blijft hangen na update. Harde herstart en veilige modus geprobeerd. Graag ophalen of op afstand herstellen.',
    'werkplekbeheer',
    businessAgo(60),
  )
  clock.at = businessAgo(40)
  await services.tickets.update(bas, picked.id, picked.version, { assigneeId: bas.user.id })
  // Near its pick-up target (a quarter of it or less left).
  await escalated(
    'Inkoopportaal toont geen openstaande bestellingen',
    'Sinds vanochtend zie ik in het Inkoopportaal geen openstaande bestellingen meer.',
    'Overzicht openstaande bestellingen leeg voor deze gebruiker; bij een collega wel gevuld. Rechten lijken in orde. Graag bekijken.',
    'applicatiebeheer',
    businessAgo(100),
  )
  // Past its pick-up target: the team lead sees it under "Te late overdrachten".
  await escalated(
    'Printer op de tweede verdieping print alleen lege vellen',
    'De printer bij de trap op de tweede verdieping print alleen lege vellen.',
    'Printer 2e verdieping print leeg. Toner vervangen, helpt niet. Graag monteur of vervangend apparaat.',
    'werkplekbeheer',
    businessAgo(200),
  )
  // Returned with a proposed reply that waits for the desk ("Terug van backoffice").
  const back = await escalated(
    'Leerplein: certificaat van de cursus niet te downloaden',
    'Ik heb de cursus Informatiebeveiliging afgerond, maar de knop om het certificaat te downloaden doet niets.',
    'Certificaatknop doet niets, ook niet in een andere browser. Graag kijken of het certificaat is aangemaakt.',
    'applicatiebeheer',
    businessAgo(300),
  )
  clock.at = businessAgo(250)
  const taken = await services.tickets.update(kees, back.id, back.version, { assigneeId: kees.user.id })
  clock.at = businessAgo(120)
  await services.tickets.returnToDesk(kees, back.id, taken.version, {
    note: 'Het certificaat was niet aangemaakt door een fout in de koppeling met het HR-systeem. Opnieuw aangemaakt; het staat nu klaar.',
    proposedReply:
      'De certificaatgeneratie faalde door een time-out in de synchronisatie tussen Leerplein en het HR-systeem. Het certificaat is handmatig opnieuw gegenereerd en is nu beschikbaar onder Mijn cursussen > Certificaten.',
  })

  // Waiting on a third party: one until next week, one whose date has just passed (back on the queue, marked).
  clock.at = now - 3 * DAY
  const waits = [
    { subject: 'Koffieautomaat kantine geeft geen warm water', supplier: 'Koffie & Co Service', reference: 'KC-88213', until: now + 5 * DAY },
    { subject: 'Toegangspas werkt niet bij de achteringang', supplier: 'Veiligheid Lingeland BV', reference: 'VL-2026-0412', until: now - 2 * 60 * MINUTE },
  ]
  for (const w of waits) {
    const ticket = await services.tickets.create(desk, { subject: w.subject, body: `${w.subject}. Kunnen jullie dit laten maken?`, requester: setup.requester, channel: 'phone', groupId: group('servicedesk') })
    const mine = await services.tickets.update(desk, ticket.id, ticket.version, { assigneeId: desk.user.id })
    await services.tickets.update(desk, ticket.id, mine.version, { thirdParty: { until: new Date(w.until).toISOString(), supplier: w.supplier, reference: w.reference } })
  }
  // The once-a-minute check, as it ran just now: the wait whose date passed is back on the queue, marked.
  clock.at = now - MINUTE
  await services.tickets.timers.backFromThirdParty()
  // The tickets made here: five handoffs and two waits.
  return 5 + waits.length
}
