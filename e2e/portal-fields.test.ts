import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '../src/server/accounts/actor.js'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import type { User } from '../src/shared/api/accounts.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, PASSWORD, requireChromium, startLoket } from './harness.js'

// Ticket fields an administrator opened to customers, in Chromium: asked in the portal's new-question
// form, shown on the customer's ticket (changeable where open to them), never the internal ones; and a
// catalogue answer mapped to a ticket field in the editor, which a request then fills in.
describe('ticket fields in the portal and the catalogue, in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let admin: Actor
  let mila: User & { email: string }

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    const { accounts, fields } = loket.runtime.services
    admin = loket.actorOf(await accounts.createUser(SYSTEM_ACTOR, { email: 'velden-beheer@gemeente-loket.nl', name: 'Velden Beheer', role: 'admin', password: PASSWORD }))
    mila = await accounts.createUser(SYSTEM_ACTOR, { email: 'mila@bakkerijvandam.nl', name: 'Mila de Wit', role: 'customer', password: PASSWORD })
    await fields.create(admin, { key: 'gewenste_datum', type: 'date', labelNl: 'Gewenste datum', labelEn: 'Wanted by', visibility: 'public', customerEditable: true })
    await fields.create(admin, {
      key: 'vestiging', type: 'choice', labelNl: 'Vestiging', labelEn: 'Branch', visibility: 'public', customerEditable: true, requiredStatuses: ['new'],
      options: [{ value: 'centrum', labelNl: 'Centrum', labelEn: 'City centre' }, { value: 'noord', labelNl: 'Noord', labelEn: 'North' }],
    })
    await fields.create(admin, { key: 'oorzaak', type: 'text', labelNl: 'Oorzaak', labelEn: 'Cause', visibility: 'public' })
    await fields.create(admin, { key: 'kostenplaats', type: 'number', labelNl: 'Kostenplaats', labelEn: 'Cost centre' })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  const newPage = async (width: number, height: number): Promise<Page> => (await browser.newContext({ viewport: { width, height }, locale: 'nl-NL' })).newPage()

  async function signInCustomer(page: Page) {
    await page.goto(loket.url)
    await page.locator('#login-email').fill(mila.email)
    await page.locator('#login-password').fill(PASSWORD)
    await page.locator('form.login-card button[type=submit]').click()
    await page.waitForURL(`${loket.url}/portal`)
  }

  it('asks the fields open to customers with a new question, and shows them on the ticket, changeable', async () => {
    const page = await newPage(1440, 900)
    await signInCustomer(page)
    await page.getByRole('navigation').getByRole('link', { name: 'Stel een vraag' }).click()
    await page.getByLabel('Waar gaat uw vraag over?').fill('Oven in de bakkerij is kapot')
    await page.getByRole('button', { name: 'Iets anders: vraag het de servicedesk' }).click()
    await page.getByLabel('Beschrijf uw vraag').fill('De oven wordt niet meer warm.')
    // Internal fields and public ones the customer may not fill in are not asked.
    expect(await page.getByText('Kostenplaats').count()).toBe(0)
    expect(await page.getByLabel(/Oorzaak/).count()).toBe(0)
    // A field required for a new ticket must be answered first.
    await page.getByRole('button', { name: 'Vraag versturen' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Vul Vestiging in.')
    await page.getByRole('group', { name: /Vestiging/ }).getByLabel('Noord').check()
    await page.getByLabel(/Gewenste datum/).fill('2027-01-15')
    await axe(page, 'portal new question with fields (1440)')
    await page.getByRole('button', { name: 'Vraag versturen' }).click()
    await page.getByRole('heading', { level: 1, name: 'Oven in de bakkerij is kapot' }).waitFor()

    const { tickets } = loket.runtime.services
    const [created] = (await tickets.list(admin, { q: 'oven' })).items
    expect(created.customFields).toEqual({ gewenste_datum: '2027-01-15', vestiging: 'noord' })
    // The desk fills in the public cause and the internal cost centre: the customer sees the cause only.
    const current = await tickets.get(admin, created.id)
    await tickets.update(admin, created.id, current.version, { customFields: { oorzaak: 'Thermostaat defect', kostenplaats: 4711 } })

    const details = page.getByRole('region', { name: 'Gegevens bij uw vraag' })
    await expect.poll(() => details.textContent(), { timeout: 10_000 }).toContain('Thermostaat defect')
    expect(await details.textContent()).toContain('15 januari 2027')
    expect(await details.textContent()).toContain('Noord')
    expect(await page.getByText('4711').count()).toBe(0)
    expect(await page.getByText('Kostenplaats').count()).toBe(0)
    await axe(page, 'portal ticket with fields (1440)')

    // Changing what is open to the customer; the desk's cause is not an input.
    await details.getByRole('button', { name: 'Gegevens wijzigen' }).click()
    expect(await details.getByLabel(/Oorzaak/).count()).toBe(0)
    await details.getByLabel(/Gewenste datum/).fill('2027-02-01')
    await details.getByRole('group', { name: /Vestiging/ }).getByLabel('Centrum').check()
    await axe(page, 'portal ticket changing fields (1440)')
    await details.getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => details.textContent()).toContain('1 februari 2027')
    expect((await tickets.get(admin, created.id)).customFields).toEqual({ gewenste_datum: '2027-02-01', vestiging: 'centrum', oorzaak: 'Thermostaat defect', kostenplaats: 4711 })

    // On a phone: no sideways scrolling, still accessible.
    await page.setViewportSize({ width: 390, height: 844 })
    await axe(page, 'portal ticket with fields (390)')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0)
    await page.close()
  }, 120_000)

  it('maps a catalogue answer to a ticket field in the editor; a request then fills it in', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, 'beheer@gemeente-loket.nl')
    await page.goto(`${loket.url}/admin/catalogue`)
    await page.getByRole('heading', { name: 'Catalogus van aanvragen' }).waitFor()
    await page.getByLabel('Nieuw thema').fill('Apparatuur')
    await page.getByRole('button', { name: 'Thema toevoegen' }).click()
    await page.getByRole('heading', { name: 'Apparatuur' }).waitFor()
    await page.getByRole('button', { name: 'Nieuw item' }).click()
    await page.getByLabel('Titel').fill('Reparatie aanvragen')
    await page.getByRole('button', { name: 'Veld toevoegen' }).click()
    const first = page.getByRole('group', { name: 'Veld 1' })
    await first.getByLabel('Vraag').fill('Welke kostenplaats?')
    // A text answer fits a text or number field; a date field is not offered for it.
    const mapping = first.getByLabel('Zet dit antwoord in ticketveld')
    expect(await mapping.locator('option').allTextContents()).toEqual(['Geen', 'Oorzaak', 'Kostenplaats (alleen voor medewerkers)'])
    await mapping.selectOption({ label: 'Kostenplaats (alleen voor medewerkers)' })
    await page.getByRole('button', { name: 'Veld toevoegen' }).click()
    const second = page.getByRole('group', { name: 'Veld 2' })
    await second.getByLabel('Vraag').fill('Wanneer moet het klaar zijn?')
    await second.getByLabel('Soort').selectOption('date')
    expect(await second.getByLabel('Zet dit antwoord in ticketveld').locator('option').allTextContents()).toEqual(['Geen', 'Gewenste datum', 'Oorzaak'])
    await second.getByLabel('Zet dit antwoord in ticketveld').selectOption({ label: 'Gewenste datum' })
    await axe(page, 'catalogue item form with ticket fields (1440)')
    await page.getByRole('button', { name: 'Opslaan' }).click()
    await page.getByRole('cell', { name: 'Reparatie aanvragen', exact: true }).waitFor()

    const { catalogue, tickets } = loket.runtime.services
    const item = (await catalogue.listItems(admin, {})).find((i) => i.title === 'Reparatie aanvragen')!
    expect(item.fields.map((f) => [f.key, f.ticketField])).toEqual([['welke_kostenplaats', 'kostenplaats'], ['wanneer_moet_het_klaar_zijn', 'gewenste_datum']])
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('button', { name: 'Wijzigen: Reparatie aanvragen' }).click()
    await axe(page, 'catalogue item form with ticket fields (390)')
    await page.close()

    // Letters for the number field: the portal says so in Dutch next to the question, never the server's English.
    const form = await newPage(390, 844)
    await signInCustomer(form)
    await form.goto(`${loket.url}/portal/aanvragen/${item.id}`)
    await form.getByLabel(/Welke kostenplaats\?/).fill('weet ik niet')
    await form.getByRole('button', { name: 'Aanvraag versturen' }).click()
    const nextToQuestion = form.locator('#field-welke_kostenplaats-error')
    await expect.poll(() => nextToQuestion.textContent()).toContain('vul een getal in')
    expect(await form.getByRole('alert').first().textContent()).toContain('Welke kostenplaats?: vul een getal in')
    expect(await form.locator('body').textContent()).not.toMatch(/must be a number|does not fit|An answer/)
    expect(await form.getByLabel(/Welke kostenplaats\?/).getAttribute('aria-invalid')).toBe('true')
    await axe(form, 'portal catalogue answer that does not fit its ticket field (390)')
    await form.close()

    // The customer's request fills in both; the customer sees the public one on the ticket, not the internal.
    const made = await catalogue.request(loket.actorOf(mila), item.id, { values: { welke_kostenplaats: '8120', wanneer_moet_het_klaar_zijn: '2027-03-10' } })
    expect((await tickets.get(admin, made.id)).customFields).toEqual({ kostenplaats: 8120, gewenste_datum: '2027-03-10' })
    const portal = await newPage(390, 844)
    await signInCustomer(portal)
    await portal.goto(`${loket.url}/portal/tickets/${made.number}`)
    const details = portal.getByRole('region', { name: 'Gegevens bij uw vraag' })
    await expect.poll(() => details.textContent()).toContain('10 maart 2027')
    // Their own answer is in their message; the internal field that holds it is not shown to them.
    expect(await details.textContent()).not.toContain('8120')
    expect(await details.textContent()).not.toContain('Kostenplaats')
    await axe(portal, 'portal catalogue ticket with fields (390)')
    await portal.close()
  }, 120_000)
})
