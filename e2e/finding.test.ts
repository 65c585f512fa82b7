import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// Issue 15, finding things and own queues: the search box in Chromium against a real Loket (SQLite).

describe('finding things and own queues in Chromium', () => {
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
  const searchFor = async (page: Page, q: string) => {
    await page.locator('#search-q').fill(q)
    await page.locator('#search-q').press('Enter')
  }

  it('opens a ticket at once from the number a caller reads out', async () => {
    const page = await agentPage(loket.seed.anna.email)
    const ticket = await loket.runtime.services.tickets.get(loket.actorOf(loket.seed.anna), loket.seed.ticketIds[1])
    await searchFor(page, String(Number(ticket.number.split('-')[1])))
    await page.waitForURL(new RegExp(`/tickets/${ticket.id}`))
    await expect.poll(() => page.locator('h1').first().textContent()).toContain(ticket.subject)
    await page.context().close()
  }, 60_000)

  it('finds a person by phone number in another notation, marked, with their organisation; axe-clean at both widths', async () => {
    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      const page = await agentPage(loket.seed.anna.email, viewport)
      await searchFor(page, '06-12345678')
      const person = page.locator(`[data-person="${loket.seed.customers[0].id}"]`)
      await person.waitFor()
      expect(await person.textContent()).toContain('Jan van Dam')
      expect(await person.textContent()).toContain('Bakkerij Van Dam')
      expect(await person.locator('mark').textContent()).toBe('+31 6 12345678')
      await axe(page, `search results ${viewport.width}px`)
      // Their tickets, one click on.
      await person.getByRole('link').click()
      await page.locator('table.tickets tbody tr[data-ticket]').first().waitFor()
      await page.context().close()
    }
  }, 90_000)
})
