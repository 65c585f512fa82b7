import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import type { Article } from '../src/shared/api/tickets.js'
import type { Mailbox } from '../src/shared/api/mailboxes.js'
import { mailboxMessageRepository, mailboxRepository } from '../src/server/channels/email/mailbox.repository.js'
import { systemActor } from '../src/server/accounts/actor.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, ROOT, startLoket } from './harness.js'
import { axe, login } from './browser.js'

// Browser journeys of the e-mail channel's web part (issue 4): the administrators' mailbox screen, Cc in the
// reply composer and the original message in the timeline. Set LOKET_SCREENSHOTS=1 to (re)write
// docs/screenshots/mailboxes.png.

const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined
const ADMIN = 'beheer@gemeente-loket.nl'

describe('e-mail channel in the browser', () => {
  let loket: Loket
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let mailTicketId: string
  const errors: string[] = []

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    // A customer's mail with a colleague in Cc, as the e-mail channel files it (raw message kept as message.eml).
    const rawId = uuidv7()
    const jan = loket.seed.customers[0]
    const raw = `From: Jan van Dam <${jan.email}>\r\nTo: servicedesk@gemeente-loket.nl\r\nCc: Boekhouding <boekhouding@bakkerijvandam.nl>\r\nSubject: Offerte terras\r\nMessage-ID: <e2e-cc-1@bakkerijvandam.nl>\r\n\r\nKunt u de offerte ook naar de boekhouding sturen?\r\n`
    const ingested = await loket.runtime.services.tickets.ingest({
      channel: 'email',
      sourceId: '<e2e-cc-1@bakkerijvandam.nl>',
      from: { kind: 'email', address: jan.email, name: jan.name },
      subject: 'Offerte terras',
      body: 'Kunt u de offerte ook naar de boekhouding sturen?',
      contentType: 'text/plain',
      groupId: loket.seed.groups.servicedesk,
      attachments: [
        { filename: 'plattegrond.txt', contentType: 'text/plain', content: Buffer.from('Terras 4 x 6 m') },
        { id: rawId, filename: 'message.eml', contentType: 'message/rfc822', content: Buffer.from(raw) },
      ],
      metadata: {
        email: {
          mailboxId: null,
          messageId: '<e2e-cc-1@bakkerijvandam.nl>',
          from: { email: jan.email, name: jan.name },
          to: [{ email: 'servicedesk@gemeente-loket.nl' }],
          cc: [{ email: 'boekhouding@bakkerijvandam.nl', name: 'Boekhouding' }, { email: jan.email }],
          rawAttachmentId: rawId,
        },
      },
    })
    mailTicketId = ingested.ticket.id
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'nl-NL' })
    page = await context.newPage()
    page.on('pageerror', (err) => errors.push(err.message))
  }, 120_000)

  beforeEach((ctx) => {
    onTestFailed(async () => {
      const file = join(tmpdir(), `loket-e2e-${ctx.task.name.replace(/\W+/g, '-').slice(0, 60)}.png`)
      await page?.screenshot({ path: file }).catch(() => {})
      console.error(`screenshot of the failure: ${file}`)
    })
  })

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  const mailboxes = async () => {
    const res = await page.request.get(`${loket.url}/api/v1/mailboxes`)
    expect(res.status()).toBe(200)
    return ((await res.json()) as { items: Mailbox[] }).items
  }

  it('lets an administrator add a mailbox and test its connection step by step', async () => {
    await login(page, loket.url, ADMIN)
    await page.getByRole('link', { name: 'E-mailpostvakken' }).click()
    await page.getByRole('heading', { name: 'E-mailpostvakken', level: 1 }).waitFor()
    await page.getByText('Er is nog geen postvak').waitFor()
    await page.getByRole('button', { name: 'Postvak toevoegen' }).click()
    await page.getByRole('heading', { name: 'Nieuw postvak' }).waitFor()

    const general = page.getByRole('group', { name: 'Algemeen' })
    await general.getByLabel('Naam', { exact: true }).fill('Servicedesk')
    await general.getByLabel('E-mailadres').fill('servicedesk@gemeente-loket.nl')
    await general.getByLabel('Groep voor nieuwe tickets').selectOption({ label: '1e lijn Servicedesk' })
    const imap = page.getByRole('group', { name: 'Ophalen (IMAP)' })
    await imap.getByLabel('Server', { exact: true }).fill('127.0.0.1')
    await imap.getByLabel('Beveiliging', { exact: true }).selectOption('none')
    await imap.getByLabel('Poort', { exact: true }).fill('1') // nothing listens there: the connection is refused
    await imap.getByLabel('Gebruikersnaam', { exact: true }).fill('servicedesk')
    await imap.getByLabel('Wachtwoord', { exact: true }).fill('geheim-imap')
    const smtp = page.getByRole('group', { name: 'Versturen (SMTP)' })
    await smtp.getByLabel('Server', { exact: true }).fill('127.0.0.1')
    await smtp.getByLabel('Beveiliging', { exact: true }).selectOption('none')
    await smtp.getByLabel('Poort', { exact: true }).fill('1')
    const replies = page.getByRole('group', { name: 'Antwoorden en filters' })
    await replies.getByLabel('Handtekening').fill('Servicedesk Gemeente\nTelefoon 14 020')
    await replies.getByLabel('Automatische ontvangstbevestiging sturen').check()
    await replies.getByLabel('Geblokkeerde afzenders').fill('@spammer.example\nnieuwsbrief@leverancier.nl')

    // Test before saving: the unsaved settings go to POST /mailboxes/test.
    await page.getByRole('button', { name: 'Verbinding testen' }).click()
    const result = page.getByTestId('connection-test')
    await result.waitFor({ timeout: 20_000 })
    await result.getByText('De verbinding werkt niet').waitFor()
    expect(await result.locator('[data-step="imap.dns"]').textContent()).toContain('gelukt')
    const failed = result.locator('[data-step="imap.connect"]')
    expect(await failed.textContent()).toContain('IMAP: verbinden (TCP/TLS): mislukt')
    expect(await failed.textContent()).toContain('ECONNREFUSED')
    await axe(page, 'mailbox form with a failed test')

    await page.getByRole('button', { name: 'Opslaan' }).click()
    await page.getByText('Postvak Servicedesk is opgeslagen.').waitFor()
    const [saved] = await mailboxes()
    expect(saved).toMatchObject({
      name: 'Servicedesk',
      address: 'servicedesk@gemeente-loket.nl',
      groupId: loket.seed.groups.servicedesk,
      imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'servicedesk', hasPassword: true },
      smtp: { host: '127.0.0.1', port: 1, tls: 'none', user: null, hasPassword: false },
      signature: 'Servicedesk Gemeente\nTelefoon 14 020',
      acknowledgement: { enabled: true },
      blockList: ['@spammer.example', 'nieuwsbrief@leverancier.nl'],
    })
    expect(JSON.stringify(saved)).not.toContain('geheim-imap')

    // The saved mailbox: status and a test of the stored settings (POST /mailboxes/{id}/test).
    const card = page.locator('li.mb-card', { hasText: 'servicedesk@gemeente-loket.nl' })
    await card.getByText('Laatst opgehaald').waitFor()
    // The status is live: what the fetcher records shows within the 10 s refresh, without a reload.
    const now = new Date().toISOString()
    await mailboxRepository.setStatus(loket.runtime.deps.db, saved.id, {
      state: 'error',
      uses_idle: 0,
      last_fetch_at: now,
      last_error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1',
      last_error_at: now,
    })
    await card.locator('.mb-state').filter({ hasText: 'Fout' }).waitFor({ timeout: 15_000 })
    await card.getByText('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1').waitFor()
    await card.getByText('elke 60 s nakijken').waitFor()
    await card.getByRole('button', { name: 'Verbinding testen Servicedesk' }).click()
    await card.getByTestId('connection-test').locator('[data-step="imap.connect"]').filter({ hasText: 'mislukt' }).waitFor({ timeout: 20_000 })
    await axe(page, 'mailbox list')
    if (SHOTS) {
      mkdirSync(SHOTS, { recursive: true })
      await page.screenshot({ path: join(SHOTS, 'mailboxes.png'), fullPage: true })
    }
  }, 90_000)

  it('edits a mailbox and keeps the stored password when the field is left empty', async () => {
    const card = page.locator('li.mb-card', { hasText: 'servicedesk@gemeente-loket.nl' })
    await card.getByRole('button', { name: 'Wijzigen Servicedesk' }).click()
    await page.getByRole('heading', { name: 'Postvak Servicedesk wijzigen' }).waitFor()
    // Focus moves to the form's heading, so a keyboard or screen reader user starts there.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H2')
    const imap = page.getByRole('group', { name: 'Ophalen (IMAP)' })
    expect(await imap.getByLabel('Wachtwoord', { exact: true }).inputValue()).toBe('')
    await imap.getByText('Er is een wachtwoord opgeslagen').waitFor()
    await page.getByRole('group', { name: 'Algemeen' }).getByLabel('Naam van de afzender').fill('Servicedesk Gemeente Loket')
    await imap.getByLabel('Nakijken elke (seconden)').fill('30')
    await axe(page, 'mailbox edit form')
    await page.getByRole('button', { name: 'Opslaan' }).click()
    await page.getByText('Postvak Servicedesk is opgeslagen.').waitFor()
    const [saved] = await mailboxes()
    expect(saved).toMatchObject({ senderName: 'Servicedesk Gemeente Loket', pollSeconds: 30, imap: { hasPassword: true, port: 1 } })
    // The stored password is still the one entered first (what the fetcher logs in with).
    const config = await loket.runtime.services.mailboxes.configForReply({ preferredId: saved.id })
    expect(config?.imap.password).toBe('geheim-imap')
  }, 60_000)

  it('shows what became of every fetched message, and the machine mail with its raw message (issue 14)', async () => {
    const [saved] = await mailboxes()
    const db = loket.runtime.deps.db
    await mailboxRepository.addFetched(db, saved.id, { filed: 7, duplicate: 1, headersOnly: 0, refused: 1, machine: 1 })
    await mailboxMessageRepository.record(db, {
      id: uuidv7(),
      mailbox_id: saved.id,
      outcome: 'machine',
      kind: 'dmarc-report',
      reason: 'DMARC aggregate report',
      message_id: '<dmarc-e2e@google.com>',
      content_key: 'e2e-dmarc',
      from_address: 'noreply-dmarc-support@google.com',
      subject: 'Report domain: gemeente-loket.nl Submitter: google.com',
      article_id: null,
      ticket_id: null,
      raw_sha256: await loket.runtime.deps.blobs.put(Buffer.from('From: noreply-dmarc-support@google.com\r\nSubject: Report domain: gemeente-loket.nl\r\n\r\n')),
      size: 80,
      received_at: new Date().toISOString(),
    })
    await page.reload()
    const card = page.locator('li.mb-card', { hasText: 'servicedesk@gemeente-loket.nl' })
    await card.getByTestId('mailbox-counts').filter({ hasText: '7 geregistreerd, 1 dubbel, 0 alleen kopregels (te groot), 1 geweigerd, 1 machinepost' }).waitFor()
    await card.getByText('Machinepost, geweigerde en dubbele e-mail').click()
    const row = card.locator('tr[data-outcome="machine"]')
    await row.getByText('DMARC-rapport').waitFor()
    await row.getByText('noreply-dmarc-support@google.com').waitFor()
    expect(await row.getByRole('link', { name: /\.eml downloaden/ }).getAttribute('href')).toMatch(/^\/api\/v1\/mailboxes\/.+\/raw$/)
    await axe(page, 'mailbox machine mail')
  }, 60_000)

  it('deletes a mailbox only after confirmation', async () => {
    const card = page.locator('li.mb-card', { hasText: 'servicedesk@gemeente-loket.nl' })
    await card.getByRole('button', { name: 'Verwijderen Servicedesk' }).click()
    const confirm = card.getByRole('group', { name: 'Verwijderen bevestigen' })
    await confirm.getByText('Postvak Servicedesk (servicedesk@gemeente-loket.nl) verwijderen?').waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Ja, verwijderen')
    await confirm.getByRole('button', { name: 'Annuleren' }).click()
    expect(await mailboxes()).toHaveLength(1)
    await card.getByRole('button', { name: 'Verwijderen Servicedesk' }).click()
    await card.getByRole('button', { name: 'Ja, verwijderen' }).click()
    await page.getByText('Postvak Servicedesk is verwijderd.').waitFor()
    await page.getByText('Er is nog geen postvak').waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1')
    expect(await mailboxes()).toHaveLength(0)
  }, 30_000)

  it('reads in English too, and is keyboard operable', async () => {
    await page.getByTestId('language').selectOption('en')
    await page.getByRole('heading', { name: 'E-mail mailboxes', level: 1 }).waitFor()
    await page.getByText('There is no mailbox yet').waitFor()
    await page.getByRole('button', { name: 'Add mailbox' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'New mailbox' }).waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('New mailbox')
    await page.keyboard.press('Tab')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id.endsWith('-name'))).toBe(true)
    await page.getByRole('group', { name: 'Fetching (IMAP)' }).getByLabel('Security', { exact: true }).waitFor()
    await axe(page, 'mailbox form (en)')
    await page.getByRole('button', { name: 'Cancel' }).click()
    await page.getByRole('heading', { name: 'E-mail mailboxes', level: 1 }).waitFor()
    await page.getByTestId('language').selectOption('nl')
    await page.getByRole('heading', { name: 'E-mailpostvakken', level: 1 }).waitFor()
  }, 30_000)

  it('does not show the mailbox screen to an agent', async () => {
    const other = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'nl-NL' })
    const anna = await other.newPage()
    try {
      await login(anna, loket.url, loket.seed.anna.email)
      await anna.getByRole('heading', { name: 'Mijn werk', level: 1 }).waitFor()
      expect(await anna.getByRole('link', { name: 'E-mailpostvakken' }).count()).toBe(0)
      await anna.goto(`${loket.url}/admin/mailboxes`)
      await anna.getByRole('alert').filter({ hasText: 'Dit mag u niet doen met uw rol' }).waitFor()
      expect(await anna.getByRole('button', { name: 'Postvak toevoegen' }).count()).toBe(0)
      expect((await anna.request.get(`${loket.url}/api/v1/mailboxes`)).status()).toBe(403)
    } finally {
      await other.close()
    }
  }, 60_000)

  it('offers Cc on an e-mail ticket, prefilled from the customer\'s mail, and sends it', async () => {
    const other = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'nl-NL' })
    const anna = await other.newPage()
    anna.on('pageerror', (err) => errors.push(err.message))
    // A reply goes by e-mail (with a Cc) only when a mailbox can send it; the test before this one deleted its mailbox.
    const sender = await loket.runtime.services.mailboxes.create(systemActor('test'), {
      name: 'Antwoorden',
      address: 'antwoorden@gemeente-loket.nl',
      active: false,
      defaultSender: true,
      imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'antwoorden', password: 'x' },
      smtp: { host: '127.0.0.1', port: 1, tls: 'none' },
    })
    try {
      await login(anna, loket.url, loket.seed.anna.email)
      await anna.goto(`${loket.url}/tickets/${mailTicketId}?queue=open`)
      await anna.getByRole('heading', { name: /Offerte terras/, level: 1 }).waitFor()
      // The original message is a download of its own, not one of the attachments.
      const first = anna.locator('ol.timeline > li').first()
      const rawLink = first.getByRole('link', { name: 'Originele e-mail (.eml)' })
      await rawLink.waitFor()
      const raw = await anna.request.get(new URL((await rawLink.getAttribute('href'))!, loket.url).toString())
      expect(raw.status()).toBe(200)
      expect(await raw.text()).toContain('Message-ID: <e2e-cc-1@bakkerijvandam.nl>')
      const files = first.getByRole('list', { name: 'Bijlagen' })
      await files.getByText('plattegrond.txt').waitFor()
      expect(await files.getByText('message.eml').count()).toBe(0)

      // Cc: the customer's colleague, not the customer (who gets the reply anyway).
      const cc = anna.getByLabel('Cc', { exact: true })
      await expect.poll(() => cc.inputValue()).toBe('boekhouding@bakkerijvandam.nl')
      await axe(anna, 'e-mail ticket with Cc')
      await cc.fill('boekhouding@bakkerijvandam.nl, geen-adres')
      await anna.getByText('Dit is geen geldig e-mailadres: geen-adres').waitFor()
      await anna.locator('#composer-body').fill('Beste heer Van Dam, de offerte gaat ook naar uw boekhouding.')
      expect(await anna.getByRole('button', { name: 'Versturen' }).isDisabled()).toBe(true)
      await cc.fill('boekhouding@bakkerijvandam.nl, Financien@BakkerijVanDam.nl')
      await anna.getByRole('button', { name: 'Versturen' }).click()
      await expect.poll(() => anna.locator('ol.timeline > li').count()).toBe(2)

      const res = await anna.request.get(`${loket.url}/api/v1/tickets/${mailTicketId}/articles`)
      const articles = ((await res.json()) as { items: Article[] }).items
      expect(articles.at(-1)).toMatchObject({ visibility: 'public', direction: 'out', metadata: { cc: ['boekhouding@bakkerijvandam.nl', 'financien@bakkerijvandam.nl'] } })

      // An internal note has no Cc.
      await anna.locator('label.mode', { hasText: 'Interne notitie' }).click()
      await anna.locator('form.composer-internal').waitFor()
      expect(await anna.getByLabel('Cc', { exact: true }).count()).toBe(0)
      // Nor does a reply that cannot go by e-mail: with no mailbox that can send, it is only in the portal.
      await loket.runtime.services.mailboxes.remove(systemActor('test'), sender.id)
      await anna.reload()
      await anna.locator('label.mode', { hasText: 'Antwoord' }).first().click()
      await anna.getByText(/^Alleen in het portaal/).waitFor()
      expect(await anna.getByLabel('Cc', { exact: true }).count()).toBe(0)
    } finally {
      await other.close()
    }
    expect(errors).toEqual([])
  }, 60_000)
})
