import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, SYSTEM_ACTOR, type TestApp } from '../test/test-app.js'
import { longDate } from './placeholders.js'

type TestUser = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('templates API', (database) => {
  let t: TestApp
  let admin: TestUser
  let anna: TestUser
  let bram: TestUser
  let customer: TestUser
  let groupId: string
  let departmentId: string
  let ticketId: string
  let ticketNumber: string
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'ICT' } })).json()
    departmentId = dep.id
    const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Servicedesk', departmentId, line: 1 } })).json()
    groupId = group.id
    anna = await t.user('agent', { name: 'Anna de Vries', groupIds: [groupId] })
    bram = await t.user('agent', { name: 'Bram Jansen' })
    const org = await t.runtime.services.organisations.create(SYSTEM_ACTOR, { name: 'Gemeente Zwolle' })
    customer = await t.user('customer', { name: 'Karin Smit', organisationId: org.id })
    const ticket = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: anna.token, payload: { subject: 'Wachtwoord vergeten', body: 'Ik kan niet inloggen.', requester: { email: customer.email }, groupId } })).json()
    ticketId = ticket.id
    ticketNumber = ticket.number
  })
  afterAll(() => t?.close())

  const create = (token: string, payload: Record<string, unknown>) => t.request({ method: 'POST', url: '/api/v1/templates', token, payload })

  it('creates, finds as you type, updates with If-Match and deletes', async () => {
    const res = await create(anna.token, { title: 'Wachtwoord opnieuw instellen', shortcut: 'ww', body: 'Beste {{klant.voornaam}}, via de link stelt u een nieuw wachtwoord in.', scope: 'group', groupId })
    expect(res.statusCode).toBe(201)
    const tpl = res.json()
    expect(tpl).toMatchObject({ scope: 'group', groupId, usageCount: 0, version: 1, language: 'nl', variants: [] })
    await create(anna.token, { title: 'Ontvangstbevestiging', body: 'We hebben uw vraag ontvangen.', scope: 'personal' })

    const found = (q: string, token = anna.token) => t.request({ method: 'GET', url: `/api/v1/templates?q=${encodeURIComponent(q)}`, token }).then((r) => r.json().items.map((i: { title: string }) => i.title))
    expect(await found('wacht')).toEqual(['Wachtwoord opnieuw instellen'])
    expect(await found('ww')).toEqual(['Wachtwoord opnieuw instellen'])
    expect(await found('nieuw link')).toEqual(['Wachtwoord opnieuw instellen'])
    expect(await found('ONTVANGST')).toEqual(['Ontvangstbevestiging'])
    // Bram is not in the group and does not see Anna's personal template.
    expect(await found('', bram.token)).toEqual([])
    expect((await t.request({ method: 'GET', url: `/api/v1/templates/${tpl.id}`, token: bram.token })).statusCode).toBe(404)

    const changed = await t.request({ method: 'PATCH', url: `/api/v1/templates/${tpl.id}`, token: anna.token, headers: { 'if-match': '"1"' }, payload: { title: 'Wachtwoord vergeten' } })
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({ title: 'Wachtwoord vergeten', version: 2 })
    const stale = await t.request({ method: 'PATCH', url: `/api/v1/templates/${tpl.id}`, token: anna.token, headers: { 'if-match': '"1"' }, payload: { title: 'Oud' } })
    expect(stale.statusCode).toBe(412)
    expect(stale.json()).toMatchObject({ code: 'precondition_failed', currentVersion: 2 })

    const extra = (await create(anna.token, { title: 'Weg', body: 'x', scope: 'personal' })).json()
    expect((await t.request({ method: 'DELETE', url: `/api/v1/templates/${extra.id}`, token: bram.token })).statusCode).toBe(404)
    expect((await t.request({ method: 'DELETE', url: `/api/v1/templates/${extra.id}`, token: anna.token })).statusCode).toBe(204)
    expect((await t.request({ method: 'GET', url: `/api/v1/templates/${extra.id}`, token: anna.token })).statusCode).toBe(404)
  })

  it('refuses an unknown placeholder or broken markup with the exact place, as problem+json', async () => {
    const unknown = await create(anna.token, { title: 'Fout', body: 'Beste {{klant.voornaam}},\nUw {{melding.nr}} is bekend.', scope: 'personal' })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.headers['content-type']).toContain('application/problem+json')
    expect(unknown.json()).toMatchObject({ code: 'validation', line: 2, column: 4, errors: [{ field: 'body' }] })
    expect(unknown.json().detail).toContain('unknown placeholder {{melding.nr}}')
    const broken = await create(anna.token, { title: 'Fout', body: 'Goed', variants: [{ language: 'en', channel: 'chat', body: 'Hi {{customer.firstName' }], scope: 'personal' })
    expect(broken.statusCode).toBe(400)
    expect(broken.json()).toMatchObject({ errors: [{ field: 'variants[0].body' }], line: 1, column: 4 })
    const noGroup = await create(anna.token, { title: 'G', body: 'x', scope: 'group' })
    expect(noGroup.statusCode).toBe(400)
    // Only members (or supervisors and administrators) share with a group.
    expect((await create(bram.token, { title: 'G', body: 'x', scope: 'group', groupId })).statusCode).toBe(403)
  })

  it('renders every placeholder in both languages, for the ticket channel, and counts the use', async () => {
    const all = (lang: string) =>
      `${lang} {{klant.voornaam}}|{{customer.firstName}}|{{klant.naam}}|{{customer.name}}|{{melding.nummer}}|{{ticket.number}}|{{melding.onderwerp}}|{{ticket.subject}}|{{agent.voornaam}}|{{agent.firstName}}|{{afdeling.naam}}|{{department.name}}|{{organisatie.naam}}|{{organisation.name}}|{{datum.vandaag}}|{{date.today}}`
    const tpl = (
      await create(anna.token, {
        title: 'Alles',
        body: all('NL-MAIL'),
        variants: [
          { language: 'nl', channel: 'chat', body: 'NL-CHAT {{klant.voornaam}}' },
          { language: 'en', channel: 'mail', body: all('EN-MAIL') },
        ],
        scope: 'department',
        departmentId,
      })
    ).json()
    const render = (payload: Record<string, unknown>, token = anna.token) => t.request({ method: 'POST', url: `/api/v1/templates/${tpl.id}/render`, token, payload: { ticketId, ...payload } })
    const nl = await render({})
    expect(nl.statusCode).toBe(200)
    const today = (l: 'nl' | 'en') => longDate(new Date(), l)
    expect(nl.json()).toMatchObject({ language: 'nl', channel: 'mail' })
    expect(nl.json().text).toBe(
      `NL-MAIL Karin|Karin|Karin Smit|Karin Smit|${ticketNumber}|${ticketNumber}|Wachtwoord vergeten|Wachtwoord vergeten|Anna|Anna|ICT|ICT|Gemeente Zwolle|Gemeente Zwolle|${today('nl')}|${today('nl')}`,
    )
    expect((await render({ channel: 'chat' })).json().text).toBe('NL-CHAT Karin')
    // The customer's own language decides, unless the agent picks one.
    await t.runtime.services.accounts.updateUser(SYSTEM_ACTOR, customer.id, { language: 'en' })
    const en = (await render({})).json()
    expect(en.language).toBe('en')
    expect(en.text.startsWith('EN-MAIL Karin|')).toBe(true)
    expect(en.text.endsWith(`|${today('en')}|${today('en')}`)).toBe(true)
    // A chat in English has no variant: the English mail text is the nearest.
    expect((await render({ channel: 'chat' })).json().text.startsWith('EN-MAIL')).toBe(true)
    await t.runtime.services.accounts.updateUser(SYSTEM_ACTOR, customer.id, { language: 'nl' })
    const after = (await t.request({ method: 'GET', url: `/api/v1/templates/${tpl.id}`, token: anna.token })).json()
    expect(after.usageCount).toBe(4)
  })

  it('answers 422 listing the placeholders without a value, with the text to fill in', async () => {
    const loose = await t.user('customer', { name: 'loos@example.nl', email: 'loos@example.nl' })
    const ticket = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: anna.token, payload: { subject: 'Vraag', body: 'b', requester: { email: loose.email } } })).json()
    const tpl = (await create(anna.token, { title: 'Groet', body: 'Beste {{klant.voornaam}} van {{organisatie.naam}}, {{klant.voornaam}}', scope: 'personal' })).json()
    const res = await t.request({ method: 'POST', url: `/api/v1/templates/${tpl.id}/render`, token: anna.token, payload: { ticketId: ticket.id } })
    expect(res.statusCode).toBe(422)
    expect(res.headers['content-type']).toContain('application/problem+json')
    expect(res.json()).toMatchObject({ code: 'unprocessable', missing: ['klant.voornaam', 'organisatie.naam'], text: 'Beste {{klant.voornaam}} van {{organisatie.naam}}, {{klant.voornaam}}' })
    // Sent as it is, whichever client sends it, the reply is refused: raw braces never reach the customer.
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: anna.token, payload: { body: res.json().text } })
    expect(reply.statusCode).toBe(422)
    expect(reply.headers['content-type']).toContain('application/problem+json')
    expect(reply.json()).toMatchObject({ code: 'unprocessable', missing: ['klant.voornaam', 'organisatie.naam'] })
    // An internal note may keep them; other braces are the agent's own text.
    expect((await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: anna.token, payload: { body: res.json().text, visibility: 'internal' } })).statusCode).toBe(201)
    expect((await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: anna.token, payload: { body: 'Beste klant, {{iets anders}} }}' } })).statusCode).toBe(201)
  })

  it('carries files: attached to the reply when the template is used, kept by the template when taken off', async () => {
    const tpl = (await create(anna.token, { title: 'Formulier machtiging', body: 'Beste {{klant.voornaam}}, bijgaand het formulier.', scope: 'group', groupId })).json()
    const pdf = Buffer.from('%PDF-1.4 machtigingsformulier')
    const upload = (token: string, content = pdf, filename = 'machtiging.pdf') =>
      t.request({ method: 'POST', url: `/api/v1/templates/${tpl.id}/attachments?filename=${filename}`, token, headers: { 'content-type': 'application/pdf' }, payload: content })
    const added = await upload(anna.token)
    expect(added.statusCode, added.body).toBe(201)
    expect(added.json()).toMatchObject({ filename: 'machtiging.pdf', contentType: 'application/pdf', size: pdf.length, url: `/api/v1/templates/${tpl.id}/attachments/${added.json().id}` })
    const got = (await t.request({ method: 'GET', url: `/api/v1/templates/${tpl.id}`, token: anna.token })).json()
    expect(got.attachments).toEqual([added.json()])
    expect(got.version).toBe(2)
    const download = await t.request({ method: 'GET', url: added.json().url, token: anna.token })
    expect(download.statusCode).toBe(200)
    expect(download.rawPayload.equals(pdf)).toBe(true)
    expect(download.headers['x-content-type-options']).toBe('nosniff')
    // Those who may not use the template neither see nor change its files.
    expect((await upload(bram.token)).statusCode).toBe(404)
    expect((await t.request({ method: 'GET', url: added.json().url, token: bram.token })).statusCode).toBe(404)
    expect((await upload(customer.token)).statusCode).toBe(403)
    expect((await t.request({ method: 'GET', url: added.json().url, token: customer.token })).statusCode).toBe(403)
    expect((await upload(anna.token, Buffer.alloc(0))).statusCode).toBe(400)

    // Using it on a ticket puts the file on the ticket, for the reply being written.
    const rendered = await t.request({ method: 'POST', url: `/api/v1/templates/${tpl.id}/render`, token: anna.token, payload: { ticketId } })
    expect(rendered.statusCode).toBe(200)
    const [file] = rendered.json().attachments
    expect(rendered.json().attachments).toHaveLength(1)
    expect(file).toMatchObject({ filename: 'machtiging.pdf', contentType: 'application/pdf', size: pdf.length, url: `/api/v1/attachments/${file.id}` })
    const reply = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: anna.token, payload: { body: rendered.json().text, attachmentIds: [file.id] } })
    expect(reply.statusCode, reply.body).toBe(201)
    const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/articles`, token: customer.token })).json().items as { id: string; attachments: { id: string }[] }[]
    expect(articles.find((a) => a.id === reply.json().id)?.attachments.map((a) => a.id)).toEqual([file.id])
    // The customer downloads the same bytes from their ticket.
    const theirs = await t.request({ method: 'GET', url: `/api/v1/attachments/${file.id}`, token: customer.token })
    expect(theirs.statusCode).toBe(200)
    expect(theirs.rawPayload.equals(pdf)).toBe(true)

    // A 422 (a placeholder without a value) brings the files along as well.
    const loose = await t.user('customer', { name: 'anoniem@example.nl', email: `anoniem.${process.pid}@example.nl` })
    const other = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: anna.token, payload: { subject: 'Machtiging', body: 'b', requester: { email: loose.email } } })).json()
    const partly = await t.request({ method: 'POST', url: `/api/v1/templates/${tpl.id}/render`, token: anna.token, payload: { ticketId: other.id } })
    expect(partly.statusCode).toBe(422)
    expect(partly.json().attachments).toMatchObject([{ filename: 'machtiging.pdf' }])

    // Taken off the template: the template no longer carries it, the sent reply keeps its file.
    expect((await t.request({ method: 'DELETE', url: added.json().url, token: bram.token })).statusCode).toBe(404)
    expect((await t.request({ method: 'DELETE', url: added.json().url, token: anna.token })).statusCode).toBe(204)
    expect((await t.request({ method: 'DELETE', url: added.json().url, token: anna.token })).statusCode).toBe(404)
    expect((await t.request({ method: 'GET', url: `/api/v1/templates/${tpl.id}`, token: anna.token })).json().attachments).toEqual([])
    expect((await t.request({ method: 'POST', url: `/api/v1/templates/${tpl.id}/render`, token: anna.token, payload: { ticketId } })).json().attachments).toEqual([])
    expect((await t.request({ method: 'GET', url: `/api/v1/attachments/${file.id}`, token: customer.token })).statusCode).toBe(200)
  })

  it('keeps templates from customers and strangers, and renders only on tickets the agent may see', async () => {
    const tpl = (await create(anna.token, { title: 'Privé', body: 'x', scope: 'personal' })).json()
    expect((await t.request({ method: 'GET', url: '/api/v1/templates' })).statusCode).toBe(401)
    for (const [method, url] of [
      ['GET', '/api/v1/templates'],
      ['GET', `/api/v1/templates/${tpl.id}`],
      ['POST', '/api/v1/templates'],
      ['PATCH', `/api/v1/templates/${tpl.id}`],
      ['DELETE', `/api/v1/templates/${tpl.id}`],
      ['POST', `/api/v1/templates/${tpl.id}/render`],
    ] as const) {
      const payload = method === 'POST' && url.endsWith('render') ? { ticketId } : method === 'GET' || method === 'DELETE' ? undefined : { title: 'x', body: 'x', scope: 'personal' }
      const res = await t.request({ method, url, token: customer.token, payload })
      expect(res.statusCode, `${method} ${url}`).toBe(403)
      expect((await t.request({ method, url, payload })).statusCode, `${method} ${url} without login`).toBe(401)
    }
    // Supervisors keep shared templates in order, but never see someone's personal ones.
    const supervisor = await t.user('supervisor')
    expect((await t.request({ method: 'GET', url: `/api/v1/templates/${tpl.id}`, token: supervisor.token })).statusCode).toBe(404)
    const unknownTicket = await t.request({ method: 'POST', url: `/api/v1/templates/${tpl.id}/render`, token: anna.token, payload: { ticketId: '00000000-0000-7000-8000-000000000000' } })
    expect(unknownTicket.statusCode).toBe(404)
  })
})
