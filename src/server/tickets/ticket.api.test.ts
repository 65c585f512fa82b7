import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('tickets API', (database) => {
  let t: TestApp
  let agent: User
  let admin: User
  let groupId: string
  let backOfficeGroupId: string
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'ICT' } })).json()
    const hr = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'HR' } })).json()
    groupId = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Servicedesk', departmentId: dep.id, line: 1 } })).json().id
    backOfficeGroupId = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'HR Personeelszaken', departmentId: hr.id, line: 2 } })).json().id
    agent = await t.user('agent', { groupIds: [groupId] })
  })
  afterAll(() => t?.close())

  const create = (payload: Record<string, unknown>, token = agent.token) =>
    t.request({ method: 'POST', url: '/api/v1/tickets', token, payload: { body: 'Graag hulp.', requester: { email: 'klant@example.nl' }, ...payload } })

  it('creates a ticket with number, requester, default 1st-line group and first article', async () => {
    const res = await create({ subject: 'Printer kapot', body: 'De printer op de tweede verdieping doet het niet.', requester: { email: 'Jan@Gemeente.nl', name: 'Jan de Vries' } })
    expect(res.statusCode).toBe(201)
    expect(res.headers.location).toMatch(/\/api\/v1\/tickets\//)
    const body = res.json()
    expect(body.number).toMatch(/^\d{4}-\d{5}$/)
    expect(body.ticket).toMatchObject({ status: 'new', groupId, channel: 'api', priority: 'normal', type: 'question', version: 1 })
    expect(body.ticket.requester).toMatchObject({ email: 'jan@gemeente.nl', name: 'Jan de Vries' })
    const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${body.id}/articles`, token: agent.token })).json()
    expect(articles.items).toHaveLength(1)
    expect(articles.items[0]).toMatchObject({ direction: 'in', visibility: 'public', body: 'De printer op de tweede verdieping doet het niet.' })
  })

  it('links a new requester to the organisation owning the e-mail domain', async () => {
    const org = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name: 'Gemeente Utrecht', domains: ['utrecht.nl'] } })).json()
    const res = await create({ subject: 'Vraag', requester: { email: 'p.jansen@utrecht.nl' } })
    expect(res.json().ticket.organisation).toEqual({ id: org.id, name: 'Gemeente Utrecht' })
    const list = (await t.request({ method: 'GET', url: `/api/v1/tickets?organisationId=${org.id}`, token: agent.token })).json()
    expect(list.items.map((x: { id: string }) => x.id)).toContain(res.json().id)
  })

  it('gives unique consecutive numbers under concurrent creation', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => create({ subject: `Gelijktijdig ${i}` })))
    const numbers = results.map((r) => r.json().number as string)
    expect(new Set(numbers).size).toBe(25)
    const seqs = numbers.map((n) => Number(n.split('-')[1])).sort((a, b) => a - b)
    expect(seqs[24] - seqs[0]).toBe(24)
    // Created together (one SQLite transaction for several), each is in the search index once.
    const found = (await t.request({ method: 'GET', url: '/api/v1/tickets?q=gelijktijdig&limit=50', token: agent.token })).json()
    expect(found.items.map((x: { number: string }) => x.number).sort()).toEqual([...numbers].sort())
  })

  it('adds a new address once when its first tickets arrive together', async () => {
    // The requester is settled before the ticket is written: on PostgreSQL outside a transaction, where
    // the inserts that lose the race for the new address find the customer the winner added.
    const requester = { email: 'tegelijk.nieuw@example.org', name: 'Tegelijk Nieuw' }
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => create({ subject: `Eerste contact ${i}`, requester })))
    expect(results.map((r) => r.statusCode)).toEqual(Array(12).fill(201))
    const requesterIds = new Set(results.map((r) => r.json().ticket.requester.id as string))
    expect(requesterIds.size).toBe(1)
    // A statement that lost the race drew no number: no gaps.
    const seqs = results.map((r) => Number((r.json().number as string).split('-')[1])).sort((a, b) => a - b)
    expect(seqs[11] - seqs[0]).toBe(11)
    const users = await t.runtime.database.db.selectFrom('app_user').select(['id', 'role', 'name']).where('email', '=', requester.email).execute()
    expect(users).toEqual([{ id: [...requesterIds][0], role: 'customer', name: 'Tegelijk Nieuw' }])
    const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${results[5].json().id}/articles`, token: agent.token })).json()
    expect(articles.items[0].author).toMatchObject({ id: users[0].id })
  })

  it('keeps every digit once a year passes ticket 99999', async () => {
    const year = new Date().getUTCFullYear()
    const db = t.runtime.database.db
    if (database.name === 'postgres') await sql`SELECT setval(${`ticket_number_${year}`}::regclass, 99998)`.execute(db)
    else await db.updateTable('ticket_counter').set({ value: 99998 }).where('year', '=', year).execute()
    const numbers = []
    for (const subject of ['Nummer 99999', 'Nummer 100000']) numbers.push((await create({ subject })).json().number)
    expect(numbers).toEqual([`${year}-99999`, `${year}-100000`])
    const ticket = (await t.request({ method: 'GET', url: `/api/v1/tickets/by-number/${year}-100000`, token: agent.token })).json()
    const history = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/history`, token: agent.token })).json()
    expect(history.items[0]).toMatchObject({ field: 'created', newValue: `${year}-100000` })
  })

  it('filters, sorts and pages with cursors without gaps or repeats', async () => {
    const subjects = Array.from({ length: 7 }, (_, i) => `Paging ${i}`)
    for (const s of subjects) await create({ subject: s, requester: { email: 'pager@example.nl' } })
    const requesterId = (await create({ subject: 'Paging 7', requester: { email: 'pager@example.nl' } })).json().ticket.requester.id
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const url: string = `/api/v1/tickets?requesterId=${requesterId}&limit=3&sort=created_at${cursor ? `&cursor=${cursor}` : ''}`
      const page = (await t.request({ method: 'GET', url, token: agent.token })).json()
      seen.push(...page.items.map((x: { subject: string }) => x.subject))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual([...subjects, 'Paging 7'])
    const bad = await t.request({ method: 'GET', url: '/api/v1/tickets?cursor=nonsense', token: agent.token })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
    // A cursor made under one order is refused under another, rather than giving an empty page.
    const first = (await t.request({ method: 'GET', url: `/api/v1/tickets?requesterId=${requesterId}&limit=3&sort=created_at`, token: agent.token })).json()
    const otherOrder = await t.request({ method: 'GET', url: `/api/v1/tickets?requesterId=${requesterId}&limit=3&sort=-updated_at&cursor=${first.nextCursor}`, token: agent.token })
    expect(otherOrder.statusCode).toBe(400)
    expect(otherOrder.json().detail).toContain('sort=created_at')
  })

  it('needs If-Match to change a ticket and refuses a stale version with 412', async () => {
    const id = (await create({ subject: 'Wachtwoord vergeten' })).json().id
    const noVersion = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token: agent.token, payload: { priority: 'high' } })
    expect(noVersion.statusCode).toBe(428)
    const ok = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token: agent.token, headers: { 'if-match': '"1"' }, payload: { priority: 'high', assigneeId: agent.id } })
    expect(ok.statusCode).toBe(200)
    expect(ok.headers.etag).toBe('"2"')
    expect(ok.json()).toMatchObject({ priority: 'high', version: 2, assignee: { id: agent.id } })
    const stale = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token: agent.token, headers: { 'if-match': '"1"' }, payload: { priority: 'low' } })
    expect(stale.statusCode).toBe(412)
    expect(stale.json()).toMatchObject({ code: 'precondition_failed', currentVersion: 2 })
    const history = (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}/history`, token: agent.token })).json().items
    expect(history).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'priority', oldValue: 'normal', newValue: 'high', actor: expect.objectContaining({ id: agent.id }) }),
        expect.objectContaining({ field: 'assigneeId', oldValue: null, newValue: agent.id }),
      ]),
    )
  })

  it('enforces the status state machine with 409', async () => {
    const id = (await create({ subject: 'Status' })).json().id
    const patch = (version: number, status: string) =>
      t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token: agent.token, headers: { 'if-match': `"${version}"` }, payload: { status } })
    expect((await patch(1, 'closed')).statusCode).toBe(200)
    const illegal = await patch(2, 'open')
    expect(illegal.statusCode).toBe(409)
    expect(illegal.json()).toMatchObject({ code: 'invalid_transition', from: 'closed', to: 'open' })
    const resolvedAt = (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: agent.token })).json()
    expect(resolvedAt.closedAt).not.toBeNull()
  })

  it('moves a ticket to a back-office group and its department', async () => {
    const res = await create({ subject: 'Salarisstrook klopt niet' })
    const moved = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${res.json().id}`, token: agent.token, headers: { 'if-match': '"1"' }, payload: { groupId: backOfficeGroupId } })
    expect(moved.statusCode).toBe(200)
    const groups = (await t.request({ method: 'GET', url: '/api/v1/groups', token: agent.token })).json().items
    expect(moved.json().departmentId).toBe(groups.find((g: { id: string }) => g.id === backOfficeGroupId).departmentId)
    const escalated = (await t.request({ method: 'GET', url: '/api/v1/tickets?escalatedBy=me', token: agent.token })).json()
    expect(escalated.items.map((x: { id: string }) => x.id)).toEqual([res.json().id])
    const notMine = (await t.request({ method: 'GET', url: '/api/v1/tickets?escalatedBy=me', token: admin.token })).json()
    expect(notMine.items).toHaveLength(0)
  })

  it('filters by priority, type and channel', async () => {
    const urgent = (await create({ subject: 'Alles plat', priority: 'urgent', type: 'incident', channel: 'phone' })).json().id
    const list = (q: string) => t.request({ method: 'GET', url: `/api/v1/tickets?${q}`, token: agent.token }).then((r) => r.json().items.map((x: { id: string }) => x.id))
    expect(await list('priority=urgent,high&type=incident&channel=phone')).toEqual([urgent])
    expect(await list('priority=low&type=incident')).not.toContain(urgent)
    expect((await t.request({ method: 'GET', url: '/api/v1/tickets?channel=fax', token: agent.token })).statusCode).toBe(400)
  })

  it('keeps internal notes from customers and lets a reply set the status', async () => {
    const customer = await t.user('customer')
    const created = await create({ subject: 'Laptop aanvragen', requester: { email: customer.email } })
    const id = created.json().id
    const note = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: agent.token, payload: { body: 'Intern: budget checken', visibility: 'internal' } })
    expect(note.statusCode).toBe(201)
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: agent.token, payload: { body: 'Welk model wilt u?', status: 'waiting_for_customer' } })
    expect(reply.json()).toMatchObject({ direction: 'out', visibility: 'public' })
    const afterReply = (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: agent.token })).json()
    expect(afterReply.status).toBe('waiting_for_customer')
    expect(afterReply.firstResponseAt).not.toBeNull()
    // The assigned agent is a name to the customer, not an inbox.
    await t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token: agent.token, headers: { 'if-match': `"${afterReply.version}"` }, payload: { assigneeId: agent.id } })
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: agent.token })).json().assignee).toMatchObject({ id: agent.id, email: agent.email })
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: customer.token })).json().assignee).toEqual({ id: agent.id, name: expect.any(String) })

    const seenByCustomer = (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}/articles`, token: customer.token })).json().items
    expect(seenByCustomer.map((a: { body: string }) => a.body)).toEqual(['Graag hulp.', 'Welk model wilt u?'])
    expect(seenByCustomer[0].metadata).toEqual({})
    const seenByAgent = (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}/articles`, token: agent.token })).json().items
    expect(seenByAgent[0].metadata).toEqual({ recordedBy: agent.id })
    const customerNote = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: customer.token, payload: { body: 'x', visibility: 'internal' } })
    expect(customerNote.statusCode).toBe(403)
    // The customer answers: the ticket reopens.
    await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: customer.token, payload: { body: 'Een lichte, 14 inch.' } })
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: customer.token })).json().status).toBe('open')
  })

  it("lets a customer search only the subjects and public articles of their own tickets, never an internal note", async () => {
    const customer = await t.user('customer')
    const other = await t.user('customer')
    const mine = (await create({ subject: 'Parkeervergunning verlengen', body: 'Mijn vergunning loopt af.', requester: { email: customer.email }, tags: ['lastige-klant'] })).json().id
    // Tags are the desk's own labels.
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${mine}`, token: agent.token })).json().tags).toEqual(['lastige-klant'])
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${mine}`, token: customer.token })).json().tags).toEqual([])
    const html = await t.runtime.services.tickets.ingest({
      channel: 'email',
      from: { kind: 'email', address: customer.email },
      subject: 'Declaratie reiskosten',
      body: '<p>De <b>declaratieformulieren</b> zijn kwijt.</p>',
      contentType: 'text/html',
    })
    const theirs = (await create({ subject: 'Parkeervergunning aanvragen', requester: { email: other.email } })).json().id
    await t.request({ method: 'POST', url: `/api/v1/tickets/${mine}/articles`, token: agent.token, payload: { body: 'Intern: geheimhouding, klant is lastig', visibility: 'internal' } })
    await t.request({ method: 'POST', url: `/api/v1/tickets/${mine}/articles`, token: agent.token, payload: { body: 'De verlenging is verwerkt.' } })
    const search = async (q: string, token = customer.token) =>
      (await t.request({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent(q)}`, token })).json().items.map((x: { id: string }) => x.id)
    expect(await search('geheimhouding')).toEqual([])
    expect(await search('lastig')).toEqual([])
    expect(await search('geheimhouding', agent.token)).toEqual([mine])
    // Subjects, the customer's own text and the desk's public replies, with stems and without accents.
    expect(await search('parkeervergunningen')).toEqual([mine])
    expect(await search('VERWERKT verlenging')).toEqual([mine])
    expect(await search('declaratieformulier')).toEqual([html.ticket.id])
    expect(await search('vergunning kwijt')).toEqual([])
    expect(await search('parkeervergunning', other.token)).toEqual([theirs])
    expect(await search('!!!')).toEqual([])
    const listed = (await t.request({ method: 'GET', url: '/api/v1/tickets', token: customer.token })).json().items
    expect(listed.map((x: { tags: string[] }) => x.tags)).toEqual([[], []])
  })

  it('takes the short names group, assignee, requester (an id or an e-mail address) and organisation for the id fields', async () => {
    const org = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name: 'Provincie Gelderland', domains: ['gelderland.example'] } })).json()
    const created = await create({ subject: 'Verlof aanvragen', requester: { email: 'R.Smit@gelderland.example' }, group: backOfficeGroupId })
    expect(created.statusCode).toBe(201)
    const ticket = created.json().ticket
    expect(ticket.groupId).toBe(backOfficeGroupId)
    const ids = async (query: string) => {
      const res = await t.request({ method: 'GET', url: `/api/v1/tickets?${query}`, token: agent.token })
      expect(res.statusCode).toBe(200)
      return res.json().items.map((x: { id: string }) => x.id)
    }
    expect(await ids(`group=${backOfficeGroupId}&assignee=none&organisation=${org.id}`)).toEqual([ticket.id])
    expect(await ids(`requester=${encodeURIComponent('r.smit@GELDERLAND.example')}`)).toEqual([ticket.id])
    expect(await ids(`requester=${ticket.requester.id}&groupId=${backOfficeGroupId}&group=${backOfficeGroupId}`)).toEqual([ticket.id])
    expect(await ids('requester=niemand@gelderland.example')).toEqual([])
    const clash = await t.request({ method: 'GET', url: `/api/v1/tickets?group=${backOfficeGroupId}&groupId=${groupId}`, token: agent.token })
    expect(clash.statusCode).toBe(400)
    expect(clash.headers['content-type']).toMatch(/application\/problem\+json/)
    expect((await create({ subject: 'x', group: backOfficeGroupId, groupId })).statusCode).toBe(400)
  })

  it('finds tickets by full text with Dutch stemming and without accents', async () => {
    const id = (await create({ subject: 'Storing café', body: 'De koffieautomaten in het café werken niet meer sinds vanochtend.' })).json().id
    for (const q of ['koffieautomaat', 'cafe', 'CAFÉ werken', 'storingen']) {
      const res = (await t.request({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent(q)}`, token: agent.token })).json()
      expect(res.items.map((x: { id: string }) => x.id), q).toContain(id)
    }
    const none = (await t.request({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent('zebrapad')}`, token: agent.token })).json()
    expect(none.items.map((x: { id: string }) => x.id)).not.toContain(id)
  })

  it('stores attachments and serves them so the browser never executes them', async () => {
    const id = (await create({ subject: 'Bijlage' })).json().id
    const html = Buffer.from('<script>alert(1)</script>')
    const up = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/attachments?filename=evil.html`, token: agent.token, headers: { 'content-type': 'text/html' }, payload: html })
    expect(up.statusCode).toBe(201)
    const png = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/attachments?filename=${encodeURIComponent('schermafdruk é.png')}`, token: agent.token, headers: { 'content-type': 'image/png' }, payload: Buffer.from([0x89, 0x50, 0x4e, 0x47]) })
    const article = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: agent.token, payload: { body: 'Zie bijlagen', attachmentIds: [up.json().id, png.json().id] } })
    expect(article.json().attachments).toHaveLength(2)
    const dl = await t.request({ method: 'GET', url: up.json().url, token: agent.token })
    expect(dl.statusCode).toBe(200)
    expect(dl.headers['content-type']).toBe('application/octet-stream')
    expect(dl.headers['content-disposition']).toMatch(/^attachment; filename="evil.html"/)
    expect(dl.headers['x-content-type-options']).toBe('nosniff')
    expect(dl.body).toBe(html.toString())
    const img = await t.request({ method: 'GET', url: png.json().url, token: agent.token })
    expect(img.headers['content-type']).toBe('image/png')
    expect(img.headers['content-disposition']).toContain("filename*=UTF-8''schermafdruk%20%C3%A9.png")
    const stranger = await t.user('customer')
    expect((await t.request({ method: 'GET', url: png.json().url, token: stranger.token })).statusCode).toBe(404)
    const tooBig = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/attachments?filename=big.bin`, token: agent.token, headers: { 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(6 * 1024 * 1024) })
    expect(tooBig.statusCode).toBe(413)
    expect(tooBig.headers['content-type']).toContain('application/problem+json')
  })

  it('serves HTML bodies sanitised and keeps the original as received', async () => {
    const customer = await t.user('customer')
    const id = (await create({ subject: 'HTML', requester: { email: customer.email } })).json().id
    const body = '<p onclick="x()">Hallo <script>alert(1)</script><a href="javascript:alert(2)">link</a><img src="x" onerror="y()"></p>'
    const res = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: customer.token, payload: { body, contentType: 'text/html' } })
    expect(res.json().body).toBe(body)
    const safe = res.json().bodyHtml as string
    expect(safe).toContain('Hallo')
    expect(safe).not.toMatch(/script|onclick|onerror|javascript:/)
    const pixel = await t.request({ method: 'POST', url: `/api/v1/tickets/${id}/articles`, token: customer.token, payload: { body: '<p>Zie <img src="https://tracker.example/p.gif" alt="logo"> en <img src="/api/v1/attachments/abc"></p>', contentType: 'text/html' } })
    const shown = pixel.json().bodyHtml as string
    expect(shown).not.toMatch(/<img[^>]+tracker/)
    expect(shown).toContain('href="https://tracker.example/p.gif"')
    expect(shown).toContain('<img src="/api/v1/attachments/abc"')
  })
})
