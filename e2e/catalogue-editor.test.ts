import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, PASSWORD, requireChromium, ROOT, startLoket } from './harness.js'

/** LOKET_SCREENSHOTS=1 (re)writes this journey's screenshots in docs/screenshots/. */
const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined
const shot = async (page: Page, name: string, fullPage = false) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage })
}

// The service catalogue in the agent app: the administrators' editor under Beheer, and a request's
// fulfilment steps ticked off on its ticket.
describe('service catalogue in the workspace, in Chromium', () => {
  let loket: Loket
  let browser: Browser

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  async function signedIn(email: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
    const page = await (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, email)
    return page
  }

  it('lets an administrator add a theme and an item with a conditional field and fulfilment steps', async () => {
    const page = await signedIn('beheer@gemeente-loket.nl')
    await page.goto(`${loket.url}/admin/catalogue`)
    await page.getByRole('heading', { name: 'Catalogus van aanvragen' }).waitFor()
    await axe(page, 'catalogue editor (1440)')
    await page.getByLabel('Nieuw thema').fill('Werkplek')
    await page.getByRole('button', { name: 'Thema toevoegen' }).click()
    await page.getByRole('heading', { name: 'Werkplek' }).waitFor()
    await page.getByRole('button', { name: 'Nieuw item' }).click()
    await page.getByLabel('Titel').fill('Laptop aanvragen')
    await page.getByLabel('Gaat naar groep').selectOption({ label: 'Team Vergunningen' })
    await page.getByRole('button', { name: 'Veld toevoegen' }).click()
    await page.getByRole('group', { name: 'Veld 1' }).getByLabel('Vraag').fill('Is het een vervanging?')
    await page.getByRole('group', { name: 'Veld 1' }).getByLabel('Soort').selectOption('yesno')
    await page.getByRole('group', { name: 'Veld 1' }).getByLabel('Verplicht').check()
    await page.getByRole('button', { name: 'Veld toevoegen' }).click()
    await page.getByRole('group', { name: 'Veld 2' }).getByLabel('Vraag').fill('Nummer van het oude apparaat')
    await page.getByRole('group', { name: 'Veld 2' }).getByLabel('Alleen tonen als dit veld is ingevuld').selectOption({ label: 'Is het een vervanging?' })
    await page.getByRole('group', { name: 'Veld 2' }).getByLabel(/precies deze waarde/).fill('true')
    await page.getByLabel('Uitvoeringsstappen').fill('Laptop bestellen\nLaptop uitleveren')
    await axe(page, 'catalogue item form (1440)')
    await shot(page, 'catalogue-item', true)
    await page.getByRole('button', { name: 'Opslaan' }).click()
    await page.getByRole('cell', { name: 'Laptop aanvragen', exact: true }).waitFor()
    await shot(page, 'catalogue-editor')
    const admin = loket.actorOf(await loket.runtime.services.accounts.getUser(SYSTEM_ACTOR, loket.seed.anna.id))
    const [item] = await loket.runtime.services.catalogue.listItems(admin, {})
    expect(item).toMatchObject({ title: 'Laptop aanvragen', groupId: loket.seed.groups.vergunningen, steps: ['Laptop bestellen', 'Laptop uitleveren'] })
    expect(item.fields).toEqual([
      { key: 'is_het_een_vervanging', label: 'Is het een vervanging?', type: 'yesno', required: true },
      { key: 'nummer_van_het_oude_apparaat', label: 'Nummer van het oude apparaat', type: 'text', required: false, showWhen: { field: 'is_het_een_vervanging', equals: 'true' } },
    ])
    await page.setViewportSize({ width: 390, height: 844 })
    await axe(page, 'catalogue editor (390)')
  })

  it('shows a request\'s fulfilment steps on its ticket, to tick off', async () => {
    const { accounts, catalogue } = loket.runtime.services
    const admin = loket.actorOf(await accounts.createUser(SYSTEM_ACTOR, { email: 'cat2@gemeente-loket.nl', name: 'Cat Beheer', role: 'admin', password: PASSWORD }))
    const [item] = await catalogue.listItems(admin, {})
    const customer = loket.actorOf(await accounts.createUser(SYSTEM_ACTOR, { email: 'rik@bakkerijvandam.nl', name: 'Rik', role: 'customer' }))
    const made = await catalogue.request(customer, item.id, { values: { is_het_een_vervanging: true, nummer_van_het_oude_apparaat: 'LT-0042' } })
    const page = await signedIn('anna@gemeente-loket.nl')
    await page.goto(`${loket.url}/tickets/${made.id}`)
    const panel = page.getByRole('region', { name: 'Uitvoeringsstappen' })
    await panel.getByLabel('Laptop bestellen').check()
    await expect.poll(() => panel.textContent()).toContain('1 van 2 gedaan')
    await axe(page, 'ticket with fulfilment steps (1440)')
    expect((await catalogue.requestOf(admin, made.id)).steps.map((s) => s.doneAt !== null)).toEqual([true, false])
  })
})
