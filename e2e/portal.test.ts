import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import type { User } from '../src/shared/api/accounts.js'
import { axe } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, PASSWORD, requireChromium, ROOT, startLoket } from './harness.js'

/** LOKET_SCREENSHOTS=1 (re)writes this journey's screenshots in docs/screenshots/. */
const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined
const shot = async (page: Page, name: string, fullPage = false) => {
  if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage })
}

// The customer portal at /portal, in Chromium: signing in at /, the ticket list, a ticket's public
// timeline with a reply and a file, the desk's answer arriving live, closing, and asking a new question.
describe('customer portal in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let els: User & { email: string }
  let ticketId: string
  let ticketNumber: string

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    const { accounts, tickets } = loket.runtime.services
    els = await accounts.createUser(SYSTEM_ACTOR, { email: 'els@bakkerijvandam.nl', name: 'Els Bakker', role: 'customer', password: PASSWORD })
    const anna = loket.actorOf(loket.seed.anna)
    const ticket = await tickets.create(anna, { subject: 'Kassasysteem start niet op', body: 'Sinds vanochtend start de kassa niet meer op.', requester: { email: els.email }, groupId: loket.seed.groups.servicedesk })
    ticketId = ticket.id
    ticketNumber = ticket.number
    await tickets.addArticle(anna, ticket.id, { body: 'Geheime notitie: leverancier gebeld.', visibility: 'internal' })
    await tickets.addArticle(anna, ticket.id, { body: 'Welke foutmelding ziet u op het scherm?', visibility: 'public', status: 'waiting_for_customer' })
    // Someone else's ticket, which Els must never see.
    await tickets.create(anna, { subject: 'Paspoort verlopen', body: 'Vraag van een ander.', requester: { email: loket.seed.customers[1].email }, groupId: loket.seed.groups.servicedesk })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  const newPage = async (width: number, height: number): Promise<Page> => (await browser.newContext({ viewport: { width, height }, locale: 'nl-NL' })).newPage()

  async function signIn(page: Page) {
    // Customers sign in where staff do, and land in the portal.
    await page.goto(loket.url)
    await page.locator('#login-email').fill(els.email)
    await page.locator('#login-password').fill(PASSWORD)
    await page.locator('form.login-card button[type=submit]').click()
    await page.waitForURL(`${loket.url}/portal`)
    await page.getByRole('heading', { level: 1, name: 'Mijn tickets' }).waitFor()
  }

  it('lands a customer in the portal, puts the desk\'s question first, and shows only their own tickets', async () => {
    const page = await newPage(1440, 900)
    await signIn(page)
    await expect.poll(() => page.getByRole('heading', { level: 2, name: 'Wij wachten op uw antwoord' }).count()).toBe(1)
    await expect.poll(() => page.getByRole('link', { name: 'Kassasysteem start niet op' }).count()).toBe(1)
    expect(await page.getByText('Paspoort verlopen').count()).toBe(0)
    await axe(page, 'portal ticket list (1440)')
    await shot(page, 'portal-tickets')
    await page.close()
  })

  it('shows the public timeline, takes a reply with a file, and shows the desk\'s answer live', async () => {
    const page = await newPage(1440, 900)
    await signIn(page)
    await page.getByRole('link', { name: 'Kassasysteem start niet op' }).click()
    await page.getByRole('heading', { level: 1, name: 'Kassasysteem start niet op' }).waitFor()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Wij wachten op uw antwoord' }).count()).toBe(1)
    await expect.poll(() => page.getByText('Welke foutmelding ziet u op het scherm?').count()).toBe(1)
    expect(await page.getByText('Geheime notitie').count()).toBe(0)
    await axe(page, 'portal ticket (1440)')
    await shot(page, 'portal-ticket', true)

    await page.getByLabel('Uw bericht').fill('Er staat: E42 geen verbinding met de server.')
    await page.getByLabel('Bestanden toevoegen (niet verplicht)').setInputFiles({ name: 'foutmelding.txt', mimeType: 'text/plain', buffer: Buffer.from('E42') })
    await page.getByRole('button', { name: 'Versturen' }).click()
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Uw bericht is verstuurd.' }).count()).toBe(1)
    await expect.poll(() => page.getByRole('link', { name: 'foutmelding.txt' }).count()).toBe(1)
    // The reply reopened the ticket: no longer waiting for the customer.
    await expect.poll(() => page.getByText('Wij wachten op uw antwoord').count()).toBe(0)

    // The desk answers while the page is open: it appears without a reload.
    await loket.runtime.services.tickets.addArticle(loket.actorOf(loket.seed.anna), ticketId, { body: 'Dank u, wij sturen een monteur.', visibility: 'public' })
    await expect.poll(() => page.getByText('Dank u, wij sturen een monteur.').count(), { timeout: 10_000 }).toBe(1)

    await page.getByRole('button', { name: 'Ticket sluiten' }).click()
    await page.getByRole('button', { name: 'Ja, sluiten' }).click()
    await expect.poll(() => page.getByText('Dit ticket is gesloten.').count()).toBe(1)
    expect((await loket.runtime.services.tickets.get(SYSTEM_ACTOR, ticketId)).status).toBe('closed')
    await page.close()
  })

  it('works at phone width, in English too, and opens a ticket for "something else"', async () => {
    const page = await newPage(390, 844)
    await signIn(page)
    await axe(page, 'portal ticket list (390)')
    await page.goto(`${loket.url}/portal/tickets/${ticketNumber}`)
    await page.getByRole('heading', { level: 1, name: 'Kassasysteem start niet op' }).waitFor()
    await axe(page, 'portal ticket (390)')
    await page.getByRole('navigation').getByRole('link', { name: 'Stel een vraag' }).click()
    await page.getByRole('heading', { level: 1, name: 'Stel een vraag' }).waitFor()
    await axe(page, 'portal ask (390)')
    await page.getByTestId('language').selectOption('en')
    await page.getByRole('heading', { level: 1, name: 'Ask a question' }).waitFor()
    await page.getByLabel('What is your question about?').fill('Pinautomaat geeft storing')
    await page.getByRole('button', { name: 'Something else: ask the service desk' }).click()
    await page.getByLabel('Describe your question').fill('De pinautomaat geeft code 12.')
    await axe(page, 'portal new question (390, en)')
    await page.getByRole('button', { name: 'Send question' }).click()
    await page.getByRole('heading', { level: 1, name: 'Pinautomaat geeft storing' }).waitFor()
    const mine = await loket.runtime.services.tickets.list(loket.actorOf(els), { q: 'pinautomaat' })
    expect(mine.items.map((tk) => [tk.subject, tk.channel])).toEqual([['Pinautomaat geeft storing', 'portal']])
    // The choice is kept for the account (mails come in it too); back to Dutch for the next tests.
    expect((await loket.runtime.services.accounts.getUser(SYSTEM_ACTOR, els.id)).language).toBe('en')
    await page.getByTestId('language').selectOption('nl')
    await expect.poll(async () => (await loket.runtime.services.accounts.getUser(SYSTEM_ACTOR, els.id)).language).toBe('nl')
    await page.close()
  })

  it('finds an answer in the knowledge base while typing a question, and counts it as deflected', async () => {
    const admin = loket.actorOf(await loket.runtime.services.accounts.createUser(SYSTEM_ACTOR, { email: 'kb-beheer@gemeente-loket.nl', name: 'KB Beheer', role: 'admin', password: PASSWORD }))
    await loket.runtime.services.knowledge.createArticle(admin, {
      title: 'Kassa start niet: zo herstart u de kassa',
      body: '<p>Houd de aan-knop tien seconden ingedrukt en start de kassa opnieuw.</p>',
      visibility: 'public',
      status: 'published',
    })
    const page = await newPage(1440, 900)
    await signIn(page)
    await page.getByRole('navigation').getByRole('link', { name: 'Stel een vraag' }).click()
    await page.getByLabel('Waar gaat uw vraag over?').fill('kassa herstarten')
    await page.getByRole('link', { name: /Kassa start niet: zo herstart u de kassa/ }).waitFor()
    await axe(page, 'portal ask with suggestions (1440)')
    await shot(page, 'portal-ask')
    await page.getByRole('button', { name: 'Dit beantwoordt mijn vraag' }).click()
    await page.getByRole('heading', { level: 1, name: 'Fijn dat u het antwoord heeft gevonden' }).waitFor()
    await expect.poll(async () => (await loket.runtime.services.portal.deflections(admin, {})).total).toBe(1)
    await page.close()
  })

  it('files a catalogue request with a conditional field and a file; the desk sees the answers as a table', async () => {
    const { catalogue, accounts } = loket.runtime.services
    const admin = loket.actorOf(await accounts.createUser(SYSTEM_ACTOR, { email: 'cat-beheer@gemeente-loket.nl', name: 'Catalogus Beheer', role: 'admin', password: PASSWORD }))
    const category = await catalogue.createCategory(admin, { name: 'Account en toegang' })
    await catalogue.createItem(admin, {
      categoryId: category.id,
      title: 'Toegang tot een gedeelde map',
      description: 'Voor een map op de netwerkschijf van uw afdeling.',
      groupId: loket.seed.groups.vergunningen,
      fields: [
        { key: 'map', label: 'Welke map?', type: 'text', required: true },
        { key: 'schrijven', label: 'Moet u er ook in kunnen schrijven?', type: 'yesno', required: true },
        { key: 'reden', label: 'Waarom heeft u schrijfrechten nodig?', type: 'longtext', required: true, showWhen: { field: 'schrijven', equals: 'true' } },
        { key: 'akkoord', label: 'Akkoord van uw leidinggevende', type: 'file', required: false },
      ],
      steps: ['Rechten zetten', 'Klant informeren'],
    })
    for (const [width, height] of [[1440, 900], [390, 844]] as const) {
      const page = await newPage(width, height)
      await signIn(page)
      await page.getByRole('navigation').getByRole('link', { name: 'Aanvragen' }).click()
      await page.getByRole('heading', { level: 2, name: 'Account en toegang' }).waitFor()
      await axe(page, `portal catalogue (${width})`)
      if (width === 1440) await shot(page, 'portal-catalogue')
      await page.getByRole('link', { name: 'Toegang tot een gedeelde map' }).click()
      await page.getByRole('heading', { level: 1, name: 'Toegang tot een gedeelde map' }).waitFor()
      expect(await page.getByText('Waarom heeft u schrijfrechten nodig?').count()).toBe(0)
      // Sending too early names what is missing.
      await page.getByRole('button', { name: 'Aanvraag versturen' }).click()
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Welke map?')
      await axe(page, `portal request form with problems (${width})`)
      if (width === 390) {
        // A customer for whom the choice does not fit says so, and is counted.
        await page.getByRole('button', { name: 'Deze keuze paste niet bij mijn vraag' }).click()
        await expect.poll(async () => (await catalogue.listItems(admin, {}))[0].misfits).toBe(1)
        await page.close()
        continue
      }
      await page.getByLabel(/Welke map\?/).fill('S:\\Financien\\2027')
      // An answered question leaves the list of problems at once.
      await expect.poll(() => page.getByRole('alert').textContent()).not.toContain('Welke map?')
      await page.getByRole('group', { name: /Moet u er ook in kunnen schrijven/ }).getByLabel('Ja').check()
      await page.getByLabel(/Waarom heeft u schrijfrechten nodig/).fill('Ik maak de begroting.')
      await page.getByLabel(/Akkoord van uw leidinggevende/).setInputFiles({ name: 'akkoord.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 akkoord') })
      await axe(page, `portal request form filled in (${width})`)
      await shot(page, 'portal-request-form', true)
      await page.getByRole('button', { name: 'Aanvraag versturen' }).click()
      await page.getByRole('heading', { level: 1, name: 'Toegang tot een gedeelde map' }).waitFor()
      await expect.poll(() => page.locator('table').getByText('Ik maak de begroting.').count()).toBe(1)
      await expect.poll(() => page.getByRole('link', { name: 'akkoord.pdf' }).count()).toBe(1)
      const number = new URL(page.url()).pathname.split('/').pop()!
      const ticket = await loket.runtime.services.tickets.getByNumber(admin, number)
      expect(ticket).toMatchObject({ type: 'request', groupId: loket.seed.groups.vergunningen })
      const request = await catalogue.requestOf(admin, ticket.id)
      expect(request.answers.map((a) => [a.label, a.value])).toEqual([
        ['Welke map?', 'S:\\Financien\\2027'],
        ['Moet u er ook in kunnen schrijven?', 'true'],
        ['Waarom heeft u schrijfrechten nodig?', 'Ik maak de begroting.'],
        ['Akkoord van uw leidinggevende', 'akkoord.pdf'],
      ])
      expect(request.steps.map((s) => s.title)).toEqual(['Rechten zetten', 'Klant informeren'])
      await page.close()
    }
  }, 90_000)
})
