import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('service catalogue API', (database) => {
  let t: TestApp
  let admin: User
  let supervisor: User
  let agent: User
  let customer: User
  let other: User
  let groupId: string
  let departmentId: string
  let categoryId: string
  let itemId: string

  const FIELDS = [
    { key: 'wat', label: 'Wat heeft u nodig?', type: 'choice', required: true, options: ['Laptop', 'Telefoon'] },
    { key: 'model', label: 'Welk model?', type: 'text', required: true, showWhen: { field: 'wat', equals: 'Laptop' } },
    { key: 'vanaf', label: 'Vanaf wanneer?', type: 'date', required: false },
    { key: 'spoed', label: 'Is het dringend?', type: 'yesno', required: true },
    { key: 'bijlage', label: 'Offerte', type: 'file', required: false },
  ]

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    supervisor = await t.user('supervisor')
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'ICT' } })).json()
    departmentId = dep.id
    await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Servicedesk', departmentId: dep.id, line: 1 } })
    groupId = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Werkplekbeheer', departmentId: dep.id, line: 2 } })).json().id
    agent = await t.user('agent', { groupIds: [groupId] })
    customer = await t.user('customer')
    other = await t.user('customer')
  })
  afterAll(() => t?.close())

  const req = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string, payload?: unknown) => t.request({ method, url: `/api/v1${url}`, token, ...(payload !== undefined && { payload: payload as Record<string, unknown> }) })

  it('lets only administrators define categories and items, and checks the form makes sense', async () => {
    for (const who of [supervisor, agent, customer]) {
      expect((await req('POST', '/catalog/categories', who.token, { name: 'Werkplek' })).statusCode).toBe(403)
    }
    const category = await req('POST', '/catalog/categories', admin.token, { name: 'Werkplek', description: 'Laptop, telefoon, software' })
    expect(category.statusCode).toBe(201)
    categoryId = category.json().id
    expect((await req('POST', '/catalog/categories', admin.token, { name: 'Werkplek' })).statusCode).toBe(409)

    const body = { categoryId, title: 'Nieuwe laptop of telefoon', groupId, fields: FIELDS, steps: ['Apparaat bestellen', 'Apparaat klaarzetten'] }
    expect((await req('POST', '/catalog/items', agent.token, body)).statusCode).toBe(403)
    expect((await req('POST', '/catalog/items', admin.token, { ...body, fields: [...FIELDS, { key: 'wat', label: 'Dubbel', type: 'text', required: false }] })).statusCode).toBe(400)
    expect((await req('POST', '/catalog/items', admin.token, { ...body, fields: [{ key: 'x', label: 'Keuze', type: 'choice', required: true }] })).statusCode).toBe(400)
    expect((await req('POST', '/catalog/items', admin.token, { ...body, fields: [{ key: 'x', label: 'Later', type: 'text', required: true, showWhen: { field: 'y' } }] })).statusCode).toBe(400)
    expect((await req('POST', '/catalog/items', admin.token, { ...body, groupId: 'nope' })).statusCode).toBe(400)
    expect((await req('POST', '/catalog/items', admin.token, { ...body, fields: [{ key: 'Bad Key', label: 'x', type: 'text', required: true }] })).statusCode).toBe(400)
    const item = await req('POST', '/catalog/items', admin.token, body)
    expect(item.statusCode).toBe(201)
    expect(item.json()).toMatchObject({ title: 'Nieuwe laptop of telefoon', departmentId, steps: ['Apparaat bestellen', 'Apparaat klaarzetten'], misfits: 0, active: true })
    itemId = item.json().id
  })

  it('shows customers the active items without the back office\'s steps or counts', async () => {
    const inactive = (await req('POST', '/catalog/items', admin.token, { categoryId, title: 'Oud formulier', groupId, fields: [], active: false })).json()
    const listed = (await req('GET', '/catalog/items', customer.token)).json().items
    expect(listed.map((i: { title: string }) => i.title)).toEqual(['Nieuwe laptop of telefoon'])
    expect(listed[0].steps).toEqual([])
    expect(listed[0].misfits).toBeUndefined()
    expect((await req('GET', `/catalog/items/${inactive.id}`, customer.token)).statusCode).toBe(404)
    expect((await req('GET', '/catalog/items?includeInactive=true', customer.token)).json().items).toHaveLength(1)
    expect((await req('GET', '/catalog/items?includeInactive=true', admin.token)).json().items).toHaveLength(2)
    expect((await req('GET', '/catalog/categories', customer.token)).json().items.map((c: { name: string }) => c.name)).toEqual(['Werkplek'])
    expect((await t.request({ method: 'GET', url: '/api/v1/catalog/items' })).statusCode).toBe(401)
  })

  it('turns a request into a ticket in the item\'s group, with the answers as a table and the steps to tick off', async () => {
    // A hidden field must not be required, a visible required one must be there, unknown fields are refused.
    expect((await req('POST', `/catalog/items/${itemId}/requests`, customer.token, { values: { wat: 'Laptop', spoed: false } })).json().errors).toEqual([{ field: 'values.model', message: 'required' }])
    expect((await req('POST', `/catalog/items/${itemId}/requests`, customer.token, { values: { wat: 'Tablet', spoed: false } })).statusCode).toBe(400)
    expect((await req('POST', `/catalog/items/${itemId}/requests`, customer.token, { values: { wat: 'Telefoon', spoed: false, extra: 'x' } })).statusCode).toBe(400)
    expect((await req('POST', `/catalog/items/${itemId}/requests`, agent.token, { values: { wat: 'Telefoon', spoed: false } })).statusCode).toBe(403)

    const made = await req('POST', `/catalog/items/${itemId}/requests`, customer.token, { values: { wat: 'Telefoon', model: 'genegeerd want verborgen', spoed: true, vanaf: '2026-12-24', bijlage: 'offerte.pdf' } })
    expect(made.statusCode).toBe(201)
    const { id, number } = made.json()
    expect(number).toMatch(/^\d{4}-\d{5}$/)
    const ticket = (await req('GET', `/tickets/${id}`, agent.token)).json()
    expect(ticket).toMatchObject({ subject: 'Nieuwe laptop of telefoon', groupId, departmentId, type: 'request', channel: 'portal' })
    const first = (await req('GET', `/tickets/${id}/articles`, customer.token)).json().items[0]
    expect(first.bodyHtml).toContain('<th scope="row">Wat heeft u nodig?</th><td>Telefoon</td>')
    expect(first.bodyHtml).toContain('<td>Ja</td>')
    expect(first.bodyHtml).not.toContain('genegeerd')

    const seenByCustomer = (await req('GET', `/tickets/${id}/catalog-request`, customer.token)).json()
    expect(seenByCustomer.answers.map((a: { key: string }) => a.key)).toEqual(['wat', 'vanaf', 'spoed', 'bijlage'])
    expect(seenByCustomer.steps).toEqual([])
    expect((await req('GET', `/tickets/${id}/catalog-request`, other.token)).statusCode).toBe(404)

    // The back office ticks the steps off; customers cannot, and nobody on a ticket they cannot see.
    expect((await req('PUT', `/tickets/${id}/catalog-request/steps/0`, customer.token, { done: true })).statusCode).toBe(403)
    expect((await req('PUT', `/tickets/${id}/catalog-request/steps/0`, other.token, { done: true })).statusCode).toBe(404)
    const ticked = await req('PUT', `/tickets/${id}/catalog-request/steps/0`, agent.token, { done: true })
    expect(ticked.statusCode).toBe(200)
    expect(ticked.json().steps).toMatchObject([{ position: 0, title: 'Apparaat bestellen', doneAt: expect.any(String) }, { position: 1, doneAt: null }])
    expect((await req('PUT', `/tickets/${id}/catalog-request/steps/7`, agent.token, { done: true })).statusCode).toBe(404)
  })

  it('fills in the ticket fields an administrator mapped the answers to, and never shows customers which', async () => {
    const field = async (body: object) => {
      const res = await req('POST', '/ticket-fields', admin.token, body)
      expect(res.statusCode, res.body).toBe(201)
    }
    await field({ key: 'apparaat', type: 'choice', labelNl: 'Apparaat', labelEn: 'Device', options: [{ value: 'laptop', labelNl: 'Laptop', labelEn: 'Laptop' }, { value: 'telefoon', labelNl: 'Telefoon', labelEn: 'Phone' }] })
    await field({ key: 'kostenplaats', type: 'number', labelNl: 'Kostenplaats', labelEn: 'Cost centre' })
    await field({ key: 'gewenst_per', type: 'date', labelNl: 'Gewenst per', labelEn: 'Wanted from', visibility: 'public' })
    await field({ key: 'dringend', type: 'yes_no', labelNl: 'Dringend', labelEn: 'Urgent', visibility: 'public' })
    await field({ key: 'uitgeschakeld', type: 'text', labelNl: 'Oud', labelEn: 'Old', active: false })
    const fields = [
      { key: 'wat', label: 'Wat heeft u nodig?', type: 'choice', required: true, options: ['Laptop', 'Telefoon'], ticketField: 'apparaat' },
      { key: 'kosten', label: 'Kostenplaats', type: 'text', required: false, ticketField: 'kostenplaats' },
      { key: 'vanaf', label: 'Vanaf wanneer?', type: 'date', required: false, ticketField: 'gewenst_per' },
      { key: 'spoed', label: 'Is het dringend?', type: 'yesno', required: false, ticketField: 'dringend' },
    ]
    const body = { categoryId, title: 'Apparaat aanvragen', groupId, fields }
    // The mapping must make sense: an existing field that is on, a kind of answer that fits, options that exist, one answer per field.
    const refused = async (patch: Record<string, unknown>, status: number) => {
      const res = await req('POST', '/catalog/items', admin.token, { ...body, fields: [{ ...fields[0], ...patch }, ...fields.slice(1)] })
      expect(res.statusCode, res.body).toBe(status)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    await refused({ ticketField: 'bestaat_niet' }, 422)
    await refused({ ticketField: 'uitgeschakeld' }, 422)
    await refused({ ticketField: 'gewenst_per' }, 422)
    await refused({ options: ['Laptop', 'Tablet'] }, 422)
    await refused({ ticketField: 'Geen Sleutel' }, 400)
    await refused({ type: 'text', options: undefined, ticketField: 'kostenplaats' }, 400)
    const item = await req('POST', '/catalog/items', admin.token, body)
    expect(item.statusCode, item.body).toBe(201)
    expect(item.json().fields[0].ticketField).toBe('apparaat')
    const id = item.json().id
    // Customers get the form without the mapping (internal field names stay with the desk).
    const forCustomer = (await req('GET', `/catalog/items/${id}`, customer.token)).json()
    expect(forCustomer.fields.map((f: Record<string, unknown>) => f.ticketField)).toEqual([undefined, undefined, undefined, undefined])
    expect(JSON.stringify((await req('GET', '/catalog/items', customer.token)).json())).not.toContain('kostenplaats')

    // An answer that does not fit its field is the customer's to correct, named by the form's field.
    const notANumber = await req('POST', `/catalog/items/${id}/requests`, customer.token, { values: { wat: 'Laptop', kosten: 'weet ik niet' } })
    expect(notANumber.statusCode).toBe(422)
    expect(notANumber.headers['content-type']).toContain('application/problem+json')
    expect(notANumber.json()).toMatchObject({ type: 'https://loket.dev/problems/answer-does-not-fit', code: 'answer_does_not_fit', status: 422 })
    expect(notANumber.json().errors).toEqual([{ field: 'values.kosten', message: 'must be a number', expected: 'number' }])
    expect(notANumber.body).not.toContain('kostenplaats')

    const made = await req('POST', `/catalog/items/${id}/requests`, customer.token, { values: { wat: 'Telefoon', kosten: '4711', vanaf: '2027-01-04', spoed: true } })
    expect(made.statusCode, made.body).toBe(201)
    const ticketId = made.json().id
    expect((await req('GET', `/tickets/${ticketId}`, agent.token)).json().customFields).toEqual({ apparaat: 'telefoon', kostenplaats: 4711, gewenst_per: '2027-01-04', dringend: true })
    // The customer sees the public ones only.
    expect((await req('GET', `/tickets/${ticketId}`, customer.token)).json().customFields).toEqual({ gewenst_per: '2027-01-04', dringend: true })
    // An unticked yes/no fills in "no"; an empty optional answer fills in nothing.
    const second = (await req('POST', `/catalog/items/${id}/requests`, customer.token, { values: { wat: 'Laptop', spoed: false } })).json()
    expect((await req('GET', `/tickets/${second.id}`, agent.token)).json().customFields).toEqual({ apparaat: 'laptop', dringend: false })
  })

  it('counts "this choice did not fit" per item, for customers only', async () => {
    expect((await req('POST', `/catalog/items/${itemId}/misfits`, customer.token)).statusCode).toBe(204)
    expect((await req('POST', `/catalog/items/${itemId}/misfits`, other.token)).statusCode).toBe(204)
    expect((await req('POST', `/catalog/items/${itemId}/misfits`, agent.token)).statusCode).toBe(403)
    expect((await req('GET', `/catalog/items/${itemId}`, admin.token)).json().misfits).toBe(2)
  })
})
