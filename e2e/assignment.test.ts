import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axe, login } from './browser.js'
import { buildWeb, CHROMIUM_ARGS, type Loket, requireChromium, startLoket } from './harness.js'

// Issue 16, assignment within a group: an administrator has a group assign in turn (Beheer → Groepen); an
// agent who switches to Afwezig in the top bar gets no new tickets, a colleague does.
describe('assignment within a group in Chromium', () => {
  let loket: Loket
  let browser: Browser

  beforeAll(async () => {
    loket = await startLoket(await buildWeb())
    browser = await chromium.launch({ executablePath: requireChromium(), args: CHROMIUM_ARGS })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await loket?.close()
  })

  const signedIn = async (email: string, viewport = { width: 1440, height: 900 }): Promise<Page> => {
    const page = await (await browser.newContext({ viewport, locale: 'nl-NL' })).newPage()
    await login(page, loket.url, email)
    return page
  }

  it('assigns new tickets in turn, passing over an agent who is away', async () => {
    const admin = await signedIn('beheer@gemeente-loket.nl')
    await admin.goto(`${loket.url}/admin/groups`)
    await admin.getByRole('button', { name: '1e lijn Servicedesk wijzigen' }).click()
    await admin.getByLabel('Toewijzen').selectOption('round_robin')
    await axe(admin, 'group with assignment (1440)')
    await admin.getByRole('button', { name: 'Opslaan', exact: true }).click()
    await admin.getByText('1e lijn Servicedesk is opgeslagen.').waitFor()
    const group = (await loket.runtime.services.desk.listGroups(loket.actorOf(loket.seed.anna))).find((g) => g.id === loket.seed.groups.servicedesk)
    expect(group?.assignment).toBe('round_robin')

    const anna = await signedIn(loket.seed.anna.email)
    const away = anna.getByRole('button', { name: 'Beschikbaar', exact: true })
    await away.click()
    await anna.getByRole('button', { name: 'Afwezig', exact: true }).waitFor()
    await expect.poll(async () => (await loket.runtime.services.desk.availability(loket.actorOf(loket.seed.anna), loket.seed.anna.id)).available).toBe(false)
    await axe(anna, 'top bar with availability (1440)')

    const desk = loket.actorOf(loket.seed.bram)
    for (let i = 0; i < 3; i++) {
      const made = await loket.runtime.services.tickets.create(desk, { subject: `Toewijzing ${i}`, body: 'Graag terugbellen.', requester: { email: 'p.dekker@example.nl' }, groupId: loket.seed.groups.servicedesk })
      expect(made.assignee?.id).toBe(loket.seed.bram.id)
    }
    // Back at work: the next turn can be hers again.
    await anna.getByRole('button', { name: 'Afwezig', exact: true }).click()
    await anna.getByRole('button', { name: 'Beschikbaar', exact: true }).waitFor()
    const next = await Promise.all([0, 1].map((i) => loket.runtime.services.tickets.create(desk, { subject: `Daarna ${i}`, body: 'x', requester: { email: 'p.dekker@example.nl' }, groupId: loket.seed.groups.servicedesk })))
    expect(next.map((tk) => tk.assignee?.id).sort()).toEqual([loket.seed.anna.id, loket.seed.bram.id].sort())
    await anna.setViewportSize({ width: 390, height: 844 })
    await anna.getByRole('button', { name: 'Menu' }).click()
    await anna.getByRole('button', { name: 'Beschikbaar', exact: true }).waitFor()
    await axe(anna, 'menu with availability (390)')
  })
})
