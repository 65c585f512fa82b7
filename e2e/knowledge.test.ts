import { mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, ROOT, startLoket } from './harness.js'
import { axe, login } from './browser.js'

// Browser journeys of templates and the knowledge base (issue 17): a template inserted in a reply, an
// article written from a ticket, and the public article page. LOKET_SCREENSHOTS=1 (re)writes
// docs/screenshots/templates-*.png and knowledge-*.png.

const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined
async function shot(page: Page, name: string) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

describe('templates and knowledge base in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let passwordTicket: string
  let escalatedTicket: string
  let slug: string
  const errors: string[] = []

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    const { templates, knowledge, tickets } = loket.runtime.services
    const { anna, carla, customers, groups } = loket.seed
    const agent = loket.actorOf(anna)
    const password = await templates.create(agent, {
      title: 'Wachtwoord opnieuw instellen',
      shortcut: 'ww',
      body: 'Beste {{klant.voornaam}},\n\nVia Mijn account stelt u een nieuw wachtwoord in. Uw organisatie: {{organisatie.naam}}.\n\nMet vriendelijke groet,\n{{agent.voornaam}}',
      scope: 'group',
      groupId: groups.servicedesk,
    })
    // The template carries the manual: using it attaches the file to the reply.
    await templates.addAttachment(agent, password.id, { filename: 'handleiding-mijn-account.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.4 handleiding') })
    await templates.create(agent, { title: 'Ontvangstbevestiging', shortcut: 'ok', body: 'We hebben melding {{melding.nummer}} ontvangen.', scope: 'group', groupId: groups.servicedesk })
    const article = await knowledge.createArticle(SYSTEM_ACTOR, {
      title: 'Wachtwoord opnieuw instellen',
      body: '<p>Ga naar <a href="https://mijn.example.nl">Mijn account</a> en kies "Wachtwoord vergeten".</p><ul><li>U krijgt een link per e-mail.</li></ul>',
      visibility: 'public',
      status: 'published',
      ownerGroupId: groups.servicedesk,
    })
    slug = article.slug
    await knowledge.createArticle(SYSTEM_ACTOR, { title: 'Interne werkinstructie wachtwoorden', body: '<p>Alleen voor de desk.</p>', visibility: 'internal', status: 'published' })
    passwordTicket = (await tickets.create(agent, { subject: 'Wachtwoord vergeten', body: 'Ik ben mijn wachtwoord vergeten.', requester: { email: customers[1].email }, groupId: groups.servicedesk, channel: 'email' })).id
    const escalated = await tickets.create(agent, { subject: 'Terrasvergunning: brandweeradvies duurt lang', body: 'Wanneer komt het advies?', requester: { email: customers[0].email }, groupId: groups.vergunningen })
    await tickets.addArticle(loket.actorOf(carla), escalated.id, { body: 'Oplossing: het brandweeradvies vraagt u op via het omgevingsloket; het duurt twee weken.', visibility: 'internal' })
    escalatedTicket = escalated.id

    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'nl-NL' })
    page = await context.newPage()
    page.on('pageerror', (err) => errors.push(err.message))
  }, 180_000)

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

  it('inserts a template in a reply with "::" and Enter, and sends nothing with braces left', async () => {
    await login(page, loket.url, loket.seed.anna.email)
    await page.goto(`${loket.url}/tickets/${passwordTicket}`)
    await page.getByRole('heading', { name: 'Suggesties' }).waitFor()
    // The suggestions rank the template and the public article for this ticket; the internal one too, for staff.
    await page.locator('.suggestions').getByText('Wachtwoord opnieuw instellen').first().waitFor()
    const box = page.locator('#composer-body')
    await box.click()
    await box.pressSequentially('::')
    const option = page.getByRole('option', { name: /Wachtwoord opnieuw instellen/ })
    await option.waitFor()
    expect(await option.getAttribute('aria-selected')).toBe('true')
    await axe(page, 'template picker')
    await shot(page, 'templates-composer')
    await page.setViewportSize({ width: 390, height: 844 })
    await axe(page, 'template picker at 390×844')
    await page.setViewportSize({ width: 1440, height: 900 })
    await box.press('Enter')
    await expect.poll(() => box.inputValue()).toContain('Beste Fatima,')
    expect(await box.inputValue()).toContain('Anna')
    // The template's file joins the reply's attachments.
    const composerFiles = page.locator('.composer .attachments')
    await composerFiles.getByText('handleiding-mijn-account.pdf').waitFor()
    // Fatima has no organisation: that placeholder waits for the agent, and the reply waits for it.
    await page.getByText('Vul nog in voordat u verstuurt: {{organisatie.naam}}').waitFor()
    const send = page.getByRole('button', { name: 'Versturen' })
    expect(await send.isDisabled()).toBe(true)
    const text = (await box.inputValue()).replace('{{organisatie.naam}}', 'geen')
    await box.fill(text)
    expect(await send.isDisabled()).toBe(false)
    await send.click()
    await page.locator('.timeline').getByText('Via Mijn account stelt u een nieuw wachtwoord in. Uw organisatie: geen.').waitFor()
    await page.locator('.timeline').getByRole('link', { name: 'handleiding-mijn-account.pdf' }).waitFor()
    const sent = await loket.runtime.services.tickets.listArticles(loket.actorOf(loket.seed.anna), passwordTicket)
    expect(sent.at(-1)?.attachments.map((f) => f.filename)).toEqual(['handleiding-mijn-account.pdf'])
    // Searching as you type: `::ok` finds the acknowledgement by its shortcut.
    await box.click()
    await box.pressSequentially('::ok')
    await page.getByRole('option', { name: /Ontvangstbevestiging/ }).waitFor()
    await box.press('Escape')
    await box.fill('')
    // Outside the reply box, `t` opens the template list in it, as `::` does.
    await box.press('Escape')
    await page.keyboard.press('t')
    await page.getByRole('listbox', { name: 'Sjablonen' }).waitFor()
    await expect.poll(() => box.inputValue()).toBe('::')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('composer-body')
    await box.press('Escape')
    expect(errors).toEqual([])
  })

  it('writes a knowledge article from an escalated ticket in the rich-text editor', async () => {
    await page.goto(`${loket.url}/tickets/${escalatedTicket}`)
    await page.getByRole('button', { name: 'Maak kennisartikel' }).click()
    await page.getByRole('heading', { name: 'Terrasvergunning: brandweeradvies duurt lang', level: 1 }).waitFor()
    const editor = page.locator('.ProseMirror')
    await editor.getByText('het brandweeradvies vraagt u op via het omgevingsloket').waitFor()
    expect(await page.locator('select').filter({ has: page.locator('option[value=draft]') }).inputValue()).toBe('draft')
    await editor.click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Bel bij spoed de brandweer.')
    await page.getByRole('button', { name: 'Artikel opslaan' }).click()
    await page.getByRole('status').filter({ hasText: 'Opgeslagen.' }).waitFor()
    await page.getByRole('button', { name: 'Versies tonen' }).click()
    await page.locator('.kb-list').getByText(/^Versie 1,/).waitFor()
    await axe(page, 'article editor')
    await shot(page, 'knowledge-article')
    // Staff see the ticket the article came from, and go there.
    await page.getByRole('link', { name: 'Gemaakt van ticket', exact: false }).waitFor()
    await page.setViewportSize({ width: 390, height: 844 })
    await axe(page, 'article editor at 390×844')
    await page.setViewportSize({ width: 1440, height: 900 })
    const drafts = await loket.runtime.services.knowledge.listArticles(SYSTEM_ACTOR, { status: 'draft' })
    expect(drafts.find((a) => a.sourceTicketId === escalatedTicket)).toMatchObject({ visibility: 'internal', version: 2 })
    await page.getByRole('link', { name: 'Kennisbank', exact: true }).first().click()
    await page.getByRole('heading', { name: 'Kennisbank', level: 1 }).waitFor()
    await page.getByText('Terrasvergunning: brandweeradvies duurt lang').waitFor()
    await axe(page, 'knowledge base')
    await shot(page, 'knowledge-list')
    await page.setViewportSize({ width: 390, height: 844 })
    await axe(page, 'knowledge base at 390×844')
    await page.setViewportSize({ width: 1440, height: 900 })
    expect(errors).toEqual([])
  })

  it('serves the public article page readable without JavaScript, and nothing internal', async () => {
    const noScript = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' })
    const plain = await noScript.newPage()
    const res = await plain.goto(`${loket.url}/kennisbank/${slug}`)
    expect(res?.status()).toBe(200)
    await plain.getByRole('heading', { name: 'Wachtwoord opnieuw instellen', level: 1 }).waitFor()
    await plain.getByRole('link', { name: 'Mijn account' }).waitFor()
    await plain.goto(`${loket.url}/kennisbank?q=wachtwoord`)
    expect(await plain.getByRole('link', { name: 'Wachtwoord opnieuw instellen' }).count()).toBe(1)
    expect(await plain.getByText('Interne werkinstructie').count()).toBe(0)
    await noScript.close()

    const visitor = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' })
    const english = await visitor.newPage()
    await english.goto(`${loket.url}/kennisbank/${slug}`)
    await english.getByText('Updated on').waitFor()
    expect(await english.getAttribute('html', 'lang')).toBe('en')
    await axe(english, 'public article page')
    await english.goto(`${loket.url}/kennisbank/${slug}?lang=nl`)
    await axe(english, 'public article page (nl)')
    await shot(english, 'knowledge-public')
    await english.setViewportSize({ width: 390, height: 844 })
    await axe(english, 'public article page at 390×844')
    await visitor.close()
  })
})
