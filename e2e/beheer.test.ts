import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// Beheer (issue 15): the administrators' area in the agent app, its first-run checklist, and the
// "page not found" screen for paths the app does not know.
describe('Beheer in Chromium', () => {
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

  it('opens from the top bar for an administrator, with the checklist ticked from what exists', async () => {
    const page = await signedIn('beheer@gemeente-loket.nl')
    await page.getByRole('banner').getByRole('link', { name: 'Beheer', exact: true }).click()
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Beheer')
    const checklist = page.getByRole('region', { name: 'Eerste stappen' })
    // The seeded desk has departments, groups and agents, but no mailbox yet.
    await expect.poll(() => checklist.textContent()).toContain('3 van de 4 stappen gedaan.')
    await expect.poll(() => checklist.getByRole('listitem').filter({ hasText: 'Koppel een postvak' }).textContent()).toContain('(nog te doen)')
    await expect.poll(() => checklist.getByRole('listitem').filter({ hasText: 'Maak groepen aan' }).textContent()).toContain('(gedaan)')
    await axe(page, 'beheer at 1440×900')
    // The existing screens are sections of Beheer.
    await page.getByRole('main').getByRole('link', { name: 'E-mailpostvakken' }).click()
    await expect.poll(() => page.url()).toBe(`${loket.url}/admin/mailboxes`)
    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${loket.url}/admin`)
    await checklist.waitFor()
    await axe(page, 'beheer at 390×844')
  })

  it('shows "Pagina niet gevonden" for unknown paths, never another screen', async () => {
    const page = await signedIn('beheer@gemeente-loket.nl')
    for (const path of ['/admin/bestaat-niet', '/iets-anders', '/tickets/1/extra']) {
      await page.goto(`${loket.url}${path}`)
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), { message: path }).toBe('Pagina niet gevonden')
    }
    await axe(page, 'pagina niet gevonden')
    await page.getByTestId('language').selectOption('en')
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found')
  })

  it('is not offered to an agent, and its paths are not found for them', async () => {
    const page = await signedIn('anna@gemeente-loket.nl')
    await expect(page.getByRole('banner').getByRole('link', { name: 'Beheer', exact: true }).count()).resolves.toBe(0)
    await page.goto(`${loket.url}/admin`)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Pagina niet gevonden')
  })

  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

  it('fits the queue and a ticket on a phone without sideways scrolling, the bar folded into a menu', async () => {
    for (const width of [320, 390]) {
      const page = await signedIn('anna@gemeente-loket.nl', { width, height: 844 })
      await page.goto(`${loket.url}/queues/open`)
      await page.locator('table.tickets tbody tr[data-ticket]').first().waitFor()
      expect(await sideways(page), `queue at ${width}px`).toBe(0)
      await expect(page.locator('nav.sidebar').isVisible()).resolves.toBe(false)
      const menu = page.getByRole('button', { name: 'Menu' })
      await menu.click()
      await expect(menu.getAttribute('aria-expanded')).resolves.toBe('true')
      await page.locator('nav.sidebar').waitFor()
      expect(await sideways(page), `open menu at ${width}px`).toBe(0)
      await axe(page, `menu at ${width}px`)
      // Choosing a queue closes the menu again.
      await page.locator('nav.sidebar a[href="/queues/mine"]').click()
      await expect.poll(() => page.locator('nav.sidebar').isVisible()).toBe(false)
      await page.goto(`${loket.url}/tickets/${loket.seed.ticketIds[0]}?queue=open`)
      await page.getByRole('heading', { level: 1, name: /terrasvergunning/ }).waitFor()
      expect(await sideways(page), `ticket at ${width}px`).toBe(0)
      if (width === 390) await axe(page, 'ticket at 390×844')
      await page.context().close()
    }
  }, 120_000)

  it('sends a "Wachtwoord vergeten?" link from the sign-in screen without saying whether the address exists', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL' })).newPage()
    await page.goto(loket.url)
    await page.getByRole('button', { name: 'Wachtwoord vergeten?' }).click()
    await page.locator('#forgot-email').fill('niemand@example.nl')
    await page.getByRole('button', { name: 'Stuur mij een link' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Als dit adres' }).count()).toBe(1)
    await axe(page, 'wachtwoord vergeten')
    expect(await sideways(page)).toBe(0)
  })

  it('opens one\'s own profile from the top bar: name, language and password', async () => {
    const page = await signedIn('bram@gemeente-loket.nl')
    await page.getByRole('banner').getByRole('link', { name: 'Bram Jansen' }).click()
    await page.getByRole('heading', { level: 1, name: 'My profile' }).waitFor()
    await page.getByLabel('Current password').fill('not-my-password')
    await page.getByLabel('New password', { exact: true }).fill('a-new-password')
    await page.getByLabel('Repeat the new password').fill('a-new-password')
    await page.getByRole('button', { name: 'Change password' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('The current password is not right')
    await axe(page, 'profile at 1440×900')
    await page.setViewportSize({ width: 390, height: 844 })
    expect(await sideways(page)).toBe(0)
    await axe(page, 'profile at 390×844')
    await page.getByLabel('Language', { exact: true }).selectOption('nl')
    // The profile has a form per part (my details, notifications), each with its own Save.
    await page.getByRole('form', { name: 'My details' }).getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { level: 1, name: 'Mijn profiel' }).waitFor()
  })
})
