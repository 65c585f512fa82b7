import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>
type T = { id: string; number: string; version: number }

describeEachDatabase('merge, link and split', (database) => {
  let t: TestApp
  let agent: User
  let karin: User
  let piet: User
  let stranger: User
  let seq = 0
  beforeAll(async () => {
    t = await createTestApp(database)
    agent = await t.user('agent', { name: 'Dana Desk' })
    karin = await t.user('customer', { email: `karin.${process.pid}@example.nl`, name: 'Karin Klant' })
    piet = await t.user('customer', { email: `piet.${process.pid}@example.nl`, name: 'Piet Post' })
    stranger = await t.user('customer', { email: `vreemd.${process.pid}@example.nl` })
  })
  afterAll(() => t?.close())

  const open = async (requester: User, subject = 'Printer op de tweede verdieping', body = 'Hij drukt niets af.', tags?: string[]) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject: `${subject} ${++seq}`, body, requester: { email: requester.email }, ...(tags && { tags }) } })
    expect(res.statusCode).toBe(201)
    return res.json().ticket as T
  }
  const get = async (id: string, token = agent.token) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token })).json()
  const merge = (source: T, targetId: string, token = agent.token, version: number | null = source.version) =>
    t.request({ method: 'POST', url: `/api/v1/tickets/${source.id}/merge`, token, payload: { targetId }, headers: version === null ? {} : { 'if-match': `"${version}"` } })
  const articles = async (id: string, token = agent.token) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}/articles`, token })).json().items as { id: string; body: string; attachments: { id: string }[]; metadata: Record<string, any> }[]
  const history = async (id: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}/history`, token: agent.token })).json().items as { field: string; oldValue: string | null; newValue: string | null }[]
  const relations = async (id: string, token = agent.token) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}/links`, token })).json()

  describe('merge', () => {
    it('moves articles, attachments, tags and the requester; the duplicate is closed, points at the target and says so in both histories', async () => {
      const target = await open(karin, 'Printer', 'Eerste melding', ['printer'])
      const dup = await open(piet, 'Printer', 'Tweede melding', ['verdieping-2'])
      const up = await t.request({ method: 'POST', url: `/api/v1/tickets/${dup.id}/attachments?filename=foto.png`, token: agent.token, headers: { 'content-type': 'image/png' }, payload: Buffer.from([0x89, 0x50, 0x4e, 0x47]) })
      await t.request({ method: 'POST', url: `/api/v1/tickets/${dup.id}/articles`, token: agent.token, payload: { body: 'Foto van de foutmelding', visibility: 'internal', attachmentIds: [up.json().id] } })
      const current = await get(dup.id)
      const res = await merge(current, target.id)
      expect(res.statusCode).toBe(200)
      const { ticket, target: into } = res.json()
      expect(ticket).toMatchObject({ status: 'closed', mergedInto: { id: target.id, number: target.number } })
      expect(res.headers.etag).toBe(`"${ticket.version}"`)
      expect(into.version).toBeGreaterThan(target.version)
      expect(into.tags).toEqual(['printer', 'verdieping-2'])
      expect(await articles(dup.id)).toEqual([])
      const moved = await articles(target.id)
      expect(moved.map((a) => a.body)).toEqual(['Eerste melding', 'Tweede melding', 'Foto van de foutmelding'])
      const photo = moved[2].attachments[0]
      expect(photo.id).toBe(up.json().id)
      expect((await t.request({ method: 'GET', url: `/api/v1/attachments/${photo.id}`, token: agent.token })).statusCode).toBe(200)
      expect(await history(dup.id)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'mergedInto', newValue: target.number }), expect.objectContaining({ field: 'status', newValue: 'closed' })]))
      expect(await history(target.id)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'mergedFrom', newValue: dup.number })]))
      const rel = await relations(target.id)
      expect(rel.merged).toEqual([expect.objectContaining({ id: dup.id, number: dup.number })])
      expect(rel.requesters).toEqual([expect.objectContaining({ id: piet.id, name: 'Piet Post' })])
      // The search finds the moved words on the target.
      const found = (await t.request({ method: 'GET', url: '/api/v1/tickets?q=foutmelding', token: agent.token })).json().items.map((x: T) => x.id)
      expect(found).toContain(target.id)
    })

    it('refuses new articles on the merged ticket (409 naming the target), for the desk and the customer', async () => {
      const target = await open(karin)
      const dup = await open(karin)
      await merge(dup, target.id)
      for (const [token, visibility] of [[agent.token, 'public'], [agent.token, 'internal'], [karin.token, 'public']] as const) {
        const res = await t.request({ method: 'POST', url: `/api/v1/tickets/${dup.id}/articles`, token, payload: { body: 'Nog iets', visibility } })
        expect(res.statusCode).toBe(409)
        expect(res.headers['content-type']).toContain('application/problem+json')
        expect(res.json().detail).toContain(target.number)
        expect(res.json().mergedInto).toEqual({ id: target.id, number: target.number })
      }
    })

    it('files mail that threads to the merged ticket on the target, and a further requester reopens it', async () => {
      const target = await open(karin)
      const dup = await open(piet)
      await merge(dup, target.id)
      await t.request({ method: 'PATCH', url: `/api/v1/tickets/${target.id}`, token: agent.token, headers: { 'if-match': `"${(await get(target.id)).version}"` }, payload: { status: 'waiting_for_customer' } })
      const ingested = await t.runtime.services.tickets.ingest({ channel: 'email', from: { kind: 'email', address: piet.email }, subject: 'Re: printer', body: 'Hij doet het nog steeds niet', contentType: 'text/plain', sourceId: `merge-${seq}@example.nl`, ticketId: dup.id })
      expect(ingested).toMatchObject({ created: false, ticket: { id: target.id, status: 'open' } })
      const landed = (await articles(target.id)).find((a) => a.body === 'Hij doet het nog steeds niet')
      expect(landed?.metadata).toMatchObject({ mergedFrom: dup.number })
    })

    it('answers 422 problem+json for itself, an unknown, a merged or a closed target; 428 without If-Match, 412 on a stale version', async () => {
      const a = await open(karin)
      const b = await open(karin)
      const c = await open(karin)
      const closed = await open(karin)
      await t.request({ method: 'PATCH', url: `/api/v1/tickets/${closed.id}`, token: agent.token, headers: { 'if-match': `"${closed.version}"` }, payload: { status: 'closed' } })
      expect((await merge(b, c.id)).statusCode).toBe(200)
      for (const [targetId, reason] of [[a.id, /itself/], ['0190aaaa-0000-7000-8000-000000000000', /does not exist/], [b.id, /merged into another/], [closed.id, /closed/]] as const) {
        const res = await merge(a, targetId)
        expect(res.statusCode, reason.source).toBe(422)
        expect(res.headers['content-type']).toContain('application/problem+json')
        expect(res.json().detail).toMatch(reason)
      }
      expect((await merge({ ...b, version: (await get(b.id)).version }, a.id)).statusCode).toBe(422)
      expect((await merge(a, c.id, agent.token, null)).statusCode).toBe(428)
      expect((await merge(a, c.id, agent.token, a.version + 3)).statusCode).toBe(412)
      expect(await get(a.id)).toMatchObject({ mergedInto: null, status: 'new' })
    })

    it('lets the merged ticket’s customer follow the target in the portal; customers cannot merge (403 own, 404 other)', async () => {
      const target = await open(karin)
      const dup = await open(piet)
      expect((await merge(dup, target.id, piet.token)).statusCode).toBe(403)
      expect((await merge(target, dup.id, piet.token)).statusCode).toBe(404)
      expect((await merge(dup, target.id)).statusCode).toBe(200)
      expect((await get(dup.id, piet.token)).mergedInto).toEqual({ id: target.id, number: target.number })
      const seen = await get(target.id, piet.token)
      expect(seen.id).toBe(target.id)
      const list = (await t.request({ method: 'GET', url: '/api/v1/tickets', token: piet.token })).json().items.map((x: T) => x.id)
      expect(list).toEqual(expect.arrayContaining([target.id, dup.id]))
      expect((await relations(target.id, piet.token)).requesters).toEqual([])
      expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${target.id}`, token: stranger.token })).statusCode).toBe(404)
    })
  })

  describe('link', () => {
    it('links two tickets, shown on both; once only; unlinked again; history on both', async () => {
      const a = await open(karin)
      const b = await open(piet)
      const res = await t.request({ method: 'POST', url: `/api/v1/tickets/${a.id}/links`, token: agent.token, payload: { ticketId: b.id } })
      expect(res.statusCode).toBe(201)
      expect(res.json().links).toEqual([expect.objectContaining({ id: b.id, number: b.number })])
      expect((await t.request({ method: 'POST', url: `/api/v1/tickets/${b.id}/links`, token: agent.token, payload: { ticketId: a.id } })).statusCode).toBe(200)
      expect((await relations(b.id)).links).toEqual([expect.objectContaining({ id: a.id })])
      expect(await history(b.id)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'link', newValue: a.number })]))
      expect((await t.request({ method: 'DELETE', url: `/api/v1/tickets/${b.id}/links/${a.id}`, token: agent.token })).statusCode).toBe(204)
      expect((await relations(a.id)).links).toEqual([])
      expect((await t.request({ method: 'DELETE', url: `/api/v1/tickets/${b.id}/links/${a.id}`, token: agent.token })).statusCode).toBe(404)
      expect(await history(a.id)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'link', oldValue: b.number, newValue: null })]))
    })

    it('refuses itself and unknown tickets (422); customers cannot link and never see a link to a ticket not theirs', async () => {
      const mine = await open(karin)
      const mineToo = await open(karin)
      const theirs = await open(piet)
      const link = (id: string, ticketId: string, token = agent.token) => t.request({ method: 'POST', url: `/api/v1/tickets/${id}/links`, token, payload: { ticketId } })
      for (const other of [mine.id, '0190aaaa-0000-7000-8000-000000000000']) {
        const res = await link(mine.id, other)
        expect(res.statusCode).toBe(422)
        expect(res.headers['content-type']).toContain('application/problem+json')
      }
      expect((await link(mine.id, mineToo.id, karin.token)).statusCode).toBe(403)
      expect((await link(theirs.id, mine.id, karin.token)).statusCode).toBe(404)
      expect((await t.request({ method: 'DELETE', url: `/api/v1/tickets/${mine.id}/links/${theirs.id}`, token: karin.token })).statusCode).toBe(403)
      await link(mine.id, theirs.id)
      await link(mine.id, mineToo.id)
      expect((await relations(mine.id)).links.map((l: T) => l.id).sort()).toEqual([mineToo.id, theirs.id].sort())
      expect((await relations(mine.id, karin.token)).links.map((l: T) => l.id)).toEqual([mineToo.id])
      expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${theirs.id}/links`, token: karin.token })).statusCode).toBe(404)
    })
  })

  describe('split', () => {
    it("opens a new ticket from a customer's message with its files and Message-ID, linked to the old one", async () => {
      const source = await open(karin, 'Printer', 'De printer doet het niet.')
      await t.runtime.services.tickets.ingest({
        channel: 'email', from: { kind: 'email', address: karin.email }, subject: 'Re: printer', body: 'En mijn laptop start ook niet op.', contentType: 'text/plain', sourceId: `split-${seq}@example.nl`, ticketId: source.id,
        attachments: [{ filename: 'laptop.txt', contentType: 'text/plain', content: Buffer.from('BSOD') }],
      })
      const laptop = (await articles(source.id)).find((a) => a.body.includes('laptop'))!
      const current = await get(source.id)
      const split = (body: object, token = agent.token, version: number | null = current.version) =>
        t.request({ method: 'POST', url: `/api/v1/tickets/${source.id}/splits`, token, payload: body, headers: version === null ? {} : { 'if-match': `"${version}"` } })
      expect((await split({ articleId: laptop.id }, karin.token)).statusCode).toBe(403)
      expect((await split({ articleId: laptop.id }, agent.token, null)).statusCode).toBe(428)
      const res = await split({ articleId: laptop.id, subject: 'Laptop start niet op' })
      expect(res.statusCode).toBe(201)
      const { ticket, created } = res.json()
      expect(created).toMatchObject({ subject: 'Laptop start niet op', requester: { id: karin.id }, status: 'new' })
      expect(res.headers.location).toBe(`/api/v1/tickets/${created.id}`)
      expect(ticket.version).toBeGreaterThan(current.version)
      expect((await articles(source.id)).map((a) => a.body)).toEqual([expect.stringMatching(/^De printer/)])
      const first = (await articles(created.id))[0]
      expect(first).toMatchObject({ body: 'En mijn laptop start ook niet op.', metadata: { splitFrom: { id: source.id, number: source.number } } })
      expect(first.attachments).toHaveLength(1)
      expect((await relations(source.id)).links).toEqual([expect.objectContaining({ id: created.id })])
      expect(await history(source.id)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'splitTo', newValue: created.number })]))
      expect(await history(created.id)).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'splitFrom', newValue: source.number })]))
      // An answer to the split-off mail threads to the new ticket.
      const answer = await t.runtime.services.tickets.ingest({ channel: 'email', from: { kind: 'email', address: karin.email }, subject: 'Re', body: 'Nog steeds', contentType: 'text/plain', sourceId: `split-${seq}@example.nl` })
      expect(answer).toMatchObject({ duplicate: true, ticket: { id: created.id } })
    })

    it("refuses an internal note, another ticket's article or the only message (422)", async () => {
      const source = await open(karin)
      const other = await open(karin)
      const note = (await t.request({ method: 'POST', url: `/api/v1/tickets/${source.id}/articles`, token: agent.token, payload: { body: 'Notitie', visibility: 'internal' } })).json()
      const current = await get(source.id)
      const otherFirst = (await articles(other.id))[0]
      const onlyFirst = (await articles(other.id))[0]
      for (const [id, articleId] of [[source.id, note.id], [source.id, otherFirst.id], [other.id, onlyFirst.id]] as const) {
        const version = (await get(id)).version
        const res = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/splits`, token: agent.token, payload: { articleId }, headers: { 'if-match': `"${version}"` } })
        expect(res.statusCode, articleId).toBe(422)
        expect(res.headers['content-type']).toContain('application/problem+json')
      }
      expect(current.version).toBe((await get(source.id)).version)
    })
  })
})
