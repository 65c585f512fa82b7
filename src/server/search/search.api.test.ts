import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toE164 } from '../accounts/phone.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

describe('toE164', () => {
  it('reads every common Dutch notation of one number as the same E.164 number', () => {
    for (const text of ['06-12345678', '06 1234 5678', '0612345678', '+31 6 1234 5678', '+31612345678', '0031 6 12345678', '(06) 12 34 56 78']) {
      expect(toE164(text), text).toBe('+31612345678')
    }
    expect(toE164('(020) 123 45 67')).toBe('+31201234567')
    expect(toE164('+32 470 12 34 56')).toBe('+32470123456')
    for (const text of ['', 'geen nummer', '12', undefined, null]) expect(toE164(text)).toBeUndefined()
  })
})

describeEachDatabase('search API', (database) => {
  let t: TestApp
  let agent: User
  let customer: User
  let otherCustomer: User
  let ticket: { id: string; number: string }
  let othersTicket: { id: string; number: string }
  let organisationId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    const admin = await t.user('admin')
    agent = await t.user('agent')
    organisationId = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name: 'Gemeente Lingedal', domains: ['lingedal.example'] } })).json().id
    customer = await t.user('customer', { email: 'anna.jansen@lingedal.example', name: 'Anna Jansen' })
    otherCustomer = await t.user('customer', { email: 'piet@elders.example', name: 'Piet Elders' })
    await t.request({ method: 'PATCH', url: `/api/v1/users/${customer.id}`, token: admin.token, payload: { phone: '06-41283377' } })
    await t.request({ method: 'PATCH', url: `/api/v1/users/${otherCustomer.id}`, token: admin.token, payload: { phone: '+31 20 123 4567' } })
    const open = async (token: string, subject: string, email: string) =>
      (await t.request({ method: 'POST', url: '/api/v1/tickets', token, payload: { subject, body: 'Graag hulp met de printer.', requester: { email } } })).json()
    ticket = await open(customer.token, 'Printer op de tweede verdieping', customer.email)
    othersTicket = await open(otherCustomer.token, 'Printer in de kantine', otherCustomer.email)
  })
  afterAll(() => t?.close())

  const search = (q: string, token = agent.token) => t.request({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent(q)}`, token })

  it('finds a ticket by its whole number, its sequence with or without zeros, and opens it at once', async () => {
    const sequence = ticket.number.split('-')[1]
    for (const q of [ticket.number, sequence, String(Number(sequence)), `#${Number(sequence)}`]) {
      const res = await search(q)
      expect(res.statusCode, q).toBe(200)
      const body = res.json()
      expect(body.exactTicketId, q).toBe(ticket.id)
      expect(body.tickets[0], q).toMatchObject({ matchedOn: 'number', ticket: { id: ticket.id, number: ticket.number } })
    }
  })

  it('finds a person by phone number in any notation and by e-mail address, with their organisation', async () => {
    for (const q of ['06-41283377', '0641283377', '+31 6 4128 3377', '0031641283377', 'ANNA.jansen@lingedal.example']) {
      const body = (await search(q)).json()
      expect(body.people, q).toEqual([
        expect.objectContaining({ id: customer.id, name: 'Anna Jansen', phone: '06-41283377', organisation: { id: organisationId, name: 'Gemeente Lingedal' }, matchedOn: q.includes('@') ? 'email' : 'phone' }),
      ])
    }
    expect((await search('020-1234567')).json().people.map((p: { id: string }) => p.id)).toEqual([otherCustomer.id])
    expect((await search('06-99999999')).json().people).toEqual([])
  })

  it('searches the tickets\' words for a number or address that names no ticket or person, and not for one that does', async () => {
    const noted = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject: 'Terugbellen op 0699887766', body: 'Graag terugbellen.', requester: { email: `noted.${process.pid}@example.nl` } } })).json().ticket
    const byText = (await t.request({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('0699887766')}`, token: agent.token })).json()
    expect(byText.people).toEqual([])
    expect(byText.tickets.map((h: { ticket: { id: string }; matchedOn: string }) => [h.ticket.id, h.matchedOn])).toContainEqual([noted.id, 'text'])
    // Anna's own number, written in a ticket too: she is the answer, the ticket's words are not searched.
    await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject: 'Anna belde vanaf 0641283377', body: 'Terugbellen.', requester: { email: `noted.${process.pid}@example.nl` } } })
    const byPerson = (await t.request({ method: 'GET', url: `/api/v1/search?q=${encodeURIComponent('0641283377')}`, token: agent.token })).json()
    expect(byPerson.people.map((p: { id: string }) => p.id)).toEqual([customer.id])
    expect(byPerson.tickets.filter((h: { matchedOn: string }) => h.matchedOn === 'text')).toEqual([])
  })

  it('finds an organisation by part of its name, beside full-text tickets', async () => {
    expect((await search('lingedal')).json().organisations).toEqual([{ id: organisationId, name: 'Gemeente Lingedal' }])
    const body = (await search('printer')).json()
    expect(body.exactTicketId).toBeNull()
    expect(body.tickets.map((h: { ticket: { id: string }; matchedOn: string }) => [h.ticket.id, h.matchedOn]).sort()).toEqual(
      [[ticket.id, 'text'], [othersTicket.id, 'text']].sort(),
    )
  })

  it('lets a customer find only their own tickets, and no people or organisations', async () => {
    expect((await search(othersTicket.number, customer.token)).json()).toMatchObject({ exactTicketId: null, tickets: [], people: [], organisations: [] })
    const own = (await search(ticket.number, customer.token)).json()
    expect(own.exactTicketId).toBe(ticket.id)
    expect(own.tickets[0].ticket.assignee).toBeNull()
    const words = (await search('printer', customer.token)).json()
    expect(words.tickets.map((h: { ticket: { id: string } }) => h.ticket.id)).toEqual([ticket.id])
    for (const q of ['piet@elders.example', '020-1234567', 'lingedal']) {
      const body = (await search(q, customer.token)).json()
      expect(body.people, q).toEqual([])
      expect(body.organisations, q).toEqual([])
    }
  })

  it('asks for a sign-in, and answers malformed queries with a problem', async () => {
    expect((await t.request({ method: 'GET', url: '/api/v1/search?q=printer' })).statusCode).toBe(401)
    for (const url of ['/api/v1/search', '/api/v1/search?q=', `/api/v1/search?q=${'x'.repeat(501)}`, '/api/v1/search?q=a&limit=0', '/api/v1/search?q=a&other=1']) {
      const res = await t.request({ method: 'GET', url, token: agent.token })
      expect(res.statusCode, url).toBe(400)
      expect(res.headers['content-type'], url).toContain('application/problem+json')
    }
  })
})
