import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createRuntime } from '../runtime.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp, testConfig } from '../test/test-app.js'
import { waitUntil } from '../test/wait-until.js'

describeEachDatabase('routing rules', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  let hr: { departmentId: string; groupId: string }
  let ict: { departmentId: string; groupId: string }
  let organisationId: string

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, token = admin.token) =>
    t.request({ method, url: `/api/v1${url}`, token, payload })
  const group = async (department: string, name: string, line: 1 | 2) => {
    const dep = (await api('POST', '/departments', { name: department })).json()
    const g = (await api('POST', '/groups', { name, departmentId: dep.id, line })).json()
    return { departmentId: dep.id as string, groupId: g.id as string }
  }
  const ruleBody = (name: string, conditions: object, actions: object) => ({ name, conditions, actions })
  const ticketFrom = async (email: string, subject = 'Vraag', body = 'Graag hulp') => {
    const res = await api('POST', '/tickets', { subject, body, requester: { email }, channel: 'email' })
    expect(res.statusCode, res.body).toBe(201)
    return res.json().ticket
  }

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    ict = await group('ICT', 'Servicedesk', 1)
    hr = await group('HR', 'HR-advies', 1)
    organisationId = (await api('POST', '/organisations', { name: 'Gemeente Rivierstad', domains: ['rivierstad.nl'] })).json().id
  })
  afterAll(() => t?.close())

  it('routes a new ticket by the first matching rule, sets its fields and says so on the first article', async () => {
    const hrRule = (await api('POST', '/routing-rules', ruleBody('Rivierstad naar HR', { organisationIds: [organisationId], words: ['salaris', 'verlof'] }, { departmentId: hr.departmentId, priority: 'high', tags: ['hr', 'rivierstad'] }))).json()
    expect(hrRule).toMatchObject({ position: 1, enabled: true, actions: { departmentId: hr.departmentId, groupId: hr.groupId }, neverMatches: null })
    const routed = await ticketFrom('kees@rivierstad.nl', 'Vraag over mijn salaris')
    expect(routed).toMatchObject({ groupId: hr.groupId, departmentId: hr.departmentId, priority: 'high', tags: ['hr', 'rivierstad'] })
    const first = (await api('GET', `/tickets/${routed.id}/articles`)).json().items[0]
    expect(first.metadata.routing).toEqual({ ruleId: hrRule.id, name: 'Rivierstad naar HR' })
    // Other words, another organisation: the service desk, as without rules.
    expect((await ticketFrom('kees@rivierstad.nl', 'Printer stuk')).groupId).toBe(ict.groupId)
    expect((await ticketFrom('kees@elders.nl', 'Salaris')).groupId).toBe(ict.groupId)
    await api('DELETE', `/routing-rules/${hrRule.id}`)
  })

  it('compiles again after every change: update, disable, reorder and delete take effect on the next ticket', async () => {
    const a = (await api('POST', '/routing-rules', ruleBody('Domein naar HR', { channels: ['email'], requesters: ['voorbeeld.nl'] }, { groupId: hr.groupId }))).json()
    const b = (await api('POST', '/routing-rules', ruleBody('Mail naar ICT urgent', { channels: ['email'] }, { groupId: ict.groupId, priority: 'urgent' }))).json()
    expect((await ticketFrom('an@voorbeeld.nl')).groupId).toBe(hr.groupId)
    const reordered = await api('PUT', '/routing-rules/order', { ids: [b.id, a.id] })
    expect(reordered.json().items.map((r: { id: string }) => r.id)).toEqual([b.id, a.id])
    // The email rule now comes first and takes every mail: the domain rule can never fire.
    expect(reordered.json().items[1].neverMatches).toEqual({ ruleId: b.id, name: b.name })
    expect((await ticketFrom('an@voorbeeld.nl')).priority).toBe('urgent')
    await api('PATCH', `/routing-rules/${b.id}`, { enabled: false })
    expect((await ticketFrom('an@voorbeeld.nl')).groupId).toBe(hr.groupId)
    await api('PATCH', `/routing-rules/${a.id}`, { conditions: { requesters: ['ander.nl'] } })
    expect((await ticketFrom('an@voorbeeld.nl')).groupId).toBe(ict.groupId)
    expect((await api('DELETE', `/routing-rules/${a.id}`)).statusCode).toBe(204)
    expect((await api('DELETE', `/routing-rules/${b.id}`)).statusCode).toBe(204)
    expect((await api('GET', '/routing-rules')).json().items).toEqual([])
    const audit = (await api('GET', '/audit?limit=200')).json().items.map((e: { action: string }) => e.action)
    for (const action of ['routing-rule.created', 'routing-rule.changed', 'routing-rule.deleted', 'routing-rules.reordered']) expect(audit).toContain(action)
  })

  it('answers a sample ticket with the rule that takes it and what it would set, writing nothing', async () => {
    const rule = (await api('POST', '/routing-rules', ruleBody('Rivierstad HR', { organisationIds: [organisationId], languages: ['nl'] }, { groupId: hr.groupId, type: 'request' }))).json()
    const before = (await api('GET', '/tickets?limit=100')).json().items.length
    const hit = await api('POST', '/routing-rules/test', { channel: 'email', requester: 'iemand@rivierstad.nl', subject: 'Verlof', body: 'Hoe vraag ik verlof aan?' })
    expect(hit.statusCode, hit.body).toBe(200)
    expect(hit.json()).toEqual({ rule: { id: rule.id, name: rule.name, position: 1 }, sets: { groupId: hr.groupId, departmentId: hr.departmentId, type: 'request' }, organisationId, language: 'nl' })
    const miss = (await api('POST', '/routing-rules/test', { channel: 'email', requester: 'iemand@rivierstad.nl', subject: 'x', body: 'y', language: 'en' })).json()
    expect(miss).toMatchObject({ rule: null, sets: {}, language: 'en' })
    expect((await api('GET', '/tickets?limit=100')).json().items.length).toBe(before)
    await api('DELETE', `/routing-rules/${rule.id}`)
  })

  it('never runs twice on one ticket: a follow-up mail and a later move leave the routing alone', async () => {
    const rule = (await api('POST', '/routing-rules', ruleBody('Alles naar HR', {}, { groupId: hr.groupId, tags: ['gerouteerd'] }))).json()
    const ingested = await t.runtime.services.tickets.ingest({ channel: 'email', from: { kind: 'email', address: 'mail@rivierstad.nl' }, subject: 'Loonstrook', body: 'Waar is hij?', contentType: 'text/plain', sourceId: 'routing-1' })
    const ticket = (await api('GET', `/tickets/${ingested.ticket.id}`)).json()
    expect(ticket).toMatchObject({ groupId: hr.groupId, tags: ['gerouteerd'] })
    const moved = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, token: admin.token, headers: { 'if-match': `"${ticket.version}"` }, payload: { groupId: ict.groupId } })
    expect(moved.statusCode, moved.body).toBe(200)
    await t.runtime.services.tickets.ingest({ channel: 'email', from: { kind: 'email', address: 'mail@rivierstad.nl' }, subject: 'Loonstrook', body: 'Nog iets', contentType: 'text/plain', sourceId: 'routing-2', ticketId: ticket.id })
    expect((await api('GET', `/tickets/${ticket.id}`)).json().groupId).toBe(ict.groupId)
    // A draft that carries a routing mark (a ticket split off, an import) is not routed again.
    const marked = await t.runtime.services.routing.hook(
      { subject: 's', channel: 'api', requester: { email: 'x@y.nl', organisation_id: null, language: 'nl' } as never, priority: 'low', type: 'question', groupId: undefined, tags: [], firstArticle: { body: 'b', contentType: 'text/plain', metadata: { routing: { ruleId: 'earlier', name: 'eerder' } } } },
      t.runtime.deps.db,
    )
    expect(marked).toBeUndefined()
    await api('DELETE', `/routing-rules/${rule.id}`)
  })

  it('refuses what cannot be: unknown groups and departments (422), a stale order (409), malformed rules (400), unknown rules (404)', async () => {
    const expectProblem = async (res: Awaited<ReturnType<typeof api>>, status: number) => {
      expect(res.statusCode, res.body).toBe(status)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', {}, { groupId: 'nope' })), 422)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', {}, { departmentId: 'nope' })), 422)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', {}, { departmentId: ict.departmentId, groupId: hr.groupId })), 422)
    const empty = (await api('POST', '/departments', { name: 'Leeg' })).json()
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', {}, { departmentId: empty.id })), 422)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', { organisationIds: ['nope'] }, { priority: 'low' })), 422)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', { mailboxIds: ['nope'] }, { priority: 'low' })), 422)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', { wordsIn: 'subject' }, { priority: 'low' })), 422)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', {}, {})), 400)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', { channels: ['fax'] }, { priority: 'low' })), 400)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', { requesters: ['not an address'] }, { priority: 'low' })), 400)
    await expectProblem(await api('POST', '/routing-rules', ruleBody('x', { channels: [] }, { priority: 'low' })), 400)
    await expectProblem(await api('POST', '/routing-rules', { name: ' ', conditions: {}, actions: { priority: 'low' } }), 400)
    // A group or department a rule sends tickets to is not deleted from under it.
    const hrRule = (await api('POST', '/routing-rules', ruleBody('HR', {}, { departmentId: hr.departmentId }))).json()
    const refused = await api('DELETE', `/groups/${hr.groupId}`)
    await expectProblem(refused, 409)
    expect(refused.json().dependants).toMatchObject({ routingRules: 1 })
    expect((await api('DELETE', `/departments/${hr.departmentId}`)).json().dependants).toMatchObject({ routingRules: 1 })
    await api('DELETE', `/routing-rules/${hrRule.id}`)
    await expectProblem(await api('PATCH', '/routing-rules/nope', { enabled: false }), 404)
    await expectProblem(await api('DELETE', '/routing-rules/nope'), 404)
    const a = (await api('POST', '/routing-rules', ruleBody('a', {}, { priority: 'low' }))).json()
    await expectProblem(await api('PUT', '/routing-rules/order', { ids: [] }), 409)
    await expectProblem(await api('PUT', '/routing-rules/order', { ids: [a.id, 'other'] }), 409)
    await expectProblem(await api('POST', '/routing-rules/test', { channel: 'email', requester: 'geen adres', subject: 's', body: 'b' }), 400)
    await api('DELETE', `/routing-rules/${a.id}`)
  })

  it('is for administrators only: every route refuses team leads, agents and customers (403) and strangers (401)', async () => {
    const rule = (await api('POST', '/routing-rules', ruleBody('r', {}, { priority: 'low' }))).json()
    const calls: [Parameters<typeof api>[0], string, object?][] = [
      ['GET', '/routing-rules'],
      ['POST', '/routing-rules', ruleBody('x', {}, { priority: 'low' })],
      ['PATCH', `/routing-rules/${rule.id}`, { enabled: false }],
      ['DELETE', `/routing-rules/${rule.id}`],
      ['PUT', '/routing-rules/order', { ids: [rule.id] }],
      ['POST', '/routing-rules/test', { channel: 'email', requester: 'a@b.nl', subject: 's', body: 'b' }],
    ]
    for (const role of ['supervisor', 'agent', 'customer'] as const) {
      const user = await t.user(role)
      for (const [method, url, payload] of calls) expect((await api(method, url, payload, user.token)).statusCode, `${role} ${method} ${url}`).toBe(403)
    }
    for (const [method, url, payload] of calls) expect((await t.request({ method, url: `/api/v1${url}`, payload })).statusCode, `${method} ${url}`).toBe(401)
    expect((await api('GET', '/routing-rules')).json().items).toMatchObject([{ id: rule.id, enabled: true }])
    await api('DELETE', `/routing-rules/${rule.id}`)
  })

  it.runIf(database.name === 'postgres')('reaches every process: a change made in one is followed by the next ticket in another', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'loket-routing-'))
    const other = await createRuntime(testConfig(t.runtime.config.db, dataDir))
    try {
      const open = async () => (await other.services.tickets.create({ user: { id: 'system', role: 'admin', name: 'x' } as never, via: 'system' }, { subject: 'Verlof', body: 'b', requester: { email: 'p@proces.nl' } })).groupId
      expect(await open()).toBe(ict.groupId) // compiled (no rules) and cached in the other process
      const rule = (await api('POST', '/routing-rules', ruleBody('Proces', { requesters: ['proces.nl'] }, { groupId: hr.groupId }))).json()
      await waitUntil('the other process routes by the new rule', async () => (await open()) === hr.groupId)
      await api('DELETE', `/routing-rules/${rule.id}`)
      await waitUntil('the other process forgets the deleted rule', async () => (await open()) === ict.groupId)
    } finally {
      await other.close()
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
