import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Dovecot, deskMailbox, startDovecot } from '../src/server/channels/email/test/dovecot.js'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, ROOT, startLoket } from './harness.js'

// Routing rules (issue 16): an administrator sends mail from one organisation's domain to HR in Beheer,
// tests it with a sample, and a real mail through Dovecot lands in HR. LOKET_SCREENSHOTS=1 (re)writes
// docs/screenshots/routing-rules.png.

const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined
const ADMIN = 'beheer@gemeente-loket.nl'

describe('routing rules in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let dovecot: Dovecot
  let hrGroupId: string

  beforeAll(async () => {
    const executablePath = requireChromium()
    dovecot = await startDovecot(['desk'])
    loket = await startLoket(await buildWeb())
    const { desk, mailboxes } = loket.runtime.services
    const hr = await desk.createDepartment(SYSTEM_ACTOR, { name: 'HR' })
    hrGroupId = (await desk.createGroup(SYSTEM_ACTOR, { name: 'HR-advies', departmentId: hr.id, line: 2 })).id
    await mailboxes.create(SYSTEM_ACTOR, { ...deskMailbox(dovecot), groupId: loket.seed.groups.servicedesk, pollSeconds: 5 } as never)
    await loket.runtime.email.start()
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
    await dovecot?.stop()
  })

  async function signedIn(viewport = { width: 1440, height: 900 }): Promise<Page> {
    const page = await (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, ADMIN)
    return page
  }

  it("sends mail from an organisation's domain to HR: made and tested in Beheer, followed by a mail through Dovecot", async () => {
    const page = await signedIn()
    await page.getByRole('banner').getByRole('link', { name: 'Beheer', exact: true }).click()
    await page.getByRole('main').getByRole('link', { name: 'Routeringsregels' }).click()
    await page.getByRole('heading', { name: 'Routeringsregels', level: 1 }).waitFor()
    await page.getByText('Er zijn nog geen regels').waitFor()
    await axe(page, 'routing rules, none yet')

    await page.getByRole('button', { name: 'Regel toevoegen' }).click()
    await page.getByLabel('Naam van de regel').fill('Bakkerij Van Dam naar HR')
    await page.getByLabel('van afzender is (adres of domein)').fill('bakkerijvandam.nl')
    await page.getByLabel('Afdeling').selectOption({ label: 'HR' })
    await page.getByLabel('Labels toevoegen').fill('hr, bakkerij')
    await axe(page, 'routing rule form')
    await page.getByRole('button', { name: 'Regel opslaan' }).click()
    await page.getByText('Regel ‘Bakkerij Van Dam naar HR’ is opgeslagen.').waitFor()
    const card = page.locator('.rr-list > li').filter({ hasText: 'Bakkerij Van Dam naar HR' })
    await expect.poll(() => card.textContent()).toContain('afzender bakkerijvandam.nl')
    await expect.poll(() => card.textContent()).toContain('naar HR-advies (HR)')

    // A catch-all below it, moved up: the HR rule can never get a turn, and the screen says so.
    await page.getByRole('button', { name: 'Regel toevoegen' }).click()
    await page.getByLabel('Naam van de regel').fill('Alles hoog')
    await page.getByLabel('Prioriteit').selectOption({ label: 'Hoog' })
    await page.getByRole('button', { name: 'Regel opslaan' }).click()
    await page.getByText('Regel ‘Alles hoog’ is opgeslagen.').waitFor()
    await page.getByRole('button', { name: '‘Alles hoog’ omhoog' }).click()
    await expect.poll(() => page.locator('.rr-list > li').first().textContent()).toContain('1. Alles hoog')
    await page.getByText('Deze regel komt nooit aan de beurt: regel ‘Alles hoog’ erboven past altijd eerst.').waitFor()
    await page.getByRole('button', { name: '‘Bakkerij Van Dam naar HR’ omhoog' }).click()
    await expect.poll(() => page.locator('.rr-list > li').first().textContent()).toContain('1. Bakkerij Van Dam naar HR')
    await expect.poll(() => page.getByText('komt nooit aan de beurt').count()).toBe(0)

    // The test: a sample from the bakery's domain.
    const test = page.getByRole('form', { name: 'Regels testen' })
    await test.getByLabel('E-mailadres van de afzender').fill('jan@bakkerijvandam.nl')
    await test.getByLabel('Onderwerp').fill('Loonstrook november')
    await test.getByRole('button', { name: 'Testen' }).click()
    await expect.poll(() => page.getByTestId('routing-test-result').textContent()).toContain('Regel 1, ‘Bakkerij Van Dam naar HR’, pakt dit ticket: naar HR-advies (HR); labels hr, bakkerij')
    await test.getByLabel('E-mailadres van de afzender').fill('iemand@elders.nl')
    await test.getByRole('button', { name: 'Testen' }).click()
    await expect.poll(() => page.getByTestId('routing-test-result').textContent()).toContain('Regel 2, ‘Alles hoog’')
    await axe(page, 'routing rules with a test result')
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'routing-rules.png'), fullPage: true })

    // A real mail from the bakery, fetched from Dovecot by the mailbox of the service desk: it lands in HR.
    await dovecot.append(
      'desk',
      'From: Jan van Dam <jan@bakkerijvandam.nl>\r\nTo: desk@loket.test\r\nSubject: Vraag over mijn loonstrook\r\nMessage-ID: <routing-e2e-1@bakkerijvandam.nl>\r\n' +
        'Date: Mon, 07 Dec 2026 09:00:00 +0100\r\n\r\nIk mis mijn loonstrook van november.\r\n',
    )
    loket.runtime.email.wakeAll()
    let ticketId: string | undefined
    await expect
      .poll(async () => {
        const list = (await (await page.request.get(`${loket.url}/api/v1/tickets?limit=50`)).json()) as { items: { id: string; subject: string }[] }
        ticketId = list.items.find((t) => t.subject === 'Vraag over mijn loonstrook')?.id
        return ticketId
      }, { timeout: 30_000, message: 'the mail is filed as a ticket' })
      .toBeDefined()
    const ticket = { id: ticketId! }
    const routed = (await (await page.request.get(`${loket.url}/api/v1/tickets/${ticket.id}`)).json()) as { groupId: string; tags: string[]; priority: string }
    expect(routed).toMatchObject({ groupId: hrGroupId, tags: ['bakkerij', 'hr'], priority: 'normal' })

    // At phone width the list, the form and the test stay usable.
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('button', { name: '‘Alles hoog’ wijzigen' }).click()
    await page.getByLabel('Naam van de regel').waitFor()
    await axe(page, 'routing rules at 390×844')
    // (At phone width the language choice sits in the menu: switched at desktop width.)
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.getByTestId('language').selectOption('en')
    await page.getByRole('heading', { name: 'Routing rules', level: 1 }).waitFor()
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('button', { name: 'Cancel' }).click()
    await axe(page, 'routing rules in English at 390×844')
  }, 150_000)
})
