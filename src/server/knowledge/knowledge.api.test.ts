import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type TestUser = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('knowledge base API', (database) => {
  let t: TestApp
  let admin: TestUser
  let desk: TestUser
  let backOffice: TestUser
  let outsider: TestUser
  let customer: TestUser
  let deskGroup: string
  let ictGroup: string
  const articles: Record<string, { id: string; slug: string; version: number }> = {}

  const req = (method: 'GET' | 'POST' | 'PATCH', url: string, token?: string, payload?: unknown, headers?: Record<string, string>) =>
    t.request({ method, url: `/api/v1${url}`, token, payload: payload as Record<string, unknown>, headers })
  const write = async (key: string, payload: Record<string, unknown>, token = backOffice.token) => {
    const res = await req('POST', '/knowledge/articles', token, payload)
    expect(res.statusCode, res.body).toBe(201)
    articles[key] = res.json()
    return res.json()
  }

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const dep = (await req('POST', '/departments', admin.token, { name: 'ICT' })).json()
    deskGroup = (await req('POST', '/groups', admin.token, { name: 'Servicedesk', departmentId: dep.id, line: 1 })).json().id
    ictGroup = (await req('POST', '/groups', admin.token, { name: 'ICT Werkplek', departmentId: dep.id, line: 2 })).json().id
    desk = await t.user('agent', { name: 'Dirk Desk', groupIds: [deskGroup] })
    backOffice = await t.user('agent', { name: 'Wendy Werkplek', groupIds: [ictGroup] })
    outsider = await t.user('agent', { name: 'Olga Overal' })
    customer = await t.user('customer', { name: 'Karin Smit' })
    const common = { status: 'published', ownerGroupId: ictGroup }
    await write('password', { ...common, title: 'Wachtwoord opnieuw instellen', body: '<p>Via <a href="https://mijn.example.nl">Mijn account</a> stelt u een nieuw wachtwoord in.</p>', visibility: 'public' })
    await write('vpn', { ...common, title: 'VPN-verbinding maken vanuit huis', body: '<p>Start de VPN-client en log in met uw account.</p>', visibility: 'public' })
    await write('printer', { ...common, title: 'Printer op de tweede verdieping', body: '<p>De printer haalt de taken op met uw pas. Papier vergeten? Vraag het aan de receptie.</p>', visibility: 'internal' })
    await write('leave', { ...common, title: 'Verlof aanvragen', body: '<p>Verlof vraagt u aan in het personeelsportaal.</p>', visibility: 'public' })
    // A knowledge base of some size: full-text ranking weighs rare words more, and in a handful of articles every word is common.
    for (const [i, topic] of ['Parkeren bij het stadskantoor', 'Declaraties indienen', 'Een vergaderruimte reserveren', 'Salarisstrook inzien', 'Thuiswerkplek inrichten', 'Facturen betalen', 'Toegangspas kwijt', 'Ziekmelden'].entries()) {
      await write(`filler${i}`, { ...common, title: topic, body: `<p>Uitleg over ${topic.toLowerCase()}.</p>`, visibility: 'internal' })
    }
    await write('draft', { ownerGroupId: ictGroup, title: 'Wachtwoordkluis (concept)', body: '<p>Nog niet klaar: wachtwoord in de kluis.</p>', visibility: 'public' })
  })
  afterAll(() => t?.close())

  const titles = (res: { json(): { items: { title: string }[] } }) => res.json().items.map((i) => i.title)

  describe('searching', () => {
    it('finds articles through Dutch and English stemming, best match first', async () => {
      // Staff find drafts too; a word in the title weighs more than one in the text.
      expect(titles(await req('GET', '/knowledge/articles?q=wachtwoorden', desk.token))).toEqual(['Wachtwoord opnieuw instellen', 'Wachtwoordkluis (concept)'])
      expect(titles(await req('GET', '/knowledge/articles?q=verlof%20aanvraag', desk.token))).toEqual(['Verlof aanvragen'])
      expect(titles(await req('GET', '/knowledge/articles?q=printers', desk.token))).toEqual(['Printer op de tweede verdieping'])
      expect(titles(await req('GET', '/knowledge/articles?q=%21%21', desk.token))).toEqual([])
    })

    it('shows customers and the public only published public articles, through every route', async () => {
      expect(titles(await req('GET', '/knowledge/articles', customer.token)).sort()).toEqual(['VPN-verbinding maken vanuit huis', 'Verlof aanvragen', 'Wachtwoord opnieuw instellen'])
      expect(titles(await req('GET', '/knowledge/articles?status=draft&visibility=internal', customer.token)).sort()).toEqual(['VPN-verbinding maken vanuit huis', 'Verlof aanvragen', 'Wachtwoord opnieuw instellen'])
      expect(titles(await req('GET', '/knowledge/articles?q=printer', customer.token))).toEqual([])
      expect(titles(await req('GET', '/knowledge/articles?q=kluis', customer.token))).toEqual([])
      for (const key of ['printer', 'draft']) {
        const { id, slug } = articles[key]
        expect((await req('GET', `/knowledge/articles/${id}`, customer.token)).statusCode).toBe(404)
        expect((await req('GET', `/knowledge/articles/${id}/versions`, customer.token)).statusCode).toBe(404)
        expect((await req('GET', `/knowledge/articles/${id}/versions/1`, customer.token)).statusCode).toBe(404)
        expect((await t.request({ method: 'GET', url: `/kennisbank/${slug}` })).statusCode).toBe(404)
      }
      const pub = await req('GET', '/public/knowledge/articles?q=wachtwoord')
      expect(pub.statusCode).toBe(200)
      expect(pub.json().items.map((a: { title: string }) => a.title)).toEqual(['Wachtwoord opnieuw instellen'])
      expect(pub.json().items[0].url).toBe(`http://localhost/kennisbank/${articles.password.slug}`)
      expect(titles(await req('GET', '/public/knowledge/articles?q=printer'))).toEqual([])
      expect(titles(await req('GET', '/public/knowledge/articles')).sort()).toEqual(['VPN-verbinding maken vanuit huis', 'Verlof aanvragen', 'Wachtwoord opnieuw instellen'])
      expect((await req('GET', `/knowledge/articles/${articles.password.id}`, customer.token)).json()).toMatchObject({ title: 'Wachtwoord opnieuw instellen', publicUrl: expect.stringContaining('/kennisbank/') })
      expect((await req('GET', '/knowledge/articles')).statusCode).toBe(401)
    })
  })

  describe('writing', () => {
    it('sanitises article HTML on save: scripts, event handlers, javascript: links and remote images go', async () => {
      const a = await write('dirty', {
        title: 'Vieze HTML',
        body: '<p onclick="steal()">Tekst<script>alert(1)</script></p><a href="javascript:alert(2)">klik</a><img src="https://tracker.example/p.gif"><img src="/api/v1/attachments/x" alt="scherm"><iframe src="https://x"></iframe><h2 style="color:red">Kop</h2>',
      })
      expect(a.body).toBe('<p>Tekst</p><a rel="noopener noreferrer nofollow">klik</a><img src="/api/v1/attachments/x" alt="scherm" /><h2>Kop</h2>')
    })

    it('needs If-Match to change an article, answers 412 on a stale version and keeps every version', async () => {
      const { id } = articles.vpn
      expect((await req('PATCH', `/knowledge/articles/${id}`, backOffice.token, { title: 'VPN' })).statusCode).toBe(428)
      const first = await req('PATCH', `/knowledge/articles/${id}`, backOffice.token, { body: '<p>Nieuwe uitleg over de VPN-client.</p>' }, { 'if-match': '"1"' })
      expect(first.statusCode).toBe(200)
      expect(first.headers.etag).toBe('"2"')
      const stale = await req('PATCH', `/knowledge/articles/${id}`, desk.token, { title: 'Overschreven' }, { 'if-match': '"1"' })
      expect(stale.statusCode).toBe(412)
      expect(stale.json()).toMatchObject({ code: 'precondition_failed', currentVersion: 2 })
      const versions = (await req('GET', `/knowledge/articles/${id}/versions`, desk.token)).json().items
      expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
      expect(versions[0].changedBy).toMatchObject({ name: 'Wendy Werkplek' })
      expect((await req('GET', `/knowledge/articles/${id}/versions/1`, desk.token)).json().body).toContain('Start de VPN-client')
      const restored = await req('POST', `/knowledge/articles/${id}/versions/1/restore`, backOffice.token, undefined, { 'if-match': '"2"' })
      expect(restored.statusCode).toBe(200)
      expect(restored.json()).toMatchObject({ version: 3, body: '<p>Start de VPN-client en log in met uw account.</p>' })
      expect((await req('GET', `/knowledge/articles/${id}/versions`, desk.token)).json().items).toHaveLength(3)
      expect((await req('GET', `/knowledge/articles/${id}/versions/9`, desk.token)).statusCode).toBe(404)
    })

    it('leaves publishing to the owner group, and archives', async () => {
      const mine = await write('deskDraft', { title: 'Koffieautomaat storing', body: '<p>Bel de facilitaire dienst.</p>', ownerGroupId: ictGroup }, desk.token)
      expect(mine.status).toBe('draft')
      const refused = await req('PATCH', `/knowledge/articles/${mine.id}`, desk.token, { status: 'published' }, { 'if-match': '"1"' })
      expect(refused.statusCode).toBe(403)
      const published = await req('PATCH', `/knowledge/articles/${mine.id}`, backOffice.token, { status: 'published' }, { 'if-match': '"1"' })
      expect(published.json().status).toBe('published')
      const archived = await req('POST', `/knowledge/articles/${mine.id}/archive`, backOffice.token)
      expect(archived.json()).toMatchObject({ status: 'archived', version: 3 })
      expect(titles(await req('GET', '/knowledge/articles?q=koffieautomaat', desk.token))).toEqual([])
      expect(titles(await req('GET', '/knowledge/articles?q=koffieautomaat&status=archived', desk.token))).toEqual(['Koffieautomaat storing'])
      expect((await req('POST', '/knowledge/articles', customer.token, { title: 'x', body: 'x' })).statusCode).toBe(403)
      expect((await req('PATCH', `/knowledge/articles/${mine.id}`, customer.token, { title: 'x' }, { 'if-match': '"3"' })).statusCode).toBe(403)
      expect((await req('POST', `/knowledge/articles/${articles.password.id}/archive`, customer.token)).statusCode).toBe(403)
      expect((await req('POST', `/knowledge/articles/${articles.printer.id}/archive`, customer.token)).statusCode).toBe(404)
    })

    it('flags articles past their review date to their owner group', async () => {
      await write('old', { title: 'Oude instructie Windows 7', body: '<p>Verouderd.</p>', status: 'published', ownerGroupId: ictGroup, reviewAt: '2020-01-01' })
      expect((await req('GET', `/knowledge/articles/${articles.old.id}`, desk.token)).json().reviewDue).toBe(true)
      expect(titles(await req('GET', '/knowledge/articles?reviewDue=mine', backOffice.token))).toEqual(['Oude instructie Windows 7'])
      expect(titles(await req('GET', '/knowledge/articles?reviewDue=mine', desk.token))).toEqual([])
      expect(titles(await req('GET', '/knowledge/articles?reviewDue=all', desk.token))).toEqual(['Oude instructie Windows 7'])
    })

    it('keeps categories: everyone reads them, supervisors and administrators keep them', async () => {
      const created = await req('POST', '/knowledge/categories', admin.token, { name: 'Accounts en wachtwoorden' })
      expect(created.statusCode).toBe(201)
      expect((await req('POST', '/knowledge/categories', admin.token, { name: 'Accounts en wachtwoorden' })).statusCode).toBe(409)
      expect((await req('POST', '/knowledge/categories', desk.token, { name: 'X' })).statusCode).toBe(403)
      expect((await req('POST', '/knowledge/categories', customer.token, { name: 'X' })).statusCode).toBe(403)
      expect((await req('PATCH', `/knowledge/categories/${created.json().id}`, admin.token, { name: 'Accounts' })).json().name).toBe('Accounts')
      expect((await req('GET', '/knowledge/categories', customer.token)).json().items.map((c: { name: string }) => c.name)).toEqual(['Accounts'])
      expect((await req('PATCH', `/knowledge/articles/${articles.leave.id}`, backOffice.token, { categoryId: 'nope' }, { 'if-match': '"1"' })).statusCode).toBe(400)
    })
  })

  describe('tickets', () => {
    let ticketId: string
    beforeAll(async () => {
      await req('POST', '/templates', desk.token, { title: 'Nieuw wachtwoord', shortcut: 'ww', body: 'Beste {{klant.voornaam}}, stel een nieuw wachtwoord in via Mijn account.', scope: 'group', groupId: deskGroup })
      await req('POST', '/templates', desk.token, { title: 'Verlof', body: 'Verlof vraagt u aan in het portaal.', scope: 'group', groupId: deskGroup })
      await req('POST', '/templates', outsider.token, { title: 'Wachtwoord privé', body: 'Mijn eigen wachtwoordtekst.', scope: 'personal' })
      ticketId = (await req('POST', '/tickets', desk.token, { subject: 'wachtwoord vergeten', body: 'Ik ben mijn wachtwoord vergeten en kan niet inloggen.', requester: { email: customer.email } })).json().id
    })

    it('ranks templates and published articles by the ticket text ("wachtwoord vergeten" finds "Wachtwoord opnieuw instellen")', async () => {
      const res = await req('GET', `/tickets/${ticketId}/suggestions`, desk.token)
      expect(res.statusCode).toBe(200)
      const s = res.json()
      expect(s.articles[0]).toMatchObject({ title: 'Wachtwoord opnieuw instellen', helpedCount: 0, usedHere: false, publicUrl: expect.stringContaining('/kennisbank/') })
      // Drafts are not offered; neither are someone else's personal templates.
      expect(s.articles.map((a: { title: string }) => a.title)).not.toContain('Wachtwoordkluis (concept)')
      expect(s.templates.map((x: { title: string }) => x.title)).toEqual(['Nieuw wachtwoord'])
      expect((await req('GET', `/tickets/${ticketId}/suggestions`, customer.token)).statusCode).toBe(403)
    })

    it('records an article used on a ticket once, and shows how often it helped', async () => {
      const { id } = articles.password
      expect((await req('POST', `/knowledge/articles/${id}/uses`, desk.token, { ticketId })).json().helpedCount).toBe(1)
      expect((await req('POST', `/knowledge/articles/${id}/uses`, desk.token, { ticketId })).json().helpedCount).toBe(1)
      const s = (await req('GET', `/tickets/${ticketId}/suggestions`, desk.token)).json()
      expect(s.articles[0]).toMatchObject({ helpedCount: 1, usedHere: true })
      expect((await req('POST', `/knowledge/articles/${id}/uses`, customer.token, { ticketId })).statusCode).toBe(403)
    })

    it('makes a draft article from the solution note of a resolved or escalated ticket, linked to it', async () => {
      const open = (await req('POST', '/tickets', desk.token, { subject: 'Scherm blijft zwart na update', body: 'Mijn scherm is zwart.', requester: { email: customer.email } })).json()
      expect((await req('POST', '/knowledge/articles/from-ticket', desk.token, { ticketId: open.id })).statusCode).toBe(409)
      const escalated = await req('PATCH', `/tickets/${open.id}`, desk.token, { groupId: ictGroup }, { 'if-match': `"${open.ticket.version}"` })
      expect(escalated.statusCode).toBe(200)
      await req('POST', `/tickets/${open.id}/articles`, backOffice.token, { body: 'Oplossing: de grafische driver terugzetten.\n\nDaarna opnieuw opstarten.', visibility: 'internal' })
      expect((await req('POST', '/knowledge/articles/from-ticket', customer.token, { ticketId: open.id })).statusCode).toBe(403)
      const made = await req('POST', '/knowledge/articles/from-ticket', backOffice.token, { ticketId: open.id })
      expect(made.statusCode).toBe(201)
      expect(made.json()).toMatchObject({
        title: 'Scherm blijft zwart na update',
        body: '<p>Oplossing: de grafische driver terugzetten.</p><p>Daarna opnieuw opstarten.</p>',
        status: 'draft',
        visibility: 'internal',
        ownerGroupId: ictGroup,
        sourceTicketId: open.id,
      })
      // Once published, the next similar ticket has it at the top of its suggestions.
      await req('PATCH', `/knowledge/articles/${made.json().id}`, backOffice.token, { status: 'published' }, { 'if-match': '"1"' })
      const next = (await req('POST', '/tickets', desk.token, { subject: 'Zwart scherm', body: 'Na de update blijft mijn scherm zwart.', requester: { email: customer.email } })).json()
      expect((await req('GET', `/tickets/${next.id}/suggestions`, desk.token)).json().articles[0].title).toBe('Scherm blijft zwart na update')
      // Staff see which ticket it came from; customers never do, not even on a public article.
      const id = made.json().id
      expect((await req('GET', `/knowledge/articles/${id}`, desk.token)).json().sourceTicket).toEqual({ id: open.id, number: open.number, subject: 'Scherm blijft zwart na update' })
      expect((await req('PATCH', `/knowledge/articles/${id}`, backOffice.token, { visibility: 'public' }, { 'if-match': '"2"' })).statusCode).toBe(200)
      const theirs = await req('GET', `/knowledge/articles/${id}`, customer.token)
      expect(theirs.statusCode).toBe(200)
      expect(theirs.json()).toMatchObject({ sourceTicketId: null, sourceTicket: null })
      expect((await req('GET', '/knowledge/articles?q=scherm', customer.token)).json().items).toMatchObject([{ id, sourceTicketId: null }])
      expect((await req('GET', '/knowledge/articles?q=scherm', desk.token)).json().items).toMatchObject([{ id, sourceTicketId: open.id }])
    })
  })

  describe('public pages', () => {
    it('serves a plain, accessible HTML page per public article, without signing in, in Dutch or English', async () => {
      const res = await t.request({ method: 'GET', url: `/kennisbank/${articles.password.slug}` })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toContain('text/html')
      expect(res.headers['content-security-policy']).toContain("default-src 'none'")
      expect(res.body).toContain('<html lang="nl">')
      expect(res.body).toContain('<h1>Wachtwoord opnieuw instellen</h1>')
      expect(res.body).not.toContain('<script')
      expect((await t.request({ method: 'GET', url: `/kennisbank/${articles.password.slug}?lang=en` })).body).toContain('Updated on')
      expect((await t.request({ method: 'GET', url: `/kennisbank/${articles.password.slug}`, headers: { 'accept-language': 'en-GB,en;q=0.9' } })).body).toContain('<html lang="en">')
      const search = await t.request({ method: 'GET', url: '/kennisbank?q=verlof' })
      expect(search.statusCode).toBe(200)
      expect(search.body).toContain('Verlof aanvragen')
      expect(search.body).not.toContain('Printer')
      expect((await t.request({ method: 'GET', url: '/kennisbank/bestaat-niet' })).statusCode).toBe(404)
    })
  })
})
