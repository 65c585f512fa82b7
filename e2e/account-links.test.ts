import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axe } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// The pages that the one-time links in Loket's mails open (choose a password, confirm a new address).
// Using a valid link end to end is tested through the API in accounts/account-changes.api.test.ts.
describe('one-time link pages in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL' })).newPage()
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  it('asks for the new password twice, and says plainly when a link no longer works', async () => {
    await page.goto(`${loket.url}/wachtwoord-instellen#${'x'.repeat(43)}`)
    await expect.poll(() => page.title()).toBe('Nieuw wachtwoord kiezen · Loket')
    await axe(page, 'wachtwoord-instellen')
    await page.getByLabel('Nieuw wachtwoord', { exact: true }).fill('een-lang-wachtwoord')
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('een-ander-wachtwoord')
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('niet gelijk')
    await page.getByLabel('Herhaal het nieuwe wachtwoord').fill('een-lang-wachtwoord')
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Deze link werkt niet (meer)')
    await axe(page, 'wachtwoord-instellen with an error')
  })

  it('confirms a new address only when asked, in English too', async () => {
    await page.goto(`${loket.url}/e-mailadres-bevestigen`)
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Deze link werkt niet (meer)')
    await expect(page.getByRole('button', { name: 'E-mailadres bevestigen' }).isDisabled()).resolves.toBe(true)
    await page.getByTestId('language').selectOption('en')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Confirm your new e-mail address')
    await axe(page, 'e-mailadres-bevestigen')
  })
})
