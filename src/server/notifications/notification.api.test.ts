import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { decryptSecret } from '../accounts/secrets.js'
import { routesOf } from '../http/stream-topics.js'
import { outboxRepository } from '../outbox/outbox.repository.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'
import { NOTIFICATION_MAIL_QUEUE, NOTIFICATION_PRUNE_QUEUE } from './notification.service.js'

type User = Awaited<ReturnType<TestApp['user']>>
interface Item { id: string; kind: string; ticketId: string | null; ticketNumber: string | null; ticketSubject: string | null; actorName: string | null; groupName: string | null; readAt: string | null }

describeEachDatabase('notifications', (database) => {
  let t: TestApp
  let admin: User
  let anna: User
  let bram: User
  let carla: User
  let specialist: User
  let customer: User
  let backOffice: string
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const post = async (url: string, payload: object) => (await t.request({ method: 'POST', url, token: admin.token, payload })).json()
    const sd = await post('/api/v1/departments', { name: 'Servicedesk' })
    const ict = await post('/api/v1/departments', { name: 'ICT' })
    const desk = (await post('/api/v1/groups', { name: 'Eerste lijn', departmentId: sd.id, line: 1 })).id
    backOffice = (await post('/api/v1/groups', { name: 'Applicatiebeheer', departmentId: ict.id, line: 2 })).id
    anna = await t.user('agent', { name: 'Anna de Vries', groupIds: [desk] })
    bram = await t.user('agent', { name: 'Bram Bakker', groupIds: [desk] })
    carla = await t.user('agent', { name: 'Carla Jansen', groupIds: [desk] })
    specialist = await t.user('agent', { name: 'Sam Specialist', groupIds: [backOffice] })
    customer = await t.user('customer', { email: `klant.${process.pid}@example.nl`, name: 'Karin Klant' })
  })
  afterAll(() => t?.close())

  const open = async (subject: string) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: anna.token, payload: { subject, body: 'Het werkt niet.', requester: { email: customer.email } } })
    expect(res.statusCode).toBe(201)
    return res.json().ticket as { id: string; number: string; version: number }
  }
  const current = async (id: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: admin.token })).json() as { id: string; version: number }
  const patch = async (id: string, token: string, payload: object) => {
    const res = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token, headers: { 'if-match': `"${(await current(id)).version}"` }, payload })
    expect(res.statusCode).toBe(200)
  }
  const settle = () => t.runtime.outbox.drain()
  const list = async (user: User, query = '') => {
    const res = await t.request({ method: 'GET', url: `/api/v1/notifications${query}`, token: user.token })
    expect(res.statusCode).toBe(200)
    return res.json() as { items: Item[]; nextCursor: string | null }
  }
  const unread = async (user: User) => (await t.request({ method: 'GET', url: '/api/v1/notifications/unread-count', token: user.token })).json().unread as number
  const readAll = (user: User) => t.request({ method: 'POST', url: '/api/v1/notifications/read-all', token: user.token })

  it('tells the assignee, not the one who assigned; and the former assignee when a colleague takes the ticket over', async () => {
    const ticket = await open('Printer op de tweede verdieping')
    await patch(ticket.id, anna.token, { assigneeId: bram.id })
    await settle()
    const items = (await list(bram)).items.filter((n) => n.ticketId === ticket.id)
    expect(items).toEqual([expect.objectContaining({ kind: 'assigned', ticketNumber: ticket.number, ticketSubject: 'Printer op de tweede verdieping', actorName: 'Anna de Vries', readAt: null })])
    expect((await list(anna)).items.filter((n) => n.ticketId === ticket.id)).toEqual([])

    // Assigning yourself tells nobody about the assignment; the colleague who held it hears it was taken over.
    await patch(ticket.id, carla.token, { assigneeId: carla.id })
    await settle()
    expect((await list(carla)).items.filter((n) => n.ticketId === ticket.id)).toEqual([])
    expect((await list(bram)).items.find((n) => n.ticketId === ticket.id && n.kind === 'taken-over')).toMatchObject({ actorName: 'Carla Jansen' })
  })

  it('tells the assignee when the customer replies, and whoever is named in a note (not the writer)', async () => {
    const ticket = await open('Wachtwoord verlopen')
    await patch(ticket.id, anna.token, { assigneeId: anna.id })
    await settle()
    await readAll(anna)
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: customer.token, payload: { body: 'Het lukt nog steeds niet.' } })
    expect(reply.statusCode).toBe(201)
    const note = await t.request({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/articles`,
      token: anna.token,
      payload: { body: '<p>@Bram Bakker kun jij hiernaar kijken? @anna de vries weet het niet. @Carla Jansens is iemand anders.</p>', visibility: 'internal', contentType: 'text/html' },
    })
    expect(note.statusCode).toBe(201)
    await settle()
    expect((await list(anna)).items.filter((n) => n.ticketId === ticket.id && !n.readAt).map((n) => n.kind)).toEqual(['customer-replied'])
    expect((await list(bram)).items.find((n) => n.ticketId === ticket.id)).toMatchObject({ kind: 'mentioned', actorName: 'Anna de Vries' })
    expect((await list(carla)).items.filter((n) => n.ticketId === ticket.id)).toEqual([])
  })

  it('tells the back office of an escalation to its group, and the coordinator of the return', async () => {
    const ticket = await open('Zaaksysteem traag')
    await patch(ticket.id, anna.token, { assigneeId: anna.id })
    const esc = await t.request({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/escalations`,
      token: anna.token,
      headers: { 'if-match': `"${(await current(ticket.id)).version}"` },
      payload: { groupId: backOffice, handoffNote: 'Graag de logs bekijken.' },
    })
    expect(esc.statusCode).toBe(201)
    await settle()
    expect((await list(specialist)).items.find((n) => n.ticketId === ticket.id)).toMatchObject({ kind: 'escalated', groupName: 'Applicatiebeheer', actorName: 'Anna de Vries' })
    const back = await t.request({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/returns`,
      token: specialist.token,
      headers: { 'if-match': `"${(await current(ticket.id)).version}"` },
      payload: { note: 'Opgelost aan onze kant.' },
    })
    expect(back.statusCode).toBe(201)
    await settle()
    const annas = (await list(anna)).items.filter((n) => n.ticketId === ticket.id)
    expect(annas.map((n) => n.kind)).toEqual(['returned'])
    expect(annas[0]).toMatchObject({ actorName: 'Sam Specialist' })
  })

  it('makes one notification of an event however often the outbox hands it over (delivery failed)', async () => {
    const ticket = await open('Mail komt niet aan')
    const event = { type: 'article.delivery-failed', ticketId: ticket.id, ticketNumber: ticket.number, articleId: 'a1', authorId: carla.id, at: new Date().toISOString() }
    const row = { id: `evt-${Date.now()}`, type: event.type, payload: JSON.stringify(event), created_at: new Date().toISOString() }
    for (let i = 0; i < 2; i++) {
      await outboxRepository.insert(t.runtime.deps.db, [row])
      await settle()
    }
    expect((await list(carla)).items.filter((n) => n.ticketId === ticket.id)).toEqual([expect.objectContaining({ kind: 'delivery-failed', ticketNumber: ticket.number })])
  })

  it('pages, counts unread and marks one or all read; only ever the reader\'s own', async () => {
    const before = await unread(bram)
    for (const subject of ['Een', 'Twee', 'Drie']) {
      const ticket = await open(subject)
      await patch(ticket.id, anna.token, { assigneeId: bram.id })
    }
    await settle()
    expect(await unread(bram)).toBe(before + 3)
    const first = await list(bram, '?limit=2&unread=true')
    expect(first.items).toHaveLength(2)
    expect(first.items.map((n) => n.ticketSubject)).toEqual(['Drie', 'Twee'])
    const second = await list(bram, `?limit=2&unread=true&cursor=${first.nextCursor}`)
    expect(second.items[0].ticketSubject).toBe('Een')

    const id = first.items[0].id
    // Someone else's notification is not found for them, read or marked.
    const other = await t.request({ method: 'POST', url: `/api/v1/notifications/${id}/read`, token: carla.token })
    expect(other.statusCode).toBe(404)
    expect(other.headers['content-type']).toContain('application/problem+json')
    expect((await list(carla)).items.map((n) => n.id)).not.toContain(id)
    expect(await unread(bram)).toBe(before + 3)

    const marked = await t.request({ method: 'POST', url: `/api/v1/notifications/${id}/read`, token: bram.token })
    expect(marked.statusCode).toBe(200)
    expect(marked.json().readAt).toEqual(expect.any(String))
    expect(await unread(bram)).toBe(before + 2)
    expect((await readAll(bram)).json().marked).toBe(before + 2)
    expect(await unread(bram)).toBe(0)
  })

  it('refuses customers (403), strangers (401) and bad input (400 problem+json)', async () => {
    for (const [method, url] of [['GET', '/api/v1/notifications'], ['GET', '/api/v1/notifications/unread-count'], ['POST', '/api/v1/notifications/read-all'], ['POST', '/api/v1/notifications/x/read'], ['GET', '/api/v1/me/notification-settings'], ['GET', '/api/v1/tickets/unseen?ids=x']] as const) {
      expect((await t.request({ method, url, token: customer.token })).statusCode, `${method} ${url}`).toBe(403)
      expect((await t.request({ method, url })).statusCode, `${method} ${url}`).toBe(401)
    }
    const bad = await t.request({ method: 'PUT', url: '/api/v1/me/notification-settings', token: anna.token, payload: { mail: ['spam'] } })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
    expect((await t.request({ method: 'GET', url: '/api/v1/notifications?limit=1000', token: anna.token })).statusCode).toBe(400)
    expect((await t.request({ method: 'GET', url: '/api/v1/notifications?cursor=nonsense', token: anna.token })).statusCode).toBe(400)
  })

  it('keeps mail choices per user, and gathers what happened into one mail in their language', async () => {
    const eva = await t.user('agent', { name: 'Eva English' })
    // One window for the whole test: a five-minute window could end between the two assignments on a slow machine.
    const notifications = t.runtime.services.notifications
    const window = notifications.mailWindowMs
    notifications.mailWindowMs = 1e12
    onTestFinished(() => {
      notifications.mailWindowMs = window
    })
    await t.request({ method: 'PATCH', url: `/api/v1/users/${eva.id}`, token: admin.token, payload: { language: 'en' } })
    expect((await t.request({ method: 'GET', url: '/api/v1/me/notification-settings', token: eva.token })).json().mail).toEqual(['assigned', 'returned', 'mentioned', 'taken-over', 'delivery-failed'])
    const saved = await t.request({ method: 'PUT', url: '/api/v1/me/notification-settings', token: eva.token, payload: { mail: ['customer-replied', 'assigned'] } })
    expect(saved.json().mail).toEqual(['assigned', 'customer-replied'])

    const a = await open('Laptop kapot')
    const b = await open('Scherm flikkert')
    await patch(a.id, anna.token, { assigneeId: eva.id })
    await patch(b.id, anna.token, { assigneeId: eva.id })
    await t.request({ method: 'POST', url: `/api/v1/tickets/${b.id}/articles`, token: anna.token, payload: { body: '@Eva English zie je dit?', visibility: 'internal' } })
    await settle()
    const db = t.runtime.deps.db
    // One mail job for the window, however many notifications came in it (mentions are not chosen by mail).
    const jobs = await db.selectFrom('job').select(['payload', 'run_at']).where('queue', '=', NOTIFICATION_MAIL_QUEUE).execute()
    expect(jobs.filter((j) => JSON.parse(j.payload).userId === eva.id)).toHaveLength(1)

    await t.runtime.services.notifications.mailPending(eva.id)
    const mails = (await db.selectFrom('job').select('payload').where('queue', '=', 'account.mail').execute())
      .map((j) => JSON.parse(decryptSecret(t.runtime.config.secret, JSON.parse(j.payload).sealed)) as { to: string; subject: string; text: string })
      .filter((m) => m.to === eva.email)
    expect(mails).toHaveLength(1)
    expect(mails[0].subject).toBe('2 new notifications in Loket')
    expect(mails[0].text).toContain(`Anna de Vries assigned ticket ${a.number} to you: Laptop kapot`)
    expect(mails[0].text).toContain(`Anna de Vries assigned ticket ${b.number} to you: Scherm flikkert`)
    expect(mails[0].text).toContain(`http://localhost/tickets/${a.id}`)
    expect(mails[0].text).not.toContain('mentioned')
    // Nothing waits any more: a second run sends nothing.
    const count = async () => (await db.selectFrom('job').select('id').where('queue', '=', 'account.mail').execute()).length
    const sent = await count()
    await t.runtime.services.notifications.mailPending(eva.id)
    expect(await count()).toBe(sent)
  })

  it('removes notifications older than the retention period, daily, and keeps the rest', async () => {
    const ticket = await open('Oude melding')
    await patch(ticket.id, anna.token, { assigneeId: carla.id })
    await patch(ticket.id, anna.token, { assigneeId: bram.id })
    await settle()
    const { db } = t.runtime.deps
    const [old] = (await list(carla)).items.filter((n) => n.ticketId === ticket.id)
    const [recent] = (await list(bram)).items.filter((n) => n.ticketId === ticket.id && n.kind === 'assigned')
    expect(old && recent).toBeTruthy()
    await db.updateTable('notification').set({ created_at: new Date(Date.now() - 91 * 86_400_000).toISOString() }).where('id', '=', old.id).execute()
    expect(await t.runtime.services.notifications.prune()).toBeGreaterThanOrEqual(1)
    expect((await list(carla)).items.map((n) => n.id)).not.toContain(old.id)
    expect((await list(bram)).items.map((n) => n.id)).toContain(recent.id)
    // Two workers starting on the same day queue one pruning.
    await t.runtime.services.notifications.schedulePruning()
    await t.runtime.services.notifications.schedulePruning()
    expect(await db.selectFrom('job').select('id').where('queue', '=', NOTIFICATION_PRUNE_QUEUE).where('status', '=', 'queued').execute()).toHaveLength(1)
  })

  it('marks tickets with a customer message since the reader last opened them', async () => {
    const ticket = await open('Toegang tot map')
    const quiet = await open('Geen reactie')
    const ask = async (user: User) => ((await t.request({ method: 'GET', url: `/api/v1/tickets/unseen?ids=${ticket.id},${quiet.id}`, token: user.token })).json().unseen as string[]).sort()
    // The customer's first message (an agent opened the ticket on their behalf) is unread for everyone who never opened it.
    expect(await ask(bram)).toEqual([ticket.id, quiet.id].sort())
    for (const id of [ticket.id, quiet.id]) expect((await t.request({ method: 'PUT', url: `/api/v1/tickets/${id}/seen`, token: bram.token })).statusCode).toBe(204)
    expect(await ask(bram)).toEqual([])
    await new Promise((r) => setTimeout(r, 5))
    await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: customer.token, payload: { body: 'Nog nieuws?' } })
    // A note or reply by the desk does not make it unread; the customer's message does, for each reader separately.
    await t.request({ method: 'POST', url: `/api/v1/tickets/${quiet.id}/articles`, token: anna.token, payload: { body: 'Interne notitie', visibility: 'internal' } })
    expect(await ask(bram)).toEqual([ticket.id])
    expect(await ask(carla)).toEqual([ticket.id, quiet.id].sort())
    expect((await t.request({ method: 'PUT', url: `/api/v1/tickets/${ticket.id}/seen`, token: bram.token })).statusCode).toBe(204)
    expect(await ask(bram)).toEqual([])
    expect((await t.request({ method: 'PUT', url: `/api/v1/tickets/${ticket.id}/seen`, token: customer.token })).statusCode).toBe(403)
    expect((await t.request({ method: 'PUT', url: '/api/v1/tickets/nope/seen', token: bram.token })).statusCode).toBe(404)
  })
})

describe('notification on the stream', () => {
  it("goes to its user's own topic only, for staff, never to a customer or a queue", () => {
    const routes = routesOf({ type: 'notification.created', userId: 'u1', notificationId: 'n1', kind: 'assigned', ticketId: 't1', at: '2026-12-07T12:00:00.000Z' })
    expect(routes).toEqual([{ audience: 'staff', keys: ['own:u1'], view: expect.objectContaining({ notificationId: 'n1' }) }])
  })
})
