import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { systemActor } from '../src/server/accounts/actor.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// Issue 15, ticket fields an administrator adds: made in Beheer → Ticketvelden, filled in when an agent
// opens a ticket on a customer's behalf, shown on the ticket, and filtered on in a queue.
describe('ticket fields in Chromium', () => {
  let loket: Loket
  let browser: Browser

  beforeAll(async () => {
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  const signedIn = async (email: string, viewport = { width: 1440, height: 900 }): Promise<Page> => {
    const page = await (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, email)
    return page
  }

  it('lets an administrator add a choice field in Beheer', async () => {
    const page = await signedIn('beheer@gemeente-loket.nl')
    await page.goto(`${loket.url}/admin/ticket-fields`)
    await page.getByRole('button', { name: 'Veld toevoegen' }).click()
    await page.getByLabel('Naam (Nederlands)').fill('Contract')
    await page.getByLabel('Naam (Engels)').fill('Contract')
    await page.getByLabel('Naam in de API').fill('contract')
    await page.getByLabel('Soort').selectOption('choice')
    await page.getByLabel('Keuzes').fill('goud = Goud / Gold\nzilver = Zilver / Silver')
    await axe(page, 'ticket field form (1440)')
    await page.getByRole('button', { name: 'Veld opslaan' }).click()
    await page.getByText('Veld toegevoegd.').waitFor()
    const fields = await loket.runtime.services.fields.list(systemActor('test'))
    expect(fields.find((f) => f.key === 'contract')).toMatchObject({ type: 'choice', options: [{ value: 'goud', labelNl: 'Goud', labelEn: 'Gold' }, { value: 'zilver', labelNl: 'Zilver', labelEn: 'Silver' }] })
    await page.context().close()
  })

  it('is filled in on a new ticket, shown on the ticket, and filters a queue', async () => {
    const page = await signedIn(loket.seed.anna.email)
    await page.goto(`${loket.url}/new`)
    await page.getByLabel('E-mailadres van de klant').fill('m.jansen@drukkerij-jansen.nl')
    await page.getByLabel('Onderwerp', { exact: true }).fill('Goudcontract: printer kapot')
    await page.getByLabel('Wat vraagt of meldt de klant?').fill('De printer op de eerste verdieping doet niets meer.')
    const fieldset = page.getByRole('group', { name: 'Ticketvelden' })
    await fieldset.getByLabel('Contract').selectOption('goud')
    await axe(page, 'new ticket with ticket fields (1440)')
    await page.getByRole('button', { name: 'Ticket aanmaken' }).click()
    await page.waitForURL(/\/tickets\/[^/?]+/)
    const ticketId = new URL(page.url()).pathname.split('/')[2]
    // Stored typed, and shown in the ticket's fields.
    const ticket = await loket.runtime.services.tickets.get(loket.actorOf(loket.seed.anna), ticketId)
    expect(ticket.customFields).toEqual({ contract: 'goud' })
    await expect.poll(() => page.locator('#cf-contract').inputValue()).toBe('goud')

    await page.goto(`${loket.url}/queues/open`)
    const rows = page.locator('tbody tr[data-row]')
    await page.getByText('Meer filters', { exact: true }).click()
    const filters = page.locator('.queue-more-filters')
    await filters.getByLabel('Contract').selectOption('zilver')
    await expect.poll(() => page.getByText('Geen tickets gevonden.').isVisible()).toBe(true)
    await filters.getByLabel('Contract').selectOption('goud')
    await expect.poll(() => rows.allTextContents()).toEqual([expect.stringContaining('Goudcontract: printer kapot')])
    await expect.poll(() => page.getByText('Meer filters (1 aan)').isVisible()).toBe(true)
    await axe(page, 'queue with more filters (1440)')
    await page.setViewportSize({ width: 390, height: 844 })
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
    await axe(page, 'queue with more filters (390)')
    await page.context().close()
  })

  it('saves a note and the changed ticket details with one Bijwerken', async () => {
    const page = await signedIn(loket.seed.anna.email)
    const ticketId = loket.seed.ticketIds[3]
    const before = await loket.runtime.services.tickets.get(loket.actorOf(loket.seed.anna), ticketId)
    const next = before.priority === 'high' ? 'urgent' : 'high'
    await page.goto(`${loket.url}/tickets/${ticketId}`)
    await page.locator('#f-priority').selectOption(next)
    await page.getByRole('radio', { name: 'Interne notitie' }).check()
    await page.locator('#composer-body').fill('Klant belde opnieuw: prioriteit omhoog.')
    const update = page.getByRole('button', { name: 'Bijwerken', exact: true })
    await update.waitFor()
    await axe(page, 'ticket with unsaved fields and a note (1440)')
    await update.click()
    await page.getByText('Klant belde opnieuw: prioriteit omhoog.').waitFor()
    // The panel starts again from the saved ticket: nothing left unsaved, the composer back to its own button.
    await expect.poll(() => page.locator('form.fields [role=status]').textContent()).toBe('Opgeslagen.')
    await page.getByRole('button', { name: 'Notitie toevoegen', exact: true }).waitFor()
    const after = await loket.runtime.services.tickets.get(loket.actorOf(loket.seed.anna), ticketId)
    expect(after.priority).toBe(next)
    expect(after.version).toBeGreaterThan(before.version)
    await page.context().close()
  })
})
