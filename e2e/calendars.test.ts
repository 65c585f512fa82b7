import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, PASSWORD, requireChromium, ROOT, startLoket } from './harness.js'

/** LOKET_SCREENSHOTS=1 (re)writes docs/screenshots/beheer-kalender*.png and beheer-groep-termijnen.png. */
const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined

// Issue 16, in Chromium: an administrator makes a business calendar in Beheer → Kalenders (opening hours with a
// lunch break, a closing day), is told in plain Dutch beside Tuesday that two stretches overlap, and gives a
// back-office group its handoff targets on that calendar in Beheer → Groepen.
describe('business calendars and handoff targets in Beheer, in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let page: Page
  const year = new Date().getFullYear()

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, 'beheer@gemeente-loket.nl')
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  const main = () => page.getByRole('main')
  const notice = () => main().getByRole('status').first()

  /** axe at desktop and phone size, no sideways scrolling on the phone, and the screenshot when asked. */
  async function checkScreen(name: string, shot?: string) {
    await axe(page, `${name} at 1440×900`)
    if (SHOTS && shot) await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await axe(page, `${name} at 390×844`)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name} scrolls sideways`).toBe(0)
    await page.setViewportSize({ width: 1440, height: 900 })
  }

  it('refuses overlapping hours and says so beside the day, in plain Dutch', async () => {
    await page.goto(`${loket.url}/admin`)
    await main().getByRole('link', { name: 'Kalenders' }).click()
    await main().getByRole('heading', { level: 1, name: 'Kalenders' }).waitFor()
    await expect.poll(() => main().textContent()).toContain('Er zijn nog geen kalenders')
    await main().getByRole('button', { name: 'Kalender toevoegen' }).click()
    const form = page.getByRole('form', { name: 'Kalender toevoegen' })
    await form.getByLabel('Naam', { exact: true }).fill('Kantoortijden')
    await expect(form.getByLabel('Tijdzone').inputValue()).resolves.toBe('Europe/Amsterdam')
    // The first calendar is the default: said, not asked.
    await expect(form.getByLabel('Standaardkalender').isChecked()).resolves.toBe(true)
    await expect(form.getByLabel('Standaardkalender').isDisabled()).resolves.toBe(true)
    // Tuesday: a lunch break, but the morning runs past the start of the afternoon.
    await form.getByRole('button', { name: 'Tijd toevoegen op dinsdag' }).click()
    await form.getByLabel('Dinsdag van').first().fill('08:30')
    await form.getByLabel('Dinsdag tot').first().fill('12:30')
    await form.getByLabel('Dinsdag van').nth(1).fill('12:00')
    await form.getByLabel('Dinsdag tot').nth(1).fill('17:00')
    // Saturday: closed (it was already), Friday: no work in the afternoon.
    await form.getByRole('button', { name: 'Weghalen 08:30–17:00 op vrijdag' }).click()
    await form.getByRole('button', { name: 'Tijd toevoegen op vrijdag' }).click()
    await form.getByLabel('Vrijdag tot').fill('12:00')
    await form.getByRole('button', { name: 'Sluitingsdag toevoegen' }).click()
    await form.getByLabel('Datum').fill(`${year}-12-31`)
    await form.getByLabel('Reden').fill('Oudejaarsdag')
    await form.getByRole('button', { name: 'Opslaan' }).click()

    const tuesday = form.getByRole('group', { name: 'Dinsdag' })
    await expect.poll(() => tuesday.locator('.field-error').textContent()).toBe(
      'Op dinsdag overlappen de tijden 08:30–12:30 en 12:00–17:00. Laat de ene tijd eindigen voordat de andere begint.',
    )
    await expect(form.getByLabel('Dinsdag van').nth(1).getAttribute('aria-invalid')).resolves.toBe('true')
    expect(await form.getByRole('alert').first().textContent()).toContain('Bij de velden staat wat er niet klopt')
    // Nothing was stored.
    expect(await loket.runtime.services.calendars.list(SYSTEM_ACTOR)).toEqual([])
    await checkScreen('calendar editor with overlapping hours', 'beheer-kalender-overlap')
  })

  it('saves the calendar once the hours are right, as the default, and shows its holidays and closing day', async () => {
    const form = page.getByRole('form', { name: 'Kalender toevoegen' })
    await form.getByLabel('Dinsdag van').nth(1).fill('13:00')
    await form.getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => notice().textContent()).toBe('Kantoortijden is opgeslagen.')
    const item = main().getByRole('list', { name: 'Kalenders' }).getByRole('listitem').first()
    await expect.poll(() => item.textContent()).toContain('Standaard')
    expect(await item.textContent()).toContain('ma 08:30–17:00; di 08:30–12:30, 13:00–17:00; wo t/m do 08:30–17:00; vr 08:30–12:00')
    const [stored] = await loket.runtime.services.calendars.list(SYSTEM_ACTOR)
    expect(stored).toMatchObject({ name: 'Kantoortijden', isDefault: true, timeZone: 'Europe/Amsterdam', closingDays: [{ date: `${year}-12-31`, label: 'Oudejaarsdag' }] })
    expect(stored.hours.tuesday).toEqual([{ from: '08:30', to: '12:30' }, { from: '13:00', to: '17:00' }])

    await item.getByText(`Feestdagen en sluitingsdagen in ${year} en ${year + 1}`).click()
    const thisYear = item.getByRole('region', { name: String(year) })
    await expect.poll(() => thisYear.textContent()).toContain('Koningsdag')
    expect(await thisYear.textContent()).toContain('Oudejaarsdag (sluitingsdag)')
    expect(await item.getByRole('region', { name: String(year + 1) }).textContent()).toContain('Tweede Pinksterdag')
    await checkScreen('calendars list', 'beheer-kalenders')
  })

  it('gives a back-office group its handoff targets on that calendar', async () => {
    await page.goto(`${loket.url}/admin/groups`)
    await main().getByRole('button', { name: 'Team Vergunningen wijzigen' }).click()
    const form = page.getByRole('form', { name: 'Team Vergunningen wijzigen' })
    const times = form.getByRole('group', { name: 'Termijnen voor doorgezette tickets' })
    await times.getByLabel('Oppakken binnen (werkuren)').fill('2')
    await times.getByLabel('Terug bij de servicedesk binnen (werkuren)').fill('16')
    await times.getByLabel('Kalender').selectOption({ label: 'Kantoortijden' })
    await checkScreen('group editor with handoff targets', 'beheer-groep-termijnen')
    await form.getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => notice().textContent()).toBe('Team Vergunningen is opgeslagen.')
    const group = await loket.runtime.services.desk.getGroup(loket.seed.groups.vergunningen)
    expect(group).toMatchObject({ pickup_target_minutes: 120, return_target_minutes: 960, calendar_id: (await loket.runtime.services.calendars.list(SYSTEM_ACTOR))[0].id })
    await expect
      .poll(() => main().getByRole('list', { name: 'Groepen' }).textContent())
      .toContain('oppakken binnen 2 werkuren, terug binnen 16 werkuren · kalender Kantoortijden')
    // A 1st-line group has no handoff times to set.
    await main().getByRole('button', { name: '1e lijn Servicedesk wijzigen' }).click()
    expect(await page.getByRole('form', { name: '1e lijn Servicedesk wijzigen' }).getByRole('group', { name: 'Termijnen voor doorgezette tickets' }).count()).toBe(0)
  })

  it("shows the back office's team lead the overdue handoff and its business time, in 'Te late overdrachten' and on the ticket", async () => {
    const { accounts, desk, tickets } = loket.runtime.services
    const { anna, bram, carla, groups } = loket.seed
    const lead = await accounts.createUser(SYSTEM_ACTOR, { email: 'tom@gemeente-loket.nl', name: 'Tom Bakker', role: 'supervisor', password: PASSWORD })
    await desk.updateGroup(SYSTEM_ACTOR, groups.vergunningen, { memberIds: [bram.id, carla.id, lead.id] })
    const annaActor = loket.actorOf(anna)
    const ticket = await tickets.create(annaActor, { subject: 'Vergunning voor een terras', body: 'Hoe lang duurt een terrasvergunning?', requester: { email: 'jan@bakkerijvandam.nl', name: 'Jan van Dam' }, groupId: groups.servicedesk })
    await tickets.escalate(annaActor, ticket.id, ticket.version, { groupId: groups.vergunningen, handoffNote: 'Klant wil weten hoe lang een terrasvergunning duurt. Graag een termijn.' })
    // As if it had been escalated two weeks ago: far past the pick-up target of 2 business hours.
    const escalationId = (await tickets.escalationsOf(annaActor, ticket.id))[0].id
    await loket.runtime.deps.db.updateTable('escalation').set({ escalated_at: new Date(Date.now() - 14 * 86_400_000).toISOString() }).where('id', '=', escalationId).execute()
    await tickets.handoffClock.recompute([groups.vergunningen])

    const tom = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL' })).newPage()
    await login(tom, loket.url, 'tom@gemeente-loket.nl')
    await tom.getByRole('navigation', { name: /wachtrijen/i }).getByRole('link', { name: 'Te late overdrachten' }).click()
    const item = tom.locator('.handoff-item', { hasText: 'Vergunning voor een terras' })
    await expect.poll(() => item.locator('[data-clock]').getAttribute('data-clock')).toBe('overdue')
    expect(await item.textContent()).toMatch(/Te laat: had opgepakt moeten zijn om .*\d+ u \d+ min werktijd/)
    await axe(tom, "team lead's overdue handoffs at 1440×900")
    await tom.setViewportSize({ width: 390, height: 844 })
    await axe(tom, "team lead's overdue handoffs at 390×844")
    await tom.setViewportSize({ width: 1440, height: 900 })
    await item.getByRole('link', { name: 'Vergunning voor een terras' }).click()
    const panel = tom.getByRole('region', { name: 'Backoffice' })
    await expect.poll(() => panel.locator('[data-clock]').first().getAttribute('data-clock')).toBe('overdue')
    expect(await panel.textContent()).toContain('werktijd')
    // A team lead reads the calendars; only administrators change them.
    await tom.goto(`${loket.url}/admin/calendars`)
    const list = tom.getByRole('main').getByRole('list', { name: 'Kalenders' })
    await expect.poll(() => list.textContent()).toContain('Kantoortijden')
    expect(await tom.getByRole('main').getByRole('button', { name: /Kalender toevoegen|wijzigen|Verwijderen/ }).count()).toBe(0)
    await tom.context().close()
  })
})
