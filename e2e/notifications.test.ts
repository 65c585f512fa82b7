import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// Issue 15, notifications: one agent's action reaches another agent's bell live, in Chromium against a
// real Loket (SQLite), without reloading the page.

describe('notifications in Chromium', () => {
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

  const agentPage = async (email: string, viewport = { width: 1440, height: 900 }): Promise<Page> => {
    const context = await browser.newContext({ viewport, locale: 'nl-NL' })
    const page = await context.newPage()
    await login(page, loket.url, email)
    return page
  }
  const bellCount = (page: Page) => page.locator('[data-testid="bell-count"]')
  const countText = async (page: Page) => ((await bellCount(page).count()) > 0 ? await bellCount(page).textContent() : '0')

  it("Anna assigns a ticket to Bram and names him in a note: Bram's bell counts up without a reload; the panel links to the ticket", async () => {
    const { anna, bram } = loket.seed
    const ticketId = loket.seed.ticketIds[1]
    const ticket = await loket.runtime.services.tickets.get(loket.actorOf(anna), ticketId)
    // Bram (English) looks at his queue; nothing new yet.
    const bramPage = await agentPage(bram.email)
    await bramPage.locator('.bell-button').waitFor()
    expect(await countText(bramPage)).toBe('0')
    await bramPage.waitForFunction(() => document.querySelector('.live-open') !== null)

    // Anna assigns the ticket to Bram in the ticket's fields.
    const annaPage = await agentPage(anna.email)
    await annaPage.goto(`${loket.url}/tickets/${ticketId}`)
    await annaPage.locator('#f-assignee').selectOption({ label: 'Bram Jansen' })
    await annaPage.locator('form.fields button[type=submit]').click()
    await expect.poll(async () => (await loket.runtime.services.tickets.get(loket.actorOf(anna), ticketId)).assignee?.id).toBe(bram.id)

    // Live: the count rises on Bram's open page.
    await expect.poll(() => countText(bramPage), { timeout: 15_000 }).toBe('1')
    expect(await bramPage.locator('.bell-button').getAttribute('aria-label')).toBe('Notifications, 1 unread')

    // Anna names Bram in a note, picking him from the suggestions after typing "@Br".
    await annaPage.locator('.mode-switch input[value=internal]').check()
    const body = annaPage.locator('#composer-body')
    await body.click()
    await body.pressSequentially('Kun jij dit overnemen @Br')
    const option = annaPage.getByRole('listbox', { name: "Collega's" }).getByRole('option', { name: 'Bram Jansen' })
    await option.waitFor()
    await axe(annaPage, 'note with @name suggestions 1440px')
    await body.press('Enter')
    expect(await body.inputValue()).toBe('Kun jij dit overnemen @Bram Jansen ')
    await body.press('Control+Enter')
    await expect.poll(() => countText(bramPage), { timeout: 15_000 }).toBe('2')

    // The panel: newest first, each linking to the ticket; opening one marks it read.
    await bramPage.locator('.bell-button').click()
    const items = bramPage.locator('#notification-panel li')
    await expect.poll(() => items.count()).toBe(2)
    expect(await items.nth(0).textContent()).toContain(`Anna de Vries mentioned you in a note on ticket ${ticket.number}`)
    expect(await items.nth(1).textContent()).toContain(`Anna de Vries assigned ticket ${ticket.number} to you`)
    await axe(bramPage, 'notification panel 1440px')
    await items.nth(1).getByRole('link').click()
    await bramPage.waitForURL(new RegExp(`/tickets/${ticketId}`))
    await expect.poll(() => countText(bramPage)).toBe('1')
    await annaPage.context().close()
    await bramPage.context().close()
  }, 240_000)

  it('marks queue rows with a customer message Bram has not seen, until he opens the ticket', async () => {
    const { bram } = loket.seed
    const page = await agentPage(bram.email)
    await page.goto(`${loket.url}/queues/open`)
    const rows = page.locator('table.tickets tbody tr[data-ticket]')
    await rows.first().waitFor()
    // Bram opened ticket 1 in the test before; another ticket he never opened is marked.
    const opened = await loket.runtime.services.tickets.get(loket.actorOf(bram), loket.seed.ticketIds[1])
    const other = await loket.runtime.services.tickets.get(loket.actorOf(bram), loket.seed.ticketIds[2])
    await expect.poll(() => page.locator(`tr[data-ticket="${other.number}"].unseen`).count()).toBe(1)
    expect(await page.locator(`tr[data-ticket="${opened.number}"].unseen`).count()).toBe(0)
    await page.context().close()
  }, 60_000)

  it('shows the bell, the panel and the mail choices axe-clean at phone width, and saves the choices', async () => {
    for (const viewport of [{ width: 390, height: 844 }, { width: 1440, height: 900 }]) {
      const page = await agentPage(loket.seed.anna.email, viewport)
      await page.locator('.bell-button').click()
      await page.locator('#notification-panel').waitFor()
      await axe(page, `notification panel ${viewport.width}px`)
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
      await page.locator('#notification-panel').getByRole('link', { name: 'Kies welke meldingen u per e-mail krijgt' }).click()
      await page.waitForURL(/\/profile$/)
      const choice = page.getByLabel('De klant heeft gereageerd op mijn ticket')
      await choice.waitFor()
      await axe(page, `profile with notification choices ${viewport.width}px`)
      if (viewport.width === 390) {
        expect(await choice.isChecked()).toBe(false)
        await choice.check()
        await page.locator('form[aria-labelledby=profile-notifications] button[type=submit]').click()
        await page.getByText('Uw keuze is opgeslagen.').waitFor()
        const saved = await loket.runtime.services.notifications.settings(loket.actorOf(loket.seed.anna))
        expect(saved.mail).toContain('customer-replied')
      }
      await page.context().close()
    }
  }, 240_000)
})
