import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest'
import { buildWeb, CHROMIUM_ARGS, type Loket, PASSWORD, requireChromium, ROOT, startLoket } from './harness.js'
import { axe, login } from './browser.js'

// Browser journeys of the agent workspace (issue 3) against a real Loket on a fresh SQLite database.
// Set LOKET_SCREENSHOTS=1 to (re)write docs/screenshots/*.png while the journeys run.

/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

const SHOTS = process.env.LOKET_SCREENSHOTS === '1' ? join(ROOT, 'docs/screenshots') : undefined

async function shot(page: Page, name: string) {
  if (!SHOTS) return
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: join(SHOTS, `${name}.png`) })
}

describe('agent workspace in Chromium', () => {
  let loket: Loket
  let browser: Browser
  let context: BrowserContext
  let page: Page
  const errors: string[] = []
  /** Requests to anywhere but Loket (remote images in mail must not load). */
  const outside: string[] = []

  beforeAll(async () => {
    const executablePath = requireChromium()
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS })
    context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'nl-NL' })
    page = await context.newPage()
    page.on('pageerror', (err) => errors.push(err.message))
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content.Security.Policy/i.test(msg.text())) errors.push(msg.text())
    })
    page.on('request', (req) => {
      if (!req.url().startsWith(loket.url) && !req.url().startsWith('data:')) outside.push(req.url())
    })
  }, 120_000)

  // A failing journey leaves a screenshot of where it stood.
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

  it('logs in (Dutch by default) and shows "Mijn werk"', async () => {
    await page.goto(loket.url)
    await expect.poll(() => page.locator('h1').textContent()).toBe('Loket')
    await expect(page.locator('html')).toBeTruthy()
    expect(await page.getAttribute('html', 'lang')).toBe('nl')
    await axe(page, 'login')
    await shot(page, 'login')

    await page.locator('#login-email').fill(loket.seed.anna.email)
    await page.locator('#login-password').fill('verkeerd-wachtwoord')
    await page.getByRole('button', { name: 'Inloggen' }).click()
    await page.getByRole('alert').filter({ hasText: 'horen niet bij elkaar' }).waitFor()

    await page.locator('#login-password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Inloggen' }).click()
    await page.getByRole('heading', { name: 'Mijn werk', level: 1 }).waitFor()
    await page.getByText('Bezwaar WOZ-beschikking').waitFor()
    // The session is remembered: a reload stays logged in.
    await page.reload()
    await page.getByRole('heading', { name: 'Mijn werk', level: 1 }).waitFor()
  }, 60_000)

  it('works a queue: list, keyboard, bulk assign', async () => {
    await page.getByRole('link', { name: /Alle open tickets/ }).click()
    await page.getByRole('heading', { name: 'Alle open tickets', level: 1 }).waitFor()
    const rows = page.locator('table.tickets tbody tr')
    await expect.poll(() => rows.count()).toBe(6)
    await page.getByText('Live', { exact: true }).waitFor()
    await axe(page, 'queue')
    await shot(page, 'queue')

    // j moves through the list
    await page.locator('body').press('j')
    await page.locator('body').press('j')
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-row'))).toBe('1')

    // bulk: select two unassigned tickets and assign them to me
    await page.getByRole('checkbox', { name: 'Ticket 2026-00002 selecteren' }).check()
    await page.getByRole('checkbox', { name: 'Ticket 2026-00003 selecteren' }).check()
    await page.getByText('2 tickets geselecteerd').waitFor()
    if (SHOTS) await shot(page, 'queue-bulk')
    await page.getByRole('form', { name: 'Acties op de selectie' }).getByRole('button', { name: 'Aan mij toewijzen' }).click()
    await page.getByText('2 tickets bijgewerkt.').waitFor()
    // Several fields at once: choosing only prepares, "Toepassen" applies.
    await page.getByRole('checkbox', { name: 'Ticket 2026-00004 selecteren' }).check()
    const bulkBar = page.getByRole('form', { name: 'Acties op de selectie' })
    await bulkBar.getByLabel('Groep').selectOption({ label: 'Team Vergunningen' })
    await bulkBar.getByLabel('Status').selectOption('open')
    expect((await loket.runtime.services.tickets.getByNumber(loket.actorOf(loket.seed.anna), '2026-00004')).status).toBe('new')
    await bulkBar.getByRole('button', { name: 'Toepassen' }).click()
    await page.getByText('1 ticket bijgewerkt.').waitFor()
    const moved = await loket.runtime.services.tickets.getByNumber(loket.actorOf(loket.seed.anna), '2026-00004')
    expect(moved).toMatchObject({ status: 'open', groupId: loket.seed.groups.vergunningen })
    const mine = await loket.runtime.services.tickets.list(loket.actorOf(loket.seed.anna), { assigneeId: 'me' })
    expect(mine.items.map((t) => t.number).sort()).toEqual(['2026-00002', '2026-00003', '2026-00006'])
    await page.getByRole('link', { name: /Mijn werk/ }).click()
    await expect.poll(() => rows.count()).toBe(3)
  }, 60_000)

  it('filters a queue by priority, type and channel', async () => {
    await page.getByRole('link', { name: /Alle open tickets/ }).click()
    const rows = page.locator('table.tickets tbody tr')
    await expect.poll(() => rows.count()).toBe(6)
    const head = page.locator('.queue-head')
    await head.getByLabel('Soort').selectOption('incident')
    await expect.poll(() => rows.count()).toBe(1)
    await page.getByRole('link', { name: 'Storing website afvalkalender' }).waitFor()
    await head.getByLabel('Prioriteit').selectOption('low')
    await expect.poll(() => rows.count()).toBe(0)
    await head.getByLabel('Soort').selectOption('')
    await head.getByLabel('Kanaal').selectOption('chat')
    await page.getByRole('link', { name: 'Parkeervergunning bezoek' }).waitFor()
    await expect.poll(() => rows.count()).toBe(1)
    await axe(page, 'queue-filtered')
    for (const field of ['Prioriteit', 'Kanaal']) await head.getByLabel(field).selectOption('')
    await expect.poll(() => rows.count()).toBe(6)
  }, 60_000)

  it('shows a ticket created through the API without a reload', async () => {
    await page.getByRole('link', { name: /Alle open tickets/ }).click()
    await expect.poll(() => page.locator('table.tickets tbody tr').count()).toBe(6)
    await loket.runtime.services.tickets.create(loket.actorOf(loket.seed.bram), {
      subject: 'Live binnengekomen: lantaarnpaal kapot',
      body: 'De lantaarnpaal bij de school brandt niet.',
      requester: { email: 'buurman@example.nl', name: 'Buurman Bakker' },
      channel: 'phone',
    })
    await page.getByRole('link', { name: 'Live binnengekomen: lantaarnpaal kapot' }).waitFor({ timeout: 5000 })
    await expect.poll(() => page.locator('table.tickets tbody tr').count()).toBe(7)
  }, 30_000)

  it('opens a ticket: timeline with channel, direction, distinct internal note, customer context', async () => {
    await page.getByRole('link', { name: 'Vraag over mijn terrasvergunning' }).click()
    await page.getByRole('heading', { name: /Vraag over mijn terrasvergunning/, level: 1 }).waitFor()
    const articles = page.locator('ol.timeline > li')
    await expect.poll(() => articles.count()).toBe(4)
    await expect.poll(() => articles.nth(1).getAttribute('class')).toContain('article-internal')
    expect(await articles.nth(1).textContent()).toContain('Interne notitie')
    expect(await articles.nth(0).textContent()).toContain('Van de klant')
    expect(await articles.nth(2).textContent()).toContain('Naar de klant')
    // HTML mail/portal messages: sanitised (no script), quoted history folded away
    expect(await articles.nth(3).locator('b').textContent()).toBe('brandweer')
    expect(await articles.nth(3).locator('script').count()).toBe(0)
    expect(await articles.nth(3).locator('details.quoted blockquote').count()).toBe(1)
    expect(await articles.nth(3).textContent()).toContain('Portaal')
    // remote images (tracking pixels) in customers' HTML do not load (the server turns them into links, and the
    // app's Content-Security-Policy would block them anyway)
    expect(await articles.nth(3).locator('img[src^="https://tracker.example"]').count()).toBe(0)
    expect(outside).toEqual([])
    // quoted history is folded away
    expect(await articles.nth(0).locator('details.quoted').count()).toBe(1)
    expect(await articles.nth(0).locator('details.quoted').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false)
    // customer context: organisation and their other ticket
    const customer = page.getByRole('region', { name: 'Klant' })
    await customer.getByText('Bakkerij Van Dam', { exact: true }).waitFor()
    await customer.getByText('Storing website afvalkalender').waitFor()
    await axe(page, 'ticket')
    await shot(page, 'ticket')
  }, 30_000)

  it('shows a chat transcript as a conversation', async () => {
    await page.goto(`${loket.url}/tickets/${loket.seed.chatTicketId}?queue=closed`)
    const lines = page.locator('ol.transcript > li')
    await expect.poll(() => lines.count()).toBe(3)
    expect(await lines.nth(1).getAttribute('class')).toBe('from-agent')
    expect(await lines.nth(0).textContent()).toContain('Hoe laat is de milieustraat zaterdag open?')
    await axe(page, 'chat ticket')
    if (SHOTS) await shot(page, 'chat')
    await page.goto(`${loket.url}/tickets/${loket.seed.ticketIds[0]}?queue=open`)
    await page.locator('#composer-body').waitFor()
    // j/k work on a ticket opened by link too: they walk its queue.
    const first = page.url()
    await page.locator('body').press('k')
    await expect.poll(() => page.url()).not.toBe(first)
    await page.locator('ol.timeline > li').first().waitFor()
    await page.locator('body').press('j')
    await expect.poll(() => page.url()).toBe(first)
    await page.locator('#composer-body').waitFor()
    // a: assign to me
    await page.locator('body').press('a')
    await page.locator('.ticket-meta').getByText('Behandelaar: Anna de Vries').waitFor()
  }, 30_000)

  it('replies to the customer and sets "waiting for customer" in the same action', async () => {
    await page.locator('body').press('r')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('composer-body')
    await page.locator('#composer-body').fill('Beste heer Van Dam, het advies van de brandweer is binnen. Kunt u de plattegrond sturen?')
    await page.getByLabel('en status').selectOption('waiting_for_customer')
    await page.locator('form.composer input[type=file]').setInputFiles([
      { name: 'plattegrond.png', mimeType: 'image/png', buffer: PNG },
      { name: 'voorwaarden.txt', mimeType: 'text/plain', buffer: Buffer.from('Voorwaarden terras 2027') },
    ])
    await page.locator('form.composer').getByText('voorwaarden.txt').waitFor()
    await page.getByRole('button', { name: 'Versturen' }).click()
    await expect.poll(() => page.locator('ol.timeline > li').count()).toBe(5)
    const last = page.locator('ol.timeline > li').last()
    expect(await last.getAttribute('data-visibility')).toBe('public')
    expect(await last.textContent()).toContain('plattegrond')
    // attachments: image preview, other files as links that download
    const preview = last.locator('img.preview')
    await preview.waitFor()
    await expect.poll(() => preview.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBe(1)
    const link = last.getByRole('link', { name: /voorwaarden\.txt/ })
    const file = await page.request.get(new URL((await link.getAttribute('href'))!, loket.url).toString())
    expect(file.status()).toBe(200)
    expect(await file.text()).toBe('Voorwaarden terras 2027')
    await page.locator('.ticket-meta').getByText('Wacht op klant').waitFor()
    expect(await page.locator('#composer-body').inputValue()).toBe('')
  }, 30_000)

  it('adds an internal note (n), clearly marked', async () => {
    await page.locator('body').press('n')
    await page.locator('form.composer-internal').waitFor()
    await page.locator('#composer-body').fill('Klant belde ook al; plattegrond komt per post.')
    if (SHOTS) await shot(page, 'ticket-note')
    await page.keyboard.press('Control+Enter')
    await expect.poll(() => page.locator('ol.timeline > li').count()).toBe(6)
    const last = page.locator('ol.timeline > li').last()
    expect(await last.getAttribute('data-visibility')).toBe('internal')
    expect(await last.getAttribute('class')).toContain('article-internal')
    const articles = await loket.runtime.services.tickets.listArticles(loket.actorOf(loket.seed.anna), loket.seed.ticketIds[0])
    expect(articles.at(-1)).toMatchObject({ visibility: 'internal', body: 'Klant belde ook al; plattegrond komt per post.' })
  }, 30_000)

  it('changes fields with If-Match and saves them', async () => {
    await page.locator('#f-priority').selectOption('urgent')
    await page.locator('#f-tags').fill('vergunning, terras')
    await page.locator('#f-assignee').selectOption({ label: 'Anna de Vries' })
    await page.getByRole('button', { name: 'Opslaan' }).click()
    await page.getByText('Opgeslagen.').waitFor()
    const ticket = await loket.runtime.services.tickets.get(loket.actorOf(loket.seed.anna), loket.seed.ticketIds[0])
    expect(ticket).toMatchObject({ priority: 'urgent', tags: ['terras', 'vergunning'] })
    expect(ticket.assignee?.name).toBe('Anna de Vries')
  }, 30_000)

  it('shows what a colleague changed instead of overwriting it (412)', async () => {
    const id = loket.seed.ticketIds[0]
    await page.locator('#f-type').selectOption('complaint')
    // Bram changes the ticket while Anna's edit is unsaved.
    const before = await loket.runtime.services.tickets.get(loket.actorOf(loket.seed.bram), id)
    await loket.runtime.services.tickets.update(loket.actorOf(loket.seed.bram), id, before.version, { priority: 'low' })
    await page.getByRole('button', { name: 'Opslaan' }).click()
    const conflict = page.getByTestId('conflict')
    await conflict.waitFor()
    expect(await conflict.textContent()).toContain('Prioriteit: Urgent → Laag')
    await axe(page, 'ticket with a conflict')
    if (SHOTS) await shot(page, 'conflict')
    await conflict.getByRole('button', { name: 'Toch mijn wijzigingen opslaan' }).click()
    await page.getByText('Opgeslagen.').waitFor()
    const after = await loket.runtime.services.tickets.get(loket.actorOf(loket.seed.anna), id)
    expect(after).toMatchObject({ priority: 'low', type: 'complaint' })
    // The timeline can show who changed what, between the messages.
    await page.getByLabel('Ook wijzigingen tonen (status, behandelaar, …)').check()
    await page.locator('li.change[data-change="priority"]').filter({ hasText: 'Bram Jansen' }).filter({ hasText: 'Urgent → Laag' }).waitFor()
    await page.getByLabel('Ook wijzigingen tonen (status, behandelaar, …)').uncheck()
  }, 30_000)

  it('shows a colleague viewing and typing on the same ticket', async () => {
    const other = await browser.newContext({ viewport: { width: 1200, height: 800 } })
    const bram = await other.newPage()
    try {
      await login(bram, loket.url, loket.seed.bram.email)
      await bram.goto(`${loket.url}/tickets/${loket.seed.ticketIds[0]}?queue=open`)
      await page.getByText('Bram Jansen bekijkt dit ticket').waitFor({ timeout: 10_000 })
      await bram.locator('#composer-body').pressSequentially('Hi')
      await page.getByText('Bram Jansen typt een antwoord').waitFor({ timeout: 10_000 })
      // A note from Bram reaches Anna's open screen live.
      await bram.locator('#composer-body').fill('Bram: ik neem de brandweer mee.')
      await bram.getByRole('radio', { name: 'Internal note' }).check()
      await bram.getByRole('button', { name: 'Add note' }).click()
      await page.locator('ol.timeline').getByText('Bram: ik neem de brandweer mee.').waitFor({ timeout: 5000 })
    } finally {
      await other.close()
    }
  }, 60_000)

  it('lets a back-office agent write notes, not customer replies', async () => {
    const other = await browser.newContext({ viewport: { width: 1200, height: 800 } })
    const carla = await other.newPage()
    try {
      await login(carla, loket.url, loket.seed.carla.email)
      await carla.goto(`${loket.url}/tickets/${loket.seed.ticketIds[0]}?queue=open`)
      await carla.locator('form.composer-internal').waitFor()
      expect(await carla.getByRole('radio', { name: 'Antwoord aan klant' }).isDisabled()).toBe(true)
      await carla.getByText('Vanuit de backoffice antwoordt u de klant niet rechtstreeks').waitFor()
    } finally {
      await other.close()
    }
  }, 60_000)

  it('keeps a draft on the server when switching tickets and reloading', async () => {
    await page.locator('body').press('r')
    await page.locator('#composer-body').fill('Half af antwoord')
    await page.getByText('Concept opgeslagen').waitFor()
    await page.keyboard.press('Escape') // leaves the text field, so single-key shortcuts work again
    await page.locator('body').press('u')
    await page.getByRole('heading', { name: 'Alle open tickets', level: 1 }).waitFor()
    await page.getByRole('link', { name: 'Vraag over mijn terrasvergunning' }).click()
    // A reload fetches the app, the ticket and the draft again: on a busy CI machine that takes more than poll's 5 s.
    await expect.poll(() => page.locator('#composer-body').inputValue(), { timeout: 15_000 }).toBe('Half af antwoord')
    await page.reload()
    await expect.poll(() => page.locator('#composer-body').inputValue(), { timeout: 20_000 }).toBe('Half af antwoord')
  }, 60_000)

  it('keeps a draft typed while the connection is down, and saves it once it is back', async () => {
    await context.setOffline(true)
    await page.locator('#composer-body').fill('Geschreven zonder verbinding')
    await page.getByText('Concept nog niet opgeslagen. Loket probeert het opnieuw.').waitFor()
    await context.setOffline(false)
    await page.getByText('Concept opgeslagen').waitFor({ timeout: 10_000 })
    const id = loket.seed.ticketIds[0]
    expect((await loket.runtime.services.drafts.get(loket.actorOf(loket.seed.anna), id))?.body).toBe('Geschreven zonder verbinding')
    await page.keyboard.press('Escape')
  }, 30_000)

  it('opens the shortcut overlay with ?', async () => {
    await page.locator('body').press('?')
    const dialog = page.getByRole('dialog', { name: 'Sneltoetsen' })
    await dialog.waitFor()
    await axe(page, 'shortcuts')
    await shot(page, 'shortcuts')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
  }, 30_000)

  it('creates a ticket on behalf of a customer with lookup as you type', async () => {
    await page.getByRole('button', { name: 'Nieuw ticket' }).click()
    await page.getByRole('heading', { name: 'Nieuw ticket namens een klant' }).waitFor()
    await page.getByRole('combobox', { name: 'Klant zoeken' }).pressSequentially('Fati')
    await page.getByRole('option', { name: /Fatima El Amrani/ }).click()
    expect(await page.locator('#nt-email').inputValue()).toBe('fatima.elamrani@example.nl')
    await page.locator('#nt-subject').fill('Telefonisch: vraag over kwijtschelding')
    await page.locator('#nt-body').fill('Mevrouw belt over kwijtschelding van de afvalstoffenheffing.')
    await axe(page, 'new-ticket')
    await shot(page, 'new-ticket')
    await page.getByRole('button', { name: 'Ticket aanmaken' }).click()
    await page.getByRole('heading', { name: /Telefonisch: vraag over kwijtschelding/, level: 1 }).waitFor()
  }, 30_000)

  it('switches to English and remembers it for the user', async () => {
    await page.getByTestId('language').selectOption('en')
    await page.getByRole('button', { name: 'New ticket' }).waitFor()
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await expect.poll(async () => (await loket.runtime.services.accounts.getUser(loket.actorOf(loket.seed.anna), loket.seed.anna.id)).language).toBe('en')
    // Remembered per user, not only in this browser:
    const fresh = await browser.newContext()
    const p2 = await fresh.newPage()
    try {
      await login(p2, loket.url, loket.seed.anna.email)
      await p2.getByRole('heading', { name: 'My work', level: 1 }).waitFor()
    } finally {
      await fresh.close()
    }
    await page.getByRole('link', { name: /All open tickets/ }).click()
    await page.getByRole('heading', { name: 'All open tickets', level: 1 }).waitFor()
    await axe(page, 'queue (en)')
    if (SHOTS) await shot(page, 'queue-en')
    await page.getByRole('link', { name: 'Vraag over mijn terrasvergunning' }).click()
    await page.getByRole('heading', { name: /Vraag over mijn terrasvergunning/, level: 1 }).waitFor()
    await page.locator('ol.timeline > li').first().waitFor()
    await axe(page, 'ticket (en)')
    await page.locator('body').press('u')
    await page.getByRole('heading', { name: 'All open tickets', level: 1 }).waitFor()
  }, 60_000)

  it('stays smooth with thousands of tickets: cursor paging plus virtual scrolling', async () => {
    const actor = loket.actorOf(loket.seed.bram)
    for (let i = 0; i < 1200; i++) {
      await loket.runtime.services.tickets.create(actor, { subject: `Melding ${i}`, body: 'Lantaarnpaal', requester: { email: `bewoner${i % 40}@example.nl` }, channel: 'portal' })
    }
    let total = 0
    let cursor: string | undefined
    do {
      const page = await loket.runtime.services.tickets.list(loket.actorOf(loket.seed.anna), { status: 'new,open,waiting_for_customer,waiting_for_third_party', limit: 200, ...(cursor ? { cursor } : {}) })
      total += page.items.length
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(total).toBeGreaterThan(1200)
    await page.locator('nav.sidebar a[href="/queues/unassigned"]').click()
    await page.locator('nav.sidebar a[href="/queues/open"]').click()
    const table = page.locator('table.tickets')
    await table.locator('tbody tr[data-row]').first().waitFor()
    // Scrolling to the end loads page after page (cursor paging) until every open ticket is in the list.
    await expect
      .poll(
        async () => {
          await page.locator('.table-wrap').evaluate((el) => (el.scrollTop = el.scrollHeight))
          return Number(await table.getAttribute('aria-rowcount'))
        },
        { timeout: 30_000, interval: 200 },
      )
      .toBe(total + 1)
    await page.locator('.table-wrap').evaluate((el) => (el.scrollTop = el.scrollHeight))
    // Only what is in view (plus a margin) is in the DOM.
    expect(await table.locator('tbody tr[data-row]').count()).toBeLessThan(80)
    // The last loaded ticket is reachable and has its right position.
    const lastRow = table.locator('tbody tr[data-row]').last()
    await expect.poll(async () => Number(await lastRow.getAttribute('aria-rowindex'))).toBe(total + 1)
  }, 90_000)

  it('brings back the login screen, in plain words, when the session has ended', async () => {
    await context.clearCookies()
    await page.locator('nav.sidebar a[href="/queues/mine"]').click()
    await page.locator('#login-email').waitFor()
    await login(page, loket.url, loket.seed.anna.email)
  }, 30_000)

  it('logs out', async () => {
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.locator('#login-email').waitFor()
    await page.reload()
    await page.locator('#login-email').waitFor()
    // A language picked on the login screen wins over the saved one and is saved for the user.
    await page.getByTestId('language').selectOption('nl')
    await page.getByRole('button', { name: 'Inloggen' }).waitFor()
    await login(page, loket.url, loket.seed.anna.email)
    await page.getByRole('heading', { name: 'Mijn werk', level: 1 }).waitFor()
    await expect.poll(async () => (await loket.runtime.services.accounts.getUser(loket.actorOf(loket.seed.anna), loket.seed.anna.id)).language).toBe('nl')
    expect(errors).toEqual([])
  }, 30_000)
})
