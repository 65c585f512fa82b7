import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, chromium, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import type { Mailbox } from '../src/shared/api/mailboxes.js'
import type { Article } from '../src/shared/api/tickets.js'
import { type Dovecot, deskMailbox, startDovecot } from '../src/server/channels/email/test/dovecot.js'
import { type SmtpSink, startSmtpSink } from '../src/server/channels/email/test/smtp-sink.js'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, PASSWORD, requireChromium, startLoket } from './harness.js'

// Issue 14 in the browser: how a reply reaches the customer, said before sending (by mail, only in the portal, or no
// channel), the workspace's notice while no mailbox can send, the default sending mailbox an administrator chooses, a
// reply's delivery state in the timeline against a real SMTP server (queued → sent; failed, with "opnieuw versturen"
// and "ander adres"), and a mail with thousands of Cc addresses through Dovecot.

const ADMIN = 'beheer@gemeente-loket.nl'
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

describe('a reply on its way to the customer, in the browser', () => {
  let loket: Loket
  let browser: Browser
  let smtp: SmtpSink
  let dovecot: Dovecot
  let page: Page
  const errors: string[] = []

  /** Runs every due job (the delivery jobs among them) until none is left. */
  const runJobs = async () => {
    while (await loket.runtime.deps.jobs.runOnce()) {
      // until no job is due
    }
  }
  /** The delivery state the timeline shows for the reply with this text; runs the due jobs while waiting for `state`. */
  const deliveryOf = (item: Locator) => item.locator('[data-delivery]').getAttribute('data-delivery', { timeout: 5_000 }).catch(() => null)
  const untilDelivered = async (item: Locator, state: 'sent' | 'failed') =>
    expect
      .poll(
        async () => {
          await runJobs()
          return deliveryOf(item)
        },
        { timeout: 30_000 },
      )
      .toBe(state)
  const openTicket = async (id: string) => {
    await page.goto(`${loket.url}/tickets/${id}?queue=open`)
    await page.locator('#composer-body').waitFor()
  }
  const reply = async (text: string) => {
    await page.locator('label.mode', { hasText: 'Antwoord' }).first().click()
    await page.locator('#composer-body').fill(text)
    await page.getByRole('button', { name: 'Versturen', exact: true }).click()
    const item = page.locator('ol.timeline > li', { hasText: text })
    await item.waitFor()
    return item
  }
  const routeLine = () => page.getByTestId('reply-route')
  const newTicket = async (subject: string, requester: { email: string; name?: string }) =>
    (await loket.runtime.services.tickets.create(loket.actorOf(loket.seed.anna), { subject, body: subject, requester, groupId: loket.seed.groups.servicedesk, channel: 'phone' })).id

  beforeAll(async () => {
    const executablePath = requireChromium()
    smtp = await startSmtpSink()
    dovecot = await startDovecot(['desk'])
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    page = await (await browser.newContext({ viewport: DESKTOP, locale: 'nl-NL' })).newPage()
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
    await Promise.all([smtp?.stop(), dovecot?.stop()])
  })

  it('without a mailbox: every ticket says so, and the composer says truthfully whether the portal reaches the customer', async () => {
    const { accounts } = loket.runtime.services
    const els = await accounts.createUser(SYSTEM_ACTOR, { email: 'els@bakkerijvandam.nl', name: 'Els Bakker', role: 'customer', password: PASSWORD })
    const withPassword = await newTicket('Vraag over de factuur', { email: els.email })
    const gone = await accounts.createUser(SYSTEM_ACTOR, { email: 'h.smit@example.nl', name: 'Henk Smit', role: 'customer', password: PASSWORD })
    const disabled = await newTicket('Oude melding riolering', { email: gone.email })
    await accounts.updateUser(SYSTEM_ACTOR, gone.id, { active: false })
    const noAddress = await newTicket('Teruggebeld over afval', { email: 'geanonimiseerd-9@anonymised.invalid' })

    await login(page, loket.url, loket.seed.anna.email)
    // A phone ticket of a customer without a password: in the portal only, and they cannot sign in there yet.
    await openTicket(loket.seed.ticketIds[1])
    const notice = page.locator('.no-mailbox-notice', { hasText: /^Geen postvak kan e-mail versturen\. Antwoorden gaan dus niet per e-mail naar klanten\./ })
    await notice.waitFor()
    await expect.poll(() => routeLine().textContent()).toMatch(/^Alleen in het portaal, maar de klant kan daar nu niet inloggen\. De klant heeft geen wachtwoord/)
    expect(await page.getByLabel('Cc', { exact: true }).count()).toBe(0)
    await axe(page, 'ticket without a mailbox (1440)')
    await page.setViewportSize(PHONE)
    await notice.waitFor()
    await axe(page, 'ticket without a mailbox (390)')
    await page.setViewportSize(DESKTOP)

    // A customer with a password reads it in the portal.
    await openTicket(withPassword)
    await expect.poll(() => routeLine().textContent()).toBe('Alleen in het portaal: geen postvak kan e-mail versturen. De klant ziet uw antwoord na inloggen op het portaal.')
    await notice.waitFor()

    // A disabled account: no channel at all, and Versturen stays off.
    await openTicket(disabled)
    await expect.poll(() => routeLine().textContent()).toMatch(/^Geen kanaal: geen postvak kan e-mail versturen en het account van de klant staat uit/)
    expect(await routeLine().getAttribute('role')).toBe('alert')
    await page.locator('#composer-body').fill('Wij hebben uw melding afgehandeld.')
    expect(await page.getByRole('button', { name: 'Versturen', exact: true }).isDisabled()).toBe(true)

    // No address: no channel either.
    await openTicket(noAddress)
    await expect.poll(() => routeLine().textContent()).toMatch(/^Geen kanaal: klant heeft geen e-mailadres\./)
    await page.locator('#composer-body').fill('Wij bellen u terug.')
    expect(await page.getByRole('button', { name: 'Versturen', exact: true }).isDisabled()).toBe(true)
    await axe(page, 'ticket with no channel (1440)')
    await page.setViewportSize(PHONE)
    await axe(page, 'ticket with no channel (390)')
    await page.setViewportSize(DESKTOP)
    // An internal note still goes.
    await page.locator('label.mode', { hasText: 'Interne notitie' }).click()
    await page.locator('form.composer-internal').waitFor()
    await page.getByRole('button', { name: 'Notitie toevoegen', exact: true }).click()
    await page.locator('ol.timeline > li', { hasText: 'Wij bellen u terug.' }).waitFor()
    await page.context().clearCookies()
  }, 150_000)

  it('an administrator chooses the default sending mailbox; then every ticket of a department without one is answered from it', async () => {
    await login(page, loket.url, ADMIN)
    await page.goto(`${loket.url}/admin/mailboxes`)
    await page.getByRole('heading', { name: 'E-mailpostvakken', level: 1 }).waitFor()
    await page.getByRole('button', { name: 'Postvak toevoegen' }).click()
    const general = page.getByRole('group', { name: 'Algemeen' })
    await general.getByLabel('Naam', { exact: true }).fill('Antwoorden')
    await general.getByLabel('E-mailadres').fill('antwoorden@gemeente-loket.nl')
    await general.getByLabel('Naam van de afzender').fill('Gemeente Loket')
    // Sending only: nothing is fetched from it.
    await general.getByLabel('Actief (e-mail ophalen)').uncheck()
    const imap = page.getByRole('group', { name: 'Ophalen (IMAP)' })
    await imap.getByLabel('Server', { exact: true }).fill('127.0.0.1')
    await imap.getByLabel('Beveiliging', { exact: true }).selectOption('none')
    await imap.getByLabel('Poort', { exact: true }).fill('1')
    await imap.getByLabel('Gebruikersnaam', { exact: true }).fill('antwoorden')
    await imap.getByLabel('Wachtwoord', { exact: true }).fill('niet-gebruikt')
    const smtpGroup = page.getByRole('group', { name: 'Versturen (SMTP)' })
    await smtpGroup.getByLabel('Server', { exact: true }).fill('127.0.0.1')
    await smtpGroup.getByLabel('Beveiliging', { exact: true }).selectOption('none')
    await smtpGroup.getByLabel('Poort', { exact: true }).fill(String(smtp.port))
    const replies = page.getByRole('group', { name: 'Antwoorden en filters' })
    const defaultSender = replies.getByLabel('Standaard afzender voor antwoorden')
    await defaultSender.check()
    expect(await defaultSender.isChecked()).toBe(true)
    await axe(page, 'mailbox form with the default sender (1440)')
    await page.getByRole('button', { name: 'Opslaan' }).click()
    await page.getByText('Postvak Antwoorden is opgeslagen.').waitFor()
    const card = page.locator('li.mb-card', { hasText: 'antwoorden@gemeente-loket.nl' })
    await card.locator('.mb-default-sender').filter({ hasText: 'Standaard afzender' }).waitFor()
    const res = await page.request.get(`${loket.url}/api/v1/mailboxes`)
    expect(((await res.json()) as { items: Mailbox[] }).items).toEqual([expect.objectContaining({ address: 'antwoorden@gemeente-loket.nl', defaultSender: true, active: false })])
    await page.setViewportSize(PHONE)
    await card.waitFor()
    await axe(page, 'mailbox list with the default sender (390)')
    await page.setViewportSize(DESKTOP)
    await page.context().clearCookies()
  }, 60_000)

  it('a reply shows queued, then sent with the mail server\'s answer; the notice is gone', async () => {
    await login(page, loket.url, loket.seed.anna.email)
    // The phone ticket of Fatima (no mailbox of its own department): by mail now, from the default sender.
    await openTicket(loket.seed.ticketIds[1])
    await expect.poll(() => routeLine().textContent()).toBe('Per e-mail aan fatima.elamrani@example.nl, vanaf Gemeente Loket <antwoorden@gemeente-loket.nl>')
    expect(await page.locator('.no-mailbox-notice').count()).toBe(0)
    const item = await reply('Beste mevrouw El Amrani, uw afspraak is verzet naar dinsdag 10.00 uur.')
    // Queued from the moment the reply is stored; nothing has gone out yet.
    await item.locator('[data-delivery="queued"]').getByText('In de wachtrij om te versturen').waitFor()
    expect(smtp.received.filter((m) => m.envelope.to.includes('fatima.elamrani@example.nl'))).toHaveLength(0)
    await axe(page, 'reply queued')
    await untilDelivered(item, 'sent')
    await item.getByText('Verzonden', { exact: true }).waitFor()
    await item.getByText(/Antwoord van de mailserver: 250 .*queued/).waitFor()
    const [mail] = smtp.received.filter((m) => m.envelope.to.includes('fatima.elamrani@example.nl'))
    expect(mail.parsed.from?.value[0]).toMatchObject({ address: 'antwoorden@gemeente-loket.nl', name: 'Gemeente Loket' })
    expect(mail.parsed.text).toContain('uw afspraak is verzet naar dinsdag 10.00 uur')
    // No action on a reply that went out.
    expect(await item.getByRole('button', { name: 'Opnieuw versturen' }).count()).toBe(0)
  }, 60_000)

  it('a reply the mail server refuses shows failed with the reason, and goes out to another address ("ander adres")', async () => {
    const ticketId = await newTicket('Aanvraag kapvergunning', { email: 'reject-k.bakker@example.nl', name: 'Kees Bakker' })
    await openTicket(ticketId)
    await expect.poll(() => routeLine().textContent()).toMatch(/^Per e-mail aan reject-k\.bakker@example\.nl/)
    const item = await reply('Beste heer Bakker, uw aanvraag is in behandeling.')
    await item.locator('[data-delivery="queued"]').waitFor()
    await untilDelivered(item, 'failed')
    await item.getByText('Verzenden mislukt', { exact: true }).waitFor()
    // The class of failure in plain Dutch; the server's own answer folded away beside it.
    await item.locator('.delivery-reason[data-reason="mailbox-unknown"]', { hasText: 'Het e-mailadres bestaat niet.' }).waitFor()
    const detail = item.locator('details.delivery-detail')
    expect(await detail.locator('code').isVisible()).toBe(false)
    await detail.getByText('Antwoord van de mailserver').click()
    await detail.locator('code', { hasText: /550 5\.1\.1 No such user here/ }).waitFor({ state: 'visible' })
    await axe(page, 'failed reply (1440)')
    await page.setViewportSize(PHONE)
    await item.getByRole('button', { name: 'Ander adres' }).waitFor()
    await axe(page, 'failed reply (390)')
    await page.setViewportSize(DESKTOP)

    const other = item.getByRole('button', { name: 'Ander adres' })
    await other.click()
    expect(await other.getAttribute('aria-expanded')).toBe('true')
    await item.getByLabel('E-mailadres').fill('k.bakker@example.nl')
    await axe(page, 'failed reply, another address')
    await item.getByRole('button', { name: 'Naar dit adres versturen' }).click()
    // The answer of the resend is shown at once: queued again, the actions gone.
    await item.locator('[data-delivery="queued"]').waitFor()
    expect(await item.getByRole('button', { name: 'Ander adres' }).count()).toBe(0)
    await untilDelivered(item, 'sent')
    expect(smtp.received.filter((m) => m.envelope.to.includes('k.bakker@example.nl')).map((m) => m.parsed.text)).toEqual([
      expect.stringContaining('uw aanvraag is in behandeling'),
    ])
  }, 60_000)

  it('"opnieuw versturen" sends a failed reply again once the mail server takes it', async () => {
    const ticketId = await newTicket('Melding straatverlichting', { email: 'w.jong@example.nl', name: 'Wim de Jong' })
    await openTicket(ticketId)
    smtp.refuseAll(550)
    const item = await reply('Beste heer De Jong, de lantaarnpaal wordt deze week gerepareerd.')
    await item.locator('[data-delivery="queued"]').waitFor()
    await untilDelivered(item, 'failed')
    await item.locator('.delivery-reason[data-reason="rejected-policy"]', { hasText: 'weigert het bericht' }).waitFor()
    expect(await item.locator('details.delivery-detail code').textContent()).toMatch(/550 5\.7\.1 Relaying denied/)
    smtp.refuseAll(null)
    await item.getByRole('button', { name: 'Opnieuw versturen' }).click()
    await item.locator('[data-delivery="queued"]').waitFor()
    await untilDelivered(item, 'sent')
    expect(smtp.received.filter((m) => m.envelope.to.includes('w.jong@example.nl'))).toHaveLength(1)
    expect(errors).toEqual([])
  }, 60_000)

  it('a mail with 3,000 Cc addresses through Dovecot: the composer takes the first 20, says what it left out, and the reply goes out', async () => {
    const { mailboxes } = loket.runtime.services
    await mailboxes.create(SYSTEM_ACTOR, { ...deskMailbox(dovecot, { smtpPort: smtp.port }), groupId: loket.seed.groups.servicedesk, pollSeconds: 5 } as never)
    await loket.runtime.email.start()
    const jan = loket.seed.customers[0]
    const cc = Array.from({ length: 3000 }, (_, i) => `Collega ${i} <collega${i}@bakkerijvandam.nl>`).join(',\r\n ')
    await dovecot.append(
      'desk',
      `From: Jan van Dam <${jan.email}>\r\nTo: Servicedesk <desk@loket.test>\r\nCc: ${cc}\r\nSubject: Uitnodiging personeelsfeest\r\n` +
        `Message-ID: <cc-3000-e2e@bakkerijvandam.nl>\r\nDate: Mon, 07 Dec 2026 10:00:00 +0100\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
        `Mogen wij de zaal van het gemeentehuis gebruiken voor ons personeelsfeest?\r\n`,
    )
    const db = loket.runtime.deps.db
    let ticketId: string | undefined
    await expect
      .poll(async () => (ticketId = (await db.selectFrom('ticket').select('id').where('subject', '=', 'Uitnodiging personeelsfeest').executeTakeFirst())?.id), { timeout: 30_000 })
      .toBeDefined()
    const articles = ((await (await page.request.get(`${loket.url}/api/v1/tickets/${ticketId}/articles`)).json()) as { items: Article[] }).items
    expect((articles[0].metadata as { email: { cc: unknown[] } }).email.cc).toHaveLength(3000)

    await openTicket(ticketId!)
    await expect.poll(() => routeLine().textContent()).toBe(`Per e-mail aan ${jan.email}, vanaf Servicedesk <desk@loket.test>`)
    const ccField = page.getByLabel('Cc', { exact: true })
    await expect.poll(async () => (await ccField.inputValue()).split(', ').length).toBe(20)
    expect((await ccField.inputValue()).split(', ')).toEqual(Array.from({ length: 20 }, (_, i) => `collega${i}@bakkerijvandam.nl`))
    await page.locator('.cc-left-out', { hasText: /^2980 adressen uit de Cc van de klant zijn niet overgenomen \(hoogstens 20 per antwoord\): collega20@bakkerijvandam\.nl, .*…$/ }).waitFor()
    await axe(page, 'reply with 3,000 Cc (1440)')
    await page.setViewportSize(PHONE)
    await axe(page, 'reply with 3,000 Cc (390)')
    await page.setViewportSize(DESKTOP)
    const item = await reply('Beste heer Van Dam, de zaal is op 18 december beschikbaar.')
    await untilDelivered(item, 'sent')
    const [mail] = smtp.received.filter((m) => m.parsed.subject?.startsWith('Re: Uitnodiging personeelsfeest'))
    expect(mail.envelope.to).toHaveLength(21)
    expect(mail.envelope.to).toContain(jan.email)
    const sentCc = mail.parsed.cc && !Array.isArray(mail.parsed.cc) ? mail.parsed.cc.value.map((a) => a.address) : []
    expect(sentCc).toEqual(Array.from({ length: 20 }, (_, i) => `collega${i}@bakkerijvandam.nl`))
    expect(errors).toEqual([])
  }, 90_000)
})
