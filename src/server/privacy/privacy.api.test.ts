import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { unzipSync, strFromU8 } from 'fflate'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { sha256 } from '../accounts/secrets.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('privacy: export, erasure and retention', (database) => {
  let t: TestApp
  let admin: User
  let agent: User
  let jan: User
  let piet: User
  let departmentId: string
  let janTicket: string
  let pietTicket: string
  const photo = Buffer.from('JPEG van de lekkage, gedeeld door Jan en Piet')
  const janOnly = Buffer.from('Alleen van Jan: kopie paspoort')
  const blobPath = (content: Buffer) => {
    const hash = sha256(content)
    return join(t.runtime.config.dataDir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash)
  }
  const search = async (q: string) =>
    (await t.request({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent(q)}`, token: admin.token })).json().items.map((x: { id: string }) => x.id)

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    departmentId = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Facilitair' } })).json().id
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Servicedesk', departmentId, line: 1 } })).json()
    agent = await t.user('agent', { groupIds: [group.id] })
    jan = await t.user('customer', { name: 'Jan Jansen', email: `jan.jansen.${process.pid}@example.nl` })
    piet = await t.user('customer', { name: 'Piet Pieters', email: `piet.${process.pid}@example.nl` })
    await t.request({ method: 'PATCH', url: `/api/v1/users/${jan.id}`, token: admin.token, payload: { phone: '+31612345678' } })
    const tickets = t.runtime.services.tickets
    janTicket = (
      await tickets.ingest({
        channel: 'email',
        sourceId: '<lekkage-1@example.nl>',
        from: { kind: 'email', address: jan.email, name: 'Jan Jansen' },
        subject: 'Lekkage Kerkstraat xylofoonklantje',
        body: 'Mijn adres is Kerkstraat 12 in Zwolle, bel 0612345678. Zie de foto.',
        contentType: 'text/plain',
        attachments: [
          { filename: 'lekkage.jpg', contentType: 'image/jpeg', content: photo },
          { filename: 'paspoort.pdf', contentType: 'application/pdf', content: janOnly },
          { filename: 'message.eml', contentType: 'message/rfc822', content: Buffer.from('From: Jan Jansen\r\nSubject: Lekkage\r\n\r\nMijn adres is Kerkstraat 12') },
        ],
        metadata: { email: { from: { email: jan.email, name: 'Jan Jansen' } } },
      })
    ).ticket.id
    await t.request({ method: 'POST', url: `/api/v1/tickets/${janTicket}/articles`, token: agent.token, payload: { body: 'Beste meneer Jansen, we komen langs.' } })
    await t.request({ method: 'POST', url: `/api/v1/tickets/${janTicket}/articles`, token: agent.token, payload: { body: 'Klant woont boven de bakker.', visibility: 'internal' } })
    pietTicket = (
      await tickets.ingest({
        channel: 'email',
        sourceId: '<piet-1@example.nl>',
        from: { kind: 'email', address: piet.email, name: 'Piet Pieters' },
        subject: 'Ook lekkage trompetbuurman',
        body: 'Bij mij lekt het ook.',
        contentType: 'text/plain',
        attachments: [{ filename: 'foto.jpg', contentType: 'image/jpeg', content: photo }],
      })
    ).ticket.id
    // Jan, in copy, answers on Piet's ticket.
    await tickets.ingest({
      channel: 'email',
      sourceId: '<jan-bij-piet@example.nl>',
      ticketId: pietTicket,
      from: { kind: 'email', address: jan.email, name: 'Jan Jansen' },
      subject: 'Re: Ook lekkage',
      body: 'Jan schrijft mee: geheimwoordjan, mijn buurman heeft hetzelfde.',
      contentType: 'text/plain',
      attachments: [{ filename: 'paspoort-kopie.pdf', contentType: 'application/pdf', content: janOnly }],
    })
  })
  afterAll(() => t?.close())

  /** A refused mail from Jan, kept raw in a mailbox's list of messages that became no article. */
  const refusedMail = Buffer.from('From: jan\r\nSubject: Geweigerd\r\n\r\nJan zijn geweigerde mail')
  async function listRefusedMail() {
    const mailbox = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: { name: 'Servicedesk', address: `desk${process.pid}@loket.test`, active: false, imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'desk', password: 'x' }, smtp: { host: '127.0.0.1', port: 1, tls: 'none' } },
    })
    expect(mailbox.statusCode).toBe(201)
    const hash = await t.runtime.deps.blobs.put(refusedMail)
    await t.runtime.deps.db.insertInto('mailbox_message').values({
      id: `m-${process.pid}`, mailbox_id: mailbox.json().id, outcome: 'refused', kind: null, reason: 'test', message_id: null, content_key: 'k',
      from_address: jan.email, subject: 'Geweigerd', article_id: null, ticket_id: null, raw_sha256: hash, size: refusedMail.length, received_at: new Date().toISOString(),
    }).execute()
  }

  it('exports everything about a person as a ZIP of JSON and original files, and audits it', async () => {
    expect((await t.request({ method: 'GET', url: `/api/v1/users/${jan.id}/export`, token: agent.token })).statusCode).toBe(403)
    const res = await t.request({ method: 'GET', url: `/api/v1/users/${jan.id}/export`, token: admin.token })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/zip')
    expect(res.headers['content-disposition']).toContain('.zip')
    const files = unzipSync(new Uint8Array(res.rawPayload))
    const json = (name: string) => JSON.parse(strFromU8(files[name]))
    const person = json('person.json')
    expect(person.person).toMatchObject({ id: jan.id, name: 'Jan Jansen', role: 'customer' })
    expect(person.identities).toEqual(expect.arrayContaining([{ kind: 'email', value: jan.email }, { kind: 'phone', value: '+31612345678' }]))
    const tickets = json('tickets.json')
    expect(tickets.map((x: { id: string }) => x.id)).toEqual([janTicket])
    expect(tickets[0].subject).toBe('Lekkage Kerkstraat xylofoonklantje')
    expect(tickets[0].articles.map((a: { visibility: string }) => a.visibility)).toEqual(['public', 'public', 'internal'])
    const elsewhere = json('articles-on-other-tickets.json')
    expect(elsewhere).toHaveLength(1)
    expect(elsewhere[0].body).toContain('geheimwoordjan')
    // The original files, byte for byte, where the JSON says they are.
    const attachments = [...tickets[0].articles[0].attachments, ...elsewhere[0].attachments]
    expect(attachments.map((a: { filename: string }) => a.filename).sort()).toEqual(['lekkage.jpg', 'message.eml', 'paspoort-kopie.pdf', 'paspoort.pdf'])
    const photoFile = attachments.find((a: { filename: string }) => a.filename === 'lekkage.jpg')
    expect(Buffer.from(files[photoFile.file]).equals(photo)).toBe(true)
    const audit = (await t.request({ method: 'GET', url: `/api/v1/audit?action=person.exported&subjectUserId=${jan.id}`, token: admin.token })).json()
    expect(audit.items).toHaveLength(1)
    expect(audit.items[0]).toMatchObject({ actorId: admin.id, details: { tickets: 1, attachments: 4 } })
    // The audit entries about them are in the next export.
    const again = unzipSync(new Uint8Array((await t.request({ method: 'GET', url: `/api/v1/users/${jan.id}/export`, token: admin.token })).rawPayload))
    expect(JSON.parse(strFromU8(again['audit.json'])).map((e: { action: string }) => e.action)).toContain('person.exported')
  })

  it('erases a customer in place after two confirmations, keeping the statistics', async () => {
    const url = `/api/v1/users/${jan.id}/erasure`
    await listRefusedMail()
    // What the audit log holds of Jan: his account made and changed (name, address, phone) and a failed sign-in with his address.
    await t.request({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '198.51.100.23', payload: { email: jan.email, password: 'niet-zijn-wachtwoord' } })
    const auditText = async () => JSON.stringify((await t.request({ method: 'GET', url: '/api/v1/audit?limit=500', token: admin.token })).json().items)
    expect(await auditText()).toContain(jan.email)
    expect(await auditText()).toContain('+31612345678')
    expect(existsSync(blobPath(refusedMail))).toBe(true)
    expect((await t.request({ method: 'POST', url, token: agent.token, payload: {} })).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${agent.id}/erasure`, token: admin.token, payload: {} })).statusCode).toBe(409)
    const first = await t.request({ method: 'POST', url, token: admin.token, payload: {} })
    expect(first.statusCode).toBe(200)
    const step1 = first.json()
    expect(step1).toMatchObject({ step: 'confirm', person: { name: 'Jan Jansen' }, summary: { tickets: 1, articles: 4, attachments: 4, articlesElsewhere: 1 } })
    // Nothing happened yet; a wrong name, a forged or someone else's confirmation erase nothing.
    expect((await search('xylofoonklantje'))).toEqual([janTicket])
    const wrongName = await t.request({ method: 'POST', url, token: admin.token, payload: { confirmation: step1.confirmation, name: 'Piet' } })
    expect(wrongName.statusCode).toBe(400)
    expect(wrongName.json().errors[0].field).toBe('name')
    const forged = await t.request({ method: 'POST', url, token: admin.token, payload: { confirmation: `${step1.confirmation.split('.')[0]}.AAAA`, name: 'Jan Jansen' } })
    expect(forged.statusCode).toBe(400)
    const otherAdmin = await t.user('admin')
    expect((await t.request({ method: 'POST', url, token: otherAdmin.token, payload: { confirmation: step1.confirmation, name: 'Jan Jansen' } })).statusCode).toBe(400)

    const res = await t.request({ method: 'POST', url, token: admin.token, payload: { confirmation: step1.confirmation, name: ' jan jansen ' } })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ step: 'erased', number: 1, person: { id: jan.id, name: 'Geanonimiseerde klant #1' } })
    expect((await t.request({ method: 'POST', url, token: admin.token, payload: {} })).statusCode).toBe(409)

    // The person: renamed, no address or phone, no way in.
    const user = (await t.request({ method: 'GET', url: `/api/v1/users/${jan.id}`, token: admin.token })).json()
    expect(user).toMatchObject({ name: 'Geanonimiseerde klant #1', phone: null, active: false })
    expect(user.email).not.toContain('jan')
    expect((await t.request({ method: 'GET', url: '/api/v1/me', token: jan.token })).statusCode).toBe(401)
    // Their ticket stays, with its number, status and timings, but says nothing any more.
    const ticket = (await t.request({ method: 'GET', url: `/api/v1/tickets/${janTicket}`, token: admin.token })).json()
    expect(ticket).toMatchObject({ subject: 'Geanonimiseerd', status: 'open', requester: { id: jan.id, name: 'Geanonimiseerde klant #1' } })
    expect(ticket.firstResponseAt).not.toBeNull()
    const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${janTicket}/articles`, token: admin.token })).json().items
    expect(articles).toHaveLength(3)
    for (const a of articles) expect(a).toMatchObject({ body: '[geanonimiseerd]', attachments: [] })
    expect(JSON.stringify(articles)).not.toMatch(/Kerkstraat|Jansen|0612345678|jan\.jansen/)
    // Piet's ticket keeps Piet's words and file; Jan's words on it are gone.
    const pietArticles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${pietTicket}/articles`, token: admin.token })).json().items
    expect(pietArticles.map((a: { body: string }) => a.body)).toEqual(['Bij mij lekt het ook.', '[geanonimiseerd]'])
    expect(pietArticles[0].attachments.map((a: { filename: string }) => a.filename)).toEqual(['foto.jpg'])
    expect((await t.request({ method: 'GET', url: pietArticles[0].attachments[0].url, token: admin.token })).rawPayload.equals(photo)).toBe(true)
    // Neither search index holds the erased text; Piet's ticket is still found by its own words.
    expect(await search('xylofoonklantje')).toEqual([])
    expect(await search('Kerkstraat')).toEqual([])
    expect(await search('geheimwoordjan')).toEqual([])
    expect(await search('trompetbuurman')).toEqual([pietTicket])
    const sqlite = t.runtime.database.kind === 'sqlite'
    const leftover = sqlite
      ? await t.runtime.deps.db.selectFrom('search_entry').select('content').where('content', 'like', '%kerkstraat%').execute()
      : await t.runtime.deps.db.selectFrom('search_entry').select('ticket_id').where('ticket_id', '=', janTicket).execute()
    expect(leftover).toEqual([])
    // The blob store: Jan's own files and his raw mail are gone, the photo Piet sent too stays for Piet.
    expect(existsSync(blobPath(janOnly))).toBe(false)
    expect(existsSync(blobPath(Buffer.from('From: Jan Jansen\r\nSubject: Lekkage\r\n\r\nMijn adres is Kerkstraat 12')))).toBe(false)
    expect(existsSync(blobPath(photo))).toBe(true)
    expect(existsSync(blobPath(refusedMail))).toBe(false)
    expect(await t.runtime.deps.db.selectFrom('mailbox_message').selectAll().execute()).toEqual([])
    // Statistics: Jan still asked one ticket.
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets?requesterId=${jan.id}`, token: admin.token })).json().items).toHaveLength(1)
    const audit = (await t.request({ method: 'GET', url: `/api/v1/audit?action=person.erased`, token: admin.token })).json().items
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: admin.id, subjectUserId: jan.id, subjectName: 'Geanonimiseerde klant #1', details: { number: 1, tickets: 1 } })
    expect(JSON.stringify(audit[0])).not.toContain('Jansen')
    // Earlier entries keep what happened, when and by whom, but no longer his name, address, phone or the addresses he came from.
    const after = await auditText()
    for (const gone of [jan.email, 'Jansen', '+31612345678', '198.51.100.23']) expect(after).not.toContain(gone)
    const janEntries = (await t.request({ method: 'GET', url: `/api/v1/audit?subjectUserId=${jan.id}&limit=500`, token: admin.token })).json().items
    expect(janEntries.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['user.created', 'user.changed', 'auth.sign-in-failed', 'person.erased']))
    expect(janEntries.find((e: { action: string }) => e.action === 'user.changed').details.changes.phone.to).toBe('[geanonimiseerd]')
    // The next person erased is #2.
    const step = (await t.request({ method: 'POST', url: `/api/v1/users/${piet.id}/erasure`, token: admin.token, payload: {} })).json()
    const second = await t.request({ method: 'POST', url: `/api/v1/users/${piet.id}/erasure`, token: admin.token, payload: { confirmation: step.confirmation, name: 'Piet Pieters' } })
    expect(second.json()).toMatchObject({ number: 2, person: { name: 'Geanonimiseerde klant #2' } })
    expect(existsSync(blobPath(photo))).toBe(false)
  })

  it('anonymises a department\'s tickets N months after closure, with a dry run first', async () => {
    const customer = await t.user('customer', { name: 'Klaas Oud' })
    const make = async (subject: string) => (await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject, body: `${subject}: details`, requester: { email: customer.email } } })).json().id
    const old = await make('Oude melding vergeetmijnietje')
    const recent = await make('Recente melding')
    const open = await make('Open melding')
    const db = t.runtime.deps.db
    const monthsAgo = (n: number) => new Date(Date.now() - n * 31 * 24 * 3600_000).toISOString()
    await db.updateTable('ticket').set({ status: 'closed', closed_at: monthsAgo(13), department_id: departmentId }).where('id', '=', old).execute()
    await db.updateTable('ticket').set({ status: 'closed', closed_at: monthsAgo(2), department_id: departmentId }).where('id', '=', recent).execute()
    await db.updateTable('ticket').set({ department_id: departmentId }).where('id', '=', open).execute()

    const url = `/api/v1/departments/${departmentId}/retention`
    expect((await t.request({ method: 'GET', url, token: admin.token })).json()).toEqual({ departmentId, months: null })
    expect((await t.request({ method: 'GET', url: `${url}/dry-run`, token: admin.token })).statusCode).toBe(400)
    expect((await t.request({ method: 'PUT', url, token: agent.token, payload: { months: 12 } })).statusCode).toBe(403)
    expect((await t.request({ method: 'PUT', url, token: admin.token, payload: { months: 0 } })).statusCode).toBe(400)
    expect((await t.request({ method: 'PUT', url, token: admin.token, payload: { months: 12 } })).json()).toEqual({ departmentId, months: 12 })
    const dry = (await t.request({ method: 'GET', url: `${url}/dry-run`, token: admin.token })).json()
    expect(dry).toMatchObject({ months: 12, tickets: 1, sample: [{ id: old }] })
    expect((await t.request({ method: 'GET', url: `${url}/dry-run?months=1`, token: admin.token })).json().tickets).toBe(2)
    // The dry run changed nothing.
    expect(await search('vergeetmijnietje')).toEqual([old])

    expect(await t.runtime.services.privacy.applyRetention()).toBe(1)
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${old}`, token: admin.token })).json()).toMatchObject({ subject: 'Geanonimiseerd', status: 'closed' })
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${recent}`, token: admin.token })).json().subject).toBe('Recente melding')
    expect(await search('vergeetmijnietje')).toEqual([])
    expect((await t.request({ method: 'GET', url: `${url}/dry-run`, token: admin.token })).json().tickets).toBe(0)
    expect(await t.runtime.services.privacy.applyRetention()).toBe(0)
    const audit = (await t.request({ method: 'GET', url: '/api/v1/audit?action=retention.applied', token: admin.token })).json().items
    expect(audit[0].details).toMatchObject({ departmentId, months: 12, tickets: 1 })
  })

  it('removes free text in ticket fields on erasure and by retention, keeping choices for statistics', async () => {
    const field = async (key: string, type: string, extra: object = {}) => {
      const res = await t.request({ method: 'POST', url: '/api/v1/ticket-fields', token: admin.token, payload: { key, type, labelNl: key, labelEn: key, ...extra } })
      expect(res.statusCode, res.body).toBe(201)
    }
    await field('kenteken', 'text')
    await field('soort', 'choice', { options: [{ value: 'fiets', labelNl: 'Fiets', labelEn: 'Bike' }, { value: 'auto', labelNl: 'Auto', labelEn: 'Car' }] })
    const open = async (who: User, kenteken: string) => {
      const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject: 'Parkeren', body: 'Vergunning', requester: { email: who.email }, customFields: { kenteken, soort: 'auto' } } })
      expect(res.statusCode, res.body).toBe(201)
      const id = res.json().id as string
      const current = (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token: agent.token })).json()
      const patched = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${id}`, token: agent.token, headers: { 'if-match': `"${current.version}"` }, payload: { customFields: { kenteken: `${kenteken}-B` } } })
      expect(patched.statusCode, patched.body).toBe(200)
      return id
    }
    const leftOver = async (text: string) => {
      const db = t.runtime.deps.db
      const values = await db.selectFrom('ticket_field_value').select('value_text').execute()
      const history = await db.selectFrom('ticket_history').select(['old_value', 'new_value']).execute()
      return JSON.stringify([values, history]).includes(text)
    }

    const wim = await t.user('customer', { name: 'Wim Wagen' })
    const wimTicket = await open(wim, 'XX-123-Y')
    expect(await leftOver('XX-123-Y')).toBe(true)
    // The export holds the ticket's field values as the API shows them.
    const exported = unzipSync(new Uint8Array((await t.request({ method: 'GET', url: `/api/v1/users/${wim.id}/export`, token: admin.token })).rawPayload))
    expect(JSON.parse(strFromU8(exported['tickets.json']))[0].customFields).toEqual({ kenteken: 'XX-123-Y-B', soort: 'auto' })
    const step = (await t.request({ method: 'POST', url: `/api/v1/users/${wim.id}/erasure`, token: admin.token, payload: {} })).json()
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${wim.id}/erasure`, token: admin.token, payload: { confirmation: step.confirmation, name: 'Wim Wagen' } })).statusCode).toBe(200)
    expect(await leftOver('XX-123-Y')).toBe(false)
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${wimTicket}`, token: admin.token })).json().customFields).toMatchObject({ kenteken: '[geanonimiseerd]', soort: 'auto' })

    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Parkeren' } })).json().id
    const ria = await t.user('customer', { name: 'Ria Rijder' })
    const riaTicket = await open(ria, 'ZZ-987-Q')
    await t.runtime.deps.db.updateTable('ticket').set({ status: 'closed', closed_at: new Date(Date.now() - 400 * 24 * 3600_000).toISOString(), department_id: dep }).where('id', '=', riaTicket).execute()
    expect((await t.request({ method: 'PUT', url: `/api/v1/departments/${dep}/retention`, token: admin.token, payload: { months: 12 } })).statusCode).toBe(200)
    expect(await t.runtime.services.privacy.applyRetention()).toBe(1)
    expect(await leftOver('ZZ-987-Q')).toBe(false)
  })

  it("removes the answers of a person's catalogue requests on erasure and by retention, keeping what was asked for", async () => {
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Werkplek' } })).json().id
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Werkplekbeheer', departmentId: dep, line: 2 } })).json().id
    const category = (await t.request({ method: 'POST', url: '/api/v1/catalog/categories', token: admin.token, payload: { name: 'Verhuizing' } })).json().id
    const fields = [{ key: 'adres', label: 'Nieuw adres', type: 'text', required: true }]
    const item = (await t.request({ method: 'POST', url: '/api/v1/catalog/items', token: admin.token, payload: { categoryId: category, title: 'Adreswijziging', groupId: group, fields } })).json().id
    const ask = async (who: User, adres: string) => {
      const res = await t.request({ method: 'POST', url: `/api/v1/catalog/items/${item}/requests`, token: who.token, payload: { values: { adres } } })
      expect(res.statusCode, res.body).toBe(201)
      return res.json().id as string
    }
    const answers = async (ticketId: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/catalog-request`, token: admin.token })).json()

    // Erasure.
    const kees = await t.user('customer', { name: 'Kees Klant' })
    const keesTicket = await ask(kees, 'Zonnebloemlaan 7, Deventer')
    const exported = unzipSync(new Uint8Array((await t.request({ method: 'GET', url: `/api/v1/users/${kees.id}/export`, token: admin.token })).rawPayload))
    expect(JSON.parse(strFromU8(exported['tickets.json']))[0].catalogueRequest).toMatchObject({ item: 'Adreswijziging', answers: [{ label: 'Nieuw adres', value: 'Zonnebloemlaan 7, Deventer' }] })
    const step = (await t.request({ method: 'POST', url: `/api/v1/users/${kees.id}/erasure`, token: admin.token, payload: {} })).json()
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${kees.id}/erasure`, token: admin.token, payload: { confirmation: step.confirmation, name: 'Kees Klant' } })).statusCode).toBe(200)
    const erased = await answers(keesTicket)
    expect(erased).toMatchObject({ itemTitle: 'Adreswijziging', answers: [{ key: 'adres', label: 'Nieuw adres', value: '[geanonimiseerd]' }] })
    expect(JSON.stringify(await t.runtime.deps.db.selectFrom('catalog_request').selectAll().execute())).not.toContain('Zonnebloemlaan')

    // Retention.
    const lies = await t.user('customer', { name: 'Lies Later' })
    const liesTicket = await ask(lies, 'Tulpstraat 3, Apeldoorn')
    await t.runtime.deps.db.updateTable('ticket').set({ status: 'closed', closed_at: new Date(Date.now() - 400 * 24 * 3600_000).toISOString() }).where('id', '=', liesTicket).execute()
    expect((await t.request({ method: 'PUT', url: `/api/v1/departments/${dep}/retention`, token: admin.token, payload: { months: 12 } })).statusCode).toBe(200)
    expect(await t.runtime.services.privacy.applyRetention()).toBe(1)
    expect((await answers(liesTicket)).answers).toEqual([{ key: 'adres', label: 'Nieuw adres', type: 'text', value: '[geanonimiseerd]' }])
  })
})
