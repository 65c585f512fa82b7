import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import { startTestProvider, type TestProvider } from '../src/server/test/oidc-provider.js'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, ROOT, startLoket } from './harness.js'

// Single sign-on for staff (issue 13) in a real browser: Loket's sign-in screen, the provider's own
// sign-in form (oidc-provider on loopback), and back into the workspace.

const PROVIDER_PASSWORD = 'wachtwoord-bij-de-provider'
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }
/** LOKET_SCREENSHOTS=1 (re)writes docs/screenshots/login-sso.png. */
const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined

/** A port nobody listens on now: Loket's public URL (and so the redirect URI) must name it before it starts. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('single sign-on in Chromium', () => {
  let loket: Loket
  let provider: TestProvider
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    const executablePath = requireChromium()
    const port = await freePort()
    const publicUrl = `http://127.0.0.1:${port}`
    provider = await startTestProvider({
      redirectUris: [`${publicUrl}/api/v1/auth/oidc/callback`],
      accounts: [
        { login: 'sanne', password: PROVIDER_PASSWORD, email: 'sanne@gemeente-loket.nl', name: 'Sanne Bakker', groups: ['loket-servicedesk'] },
        { login: 'kees', password: PROVIDER_PASSWORD, email: 'kees@gemeente-loket.nl', name: 'Kees Visser', groups: ['other-application'] },
      ],
    })
    loket = await startLoket(await buildWeb(), { port, config: { publicUrl } })
    await loket.runtime.services.sso.putSettings(SYSTEM_ACTOR, {
      enabled: true,
      name: 'Gemeente-account',
      issuerUrl: provider.issuer,
      clientId: provider.clientId,
      clientSecret: provider.clientSecret,
      scopes: ['openid', 'email', 'profile', 'groups'],
      claim: 'groups',
      mappings: [{ value: 'loket-servicedesk', role: 'agent', groupIds: [loket.seed.groups.servicedesk] }],
      createUsers: true,
      localPasswordsForStaff: true,
    })
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
  }, 120_000)

  beforeEach(async (ctx) => {
    context = await browser.newContext({ viewport: DESKTOP, locale: 'nl-NL' })
    page = await context.newPage()
    page.on('pageerror', (err) => errors.push(err.message))
    onTestFailed(async () => {
      const file = join(tmpdir(), `loket-e2e-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}.png`)
      await page?.screenshot({ path: file }).catch(() => {})
      console.error(`screenshot of the failure: ${file}`)
    })
  })

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
    await provider?.close()
  })

  /** Axe at desktop and phone size (1440×900, 390×844), back at desktop size afterwards. */
  async function axeAtBothSizes(screen: string) {
    await axe(page, `${screen} at 1440×900`)
    await page.setViewportSize(PHONE)
    await axe(page, `${screen} at 390×844`)
    await page.setViewportSize(DESKTOP)
  }

  async function signInAtProvider(login: string) {
    await page.goto(loket.url)
    const button = page.getByRole('link', { name: 'Inloggen met Gemeente-account' })
    await button.waitFor()
    await button.click()
    await page.waitForURL((url) => url.origin === provider.issuer)
    await page.getByLabel('User name').fill(login)
    await page.getByLabel('Password').fill(PROVIDER_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
  }

  it('offers "Inloggen met Gemeente-account" on the sign-in screen, signs in at the provider and lands in the workspace as an agent of the mapped group', async () => {
    await page.goto(loket.url)
    await page.getByRole('link', { name: 'Inloggen met Gemeente-account' }).waitFor()
    await page.getByText('of met e-mailadres en wachtwoord').waitFor()
    await axeAtBothSizes('sign-in screen with single sign-on')
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true })
      await page.screenshot({ path: join(SHOTS, 'login-sso.png') })
    }

    await signInAtProvider('sanne')
    await page.getByRole('heading', { name: 'Mijn werk', level: 1 }).waitFor()
    expect(new URL(page.url()).origin).toBe(loket.url)
    const me = await (await page.request.get(`${loket.url}/api/v1/me`)).json()
    expect(me.user).toMatchObject({ email: 'sanne@gemeente-loket.nl', name: 'Sanne Bakker', role: 'agent', groupIds: [loket.seed.groups.servicedesk] })
    // The same session as a password sign-in: it survives a reload, and the workspace shows the desk's work.
    await page.reload()
    await page.getByRole('heading', { name: 'Mijn werk', level: 1 }).waitFor()
    await page.getByRole('link', { name: /Alle open tickets/ }).click()
    await page.getByText('Vraag over mijn terrasvergunning').waitFor()
    expect(errors).toEqual([])
  }, 90_000)

  it('comes back to a ticket link it started from', async () => {
    const ticket = await loket.runtime.services.tickets.getByNumber(SYSTEM_ACTOR, '2026-00002')
    await page.goto(`${loket.url}/tickets/${ticket.id}`)
    await page.getByRole('link', { name: 'Inloggen met Gemeente-account' }).click()
    await page.getByLabel('User name').fill('sanne')
    await page.getByLabel('Password').fill(PROVIDER_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Afspraak paspoort verzetten' }).waitFor()
    expect(new URL(page.url()).pathname).toBe(`/tickets/${ticket.id}`)
  }, 90_000)

  it('sends someone whose groups give no access back to the sign-in screen with the reason in Dutch', async () => {
    await signInAtProvider('kees')
    await page.getByRole('alert').filter({ hasText: 'geeft geen toegang tot Loket' }).waitFor()
    // The reason is taken off the address, so a reload shows a clean sign-in screen.
    expect(new URL(page.url()).search).toBe('')
    await axeAtBothSizes('sign-in screen after a refused single sign-on')
    expect(await loket.runtime.services.accounts.userIdByEmail('kees@gemeente-loket.nl')).toBeUndefined()
  }, 90_000)

  it('lets an administrator change the settings on the single sign-on screen', async () => {
    await login(page, loket.url, 'beheer@gemeente-loket.nl')
    await page.getByRole('link', { name: 'Eenmalig inloggen (SSO)' }).click()
    await page.getByRole('heading', { name: 'Eenmalig inloggen (SSO)', level: 1 }).waitFor()
    expect(await page.getByLabel('Redirect-URI').inputValue()).toBe(`${loket.url}/api/v1/auth/oidc/callback`)
    expect(await page.getByLabel('Issuer-URL').inputValue()).toBe(provider.issuer)
    await page.getByText('Opgeslagen (versleuteld). Laat dit leeg om het te houden.').waitFor()
    await expect.poll(() => page.getByRole('group', { name: 'Regel 1' }).getByLabel('Groep in Loket').inputValue()).toBe(loket.seed.groups.servicedesk)
    await axeAtBothSizes('single sign-on settings')
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'sso-settings.png'), fullPage: true })

    await page.getByLabel('Naam op de knop').fill('Werkplek-account')
    await page.getByRole('button', { name: 'Regel toevoegen' }).click()
    const row = page.getByRole('group', { name: 'Regel 2' })
    await row.getByLabel('Waarde in de claim').fill('loket-vergunningen')
    await row.getByLabel('Groep in Loket').selectOption({ label: 'Team Vergunningen' })
    await page.getByRole('button', { name: 'Opslaan' }).click()
    await page.getByText('De instellingen zijn opgeslagen.').waitFor()
    const stored = await loket.runtime.services.sso.getSettings(SYSTEM_ACTOR)
    expect(stored).toMatchObject({ name: 'Werkplek-account', hasClientSecret: true })
    expect(stored.mappings).toEqual([
      { value: 'loket-servicedesk', role: 'agent', groupIds: [loket.seed.groups.servicedesk] },
      { value: 'loket-vergunningen', groupIds: [loket.seed.groups.vergunningen] },
    ])
    // Switching passwords off is refused until this administrator has signed in with the provider.
    await page.getByLabel('Medewerkers kunnen niet meer met een wachtwoord inloggen (klanten wel)').check()
    await page.getByRole('button', { name: 'Opslaan' }).click()
    await page.getByRole('alert').filter({ hasText: 'Log eerst zelf één keer in via de inlogdienst' }).waitFor()
    expect((await loket.runtime.services.sso.getSettings(SYSTEM_ACTOR)).localPasswordsForStaff).toBe(true)
  }, 90_000)
})
