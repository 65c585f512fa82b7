import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// Merge and link in the workspace (issue 16): Anna finds that Jan wrote twice about the same thing and
// merges the second ticket into the first; the duplicate points at its target, the target shows the messages.

describe('merging two tickets in Chromium', () => {
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

  async function signedIn(viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, loket.seed.anna.email)
    return page
  }

  const openTwice = async (subject: string) => {
    const { tickets } = loket.runtime.services
    const actor = loket.actorOf(loket.seed.anna)
    const jan = loket.seed.customers[0]
    const first = await tickets.create(actor, { subject, body: 'De afvalkalender laadt niet op mijn telefoon.', requester: { email: jan.email }, groupId: loket.seed.groups.servicedesk })
    const second = await tickets.create(actor, { subject: `${subject} (nogmaals)`, body: 'Nog steeds laadt de afvalkalender niet, ook niet op de computer.', requester: { email: jan.email }, groupId: loket.seed.groups.servicedesk })
    return { first, second }
  }

  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    it(`merges a duplicate into the first ticket at ${viewport.width} px`, async () => {
      const { first, second } = await openTwice(`Afvalkalender ${viewport.width}`)
      const page = await signedIn(viewport)
      await page.goto(`${loket.url}/tickets/${second.id}?queue=all`)
      const panel = page.getByRole('region', { name: 'Verwante tickets' })
      await panel.waitFor()
      await axe(page, `ticket with related tickets at ${viewport.width}`)
      await panel.getByRole('button', { name: 'Samenvoegen…' }).click()
      await panel.getByLabel('Samenvoegen met ticketnummer').fill(first.number)
      await panel.getByRole('button', { name: 'Zoeken' }).click()
      await panel.getByText(`Loket voegt ${second.number} samen met ${first.number}`).waitFor()
      await axe(page, `merge confirmation at ${viewport.width}`)
      await panel.getByRole('button', { name: `Samenvoegen met ${first.number}` }).click()
      await panel.getByText('Dit ticket is samengevoegd met').waitFor()
      await expect.poll(() => page.locator('.ticket-meta .badge').textContent()).toBe('Gesloten')
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)

      // Follow the link to the target: both messages are there, and the duplicate is listed as merged into it.
      await panel.getByRole('link', { name: first.number }).click()
      await page.getByText('ook niet op de computer').waitFor()
      await page.getByText('De afvalkalender laadt niet op mijn telefoon.').waitFor()
      const target = page.getByRole('region', { name: 'Verwante tickets' })
      await target.getByRole('link', { name: second.number }).waitFor()
      await page.getByLabel('Ook wijzigingen tonen').check()
      await page.locator('[data-change="mergedFrom"]').getByText(second.number).waitFor()
      await axe(page, `merged target at ${viewport.width}`)
    }, 120_000)
  }

  it('links two tickets, shown on both', async () => {
    const { first, second } = await openTwice('Afvalkalender koppelen')
    const page = await signedIn({ width: 1440, height: 900 })
    await page.goto(`${loket.url}/tickets/${first.id}?queue=all`)
    const panel = page.getByRole('region', { name: 'Verwante tickets' })
    await panel.getByRole('button', { name: 'Koppelen…' }).click()
    await panel.getByLabel('Koppelen aan ticketnummer').fill(second.number)
    await panel.getByRole('button', { name: 'Koppelen', exact: true }).click()
    await panel.getByRole('link', { name: second.number }).waitFor()
    await page.goto(`${loket.url}/tickets/${second.id}?queue=all`)
    await page.getByRole('region', { name: 'Verwante tickets' }).getByRole('link', { name: first.number }).waitFor()
  }, 120_000)
})
