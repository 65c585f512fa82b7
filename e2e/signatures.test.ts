import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SmtpSink, startSmtpSink } from '../src/server/channels/email/test/smtp-sink.js'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// Reply signatures in Chromium: an administrator sets a group's signature in Beheer → Groepen (with a
// preview), an agent sets their own part on the profile page, the composer shows the signature a reply
// will get, and the mail that goes out carries it.
describe('reply signatures per group, in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let smtp: SmtpSink

  beforeAll(async () => {
    const executablePath = requireChromium()
    smtp = await startSmtpSink()
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    // A mailbox that sends (its IMAP side is never started here), so replies go out by e-mail.
    await loket.runtime.services.mailboxes.create(SYSTEM_ACTOR, {
      name: 'Servicedesk',
      address: 'desk@loket.test',
      imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'desk', password: 'x' },
      smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
      signature: 'Postvak-handtekening',
      groupId: loket.seed.groups.servicedesk,
    } as never)
    await loket.runtime.services.branding.update(SYSTEM_ACTOR, { name: 'Gemeente Loket' })
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
    await smtp?.stop()
  })

  const signedIn = async (email: string, viewport = { width: 1440, height: 900 }): Promise<Page> => {
    const page = await (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, email)
    return page
  }

  it('lets an administrator set a group\'s signature with a preview', { timeout: 120_000 }, async () => {
    const page = await signedIn('beheer@gemeente-loket.nl')
    await page.goto(`${loket.url}/admin/groups`)
    await page.getByRole('button', { name: '1e lijn Servicedesk wijzigen' }).click()
    const template = page.getByLabel('Handtekening van de groep')
    await template.fill('Met vriendelijke groet,\n{{agent.handtekening}}\n{{groep.naam}} · {{organisatie.naam}}')
    const preview = page.locator('.signature-preview')
    await expect.poll(() => preview.textContent()).toContain('1e lijn Servicedesk · Gemeente Loket')
    await axe(page, 'group signature (1440)')
    await page.getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(async () => (await loket.runtime.services.desk.listGroups(SYSTEM_ACTOR)).find((g) => g.id === loket.seed.groups.servicedesk)?.signatureTemplate).toBe(
      'Met vriendelijke groet,\n{{agent.handtekening}}\n{{groep.naam}} · {{organisatie.naam}}',
    )
    await page.setViewportSize({ width: 390, height: 844 })
    await page.getByRole('button', { name: '1e lijn Servicedesk wijzigen' }).click()
    await page.getByLabel('Handtekening van de groep').waitFor()
    await axe(page, 'group signature (390)')
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0)
    await page.close()
  })

  it('takes the agent\'s own part on the profile page, previews it in the composer, and sends it', { timeout: 120_000 }, async () => {
    const page = await signedIn('anna@gemeente-loket.nl')
    await page.goto(`${loket.url}/profile`)
    const own = page.getByLabel('Mijn deel van de handtekening')
    await expect.poll(() => own.isEnabled()).toBe(true)
    await own.fill('Anna de Vries\nServicedesk, 020 123 45 67')
    await page.getByRole('form', { name: 'Mijn handtekening' }).getByRole('button', { name: 'Opslaan' }).click()
    await expect.poll(() => page.getByText('Uw handtekening is opgeslagen.').count()).toBe(1)
    await axe(page, 'profile with signature (1440)')

    const ticket = await loket.runtime.services.tickets.create(loket.actorOf(loket.seed.anna), {
      subject: 'Parkeervergunning verlopen', body: 'Mijn vergunning is verlopen.', requester: { email: loket.seed.customers[0].email }, groupId: loket.seed.groups.servicedesk, channel: 'phone',
    })
    await page.goto(`${loket.url}/tickets/${ticket.id}?queue=open`)
    await page.locator('#composer-body').waitFor()
    await page.getByText('Handtekening in de e-mail').click()
    const shown = page.locator('.composer .signature-preview, .signature-preview').last()
    await expect.poll(() => shown.textContent()).toContain('Anna de Vries')
    expect(await shown.textContent()).toContain('1e lijn Servicedesk · Gemeente Loket')
    await axe(page, 'composer with signature (1440)')

    await page.locator('#composer-body').fill('U kunt een nieuwe vergunning aanvragen via de website.')
    await page.getByRole('button', { name: 'Versturen', exact: true }).click()
    await page.locator('ol.timeline > li', { hasText: 'U kunt een nieuwe vergunning aanvragen' }).waitFor()
    // The reply's mail (other mails, such as notifications, go out too).
    const replyMail = () => smtp.received.find((m) => m.parsed.text?.includes('U kunt een nieuwe vergunning aanvragen'))
    await expect
      .poll(
        async () => {
          await loket.runtime.outbox.drain()
          while (await loket.runtime.deps.jobs.runOnce()) {
            // every due job
          }
          return replyMail() !== undefined
        },
        { timeout: 30_000 },
      )
      .toBe(true)
    const mail = replyMail()!
    expect(mail.parsed.text).toContain('-- \nMet vriendelijke groet,\nAnna de Vries\nServicedesk, 020 123 45 67\n1e lijn Servicedesk · Gemeente Loket')
    expect(mail.parsed.text).not.toContain('Postvak-handtekening')

    await page.setViewportSize({ width: 390, height: 844 })
    await axe(page, 'ticket with signature (390)')
    await page.goto(`${loket.url}/profile`)
    await page.getByLabel('Mijn deel van de handtekening').waitFor()
    await axe(page, 'profile with signature (390)')
    await page.close()
  })
})
