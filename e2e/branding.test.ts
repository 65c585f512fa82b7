import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { png } from '../src/server/test/png.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// Branding (issue 15): an administrator sets the organisation's name and logo in Beheer → Huisstijl, and
// the sign-in screen shows them to whoever comes next.
describe('branding in Chromium', () => {
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

  const newPage = async (viewport = { width: 1440, height: 900 }): Promise<Page> => (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()

  it('sets the name and logo in Beheer, and shows them on the sign-in screen at both widths', async () => {
    const page = await newPage()
    await login(page, loket.url, 'beheer@gemeente-loket.nl')
    await page.goto(`${loket.url}/admin`)
    await page.getByRole('main').getByRole('link', { name: 'Huisstijl', exact: true }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Huisstijl')
    await page.getByLabel('Naam van uw organisatie').fill('Gemeente Lingedal')
    await page.getByRole('form', { name: 'Naam' }).getByRole('button', { name: 'Opslaan' }).click()
    await page.getByText('De naam is opgeslagen.').waitFor()
    const logo = png(120, 40)
    await page.getByLabel('Logo kiezen').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: logo })
    await page.getByText('Het logo is opgeslagen.').waitFor()
    await page.getByRole('img', { name: 'Het huidige logo' }).waitFor()
    await axe(page, 'huisstijl at 1440×900')
    // A file that is not an image of an allowed kind is refused in the screen, with the reason.
    await page.getByLabel('Logo kiezen').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') })
    await page.getByText('Kies een afbeelding in PNG, JPEG of WebP.').waitFor()
    const branding = await loket.runtime.services.branding.current()
    expect(branding.name).toBe('Gemeente Lingedal')
    expect(branding.logoUrl).not.toBeNull()

    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      const visitor = await newPage(viewport)
      await visitor.goto(loket.url)
      const brand = visitor.locator('.login-brand')
      await expect.poll(() => brand.textContent()).toBe('Gemeente Lingedal')
      // The logo is the one uploaded, loaded in full: 120 pixels wide.
      await expect.poll(() => brand.locator('img').evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBe(120)
      await axe(visitor, `sign-in screen with branding at ${viewport.width}`)
      await visitor.context().close()
    }
  })
})
