import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('reply signatures: a group\'s template and the agent\'s own part', (database) => {
  let t: TestApp
  let admin: User
  let supervisor: User
  let agent: User
  let customer: User
  let departmentId: string
  let groupId: string

  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string | undefined, payload?: object) =>
    t.request({ method, url: `/api/v1${url}`, token, payload: payload as Record<string, unknown> })

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    supervisor = await t.user('supervisor')
    agent = await t.user('agent', { name: 'Sam Jansen' })
    customer = await t.user('customer')
    departmentId = (await api('POST', '/departments', admin.token, { name: 'ICT' })).json().id
    groupId = (await api('POST', '/groups', admin.token, { name: 'Servicedesk', departmentId, line: 1 })).json().id
    await api('PUT', '/branding', admin.token, { name: 'Gemeente Loket' })
  })
  afterAll(() => t?.close())

  it('lets only administrators set a group\'s signature, with known placeholders only', async () => {
    expect((await api('GET', '/groups', admin.token)).json().items[0].signatureTemplate).toBe('')
    const template = 'Met vriendelijke groet,\n{{agent.handtekening}}\n{{groep.naam}} · {{organisatie.naam}}'
    for (const who of [supervisor, agent]) expect((await api('PATCH', `/groups/${groupId}`, who.token, { signatureTemplate: template })).statusCode).toBe(403)
    expect((await api('PATCH', `/groups/${groupId}`, customer.token, { signatureTemplate: template })).statusCode).toBe(403)
    expect((await api('PATCH', `/groups/${groupId}`, undefined, { signatureTemplate: template })).statusCode).toBe(401)
    const unknown = await api('PATCH', `/groups/${groupId}`, admin.token, { signatureTemplate: 'Groet, {{klant.naam}}' })
    expect(unknown.statusCode).toBe(422)
    expect(unknown.headers['content-type']).toContain('application/problem+json')
    expect(unknown.json().errors[0].field).toBe('signatureTemplate')
    expect((await api('PATCH', `/groups/${groupId}`, admin.token, { signatureTemplate: 'x'.repeat(2001) })).statusCode).toBe(400)
    const saved = await api('PATCH', `/groups/${groupId}`, admin.token, { signatureTemplate: `  ${template}\n` })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(saved.json().signatureTemplate).toBe(template)
    expect((await api('GET', '/groups', agent.token)).json().items[0].signatureTemplate).toBe(template)
  })

  it('keeps each staff member\'s own part; customers have none', async () => {
    expect((await api('GET', '/me/signature', agent.token)).json()).toEqual({ signature: '' })
    const set = await api('PUT', '/me/signature', agent.token, { signature: 'Sam Jansen\r\nServicedesk, toestel 4411  ' })
    expect(set.statusCode).toBe(200)
    expect(set.json()).toEqual({ signature: 'Sam Jansen\nServicedesk, toestel 4411' })
    expect((await api('GET', '/me/signature', agent.token)).json().signature).toBe('Sam Jansen\nServicedesk, toestel 4411')
    // Another person's is their own.
    expect((await api('GET', '/me/signature', admin.token)).json().signature).toBe('')
    expect((await api('GET', '/me/signature', customer.token)).statusCode).toBe(403)
    expect((await api('PUT', '/me/signature', customer.token, { signature: 'Klant' })).statusCode).toBe(403)
    expect((await api('GET', '/me/signature', undefined)).statusCode).toBe(401)
    expect((await api('PUT', '/me/signature', agent.token, { signature: 'x'.repeat(1001) })).statusCode).toBe(400)
    expect((await api('PUT', '/me/signature', agent.token, { signature: 'x', extra: 1 })).statusCode).toBe(400)
  })

  it('previews the signature of one\'s reply on a ticket, for staff who may see it', async () => {
    const ticket = (await api('POST', '/tickets', agent.token, { subject: 'Printer', body: 'Hij print niet.', requester: { email: customer.email }, groupId })).json()
    const preview = await api('GET', `/tickets/${ticket.id}/signature`, agent.token)
    expect(preview.statusCode, preview.body).toBe(200)
    expect(preview.json().signature).toBe('Met vriendelijke groet,\nSam Jansen\nServicedesk, toestel 4411\nServicedesk · Gemeente Loket')
    // Each reader sees their own part in it.
    expect((await api('GET', `/tickets/${ticket.id}/signature`, admin.token)).json().signature).toBe('Met vriendelijke groet,\nServicedesk · Gemeente Loket')
    expect((await api('GET', `/tickets/${ticket.id}/signature`, customer.token)).statusCode).toBe(403)
    const stranger = await t.user('customer')
    expect((await api('GET', `/tickets/${ticket.id}/signature`, stranger.token)).statusCode).toBe(404)
    expect((await api('GET', '/tickets/nope/signature', agent.token)).statusCode).toBe(404)
  })

  it('renders a reply\'s signature: the group\'s frame around the agent\'s part, or either alone', async () => {
    const { signatures } = t.runtime.services
    expect(await signatures.forReply(agent.id, groupId)).toBe('Met vriendelijke groet,\nSam Jansen\nServicedesk, toestel 4411\nServicedesk · Gemeente Loket')
    expect(await signatures.forReply(agent.id, null)).toBe('Sam Jansen\nServicedesk, toestel 4411')
    expect(await signatures.forReply(admin.id, null)).toBe('')
    expect(await signatures.forReply(customer.id, groupId)).toBe('')
    expect(await signatures.forReply(null, groupId)).toBe('')
  })
})
