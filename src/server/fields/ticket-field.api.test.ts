import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

describeEachDatabase('ticket fields an administrator adds', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  let agent: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  let supervisor: Awaited<ReturnType<TestApp['user']>>
  let hr: { departmentId: string }
  let organisationId: string
  const ids: Record<string, string> = {}

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token = admin.token, headers?: Record<string, string>) =>
    t.request({ method, url: `/api/v1${url}`, token, payload, headers })
  const field = async (body: object) => {
    const res = await api('POST', '/ticket-fields', body)
    expect(res.statusCode, res.body).toBe(201)
    return res.json()
  }
  const newTicket = async (customFields?: object, token = agent.token, email = customer.email) => {
    const res = await api('POST', '/tickets', { subject: 'Laptop', body: 'Mijn laptop start niet', requester: { email }, ...(customFields && { customFields }) }, token)
    return res
  }
  const patch = async (id: string, body: object, token = agent.token) => {
    const current = (await api('GET', `/tickets/${id}`, undefined, token)).json()
    return api('PATCH', `/tickets/${id}`, body, token, { 'if-match': `"${current.version}"` })
  }

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
    supervisor = await t.user('supervisor')
    customer = await t.user('customer', { email: 'klant@voorbeeld.nl' })
    hr = { departmentId: (await api('POST', '/departments', { name: 'HR' })).json().id }
    organisationId = (await api('POST', '/organisations', { name: 'Bakkerij Brood', domains: ['brood.nl'] })).json().id
    const opts = (...values: string[]) => values.map((v) => ({ value: v, labelNl: v.toUpperCase(), labelEn: v }))
    ids.contract = (await field({ key: 'contract', type: 'choice', labelNl: 'Contract', labelEn: 'Contract', options: opts('brons', 'goud'), requiredStatuses: ['resolved'] })).id
    ids.uren = (await field({ key: 'uren', type: 'number', labelNl: 'Bestede uren', labelEn: 'Hours spent' })).id
    ids.deadline = (await field({ key: 'deadline', type: 'date', labelNl: 'Uiterste datum', labelEn: 'Deadline', visibility: 'public', customerEditable: true })).id
    ids.modules = (await field({ key: 'modules', type: 'multi_choice', labelNl: 'Modules', labelEn: 'Modules', options: opts('mail', 'agenda', 'crm'), visibility: 'public' })).id
    ids.spoed = (await field({ key: 'spoed', type: 'yes_no', labelNl: 'Spoed', labelEn: 'Urgent' })).id
    ids.notitie = (await field({ key: 'notitie', type: 'text', labelNl: 'Notitie', labelEn: 'Note' })).id
    ids.contact = (await field({ key: 'contactpersoon', type: 'customer', labelNl: 'Contactpersoon', labelEn: 'Contact' })).id
    ids.klant = (await field({ key: 'klantorganisatie', type: 'organisation', labelNl: 'Klantorganisatie', labelEn: 'Customer organisation', departmentIds: [hr.departmentId], requiredStatuses: ['resolved'] })).id
  })
  afterAll(() => t?.close())

  it('only administrators change the fields; every change is in the audit log', async () => {
    for (const who of [agent, supervisor, customer]) {
      expect((await api('POST', '/ticket-fields', { key: 'x', type: 'text', labelNl: 'X', labelEn: 'X' }, who.token)).statusCode).toBe(403)
      expect((await api('PATCH', `/ticket-fields/${ids.uren}`, { labelNl: 'Y' }, who.token)).statusCode).toBe(403)
      expect((await api('DELETE', `/ticket-fields/${ids.uren}`, undefined, who.token)).statusCode).toBe(403)
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/ticket-fields' })).statusCode).toBe(401)
    // Staff read every field; a customer only the public ones.
    expect((await api('GET', '/ticket-fields', undefined, agent.token)).json().items.map((f: { key: string }) => f.key)).toContain('contract')
    expect((await api('GET', '/ticket-fields', undefined, customer.token)).json().items.map((f: { key: string }) => f.key).sort()).toEqual(['deadline', 'modules'])
    const changed = await api('PATCH', `/ticket-fields/${ids.uren}`, { labelEn: 'Hours' })
    expect(changed.json()).toMatchObject({ key: 'uren', type: 'number', labelEn: 'Hours', labelNl: 'Bestede uren' })
    const audit = (await api('GET', '/audit?limit=200')).json().items.map((e: { action: string }) => e.action)
    expect(audit).toContain('ticket-field.created')
    expect(audit).toContain('ticket-field.changed')
  })

  it('refuses bad definitions with a problem naming the part', async () => {
    const bad = async (body: object, status: number, fieldName?: string) => {
      const res = await api('POST', '/ticket-fields', body)
      expect(res.statusCode, res.body).toBe(status)
      expect(res.headers['content-type']).toContain('application/problem+json')
      if (fieldName) expect(res.json().errors?.[0]?.field).toBe(fieldName)
    }
    await bad({ key: 'Met Spatie', type: 'text', labelNl: 'a', labelEn: 'a' }, 400)
    await bad({ key: 'kleur', type: 'kleurkiezer', labelNl: 'a', labelEn: 'a' }, 400)
    await bad({ key: 'keuze', type: 'choice', labelNl: 'a', labelEn: 'a' }, 422, 'options')
    await bad({ key: 'getal', type: 'number', labelNl: 'a', labelEn: 'a', options: [{ value: 'x', labelNl: 'x', labelEn: 'x' }] }, 422, 'options')
    await bad({ key: 'geheim', type: 'text', labelNl: 'a', labelEn: 'a', customerEditable: true }, 422, 'customerEditable')
    await bad({ key: 'afd', type: 'text', labelNl: 'a', labelEn: 'a', departmentIds: ['bestaat-niet'] }, 422, 'departmentIds')
    await bad({ key: 'contract', type: 'text', labelNl: 'a', labelEn: 'a' }, 409, 'key')
  })

  it('stores values typed from the API, reads them back and keeps them in the history', async () => {
    const res = await newTicket({ contract: 'goud', uren: 1.5, deadline: '2026-12-31', modules: ['crm', 'mail'], spoed: true, notitie: ' bel eerst ', contactpersoon: customer.id, klantorganisatie: organisationId })
    expect(res.statusCode, res.body).toBe(201)
    const ticket = res.json().ticket
    const expected = { contract: 'goud', uren: 1.5, deadline: '2026-12-31', modules: ['crm', 'mail'], spoed: true, notitie: 'bel eerst', contactpersoon: customer.id, klantorganisatie: organisationId }
    expect(ticket.customFields).toEqual(expected)
    expect((await api('GET', `/tickets/${ticket.id}`, undefined, agent.token)).json().customFields).toEqual(expected)
    const changed = await patch(ticket.id, { customFields: { uren: 3, spoed: false, notitie: null, modules: ['agenda'] } })
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json().customFields).toEqual({ ...expected, uren: 3, spoed: false, modules: ['agenda'], notitie: undefined })
    expect(changed.json().customFields).not.toHaveProperty('notitie')
    const history = (await api('GET', `/tickets/${ticket.id}/history`, undefined, agent.token)).json().items ?? (await api('GET', `/tickets/${ticket.id}/history`, undefined, agent.token)).json()
    const fields = (Array.isArray(history) ? history : []).map((h: { field: string; oldValue: string | null; newValue: string | null }) => [h.field, h.oldValue, h.newValue])
    expect(fields).toContainEqual(['customFields.uren', '1.5', '3'])
    expect(fields).toContainEqual(['customFields.modules', 'crm, mail', 'agenda'])
    expect(fields).toContainEqual(['customFields.notitie', 'bel eerst', null])
  })

  it('refuses a value that does not fit its field with a 422 naming the field', async () => {
    const wrong = async (customFields: object, fieldName: string, status = 422) => {
      const res = await newTicket(customFields)
      expect(res.statusCode, res.body).toBe(status)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json().errors[0].field).toBe(fieldName)
    }
    await wrong({ contract: 'platina' }, 'customFields.contract')
    await wrong({ uren: 'veel' }, 'customFields.uren')
    await wrong({ deadline: '2026-02-30' }, 'customFields.deadline')
    await wrong({ deadline: '31-12-2026' }, 'customFields.deadline')
    await wrong({ modules: ['mail', 'fax'] }, 'customFields.modules')
    await wrong({ spoed: 'ja' }, 'customFields.spoed')
    await wrong({ contactpersoon: agent.id }, 'customFields.contactpersoon')
    await wrong({ klantorganisatie: 'bestaat-niet' }, 'customFields.klantorganisatie')
    await wrong({ onbekend: 'x' }, 'customFields.onbekend')
  })

  it('a customer sees only public fields and fills in only those open to them', async () => {
    const own = await newTicket({ deadline: '2027-01-15' }, customer.token)
    expect(own.statusCode, own.body).toBe(201)
    const id = own.json().id
    await patch(id, { customFields: { contract: 'brons', modules: ['mail'] } })
    const seen = (await api('GET', `/tickets/${id}`, undefined, customer.token)).json()
    expect(seen.customFields).toEqual({ deadline: '2027-01-15', modules: ['mail'] })
    expect((await api('GET', `/tickets?limit=50`, undefined, customer.token)).json().items.find((x: { id: string }) => x.id === id).customFields).toEqual(seen.customFields)
    // Public but not open to customers: 403; internal: as if it did not exist.
    const notAllowed = await newTicket({ modules: ['crm'] }, customer.token)
    expect(notAllowed.statusCode).toBe(403)
    expect(notAllowed.json().errors[0].field).toBe('customFields.modules')
    expect((await newTicket({ contract: 'goud' }, customer.token)).statusCode).toBe(422)
    // Afterwards the customer changes only the fields open to them, on their own ticket, while it is not closed.
    const changed = await patch(id, { customFields: { deadline: '2027-02-01' } }, customer.token)
    expect(changed.statusCode, changed.body).toBe(200)
    expect(changed.json().customFields).toEqual({ deadline: '2027-02-01', modules: ['mail'] })
    expect((await api('GET', `/tickets/${id}`, undefined, agent.token)).json().customFields).toMatchObject({ deadline: '2027-02-01', contract: 'brons' })
    expect((await patch(id, { customFields: { modules: ['crm'] } }, customer.token)).statusCode).toBe(403)
    expect((await patch(id, { customFields: { contract: 'goud' } }, customer.token)).statusCode).toBe(422)
    expect((await patch(id, { customFields: { deadline: '2027-13-01' } }, customer.token)).statusCode).toBe(422)
    expect((await patch(id, { customFields: { deadline: '2027-03-01' }, subject: 'Anders' }, customer.token)).statusCode).toBe(403)
    const stranger = await t.user('customer')
    expect([403, 404]).toContain((await api('PATCH', `/tickets/${id}`, { customFields: { deadline: '2027-03-01' } }, stranger.token, { 'if-match': `"${changed.json().version}"` })).statusCode)
    await patch(id, { status: 'closed' })
    expect((await patch(id, { customFields: { deadline: '2027-03-01' } }, customer.token)).statusCode).toBe(403)
    expect((await api('GET', `/tickets/${id}`, undefined, agent.token)).json().customFields.deadline).toBe('2027-02-01')
    // Nor can a customer filter on internal fields.
    expect((await api('GET', '/tickets?fields=contract:brons', undefined, customer.token)).statusCode).toBe(400)
  })

  it('filters queues on field values', async () => {
    const a = (await newTicket({ contract: 'brons', spoed: true, uren: 2, modules: ['mail', 'crm'] })).json()
    const b = (await newTicket({ contract: 'goud', spoed: false, uren: 2 })).json()
    const c = (await newTicket()).json()
    const list = async (fields: string) => {
      const res = await api('GET', `/tickets?limit=200&fields=${encodeURIComponent(fields)}`, undefined, agent.token)
      expect(res.statusCode, res.body).toBe(200)
      return res.json().items.map((x: { id: string }) => x.id) as string[]
    }
    expect(await list('contract:brons')).toContain(a.id)
    expect(await list('contract:brons')).not.toContain(b.id)
    expect(await list('contract:brons|goud,spoed:false')).toEqual(expect.arrayContaining([b.id]))
    expect(await list('contract:brons|goud,spoed:false')).not.toContain(a.id)
    expect(await list('uren:2,modules:crm')).toEqual([a.id])
    expect(await list('contract:none')).toContain(c.id)
    expect(await list('contract:none')).not.toContain(a.id)
    for (const bad of ['contract:platina', 'uren:veel', 'bestaatniet:1', 'contract', 'deadline:morgen']) {
      const res = await api('GET', `/tickets?fields=${encodeURIComponent(bad)}`, undefined, agent.token)
      expect(res.statusCode, bad).toBe(400)
      expect(res.json().errors[0].field).toBe('fields')
    }
    // The counts endpoint's filters are the same.
    expect((await api('GET', `/tickets?fields=${encodeURIComponent('spoed:true')}&limit=200`, undefined, agent.token)).json().items.map((x: { id: string }) => x.id)).toContain(a.id)
  })

  it('a field required in a status must be filled in before the ticket gets there, in its departments only', async () => {
    const ticket = (await newTicket()).json()
    await patch(ticket.id, { status: 'open' })
    const refused = await patch(ticket.id, { status: 'resolved' })
    expect(refused.statusCode, refused.body).toBe(422)
    expect(refused.json().errors[0].field).toBe('customFields.contract')
    // The same through a reply that resolves.
    const reply = await api('POST', `/tickets/${ticket.id}/articles`, { body: 'Opgelost', visibility: 'internal', status: 'resolved' }, agent.token)
    expect(reply.statusCode, reply.body).toBe(422)
    // Filled in together with the status: allowed (klantorganisatie counts in HR only).
    const ok = await patch(ticket.id, { status: 'resolved', customFields: { contract: 'brons' } })
    expect(ok.statusCode, ok.body).toBe(200)
    expect(ok.json().status).toBe('resolved')
    // Emptying it again while resolved is refused.
    expect((await patch(ticket.id, { customFields: { contract: null } })).statusCode).toBe(422)
    // In HR the organisation is required as well.
    const hrTicket = (await newTicket({ contract: 'goud' })).json()
    await patch(hrTicket.id, { departmentId: hr.departmentId, status: 'open' })
    const hrRefused = await patch(hrTicket.id, { status: 'resolved' })
    expect(hrRefused.json().errors[0].field).toBe('customFields.klantorganisatie')
  })

  it('a field required when new is asked of the API, not of mail; switched off it is not asked at all', async () => {
    const referentie = await field({ key: 'referentie', type: 'text', labelNl: 'Referentie', labelEn: 'Reference', requiredStatuses: ['new'] })
    const missing = await newTicket()
    expect(missing.statusCode).toBe(422)
    expect(missing.json().errors[0].field).toBe('customFields.referentie')
    expect((await newTicket({ referentie: 'PO-1' })).statusCode).toBe(201)
    // A customer is not asked for an internal field; the desk completes it.
    expect((await newTicket(undefined, customer.token)).statusCode).toBe(201)
    const ingested = await t.runtime.services.tickets.ingest({ channel: 'email', sourceId: `<veld-${database}@brood.nl>`, from: { kind: 'email', address: 'jan@brood.nl', name: 'Jan' }, subject: 'Via mail', body: 'Hallo', contentType: 'text/plain' })
    expect(ingested.created).toBe(true)
    await api('PATCH', `/ticket-fields/${referentie.id}`, { active: false })
    expect((await newTicket()).statusCode).toBe(201)
    // A field with values is switched off, not deleted; one without is deleted.
    expect((await api('DELETE', `/ticket-fields/${referentie.id}`)).statusCode).toBe(409)
    const unused = await field({ key: 'ongebruikt', type: 'text', labelNl: 'O', labelEn: 'U' })
    expect((await api('DELETE', `/ticket-fields/${unused.id}`)).statusCode).toBe(204)
  })

  it('the OpenAPI document describes customFields on tickets and the ticket-fields routes', async () => {
    const doc = (await t.request({ method: 'GET', url: '/api/v1/openapi.json' })).json()
    expect(doc.paths['/api/v1/ticket-fields'] ?? doc.paths['/ticket-fields']).toBeTruthy()
    expect(JSON.stringify(doc)).toContain('customFields')
  })
})
