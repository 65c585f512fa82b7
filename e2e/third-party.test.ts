import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, ROOT, startLoket } from './harness.js'

// Waiting on a third party (issue 16), in Chromium: Anna sets "wacht op derde tot <datum>" with the supplier
// and their reference in the ticket's sidebar; the ticket leaves her group's queue for "Wacht op derde"; when
// the date has passed, the once-a-minute check puts it back on the group's queue with a marker and tells her
// in the bell. LOKET_SCREENSHOTS=1 (re)writes docs/screenshots/third-party-*.png.

const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined
const inDays = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000)
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`
}

describe('waiting on a third party, in Chromium', () => {
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

  async function signedIn(email: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, email)
    return page
  }
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)

  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    it(`waits on a supplier until a date, then comes back on the group's queue marked, at ${viewport.width} px`, async () => {
      const { anna, customers, groups } = loket.seed
      const subject = `Printer tweede verdieping ${viewport.width}`
      const created = await loket.runtime.services.tickets.create(loket.actorOf(anna), {
        subject,
        body: 'De printer op de tweede verdieping geeft foutcode E-302.',
        requester: { email: customers[0].email, name: customers[0].name },
        groupId: groups.servicedesk,
      })
      await loket.runtime.services.tickets.update(loket.actorOf(anna), created.id, created.version, { assigneeId: anna.id, status: 'open' })

      const page = await signedIn(anna.email, viewport)
      await page.goto(`${loket.url}/tickets/${created.id}?queue=group-${groups.servicedesk}`)
      const panel = page.getByRole('region', { name: 'Wacht op derde' })
      await panel.getByRole('button', { name: 'Laten wachten op derde' }).click()
      await panel.getByLabel('Wacht tot').fill(inDays(5))
      await panel.getByLabel('Leverancier').fill('Canon Service')
      await panel.getByLabel('Hun referentienummer').fill('CS-2026-4411')
      await axe(page, `third-party form at ${viewport.width}`)
      const [saved] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith(`/tickets/${created.id}`) && r.request().method() === 'PATCH'),
        panel.getByRole('button', { name: 'Opslaan' }).click(),
      ])
      expect(saved.status()).toBe(200)
      expect((await saved.json()) as object).toMatchObject({ status: 'waiting_for_third_party', thirdParty: { supplier: 'Canon Service', reference: 'CS-2026-4411' } })
      await page.locator('.ticket-head [data-third-party="waiting"]').getByText('Wacht op Canon Service tot', { exact: false }).waitFor()
      await panel.getByText('CS-2026-4411').waitFor()
      await axe(page, `ticket waiting on a third party at ${viewport.width}`)
      expect(await fitsWidth(page)).toBe(true)
      if (SHOTS && viewport.width === 1440) await page.screenshot({ path: join(SHOTS, 'third-party-waiting.png'), fullPage: true })

      // Out of the group's queue, in "Wacht op derde".
      await page.goto(`${loket.url}/queues/group-${groups.servicedesk}`)
      await page.getByRole('heading', { level: 1 }).waitFor()
      await page.locator('table.tickets, .empty').first().waitFor()
      expect(await page.getByRole('link', { name: subject }).count()).toBe(0)
      await page.goto(`${loket.url}/queues/third-party`)
      await page.getByRole('heading', { name: 'Wacht op derde', level: 1 }).waitFor()
      const row = page.locator('tr', { has: page.getByRole('link', { name: subject }) })
      await row.locator('[data-third-party="waiting"]').waitFor()
      await axe(page, `"Wacht op derde" at ${viewport.width}`)

      // The date passes: the check puts it back, marked, and tells Anna.
      await loket.runtime.deps.db.updateTable('ticket').set({ third_party_until: new Date(Date.now() - 60_000).toISOString() }).where('id', '=', created.id).execute()
      expect((await loket.runtime.services.tickets.timers.run()).back).toBe(1)
      await loket.runtime.outbox.drain()
      await page.goto(`${loket.url}/queues/group-${groups.servicedesk}`)
      const back = page.locator('tr', { has: page.getByRole('link', { name: subject }) })
      await back.locator('[data-third-party="back"]').getByText('Terug: wachten op Canon Service is voorbij').waitFor()
      await page.getByRole('button', { name: /Meldingen/ }).first().click()
      await page.getByText(`wacht niet meer op een derde en staat weer in de wachtrij`, { exact: false }).first().waitFor()
      await axe(page, `back from the third party at ${viewport.width}`)
      expect(await fitsWidth(page)).toBe(true)
      if (SHOTS && viewport.width === 1440) await page.screenshot({ path: join(SHOTS, 'third-party-back.png'), fullPage: true })
      await page.context().close()
    }, 120_000)
  }
})
