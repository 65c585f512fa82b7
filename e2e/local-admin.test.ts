import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SmtpSink, startSmtpSink } from '../src/server/channels/email/test/smtp-sink.js'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import type { User } from '../src/shared/api/accounts.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, PASSWORD, requireChromium, ROOT, startLoket } from './harness.js'

/** LOKET_SCREENSHOTS=1 (re)writes this journey's screenshots in docs/screenshots/. */
const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined
const shot = async (page: Page, name: string, fullPage = false) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage })
}

// Organisations that manage their own accounts (issue 18), in Chromium: the warning on tickets of an
// organisation without a local administrator and the reminder to its members; a local administrator who
// invites a colleague that signs in through the link in the mail (read from a real SMTP server); the desk
// replacing a local administrator in Beheer, with the audit trail; banners set in Beheer; and axe scans of
// the portal's sign-in link, account, members and organisation pages at 1440 and 390 wide.
describe('local administrators, banners and the portal\'s front door in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let smtp: SmtpSink
  let els: User & { email: string }
  let knip: string

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    smtp = await startSmtpSink()
    const { accounts, localAdmins, mailboxes, organisations, tickets } = loket.runtime.services
    // Loket's own mails (sign-in links, the local administrator's mail, reminders) go out through this mailbox.
    await mailboxes.create(SYSTEM_ACTOR, {
      name: 'Servicedesk',
      address: 'servicedesk@gemeente-loket.nl',
      active: false,
      defaultSender: true,
      imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'servicedesk', password: 'x' },
      smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
    })
    knip = (await organisations.create(SYSTEM_ACTOR, { name: 'Kapsalon Knip', domains: ['kapsalonknip.nl'] })).id
    els = await accounts.createUser(SYSTEM_ACTOR, { email: 'els@kapsalonknip.nl', name: 'Els Knip', role: 'customer', organisationId: knip, password: PASSWORD })
    const wim = await accounts.createUser(SYSTEM_ACTOR, { email: 'wim@kapsalonknip.nl', name: 'Wim Knip', role: 'customer', organisationId: knip })
    await localAdmins.setLocalAdministrators(SYSTEM_ACTOR, knip, { userIds: [els.id], requestedBy: 'Eigenaar, per mail' })
    const anna = loket.actorOf(loket.seed.anna)
    await tickets.create(anna, { subject: 'Pinautomaat kapsalon', body: 'De pinautomaat geeft code 12.', requester: { email: wim.email }, groupId: loket.seed.groups.servicedesk })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
    await smtp?.stop()
  })

  async function newPage(width: number, height: number): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width, height }, locale: 'nl-NL' })).newPage()
    // A step that cannot happen fails with what it waited for, rather than the test's timeout.
    page.setDefaultTimeout(15_000)
    return page
  }
  const widths = [[1440, 900], [390, 844]] as const

  /** Sends every queued mail, then the text of the newest one to this address with this subject (or ''). */
  async function mailText(to: string, subject: string): Promise<string> {
    while (await loket.runtime.deps.jobs.runOnce()) {
      // every job that is due
    }
    const found = smtp.received.filter((m) => m.envelope.to.includes(to) && m.parsed.subject === subject)
    return found.at(-1)?.parsed.text ?? ''
  }

  async function portalSignIn(page: Page, email: string) {
    await page.goto(loket.url)
    await page.locator('#login-email').fill(email)
    await page.locator('#login-password').fill(PASSWORD)
    await page.locator('form.login-card button[type=submit]').click()
    await page.waitForURL(`${loket.url}/portal`)
    await page.getByRole('heading', { level: 1, name: 'Mijn tickets' }).waitFor()
  }

  const organisationItem = (page: Page, name: string) =>
    page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name, exact: true }) })

  it('warns on a ticket of an organisation without a local administrator, and reminds its members from Beheer', async () => {
    const jan = loket.seed.customers[0]
    const agent = await newPage(1440, 900)
    await login(agent, loket.url, loket.seed.anna.email)
    await agent.goto(`${loket.url}/tickets/${loket.seed.ticketIds[0]}`)
    await agent.getByRole('heading', { level: 1, name: /Vraag over mijn terrasvergunning/ }).waitFor()
    await expect.poll(() => agent.getByTestId('no-local-admin').textContent()).toContain('Bakkerij Van Dam heeft geen lokaal beheerder.')
    await axe(agent, 'ticket with the no-local-administrator warning (1440)')
    await agent.close()

    const admin = await newPage(1440, 900)
    await login(admin, loket.url, 'beheer@gemeente-loket.nl')
    await admin.goto(`${loket.url}/admin/organisations`)
    await organisationItem(admin, 'Kapsalon Knip').waitFor()
    await admin.getByLabel('Alleen organisaties zonder lokaal beheerder').check()
    await expect.poll(() => organisationItem(admin, 'Kapsalon Knip').count()).toBe(0)
    await expect.poll(() => organisationItem(admin, 'Bakkerij Van Dam').count()).toBe(1)
    await admin.getByRole('button', { name: 'Herinnering sturen aan de leden van 1 organisatie' }).click()
    await admin.getByRole('button', { name: 'Ja, herinnering sturen' }).click()
    await expect.poll(() => admin.getByRole('status').filter({ hasText: 'Herinnering gestuurd aan de leden van 1 organisatie (aantal mails: 1).' }).count()).toBe(1)
    await axe(admin, 'organisations without a local administrator (1440)')
    await expect.poll(() => mailText(jan.email, 'Bakkerij Van Dam heeft geen lokaal beheerder in Loket'), { timeout: 15_000 }).toContain('/portal')
    await admin.close()
  }, 60_000)

  it('lets a local administrator invite a colleague, who signs in through the link in the mail', async () => {
    const page = await newPage(1440, 900)
    await portalSignIn(page, els.email)
    await expect.poll(() => page.getByTestId('local-admin-note').textContent()).toContain('U bent lokaal beheerder van Kapsalon Knip')
    await page.getByRole('navigation').getByRole('link', { name: 'Leden', exact: true }).click()
    await page.getByRole('heading', { level: 1, name: 'Leden van uw organisatie' }).waitFor()
    await page.getByRole('cell', { name: 'Wim Knip', exact: true }).waitFor()
    await axe(page, 'portal leden (1440)')
    await page.getByLabel('Naam').fill('Kees Knip')
    await page.getByLabel('E-mailadres').fill('kees@kapsalonknip.nl')
    await page.getByRole('button', { name: 'Uitnodiging versturen' }).click()
    await expect.poll(() => page.getByText('Wij hebben een inloglink gestuurd naar kees@kapsalonknip.nl.').count()).toBe(1)
    await page.getByRole('cell', { name: 'Kees Knip', exact: true }).waitFor()
    await axe(page, 'portal leden after an invitation (1440)')
    await shot(page, 'portal-leden')

    await expect.poll(() => mailText('kees@kapsalonknip.nl', 'U bent uitgenodigd voor het klantportaal van Loket'), { timeout: 15_000 }).toContain(`${loket.url}/portal/link#`)
    const text = await mailText('kees@kapsalonknip.nl', 'U bent uitgenodigd voor het klantportaal van Loket')
    const link = /(http:\/\/\S+\/portal\/link#[\w-]+)/.exec(text)![1]
    // Kees opens the link on his phone, in a browser of his own.
    const kees = await newPage(390, 844)
    await kees.goto(link)
    await kees.getByRole('heading', { level: 1, name: 'Mijn tickets' }).waitFor()
    await expect.poll(() => kees.getByTestId('local-admin-note').textContent()).toContain('Lokaal beheerder van Kapsalon Knip: Els Knip (els@kapsalonknip.nl)')
    await axe(kees, 'portal after signing in with an invitation (390)')
    // The link worked once.
    const again = await newPage(390, 844)
    await again.goto(link)
    await expect.poll(() => again.getByRole('alert').textContent()).toContain('Deze link werkt niet (meer)')
    await axe(again, 'portal link that no longer works (390)')
    await Promise.all([page.close(), kees.close(), again.close()])
  }, 60_000)

  it('shows the members and organisation pages of a local administrator on a phone too', async () => {
    for (const [width, height] of widths) {
      const page = await newPage(width, height)
      await portalSignIn(page, els.email)
      await page.goto(`${loket.url}/portal/organisatie`)
      await page.getByRole('heading', { level: 1, name: 'Alle tickets van mijn organisatie' }).waitFor()
      // Wim's ticket: the local administrator follows every ticket of the organisation.
      await page.getByRole('link', { name: 'Pinautomaat kapsalon' }).waitFor()
      await axe(page, `portal organisatie (${width})`)
      await page.goto(`${loket.url}/portal/leden`)
      await page.getByRole('cell', { name: 'Wim Knip', exact: true }).waitFor()
      await axe(page, `portal leden (${width})`)
      await page.close()
    }
  }, 60_000)

  it('lets the desk replace a local administrator in Beheer, and shows it in the audit trail', async () => {
    const kees = (await loket.runtime.services.accounts.listUsers(SYSTEM_ACTOR, { q: 'kees@kapsalonknip.nl' })).items[0]
    const page = await newPage(1440, 900)
    await login(page, loket.url, 'beheer@gemeente-loket.nl')
    await page.goto(`${loket.url}/admin/organisations`)
    const item = organisationItem(page, 'Kapsalon Knip')
    await expect.poll(() => item.getByTestId('local-admins').textContent()).toBe('Lokaal beheerder: Els Knip')
    await item.getByRole('button', { name: 'Lokaal beheerder wijzigen (Kapsalon Knip)' }).click()
    const form = page.getByRole('form', { name: 'Lokaal beheerder wijzigen (Kapsalon Knip)' })
    await form.getByRole('checkbox', { name: /Kees Knip/ }).waitFor()
    await axe(page, 'beheer: changing a local administrator (1440)')
    await form.getByRole('checkbox', { name: /Els Knip/ }).uncheck()
    await form.getByRole('checkbox', { name: /Kees Knip/ }).check()
    await form.getByLabel('Op verzoek van').fill('Els Knip, per telefoon')
    await form.getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'De lokaal beheerders van Kapsalon Knip zijn opgeslagen.' }).count()).toBe(1)
    await expect.poll(() => item.getByTestId('local-admins').textContent()).toBe('Lokaal beheerder: Kees Knip')
    const trail = item.getByRole('region', { name: 'Wijzigingen lokaal beheerder' })
    await expect.poll(() => trail.textContent()).toContain('Ruud Vermeulen wijzigde Els Knip in Kees Knip, op verzoek van Els Knip, per telefoon.')
    // The first assignment, before this one.
    expect(await trail.textContent()).toContain('wijzigde niemand in Els Knip, op verzoek van Eigenaar, per mail.')
    await axe(page, 'beheer: local administrator changes (1440)')
    await shot(page, 'beheer-organisaties-lokaal-beheerder', true)

    // The audit log itself: who asked, which agent, before and after.
    const admin = (await loket.runtime.services.accounts.listUsers(SYSTEM_ACTOR, { q: 'beheer@gemeente-loket.nl' })).items[0]
    const entries = await loket.runtime.services.audit.list(SYSTEM_ACTOR, { action: 'organisation.local-administrators-changed', organisationId: knip })
    expect(entries.items[0]).toMatchObject({
      actorId: admin.id,
      subjectUserId: kees.id,
      details: { organisation: 'Kapsalon Knip', requestedBy: 'Els Knip, per telefoon', previous: [{ name: 'Els Knip' }], current: [{ name: 'Kees Knip' }] },
    })
    expect(entries.items).toHaveLength(2)
    // The new local administrator hears it by mail, in his language.
    await expect.poll(() => mailText('kees@kapsalonknip.nl', 'U bent nu lokaal beheerder van Kapsalon Knip'), { timeout: 15_000 }).toContain('collega\'s uitnodigen')

    await page.setViewportSize({ width: 390, height: 844 })
    await page.goto(`${loket.url}/admin/organisations`)
    await item.getByRole('button', { name: 'Wijzigingen lokaal beheerder van Kapsalon Knip' }).click()
    await expect.poll(() => item.getByRole('region', { name: 'Wijzigingen lokaal beheerder' }).textContent()).toContain('Ruud Vermeulen wijzigde Els Knip in Kees Knip')
    await axe(page, 'beheer: local administrator changes (390)')
    await page.close()
  }, 60_000)

  it('puts up an outage banner in Beheer that the portal shows, also on its sign-in page', async () => {
    const admin = await newPage(1440, 900)
    await login(admin, loket.url, 'beheer@gemeente-loket.nl')
    await admin.goto(`${loket.url}/admin/banners`)
    await admin.getByRole('heading', { level: 1, name: 'Mededelingen' }).waitFor()
    await admin.getByRole('button', { name: 'Mededeling toevoegen' }).click()
    await admin.getByLabel('Soort').selectOption('outage')
    await admin.getByLabel('Tekst in het Nederlands').fill('Het pinnen bij de balie werkt vandaag niet.')
    await admin.getByLabel('Tekst in het Engels').fill('Card payments at the desk are down today.')
    await axe(admin, 'beheer: new banner (1440)')
    await admin.getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => admin.getByRole('status').filter({ hasText: 'De mededeling staat klaar.' }).count()).toBe(1)
    const listed = admin.getByRole('list', { name: 'Mededelingen' }).getByRole('listitem')
    await expect.poll(() => listed.textContent()).toContain('Nu zichtbaar')
    await axe(admin, 'beheer: banners (1440)')
    await shot(admin, 'beheer-mededelingen')
    await admin.setViewportSize({ width: 390, height: 844 })
    await axe(admin, 'beheer: banners (390)')
    expect((await loket.runtime.services.banners.current()).map((b) => [b.kind, b.textEn])).toEqual([['outage', 'Card payments at the desk are down today.']])
    await admin.close()
  }, 60_000)

  it.each(widths)('shows the banner, the sign-in link and account aanmaken on the portal\'s sign-in page at %i wide', async (width, height) => {
    const page = await newPage(width, height)
    await page.goto(`${loket.url}/portal`)
    const banners = page.getByRole('region', { name: 'Mededelingen' })
    await expect.poll(() => banners.textContent()).toContain('Storing: Het pinnen bij de balie werkt vandaag niet.')
    await axe(page, `portal sign-in with a banner (${width})`)
    if (width === 390) await shot(page, 'portal-login-390')

    await page.getByRole('button', { name: 'Inloggen zonder wachtwoord' }).click()
    await page.getByRole('button', { name: 'Stuur mij een inloglink' }).waitFor()
    await axe(page, `portal sign-in link (${width})`)
    await page.getByRole('form', { name: 'Inloggen zonder wachtwoord' }).getByLabel('E-mailadres').fill(els.email)
    await page.getByRole('button', { name: 'Stuur mij een inloglink' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Als er een account is met dit adres' }).count()).toBe(1)
    await axe(page, `portal sign-in link sent (${width})`)

    await page.getByRole('button', { name: 'Account aanmaken' }).click()
    const register = page.getByRole('form', { name: 'Account aanmaken' })
    await register.getByLabel('Naam').waitFor()
    await axe(page, `portal account aanmaken (${width})`)
    await register.getByLabel('Naam').fill('Nina Nieuw')
    await register.getByLabel('E-mailadres').fill(`nina.${width}@example.nl`)
    await register.getByRole('button', { name: 'Account aanmaken' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Als u zich met dit adres kunt aanmelden' }).count()).toBe(1)
    await axe(page, `portal account aanmaken sent (${width})`)

    // In English, the banner's English text.
    await page.getByTestId('language').selectOption('en')
    await expect.poll(() => page.getByRole('region', { name: 'Announcements' }).textContent()).toContain('Outage: Card payments at the desk are down today.')
    await page.close()
    // The sign-in link went to Els (once: a second request within two minutes sends nothing, and says the same).
    await expect.poll(() => mailText(els.email, 'Uw inloglink voor Loket'), { timeout: 15_000 }).toContain('/portal/link#')
  }, 60_000)
})
