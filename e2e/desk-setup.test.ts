import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decryptSecret } from '../src/server/accounts/secrets.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, ROOT, startEmptyLoket } from './harness.js'

/** LOKET_SCREENSHOTS=1 (re)writes the Beheer screenshots in docs/screenshots/. */
const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined

// Issue 15: a desk sets itself up from an empty installation through the screens alone: a department, a
// group, an agent invited by mail who chooses a password through the link and signs in.
describe('setting up a desk from an empty installation, in Chromium', () => {
  let loket: Omit<Loket, 'seed'>
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startEmptyLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, 'beheer@gemeente-loket.nl')
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  /** axe at desktop and phone size, and no sideways scrolling on the phone. */
  async function checkScreen(name: string) {
    await axe(page, `${name} at 1440×900`)
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `beheer-${name}.png`) })
    await page.setViewportSize({ width: 390, height: 844 })
    await axe(page, `${name} at 390×844`)
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name} scrolls sideways`).toBe(0)
    await page.setViewportSize({ width: 1440, height: 900 })
  }
  const main = () => page.getByRole('main')
  const notice = () => main().getByRole('status').first()

  /** The invitation as the e-mail channel would send it (no mailbox is connected yet, so it is read from the job). */
  async function invitationTo(email: string) {
    const jobs = await loket.runtime.deps.db.selectFrom('job').select('payload').where('queue', '=', 'account.mail').orderBy('id').execute()
    const mails = jobs.map((j) => JSON.parse(decryptSecret(loket.runtime.config.secret, JSON.parse(j.payload).sealed)) as { to: string; subject: string; text: string })
    const mail = mails.reverse().find((m) => m.to === email)
    expect(mail?.subject).toBe('U bent uitgenodigd voor Loket')
    return /(http\S+\/wachtwoord-instellen#[\w-]+)/.exec(mail!.text)![1]
  }

  it('shows the first steps, none done yet', async () => {
    await page.getByRole('banner').getByRole('link', { name: 'Beheer', exact: true }).click()
    const checklist = page.getByRole('region', { name: 'Eerste stappen' })
    await expect.poll(() => checklist.textContent()).toContain('0 van de 4 stappen gedaan.')
    await checkScreen('start')
  })

  it('creates a department', async () => {
    await page.getByRole('region', { name: 'Eerste stappen' }).getByRole('link', { name: 'Maak afdelingen aan' }).click()
    await main().getByRole('heading', { level: 1, name: 'Afdelingen' }).waitFor()
    await main().getByRole('button', { name: 'Afdeling toevoegen' }).click()
    await page.getByLabel('Naam', { exact: true }).fill('Servicedesk')
    await page.getByLabel('Groepen van deze afdeling mogen klanten zelf antwoorden').check()
    await checkScreen('afdelingen')
    await main().getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => notice().textContent()).toBe('Servicedesk is opgeslagen.')
    await expect.poll(() => main().getByRole('list', { name: 'Afdelingen' }).textContent()).toContain('mag klanten zelf antwoorden')
  })

  it('creates a group in it', async () => {
    await page.getByRole('navigation', { name: /wachtrijen/i }).getByRole('link', { name: 'Groepen' }).click()
    await main().getByRole('button', { name: 'Groep toevoegen' }).click()
    await page.getByLabel('Naam', { exact: true }).fill('1e lijn Servicedesk')
    await expect(page.getByLabel('Afdeling').inputValue()).resolves.not.toBe('')
    await page.getByLabel('Lijn').selectOption('1')
    await checkScreen('groepen')
    await main().getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => notice().textContent()).toBe('1e lijn Servicedesk is opgeslagen.')
  })

  it('refuses to delete the department while the group is in it, and says why', async () => {
    await page.goto(`${loket.url}/admin/departments`)
    await main().getByRole('button', { name: 'Verwijderen' }).click()
    await main().getByRole('button', { name: 'Ja, verwijderen' }).click()
    await expect.poll(() => main().getByRole('alert').textContent()).toContain('hier hangt nog iets aan: 1 groep')
  })

  it('invites an agent, who chooses a password through the link and signs in', { timeout: 90_000 }, async () => {
    await page.goto(`${loket.url}/admin/users`)
    await main().getByRole('button', { name: 'Gebruiker toevoegen' }).click()
    await page.getByLabel('Naam', { exact: true }).fill('Nina Nieuw')
    await page.getByLabel('E-mailadres').fill('nina@gemeente-loket.nl')
    await page.getByRole('form', { name: 'Gebruiker toevoegen' }).getByLabel('Rol').selectOption('agent')
    await page.getByRole('group', { name: 'Groepen' }).getByLabel('1e lijn Servicedesk').check()
    await expect(page.getByLabel('Stuur een uitnodiging per e-mail om een wachtwoord te kiezen').isChecked()).resolves.toBe(true)
    await checkScreen('gebruikers')
    await main().getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => notice().textContent()).toContain('Nina Nieuw is uitgenodigd')
    await expect.poll(() => main().getByRole('list', { name: 'Gebruikers' }).textContent()).toContain('1e lijn Servicedesk')

    const link = await invitationTo('nina@gemeente-loket.nl')
    const nina = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'nl-NL' })).newPage()
    await nina.goto(link)
    await nina.getByLabel('Nieuw wachtwoord', { exact: true }).fill('ninas-eigen-wachtwoord')
    await nina.getByLabel('Herhaal het nieuwe wachtwoord').fill('ninas-eigen-wachtwoord')
    await nina.getByRole('button', { name: 'Wachtwoord opslaan' }).click()
    await nina.getByRole('link', { name: 'Naar inloggen' }).click()
    await nina.locator('#login-email').fill('nina@gemeente-loket.nl')
    await nina.locator('#login-password').fill('ninas-eigen-wachtwoord')
    await nina.locator('form.login-card button[type=submit]').click()
    await nina.locator('nav.sidebar').waitFor({ state: 'attached' })
    await expect.poll(() => nina.locator('nav.sidebar').textContent()).toContain('1e lijn Servicedesk')
    // The link worked once.
    await nina.goto(link)
    await nina.getByLabel('Nieuw wachtwoord', { exact: true }).fill('nog-een-wachtwoord')
    await nina.getByLabel('Herhaal het nieuwe wachtwoord').fill('nog-een-wachtwoord')
    await nina.getByRole('button', { name: 'Wachtwoord opslaan' }).click()
    await expect.poll(() => nina.getByRole('alert').textContent()).toContain('Deze link werkt niet (meer)')
  })

  it('ticks the steps that are done', async () => {
    await page.goto(`${loket.url}/admin`)
    await expect.poll(() => page.getByRole('region', { name: 'Eerste stappen' }).textContent()).toContain('3 van de 4 stappen gedaan.')
  })

  it('says that the invitation waits for a mailbox that can send (issue 14: account mail is never dropped)', async () => {
    // The worker takes the invitation; with no mailbox it waits, kept.
    while (await loket.runtime.deps.jobs.runOnce()) {
      // every due job
    }
    await page.goto(`${loket.url}/admin`)
    const waiting = page.getByRole('region', { name: 'Eerste stappen' }).locator('[data-waiting-mail]')
    await expect.poll(() => waiting.textContent()).toContain('1 bericht wacht op een postvak dat kan versturen')
    await checkScreen('eerste-stappen-wachtende-mail')
    await page.goto(`${loket.url}/admin/mailboxes`)
    await expect.poll(() => main().locator('[data-waiting-mail]').textContent()).toContain('Loket verstuurt uitnodigingen, links om in te loggen of een wachtwoord te kiezen, en bevestigingen')
  })

  it('adds an organisation with its domain', async () => {
    await page.goto(`${loket.url}/admin/organisations`)
    await main().getByRole('button', { name: 'Organisatie toevoegen' }).click()
    await page.getByLabel('Naam', { exact: true }).fill('Bakkerij Van Dam')
    await page.getByLabel('E-maildomeinen').fill('bakkerijvandam.nl')
    await checkScreen('organisaties')
    await main().getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => main().getByRole('list', { name: 'Organisaties' }).textContent()).toContain('bakkerijvandam.nl')
  })
})
