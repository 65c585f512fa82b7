import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type SmtpSink, startSmtpSink } from '../src/server/channels/email/test/smtp-sink.js'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, ROOT, startLoket } from './harness.js'

// One desk in front, back offices behind (issue 16), in Chromium: Anna (service desk) escalates Jan's question
// to Team Vergunningen with a handoff note; Carla (back office, no customer replies) finds it under "Voor ons",
// picks it up and returns it with a proposed reply; Anna finds it under "Terug van backoffice", puts the
// proposal in plain words and sends it; Jan gets the mail (a real SMTP server) and the ticket says who wrote
// it and who sent it. LOKET_SCREENSHOTS=1 (re)writes docs/screenshots/handoff-*.png.

const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined

describe('escalation to a back office and back, in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let smtp: SmtpSink

  beforeAll(async () => {
    const executablePath = requireChromium()
    smtp = await startSmtpSink()
    loket = await startLoket(await buildWeb())
    const { desk, mailboxes } = loket.runtime.services
    // Replies go out by mail from the service desk's mailbox, to the SMTP server of this test.
    await mailboxes.create(SYSTEM_ACTOR, {
      name: 'Servicedesk',
      address: 'servicedesk@gemeente-loket.test',
      active: false,
      defaultSender: true,
      imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'desk', password: 'x' },
      smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
    })
    // The back office has handoff targets, so the clock runs: a day to pick up, a week to return (business time).
    await desk.updateGroup(SYSTEM_ACTOR, loket.seed.groups.vergunningen, { pickupTargetMinutes: 480, returnTargetMinutes: 2400 })
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await loket?.close()
    await smtp?.stop()
  })

  async function signedIn(email: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, email)
    return page
  }
  const fitsWidth = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)

  /** Runs the due jobs (mail delivery) until none is left; this test's Loket has no worker of its own. */
  const deliver = async () => {
    while (await loket.runtime.deps.jobs.runOnce()) {
      // next job
    }
  }

  for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
    it(`escalate with a note → back office returns a proposed reply → the desk edits and sends it, at ${viewport.width} px`, async () => {
      const jan = loket.seed.customers[0]
      const subject = `Terras uitbreiden ${viewport.width}`
      const ticket = await loket.runtime.services.tickets.create(loket.actorOf(loket.seed.anna), {
        subject,
        body: 'Mag ik mijn terras deze zomer twee meter breder maken? Ik heb al een vergunning voor het huidige terras.',
        requester: { email: jan.email, name: jan.name },
        groupId: loket.seed.groups.servicedesk,
        channel: 'email',
      })

      // 1. The desk escalates, with a handoff note; the ticket shows the handoff and its clock.
      const anna = await signedIn(loket.seed.anna.email, viewport)
      await anna.goto(`${loket.url}/tickets/${ticket.id}?queue=esc-mine`)
      const annaPanel = anna.getByRole('region', { name: 'Backoffice' })
      await annaPanel.getByRole('button', { name: 'Doorzetten naar backoffice…' }).click()
      await annaPanel.getByLabel('Naar groep').selectOption({ label: 'Team Vergunningen (Vergunningen)' })
      await annaPanel.getByLabel('Overdrachtsnotitie').fill('Klant wil het terras twee meter verbreden. Huidige vergunning gecontroleerd; graag beoordelen of een wijziging volstaat.')
      await axe(anna, `escalation form at ${viewport.width}`)
      const [escalated] = await Promise.all([
        anna.waitForResponse((r) => r.url().endsWith(`/tickets/${ticket.id}/escalations`) && r.request().method() === 'POST'),
        annaPanel.getByRole('button', { name: 'Doorzetten', exact: true }).click(),
      ])
      expect(escalated.status()).toBe(201)
      await annaPanel.getByText('Doorgezet naar Team Vergunningen, wacht op oppakken').waitFor()
      await expect.poll(() => annaPanel.locator('[data-clock]').getAttribute('data-clock')).toBe('ok')
      expect(await annaPanel.locator('[data-clock]').textContent()).toMatch(/^Op tijd: oppakken vóór /)
      await annaPanel.getByText('Coördinator: Anna de Vries').waitFor()
      await anna.locator('[data-handoff="escalated"]').getByText('Doorgezet naar Team Vergunningen').waitFor()
      await axe(anna, `escalated ticket at ${viewport.width}`)
      expect(await fitsWidth(anna)).toBe(true)
      if (SHOTS && viewport.width === 1440) await anna.screenshot({ path: join(SHOTS, 'handoff-escalated.png'), fullPage: true })

      // 2. The back office finds it under "Voor ons", picks it up and returns it with a proposed reply.
      const carla = await signedIn(loket.seed.carla.email, viewport)
      await carla.goto(`${loket.url}/queues/esc-ours`)
      await carla.getByRole('heading', { name: 'Voor ons', level: 1 }).waitFor()
      const item = carla.locator(`.handoff-item[data-ticket="${ticket.number}"]`)
      await item.getByText('Wacht op oppakken').waitFor()
      await axe(carla, `"Voor ons" at ${viewport.width}`)
      expect(await fitsWidth(carla)).toBe(true)
      await item.getByRole('link', { name: subject }).click()
      const carlaPanel = carla.getByRole('region', { name: 'Backoffice' })
      const [picked] = await Promise.all([
        carla.waitForResponse((r) => r.url().endsWith(`/tickets/${ticket.id}`) && r.request().method() === 'PATCH'),
        carlaPanel.getByRole('button', { name: 'Oppakken', exact: true }).click(),
      ])
      expect(picked.status()).toBe(200)
      await carlaPanel.getByText('In behandeling bij Team Vergunningen').waitFor()
      await carlaPanel.getByText('Opgepakt door Carla Smit', { exact: false }).waitFor()
      await carlaPanel.getByRole('button', { name: 'Terugzetten naar servicedesk…' }).click()
      await carlaPanel.getByLabel('Notitie voor de servicedesk').fill('Een verbreding is een wijziging van de vergunning (art. 2.10 APV); geen nieuwe aanvraag nodig.')
      await carlaPanel
        .getByLabel('Voorgesteld antwoord aan de klant (optioneel)')
        .fill('Geachte heer Van Dam,\n\nDe uitbreiding betreft een wijziging ex art. 2.10 APV van de bestaande terrasvergunning.\n\nMet vriendelijke groet')
      await axe(carla, `return form at ${viewport.width}`)
      const [returned] = await Promise.all([
        carla.waitForResponse((r) => r.url().endsWith(`/tickets/${ticket.id}/returns`) && r.request().method() === 'POST'),
        carlaPanel.getByRole('button', { name: 'Terugzetten', exact: true }).click(),
      ])
      expect(returned.status()).toBe(201)
      await carlaPanel.getByText('Terug van Team Vergunningen: de servicedesk is aan zet').waitFor()
      await carla.context().close()

      // 3. The coordinator finds it under "Terug van backoffice", uses the proposal as the reply, edits and sends it.
      await anna.goto(`${loket.url}/queues/esc-returned`)
      await anna.getByRole('heading', { name: 'Terug van backoffice', level: 1 }).waitFor()
      const back = anna.locator(`.handoff-item[data-ticket="${ticket.number}"]`)
      await back.getByText('met voorgesteld antwoord').waitFor()
      await axe(anna, `"Terug van backoffice" at ${viewport.width}`)
      if (SHOTS && viewport.width === 1440) await anna.screenshot({ path: join(SHOTS, 'handoff-returned-queue.png'), fullPage: true })
      await back.getByRole('link', { name: subject }).click()
      const panel = anna.getByRole('region', { name: 'Backoffice' })
      await panel.getByRole('heading', { name: 'Voorgesteld door Carla Smit, Vergunningen' }).waitFor()
      await panel.getByRole('button', { name: 'Gebruik als antwoord' }).click()
      const body = anna.locator('#composer-body')
      await expect.poll(() => body.inputValue()).toContain('wijziging ex art. 2.10 APV')
      await anna.getByText('Voorgesteld door Carla Smit, Vergunningen. Pas het aan in gewone taal en verstuur het.').waitFor()
      await axe(anna, `proposal in the composer at ${viewport.width}`)
      if (SHOTS && viewport.width === 1440) await anna.screenshot({ path: join(SHOTS, 'handoff-proposal.png'), fullPage: true })
      const plain = 'Beste heer Van Dam,\n\nGoed nieuws: u hoeft geen nieuwe vergunning aan te vragen. We passen uw huidige terrasvergunning aan.\n\nMet vriendelijke groet,\nAnna de Vries'
      // The server draft keeps the proposal: after a reload the composer still has it, and sending still records it.
      await Promise.all([
        anna.waitForResponse((r) => r.url().endsWith(`/tickets/${ticket.id}/draft`) && r.request().method() === 'PUT' && (r.request().postDataJSON() as { body: string }).body === plain),
        body.fill(plain),
      ])
      await anna.reload()
      await anna.getByText('Voorgesteld door Carla Smit, Vergunningen. Pas het aan in gewone taal en verstuur het.').waitFor()
      await expect.poll(() => anna.locator('#composer-body').inputValue()).toBe(plain)
      const [sent] = await Promise.all([
        anna.waitForResponse((r) => r.url().endsWith(`/tickets/${ticket.id}/articles`) && r.request().method() === 'POST'),
        anna.getByRole('button', { name: 'Versturen', exact: true }).click(),
      ])
      expect(sent.status()).toBe(201)
      const article = (await sent.json()) as { id: string; metadata: { proposal?: { writtenBy: { name: string } | null; changed: boolean } } }
      expect(article.metadata.proposal).toMatchObject({ writtenBy: { name: 'Carla Smit' }, departmentName: 'Vergunningen', changed: true })

      // The ticket shows who wrote the reply and who sent it; the handoff is over.
      const reply = anna.locator(`[data-article="${article.id}"]`)
      await reply.getByText('Geschreven door Carla Smit (Vergunningen), verstuurd door Anna de Vries; gewijzigd door de servicedesk').waitFor()
      await panel.getByText('Geen overdracht onderweg', { exact: false }).waitFor()
      await axe(anna, `reply made from a proposal at ${viewport.width}`)
      expect(await fitsWidth(anna)).toBe(true)

      // 4. Jan gets the desk's words by mail, from the desk's mailbox.
      await expect
        .poll(
          async () => {
            await deliver()
            return smtp.received.filter((m) => m.envelope.to.includes(jan.email) && (m.parsed.subject ?? '').includes(ticket.number)).length
          },
          { timeout: 15_000 },
        )
        .toBe(1)
      const mail = smtp.received.find((m) => m.envelope.to.includes(jan.email) && (m.parsed.subject ?? '').includes(ticket.number))!
      expect(mail.parsed.from?.value[0]?.address).toBe('servicedesk@gemeente-loket.test')
      expect(mail.parsed.text).toContain('u hoeft geen nieuwe vergunning aan te vragen')
      expect(mail.parsed.text).not.toContain('art. 2.10 APV')
      await anna.context().close()
    }, 180_000)
  }

  it('splits a second question off into a ticket of its own', async () => {
    const jan = loket.seed.customers[0]
    const { tickets } = loket.runtime.services
    const ticket = await tickets.create(loket.actorOf(loket.seed.anna), {
      subject: 'Afvalpas kwijt',
      body: 'Ik ben mijn afvalpas kwijt. Hoe krijg ik een nieuwe?',
      requester: { email: jan.email, name: jan.name },
      groupId: loket.seed.groups.servicedesk,
    })
    await tickets.addArticle(loket.actorOf(jan), ticket.id, { body: 'En nog iets anders: de lantaarnpaal voor mijn deur is kapot.' })
    const page = await signedIn(loket.seed.anna.email, { width: 1440, height: 900 })
    await page.goto(`${loket.url}/tickets/${ticket.id}?queue=open`)
    const second = page.locator('li.article').filter({ hasText: 'de lantaarnpaal voor mijn deur is kapot' })
    await second.getByRole('button', { name: 'Splitsen: dit bericht wordt een apart ticket' }).click()
    await axe(page, 'split confirmation')
    const [split] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/tickets/${ticket.id}/splits`) && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Nu splitsen' }).click(),
    ])
    expect(split.status()).toBe(201)
    const { created } = (await split.json()) as { created: { id: string; number: string } }
    await page.getByText('Afgesplitst naar ticket').waitFor()
    await page.getByRole('link', { name: created.number }).first().click()
    await page.getByText('de lantaarnpaal voor mijn deur is kapot').waitFor()
    await expect.poll(() => page.locator('.ticket-head h1').textContent()).toContain(created.number)
    await page.context().close()
  }, 120_000)
})
