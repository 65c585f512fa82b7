import { afterAll, beforeAll, expect, it } from 'vitest'
import { decryptSecret } from './secrets.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

// The organisation page for staff (issue 18): every agent reads an organisation with its contact details
// and the desk's notes, keeps them up to date, and assigns or replaces its local administrator on request
// with the audit trail beside it. Customers read only their own organisation, without the notes; a local
// administrator of another organisation reaches nothing of it.
describeEachDatabase('the organisation page for staff', (database) => {
  let t: TestApp
  type U = Awaited<ReturnType<TestApp['user']>>
  let admin: U, agent: U
  let orgA: string, orgB: string
  let memberA: U, colleagueA: U, adminB: U

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent', { name: 'Aad Agent' })
    const org = async (name: string, domain: string) =>
      (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name, domains: [domain] } })).json().id as string
    orgA = await org('Gemeente Alfa', 'alfa.example')
    orgB = await org('Waterschap Beta', 'beta.example')
    memberA = await t.user('customer', { email: 'mia@alfa.example', name: 'Mia Alfa', organisationId: orgA })
    colleagueA = await t.user('customer', { email: 'cor@alfa.example', name: 'Cor Alfa', organisationId: orgA })
    adminB = await t.user('customer', { email: 'bo@beta.example', name: 'Bo Beta', organisationId: orgB })
    expect((await t.request({ method: 'PUT', url: `/api/v1/organisations/${orgB}/local-administrators`, token: agent.token, payload: { userIds: [adminB.id], requestedBy: 'Bo zelf' } })).statusCode).toBe(200)
  })
  afterAll(() => t?.close())

  const get = (url: string, token?: string) => t.request({ method: 'GET', url, token })

  it('lets an agent keep contact details and notes; members read the contact details but never the notes', async () => {
    const changed = await t.request({
      method: 'PATCH',
      url: `/api/v1/organisations/${orgA}`,
      token: agent.token,
      payload: { contactEmail: 'Servicepunt@Alfa.example', contactPhone: '030 123 45 67', address: 'Markt 1\n1234 AB Alfa', notes: 'Belt liever dan dat ze mailen.' },
    })
    expect(changed.statusCode).toBe(200)
    expect(changed.json()).toMatchObject({ contactEmail: 'servicepunt@alfa.example', contactPhone: '030 123 45 67', address: 'Markt 1\n1234 AB Alfa', notes: 'Belt liever dan dat ze mailen.' })

    const asMember = await get(`/api/v1/organisations/${orgA}`, memberA.token)
    expect(asMember.statusCode).toBe(200)
    expect(asMember.json().contactPhone).toBe('030 123 45 67')
    expect(asMember.json()).not.toHaveProperty('notes')
    // The list (staff) carries no notes either: they belong to the page of one organisation.
    const list = await get('/api/v1/organisations?q=alfa', agent.token)
    expect(list.json().items[0]).not.toHaveProperty('notes')

    // An empty text clears a field; a field left out stays as it is.
    const cleared = await t.request({ method: 'PATCH', url: `/api/v1/organisations/${orgA}`, token: agent.token, payload: { notes: '  ', contactPhone: null } })
    expect(cleared.json()).toMatchObject({ notes: null, contactPhone: null, contactEmail: 'servicepunt@alfa.example' })

    // Malformed input: a problem+json 400.
    const bad = await t.request({ method: 'PATCH', url: `/api/v1/organisations/${orgA}`, token: agent.token, payload: { contactEmail: 'geen adres' } })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
    // Domains stay a team lead's or administrator's call.
    expect((await t.request({ method: 'PATCH', url: `/api/v1/organisations/${orgA}`, token: agent.token, payload: { domains: ['x.example'] } })).statusCode).toBe(403)
  })

  it('refuses customers: no notes to change, no other organisation to read, no members to list', async () => {
    for (const who of [memberA, adminB]) {
      expect((await t.request({ method: 'PATCH', url: `/api/v1/organisations/${orgA}`, token: who.token, payload: { notes: 'x' } })).statusCode).toBe(403)
      expect((await get(`/api/v1/users?organisationId=${orgA}`, who.token)).statusCode).toBe(403)
      expect((await get('/api/v1/organisations', who.token)).statusCode).toBe(403)
    }
    // Another organisation does not exist for a customer, not even for its neighbour's local administrator.
    expect((await get(`/api/v1/organisations/${orgA}`, adminB.token)).statusCode).toBe(404)
    expect((await get(`/api/v1/organisations/${orgA}`)).statusCode).toBe(401)
  })

  it('lets an agent assign and replace a local administrator on request, recorded with who asked, and shows the trail to staff only', async () => {
    const put = (token: string | undefined, userIds: string[], requestedBy = 'Directeur, per telefoon') =>
      t.request({ method: 'PUT', url: `/api/v1/organisations/${orgA}/local-administrators`, token, payload: { userIds, requestedBy } })
    const changes = (token?: string) => get(`/api/v1/organisations/${orgA}/local-administrator-changes`, token)

    // Customers may not: a member, and the local administrator of another organisation.
    expect((await put(memberA.token, [memberA.id])).statusCode).toBe(403)
    expect((await put(adminB.token, [memberA.id])).statusCode).toBe(403)
    expect((await put(undefined, [memberA.id])).statusCode).toBe(401)
    expect((await changes()).statusCode).toBe(401)

    expect((await changes(agent.token)).json().items).toEqual([])
    const first = await put(agent.token, [memberA.id])
    expect(first.statusCode).toBe(200)
    expect(first.json().localAdministrators.map((p: { name: string }) => p.name)).toEqual(['Mia Alfa'])
    const second = await put(agent.token, [colleagueA.id], 'Mia Alfa, per mail (gaat met verlof)')
    expect(second.json().localAdministrators.map((p: { name: string }) => p.name)).toEqual(['Cor Alfa'])

    const trail = await changes(agent.token)
    expect(trail.statusCode).toBe(200)
    const [latest, earlier] = trail.json().items
    expect(latest).toMatchObject({ agent: { id: agent.id, name: 'Aad Agent' }, requestedBy: 'Mia Alfa, per mail (gaat met verlof)', previous: [{ name: 'Mia Alfa' }], current: [{ name: 'Cor Alfa' }] })
    expect(earlier).toMatchObject({ requestedBy: 'Directeur, per telefoon', previous: [], current: [{ name: 'Mia Alfa' }] })
    expect(Date.parse(latest.at)).toBeGreaterThanOrEqual(Date.parse(earlier.at))
    // Only this organisation's: Beta's change is not in Alfa's trail.
    expect(trail.json().items).toHaveLength(2)

    // The new local administrator got a mail in their language.
    const jobs = await t.runtime.deps.db.selectFrom('job').select('payload').where('queue', '=', 'account.mail').execute()
    const mails = jobs.map((j) => JSON.parse(decryptSecret(t.runtime.config.secret, JSON.parse(j.payload).sealed)) as { to: string; subject: string })
    expect(mails.some((m) => m.to === colleagueA.email)).toBe(true)

    // The trail is the desk's: customers, local administrators included, get 403; an unknown organisation 404.
    const corToken = colleagueA.token
    expect((await changes(corToken)).statusCode).toBe(403)
    expect((await changes(adminB.token)).statusCode).toBe(403)
    expect((await get('/api/v1/organisations/018bea06-dc00-7ed7-9576-1927485ad811/local-administrator-changes', agent.token)).statusCode).toBe(404)
    const malformed = await get(`/api/v1/organisations/${orgA}/local-administrator-changes?limit=0`, agent.token)
    expect(malformed.statusCode).toBe(400)
    expect(malformed.headers['content-type']).toContain('application/problem+json')
  })
})
