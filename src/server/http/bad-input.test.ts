import { connect } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

const NASTY_STRINGS = [
  '', ' ', '😀🎉 emoji 👩‍💻', 'مرحبا بالعالم', 'שלום\u200f', 'nul\u0000byte', "'; DROP TABLE ticket; --", "\" OR 1=1 --", '%_%', '\\', '\ud800',
  'a'.repeat(70_000), '<script>alert(1)</script>', 'Ünïcödé ÇÀFÉ', '\r\n\t', '{"json":"in string"}', 'x@y', 'admin', '-1', 'null',
]
const nastyString = fc.oneof(fc.constantFrom(...NASTY_STRINGS), fc.string(), fc.string({ unit: 'grapheme', maxLength: 40 }))
const anyValue = fc.oneof(nastyString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(nastyString, { maxLength: 3 }), fc.object({ maxDepth: 1 }))

/** Bodies that look like the real thing, with any field swapped for something odd, plus wholly random JSON. */
const bodyFor = (fields: string[]) =>
  fc.oneof(
    fc.dictionary(fc.constantFrom(...fields, 'unknownField', '__proto__', 'constructor'), anyValue, { maxKeys: fields.length + 1 }),
    fc.anything({ maxDepth: 2 }),
  )

describeEachDatabase('bad input never causes a 500', (database) => {
  let t: TestApp
  let adminToken: string
  let customerToken: string
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    t = await createTestApp(database, { loginRateLimit: 100_000 })
    const admin = await t.user('admin')
    adminToken = admin.token
    customerToken = (await t.user('customer')).token
    // Random PATCHes may disable or demote the user they target: never the admin whose token the test uses.
    ids.user = (await t.user('agent')).id
    ids.department = (await t.request({ method: 'POST', url: '/api/v1/departments', token: adminToken, payload: { name: 'ICT' } })).json().id
    ids.group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: adminToken, payload: { name: 'Servicedesk', departmentId: ids.department, line: 1 } })).json().id
    ids.organisation = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: adminToken, payload: { name: 'Org' } })).json().id
    ids.ticket = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: adminToken, payload: { subject: 's', body: 'b', requester: { email: 'k@example.nl' } } })).json().id
  })
  afterAll(() => t?.close())

  const routes: { method: 'POST' | 'PATCH'; url: () => string; fields: string[] }[] = [
    { method: 'POST', url: () => '/api/v1/tickets', fields: ['subject', 'body', 'requester', 'priority', 'type', 'channel', 'groupId', 'tags'] },
    { method: 'PATCH', url: () => `/api/v1/tickets/${ids.ticket}`, fields: ['subject', 'status', 'priority', 'type', 'departmentId', 'groupId', 'assigneeId', 'organisationId', 'tags'] },
    { method: 'POST', url: () => `/api/v1/tickets/${ids.ticket}/articles`, fields: ['body', 'visibility', 'contentType', 'attachmentIds', 'status'] },
    { method: 'POST', url: () => '/api/v1/users', fields: ['email', 'name', 'role', 'password', 'organisationId', 'language', 'phone', 'groupIds'] },
    { method: 'PATCH', url: () => `/api/v1/users/${ids.user}`, fields: ['email', 'name', 'role', 'active', 'language', 'groupIds'] },
    { method: 'POST', url: () => '/api/v1/organisations', fields: ['name', 'domains'] },
    { method: 'PATCH', url: () => `/api/v1/organisations/${ids.organisation}`, fields: ['name', 'domains'] },
    { method: 'POST', url: () => '/api/v1/departments', fields: ['name', 'customerReplyAllowed'] },
    { method: 'PATCH', url: () => `/api/v1/departments/${ids.department}`, fields: ['name', 'customerReplyAllowed'] },
    { method: 'POST', url: () => '/api/v1/groups', fields: ['name', 'departmentId', 'line', 'memberIds'] },
    { method: 'PATCH', url: () => `/api/v1/groups/${ids.group}`, fields: ['name', 'departmentId', 'line', 'memberIds'] },
    { method: 'POST', url: () => '/api/v1/auth/login', fields: ['email', 'password'] },
    { method: 'PATCH', url: () => '/api/v1/me', fields: ['name', 'language', 'password', 'phone'] },
    { method: 'POST', url: () => '/api/v1/me/tokens', fields: ['name'] },
  ]

  for (const route of routes) {
    it(`${route.method} ${route.url().replace(/undefined/, '{id}')}: random bodies get 2xx or a 4xx problem`, async () => {
      await fc.assert(
        fc.asyncProperty(bodyFor(route.fields), fc.boolean(), fc.constantFrom('"1"', '"2"', '"x"', undefined), async (body, asCustomer, ifMatch) => {
          const res = await t.request({
            method: route.method,
            url: route.url(),
            token: asCustomer ? customerToken : adminToken,
            headers: { 'content-type': 'application/json', ...(ifMatch && { 'if-match': ifMatch }) },
            payload: JSON.stringify(body),
          })
          expect(res.statusCode, `${res.statusCode} for ${JSON.stringify(body)?.slice(0, 300)}: ${res.body.slice(0, 300)}`).toBeLessThan(500)
          if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json')
        }),
        { numRuns: 120 },
      )
    })
  }

  it('answers malformed JSON, wrong content types, oversize bodies and unknown ids with 4xx problems', async () => {
    const cases = [
      { payload: '{"subject": ', status: 400 },
      { payload: 'not json at all', status: 400 },
      { payload: '[]', status: 400 },
      { payload: '"string"', status: 400 },
      { payload: JSON.stringify({ subject: 's', body: 'b', requester: { email: 'k@example.nl' }, extra: 1 }), status: 400 },
      { payload: JSON.stringify({ subject: 1, body: 'b', requester: { email: 'k@example.nl' } }), status: 400 },
      { payload: JSON.stringify({ body: 'b', requester: { email: 'k@example.nl' } }), status: 400 },
      { payload: JSON.stringify({ subject: 'x'.repeat(3 * 1024 * 1024), body: 'b', requester: { email: 'k@example.nl' } }), status: 413 },
      // Nested deeper than any walk over the body can recurse: refused, not a stack overflow.
      { payload: '['.repeat(20_000) + ']'.repeat(20_000), status: 400 },
      { payload: `{"subject":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)},"body":"b","requester":{"email":"k@example.nl"}}`, status: 400 },
    ]
    for (const c of cases) {
      const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: adminToken, headers: { 'content-type': 'application/json' }, payload: c.payload })
      expect(res.statusCode, c.payload.slice(0, 80)).toBe(c.status)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json()).toMatchObject({ status: c.status, type: expect.any(String), title: expect.any(String) })
    }
    const xml = await t.request({ method: 'POST', url: '/api/v1/tickets', token: adminToken, headers: { 'content-type': 'application/xml' }, payload: '<a/>' })
    expect(xml.statusCode).toBe(415)
    for (const url of ['/api/v1/tickets/does-not-exist', '/api/v1/tickets/01a20717-0000-7000-8000-000000000000/articles', '/api/v1/users/nope', '/api/v1/nothing-here']) {
      const res = await t.request({ method: 'GET', url, token: adminToken })
      expect(res.statusCode, url).toBe(404)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/tickets?limit=abc', token: adminToken })).statusCode).toBe(400)
    expect((await t.request({ method: 'GET', url: '/api/v1/tickets?status=bogus', token: adminToken })).statusCode).toBe(400)
  })

  it('says once which values a field allows, not once per allowed value', async () => {
    const role = await t.request({ method: 'POST', url: '/api/v1/users', token: adminToken, payload: { email: 'r@example.nl', name: 'R', role: 'king' } })
    expect(role.statusCode).toBe(400)
    expect(role.json().errors).toEqual([{ field: 'role', message: 'must be one of "admin", "supervisor", "agent", "customer"' }])
    const line = await t.request({ method: 'POST', url: '/api/v1/groups', token: adminToken, payload: { name: 'G', departmentId: ids.department, line: '2' } })
    expect(line.json().errors).toEqual([{ field: 'line', message: 'must be one of 1, 2, 3' }])
    expect(line.json().detail).toBe('The request is not valid: line must be one of 1, 2, 3.')
  })

  it('refuses names that are only spaces (they were trimmed to an empty name and stored)', async () => {
    for (const [url, payload] of [
      ['/api/v1/departments', { name: '   ' }],
      ['/api/v1/groups', { name: ' \t ', departmentId: ids.department, line: 2 }],
      ['/api/v1/organisations', { name: '  ' }],
      ['/api/v1/users', { email: 'blank@example.nl', name: ' ', role: 'customer' }],
    ] as const) {
      const res = await t.request({ method: 'POST', url, token: adminToken, payload })
      expect(res.statusCode, url).toBe(400)
      expect(res.json().errors, url).toEqual([{ field: 'name', message: 'must not be empty or only spaces' }])
    }
    const rename = await t.request({ method: 'PATCH', url: `/api/v1/departments/${ids.department}`, token: adminToken, payload: { name: ' ' } })
    expect(rename.statusCode).toBe(400)
    // Spaces around a real name are fine (and trimmed).
    const spaced = await t.request({ method: 'POST', url: '/api/v1/departments', token: adminToken, payload: { name: '  Juridische Zaken ' } })
    expect(spaced.statusCode).toBe(201)
    expect(spaced.json().name).toBe('Juridische Zaken')
  })

  it('answers addresses and requests the router or the HTTP parser refuses with problem+json', async () => {
    for (const [url, status] of [['/api/v1/tickets/%E0%A4%A', 400], [`/api/v1/users/${'a'.repeat(200)}`, 414]] as const) {
      const res = await t.request({ method: 'PATCH', url, token: adminToken, payload: { name: 'x' } })
      expect(res.statusCode, url).toBe(status)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json()).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) })
    }
    // Headers larger than Node accepts never reach Fastify's routes: the raw socket gets the problem.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = new URL(address)
    const raw = await new Promise<string>((resolve, reject) => {
      let text = ''
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(`GET /api/v1/tickets?q=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`))
      socket.on('data', (chunk) => (text += chunk.toString()))
      socket.on('close', () => resolve(text))
      socket.on('error', (err) => (text ? resolve(text) : reject(err)))
    })
    expect(raw).toMatch(/^HTTP\/1\.1 431 /)
    expect(raw).toMatch(/content-type: application\/problem\+json/i)
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, title: expect.any(String), detail: expect.any(String), type: expect.any(String) })
  })

  it('stores emoji, right-to-left text, SQL-looking strings and a 1 MB subject exactly as sent, and refuses NUL bytes', async () => {
    for (const subject of ['😀🎉 Printer 👩‍💻 kapot', 'مرحبا بالعالم — שלום', "Robert'); DROP TABLE ticket;--", 's'.repeat(1_000_000)]) {
      const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: adminToken, payload: { subject, body: subject, requester: { email: 'exact@example.nl' } } })
      expect(res.statusCode).toBe(201)
      const back = (await t.request({ method: 'GET', url: `/api/v1/tickets/${res.json().id}`, token: adminToken })).json()
      expect(back.subject).toBe(subject)
      const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${res.json().id}/articles`, token: adminToken })).json()
      expect(articles.items[0].body).toBe(subject)
    }
    const nul = await t.request({ method: 'POST', url: '/api/v1/tickets', token: adminToken, payload: { subject: 'a\u0000b', body: 'b', requester: { email: 'exact@example.nl' } } })
    expect(nul.statusCode).toBe(400)
    expect(nul.json().errors[0].field).toBe('body.subject')
    const search = await t.request({ method: 'GET', url: `/api/v1/tickets?q=${encodeURIComponent("'; DROP TABLE ticket; -- \" OR 1=1 * NEAR( ^")}`, token: adminToken })
    expect(search.statusCode).toBe(200)
  })
})
