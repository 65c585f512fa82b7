import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('headers and defaults', (database) => {
  let t: TestApp
  let agent: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  let ticketId: string
  beforeAll(async () => {
    t = await createTestApp(database, { customerTicketLimit: 3 })
    agent = await t.user('agent', { email: 'behandelaar@desk.nl', name: 'Bea Behandelaar' })
    customer = await t.user('customer')
    ticketId = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: customer.token, payload: { subject: 'Vraag', body: 'Hoe?', requester: { email: customer.email } } })).json().id
  })
  afterAll(() => t?.close())

  it("sends a Content-Security-Policy that forbids framing, and nosniff, on every answer", async () => {
    for (const [url, token] of [['/healthz'], ['/api/v1/me'], ['/api/v1/me', agent.token], ['/api/v1/openapi.json'], ['/api/v1/nothing-here', agent.token], ['/']] as [string, string?][]) {
      const res = await t.request({ method: 'GET', url, token })
      expect(res.headers['x-content-type-options'], url).toBe('nosniff')
      const csp = String(res.headers['content-security-policy'])
      expect(csp, url).toContain("frame-ancestors 'none'")
      expect(csp, url).toContain("default-src 'self'")
      expect(csp, url).toContain("object-src 'none'")
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe/)
    }
  })

  it('serves attachments with a type from an allow-list, never a script type, as downloads unless safe inline', async () => {
    const upload = async (contentType: string, filename: string) =>
      (await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments?filename=${filename}`, token: agent.token, headers: { 'content-type': contentType }, payload: Buffer.from(`alert(document.cookie) // ${filename}`) })).json()
    const cases: [string, string, string, string][] = [
      ['text/jscript', 'a.js', 'application/octet-stream', 'attachment'],
      ['text/javascript', 'b.js', 'application/octet-stream', 'attachment'],
      ['application/x-javascript', 'c.js', 'application/octet-stream', 'attachment'],
      ['text/vbscript', 'd.vbs', 'application/octet-stream', 'attachment'],
      ['text/html', 'e.html', 'application/octet-stream', 'attachment'],
      ['image/svg+xml', 'f.svg', 'application/octet-stream', 'attachment'],
      ['application/x-made-up', 'g.bin', 'application/octet-stream', 'attachment'],
      ['text/plain', 'h.txt', 'text/plain', 'attachment'],
      ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'i.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'attachment'],
      ['image/png', 'j.png', 'image/png', 'inline'],
      ['application/pdf', 'k.pdf', 'application/pdf', 'inline'],
    ]
    for (const [sent, filename, served, disposition] of cases) {
      const { url } = await upload(sent, filename)
      const res = await t.request({ method: 'GET', url, token: agent.token })
      expect(res.statusCode, sent).toBe(200)
      expect(res.headers['content-type'], sent).toBe(served)
      expect(String(res.headers['content-disposition']).split(';')[0], sent).toBe(disposition)
      expect(res.headers['x-content-type-options']).toBe('nosniff')
      expect(res.headers['content-security-policy']).toContain('sandbox')
    }
  })

  it("shows customers the desk's people by name only, never their address, on every route they can call", async () => {
    await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'Zo doet u dat.' } })
    const current = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}`, token: agent.token })).json()
    await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticketId}`, token: agent.token, headers: { 'if-match': `"${current.version}"` }, payload: { assigneeId: agent.id } })
    const own = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: customer.token, payload: { body: 'Dank!' } })
    const number = current.number as string
    for (const url of [`/api/v1/tickets/${ticketId}`, `/api/v1/tickets/by-number/${number}`, '/api/v1/tickets', `/api/v1/tickets/${ticketId}/articles`, '/api/v1/me']) {
      const res = await t.request({ method: 'GET', url, token: customer.token })
      expect(res.statusCode, url).toBe(200)
      expect(res.body, url).not.toContain('behandelaar@desk.nl')
    }
    expect(own.body).not.toContain('behandelaar@desk.nl')
    const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/articles`, token: customer.token })).json().items
    expect(articles.find((a: { body: string }) => a.body === 'Zo doet u dat.').author).toEqual({ id: agent.id, name: 'Bea Behandelaar' })
    // Their own address they still see; staff see everyone's.
    expect(articles.find((a: { body: string }) => a.body === 'Dank!').author.email).toBe(customer.email)
    const staffView = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token })).json().items
    expect(staffView.find((a: { body: string }) => a.body === 'Zo doet u dat.').author.email).toBe('behandelaar@desk.nl')
  })

  it('refuses a customer choosing priority or channel, and limits how many tickets a customer opens', async () => {
    const other = await t.user('customer')
    const open = (payload: object, token = other.token) =>
      t.request({ method: 'POST', url: '/api/v1/tickets', token, payload: { subject: 'Nog een', body: 'Vraag', requester: { email: other.email }, ...payload } })
    for (const payload of [{ priority: 'urgent' }, { channel: 'phone' }, { channel: 'portal' }]) {
      const refused = await open(payload)
      expect(refused.statusCode, JSON.stringify(payload)).toBe(403)
      expect(refused.headers['content-type']).toContain('application/problem+json')
    }
    // Every attempt counts, refused ones too: a fresh customer for the count.
    const third = await t.user('customer')
    const openAsThird = () => t.request({ method: 'POST', url: '/api/v1/tickets', token: third.token, payload: { subject: 'Nog een', body: 'Vraag', requester: { email: third.email } } })
    const answers = []
    for (let i = 0; i < 4; i++) answers.push((await openAsThird()).statusCode)
    expect(answers).toEqual([201, 201, 201, 429])
    const limited = await openAsThird()
    expect(limited.headers['content-type']).toContain('application/problem+json')
    expect(limited.json()).toMatchObject({ status: 429, code: 'rate_limited' })
    // Another customer has their own count; staff are not limited this way.
    expect((await t.request({ method: 'POST', url: '/api/v1/tickets', token: customer.token, payload: { subject: 'x', body: 'y', requester: { email: customer.email } } })).statusCode).toBe(201)
    for (let i = 0; i < 5; i++) expect((await open({ priority: 'high', channel: 'phone', requester: { email: other.email } }, agent.token)).statusCode).toBe(201)
  })

  it('keeps its data files to itself: folders 0700, files 0600', async () => {
    const { dataDir } = t.runtime.config
    const mode = (path: string) => statSync(path).mode & 0o777
    const blob = (await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/attachments?filename=x.txt`, token: agent.token, headers: { 'content-type': 'text/plain' }, payload: Buffer.from('geheim bestand') })).json()
    expect(blob.id).toBeDefined()
    const hash = (await t.runtime.deps.db.selectFrom('attachment').select('sha256').where('id', '=', blob.id).executeTakeFirstOrThrow()).sha256
    expect(mode(join(dataDir, 'blobs'))).toBe(0o700)
    expect(mode(join(dataDir, 'blobs', hash.slice(0, 2), hash.slice(2, 4)))).toBe(0o700)
    expect(mode(join(dataDir, 'blobs', hash.slice(0, 2), hash.slice(2, 4), hash))).toBe(0o600)
    if (t.runtime.config.db.kind === 'sqlite') {
      const file = t.runtime.config.db.file
      expect(mode(file)).toBe(0o600)
      expect(mode(join(file, '..'))).toBe(0o700)
    }
  })
})
