import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// One person, two customers (issue 12): Jan mailed, and someone called from a number that was not known yet.
// Anna sees it is Jan and merges the caller into him from the Klant panel: the call's ticket and the number are his.

describe('merging two customers in Chromium', () => {
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

  for (const [i, viewport] of [{ width: 1440, height: 900 }, { width: 390, height: 844 }].entries()) {
    it(`merges a phone-only caller into the customer at ${viewport.width} px`, async () => {
      const { tickets } = loket.runtime.services
      const jan = loket.seed.customers[0]
      const caller = `Beller ${viewport.width}`
      const number = `06-5555 000${i}`
      const call = await tickets.ingest({
        channel: 'phone', sourceId: `call-merge-${viewport.width}`, from: { kind: 'phone', address: number, name: caller },
        subject: `Gebeld over de terrasvergunning ${viewport.width}`, body: 'Beller vraagt hoe het met de vergunning staat.', contentType: 'text/plain',
      })
      const mail = await tickets.create(loket.actorOf(loket.seed.anna), { subject: `Terras ${viewport.width}`, body: 'Hoe staat het ervoor?', requester: { email: jan.email }, groupId: loket.seed.groups.servicedesk })
      const page = await signedIn(viewport)
      await page.goto(`${loket.url}/tickets/${mail.id}?queue=all`)
      const panel = page.getByRole('region', { name: 'Klant' })
      await panel.getByRole('button', { name: 'Samenvoegen met…' }).click()
      await panel.getByRole('combobox', { name: 'Welke klant is dezelfde persoon?' }).pressSequentially(caller)
      await panel.getByRole('option', { name: new RegExp(caller) }).click()
      await panel.getByText(`Alle tickets, e-mailadressen en telefoonnummers van ${caller} komen bij ${jan.name}.`).waitFor()
      await axe(page, `merge customers at ${viewport.width}`)
      await panel.getByRole('button', { name: 'Samenvoegen', exact: true }).click()
      await panel.getByRole('status').getByText(`Loket heeft ${caller} samengevoegd met ${jan.name}.`).waitFor()
      await panel.getByTestId('identities').getByText(`+31655550${String(i).padStart(3, '0')}`).waitFor()
      await panel.getByText(`Gebeld over de terrasvergunning ${viewport.width}`).waitFor()
      expect((await tickets.get(loket.actorOf(loket.seed.anna), call.ticket.id)).requester.id).toBe(jan.id)
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true)
      await axe(page, `customer merged at ${viewport.width}`)
    }, 120_000)
  }
})
