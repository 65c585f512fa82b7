import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decryptSecret } from '../accounts/secrets.js'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

// The portal's front door and organisations that manage their own accounts (issue 18): sign-in links,
// self-registration, banners, local administrators; authorisation per role on every new route.
describeEachDatabase('portal access', (database) => {
  let t: TestApp
  type U = Awaited<ReturnType<TestApp['user']>>
  let admin: U, agent: U, supervisor: U
  let orgA: string, orgB: string
  let adminA: U, memberA: U, adminB: U, memberB: U
  let ip = 0
  // Each call from its own network address, so the per-address limits do not get in the way unless a test wants them to.
  const from = () => `10.0.${Math.floor(++ip / 250)}.${ip % 250}`

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
    supervisor = await t.user('supervisor')
    const org = async (name: string, domain: string, selfRegistration = false) =>
      (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name, domains: [domain], selfRegistration } })).json().id as string
    orgA = await org('Bakkerij Alfa', 'alfa.example', true)
    orgB = await org('Brouwerij Beta', 'beta.example')
    adminA = await t.user('customer', { email: 'anna@alfa.example', name: 'Anna Alfa', organisationId: orgA })
    memberA = await t.user('customer', { email: 'aart@alfa.example', name: 'Aart Alfa', organisationId: orgA })
    adminB = await t.user('customer', { email: 'bert@beta.example', name: 'Bert Beta', organisationId: orgB })
    memberB = await t.user('customer', { email: 'bea@beta.example', name: 'Bea Beta', organisationId: orgB })
    for (const [orgId, who] of [[orgA, adminA], [orgB, adminB]] as const) {
      const set = await t.request({ method: 'PUT', url: `/api/v1/organisations/${orgId}/local-administrators`, token: agent.token, payload: { userIds: [who.id], requestedBy: 'Directeur per telefoon' } })
      expect(set.statusCode).toBe(200)
    }
  })
  afterAll(() => t?.close())

  const mails = async () => {
    const jobs = await t.runtime.deps.db.selectFrom('job').select('payload').where('queue', '=', 'account.mail').orderBy('id').execute()
    return jobs.map((j) => JSON.parse(decryptSecret(t.runtime.config.secret, JSON.parse(j.payload).sealed)) as { to: string; subject: string; text: string })
  }
  const mailsTo = async (to: string) => (await mails()).filter((m) => m.to === to)
  const secretOf = (mail: { text: string }) => /#([\w-]{20,})/.exec(mail.text)![1]
  const post = (url: string, payload: object, remoteAddress = from()) => t.request({ method: 'POST', url, payload, remoteAddress })
  const useLink = (token: string) => post('/api/v1/auth/sign-in-link/use', { token })

  describe('sign-in by one-time link', () => {
    it('mails a link valid 15 minutes that signs in once; unknown and switched-off addresses get the same answer and no mail', async () => {
      const before = (await mailsTo(memberA.email)).length
      const asked = await post('/api/v1/auth/sign-in-link', { email: ' AART@alfa.example ' })
      expect(asked.statusCode).toBe(202)
      const [mail] = (await mailsTo(memberA.email)).slice(before)
      expect(mail.subject).toBe('Uw inloglink voor Loket')
      expect(mail.text).toContain('http://localhost/portal/link#')
      expect(mail.text).toContain('15 minuten')
      const link = await t.runtime.deps.db.selectFrom('account_link').selectAll().where('user_id', '=', memberA.id).where('purpose', '=', 'sign-in').executeTakeFirstOrThrow()
      expect(Date.parse(link.expires_at) - Date.parse(link.created_at)).toBe(15 * 60_000)

      const signedIn = await useLink(secretOf(mail))
      expect(signedIn.statusCode).toBe(200)
      expect(signedIn.json().user).toMatchObject({ id: memberA.id, role: 'customer', localAdmin: false })
      expect(String(signedIn.headers['set-cookie'])).toContain('loket_session=')
      // Works once.
      const again = await useLink(secretOf(mail))
      expect(again.statusCode).toBe(400)
      expect(again.headers['content-type']).toContain('application/problem+json')

      // More requests within two minutes send no more mail (no mail bombing); the answer is the same.
      expect((await post('/api/v1/auth/sign-in-link', { email: memberA.email })).statusCode).toBe(202)
      expect((await post('/api/v1/auth/sign-in-link', { email: memberA.email })).statusCode).toBe(202)
      expect((await mailsTo(memberA.email)).length - before).toBe(1)

      const total = (await mails()).length
      expect((await post('/api/v1/auth/sign-in-link', { email: 'niemand@alfa.example' })).statusCode).toBe(202)
      expect((await mails()).length).toBe(total)
      expect((await post('/api/v1/auth/sign-in-link', { email: 'geen adres' })).statusCode).toBe(202)
    })

    it('does not sign in with an expired link, nor a switched-off account', async () => {
      const who = await t.user('customer', { organisationId: orgA })
      await post('/api/v1/auth/sign-in-link', { email: who.email })
      const [mail] = await mailsTo(who.email)
      await t.runtime.deps.db.updateTable('account_link').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('user_id', '=', who.id).execute()
      expect((await useLink(secretOf(mail))).statusCode).toBe(400)

      const off = await t.user('customer', { organisationId: orgA })
      await post('/api/v1/auth/sign-in-link', { email: off.email })
      const [offMail] = await mailsTo(off.email)
      await t.request({ method: 'PATCH', url: `/api/v1/users/${off.id}`, token: agent.token, payload: { active: false } })
      expect((await useLink(secretOf(offMail))).statusCode).toBe(400)
      expect((await useLink('x'.repeat(40))).statusCode).toBe(400)
    })

    it('limits how often one network address asks', async () => {
      const codes: number[] = []
      for (let i = 0; i < 7; i++) codes.push((await post('/api/v1/auth/sign-in-link', { email: `iemand${i}@alfa.example` }, '10.9.9.9')).statusCode)
      expect(codes.slice(0, 5)).toEqual([202, 202, 202, 202, 202])
      expect(codes.at(-1)).toBe(429)
    })
  })

  describe('self-registration', () => {
    it('makes an account in an organisation that allows it, signed in through the mailed link; the same answer for every address', async () => {
      const total = (await mails()).length
      expect((await post('/api/v1/auth/register', { email: 'nieuw@alfa.example', name: 'Nienke Nieuw', language: 'en' })).statusCode).toBe(202)
      const [mail] = await mailsTo('nieuw@alfa.example')
      expect(mail.subject).toBe('Your sign-in link for Loket')
      const signedIn = await useLink(secretOf(mail))
      expect(signedIn.json().user).toMatchObject({ email: 'nieuw@alfa.example', name: 'Nienke Nieuw', role: 'customer', organisationId: orgA, language: 'en' })

      // An organisation that does not allow it, a domain nobody owns: the same 202, no account, no mail.
      for (const email of ['nieuw@beta.example', 'nieuw@nergens.example']) {
        expect((await post('/api/v1/auth/register', { email, name: 'X' })).statusCode).toBe(202)
        expect(await t.runtime.deps.db.selectFrom('app_user').select('id').where('email', '=', email).executeTakeFirst()).toBeUndefined()
      }
      expect((await mails()).length).toBe(total + 1)
      // An address that has an account gets a sign-in link, not a second account.
      expect((await post('/api/v1/auth/register', { email: adminB.email, name: 'Bert' })).statusCode).toBe(202)
      expect((await mailsTo(adminB.email)).some((m) => m.subject === 'Uw inloglink voor Loket')).toBe(true)
      expect((await post('/api/v1/auth/register', { email: 'x@alfa.example' })).statusCode).toBe(400)
    })

    it('lets administrators and supervisors switch self-registration, not agents or customers', async () => {
      const set = (token: string, selfRegistration: boolean) => t.request({ method: 'PATCH', url: `/api/v1/organisations/${orgB}`, token, payload: { selfRegistration } })
      expect((await set(agent.token, true)).statusCode).toBe(403)
      expect((await set(adminB.token, true)).statusCode).toBe(403)
      expect((await set(supervisor.token, true)).json().selfRegistration).toBe(true)
      expect((await set(admin.token, false)).json().selfRegistration).toBe(false)
    })
  })

  describe('local administrators', () => {
    it('are assigned by the desk on request, recorded in the audit trail, and mailed in their language', async () => {
      const org = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name: 'Camping Gamma' } })).json().id
      const first = await t.user('customer', { organisationId: org, name: 'Cees Gamma' })
      const second = await t.user('customer', { organisationId: org, name: 'Carla Gamma' })
      await t.request({ method: 'PATCH', url: `/api/v1/users/${second.id}`, token: admin.token, payload: { language: 'en' } })
      const put = (token: string | undefined, userIds: string[], requestedBy = 'Directeur Gamma, per mail van 7 december') =>
        t.request({ method: 'PUT', url: `/api/v1/organisations/${org}/local-administrators`, token, payload: { userIds, requestedBy } })

      expect((await put(undefined, [first.id])).statusCode).toBe(401)
      expect((await put(first.token, [first.id])).statusCode).toBe(403)
      expect((await put(adminA.token, [first.id])).statusCode).toBe(403)
      expect((await put(agent.token, [memberA.id])).statusCode).toBe(400)
      expect((await put(agent.token, [first.id], '')).statusCode).toBe(400)
      const missing = await t.request({ method: 'PUT', url: `/api/v1/organisations/${org}/local-administrators`, token: agent.token, payload: { userIds: [first.id] } })
      expect(missing.statusCode).toBe(400)
      expect(missing.headers['content-type']).toContain('application/problem+json')
      expect((await t.request({ method: 'PUT', url: '/api/v1/organisations/bestaat-niet/local-administrators', token: agent.token, payload: { userIds: [], requestedBy: 'x' } })).statusCode).toBe(404)

      const listed = async () => (await t.request({ method: 'GET', url: '/api/v1/organisations?withoutLocalAdministrator=true&limit=200', token: agent.token })).json().items.map((o: { id: string }) => o.id)
      expect(await listed()).toContain(org)
      expect(await listed()).not.toContain(orgA)

      const assigned = await put(agent.token, [first.id])
      expect(assigned.statusCode).toBe(200)
      expect(assigned.json().localAdministrators).toEqual([{ id: first.id, name: 'Cees Gamma', email: first.email }])
      expect(await listed()).not.toContain(org)
      // Replaced at the organisation's request: by an administrator this time.
      const replaced = await put(admin.token, [second.id], 'Cees Gamma (vertrekt), per telefoon')
      expect(replaced.json().localAdministrators.map((p: { id: string }) => p.id)).toEqual([second.id])

      const audit = (await t.request({ method: 'GET', url: '/api/v1/audit?action=organisation.local-administrators-changed&limit=500', token: admin.token })).json().items
      const mine = audit.filter((e: { details: { organisationId: string } }) => e.details.organisationId === org)
      expect(mine).toHaveLength(2)
      const last = mine.find((e: { details: { requestedBy: string } }) => e.details.requestedBy.startsWith('Cees'))
      expect(last).toMatchObject({
        actorId: admin.id,
        details: { requestedBy: 'Cees Gamma (vertrekt), per telefoon', previous: [{ id: first.id, name: 'Cees Gamma' }], current: [{ id: second.id, name: 'Carla Gamma' }] },
      })
      expect(typeof last.at).toBe('string')
      // The audit log filtered by organisation (Beheer's history of an organisation's local administrators): this one's entries only, newest first.
      const byOrganisation = await t.request({ method: 'GET', url: `/api/v1/audit?action=organisation.local-administrators-changed&organisationId=${org}`, token: admin.token })
      expect(byOrganisation.json().items.map((e: { details: { requestedBy: string } }) => e.details.requestedBy)).toEqual(['Cees Gamma (vertrekt), per telefoon', 'Directeur Gamma, per mail van 7 december'])
      expect((await t.request({ method: 'GET', url: `/api/v1/audit?organisationId=${orgB}&action=organisation.local-administrators-changed`, token: admin.token })).json().items).toHaveLength(1)
      expect((await t.request({ method: 'GET', url: `/api/v1/audit?organisationId=${org}`, token: agent.token })).statusCode).toBe(403)
      expect((await mailsTo(first.email)).map((m) => m.subject)).toEqual(['U bent nu lokaal beheerder van Camping Gamma'])
      expect((await mailsTo(second.email)).map((m) => m.subject)).toEqual(['You are now local administrator of Camping Gamma'])
      // The one replaced is no longer local administrator: no members list for them.
      expect((await t.request({ method: 'GET', url: '/api/v1/portal/members', token: first.token })).statusCode).toBe(403)
      expect((await t.request({ method: 'GET', url: '/api/v1/portal/members', token: second.token })).statusCode).toBe(200)
    })

    it('tells every member who their local administrator is, or that there is none', async () => {
      const mine = await t.request({ method: 'GET', url: '/api/v1/portal/organisation', token: memberA.token })
      expect(mine.json()).toEqual({ organisation: { id: orgA, name: 'Bakkerij Alfa' }, localAdministrators: [{ id: adminA.id, name: 'Anna Alfa', email: adminA.email }], youAreLocalAdministrator: false })
      expect((await t.request({ method: 'GET', url: '/api/v1/portal/organisation', token: adminA.token })).json().youAreLocalAdministrator).toBe(true)
      const org = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name: 'Delta' } })).json().id
      const alone = await t.user('customer', { organisationId: org })
      expect((await t.request({ method: 'GET', url: '/api/v1/portal/organisation', token: alone.token })).json()).toMatchObject({ organisation: { name: 'Delta' }, localAdministrators: [] })
      expect((await t.request({ method: 'GET', url: '/api/v1/portal/organisation' })).statusCode).toBe(401)
    })

    it('invite members who sign in through the link; only in their own organisation', async () => {
      const invite = (token: string, payload: object) => t.request({ method: 'POST', url: '/api/v1/portal/members', token, payload })
      for (const who of [memberA, agent, admin]) expect((await invite(who.token, { email: 'collega@alfa.example', name: 'Collega' })).statusCode).toBe(403)
      expect((await t.request({ method: 'POST', url: '/api/v1/portal/members', payload: { email: 'collega@alfa.example', name: 'C' } })).statusCode).toBe(401)
      expect((await invite(adminA.token, { email: 'geen-adres', name: 'C' })).statusCode).toBe(400)
      // Someone of another organisation is the desk's to move.
      expect((await invite(adminA.token, { email: memberB.email, name: 'Bea' })).statusCode).toBe(409)

      const invited = await invite(adminA.token, { email: 'collega@alfa.example', name: 'Cor Collega' })
      expect(invited.statusCode).toBe(201)
      expect(invited.json()).toMatchObject({ name: 'Cor Collega', email: 'collega@alfa.example', active: true, localAdmin: false })
      const [mail] = await mailsTo('collega@alfa.example')
      expect(mail.subject).toBe('U bent uitgenodigd voor het klantportaal van Loket')
      expect(mail.text).toContain('/portal/link#')
      const signedIn = await useLink(secretOf(mail))
      expect(signedIn.statusCode).toBe(200)
      expect(signedIn.json().user).toMatchObject({ organisationId: orgA, role: 'customer' })

      const membersA = (await t.request({ method: 'GET', url: '/api/v1/portal/members', token: adminA.token })).json().items.map((m: { email: string }) => m.email)
      expect(membersA).toEqual(expect.arrayContaining([adminA.email, memberA.email, 'collega@alfa.example']))
      expect(membersA).not.toContain(memberB.email)
      for (const who of [memberA, agent]) expect((await t.request({ method: 'GET', url: '/api/v1/portal/members', token: who.token })).statusCode).toBe(403)
    })

    it('switch members off (sessions and tokens end at once) and on, and make another member local administrator', async () => {
      const colleague = await t.user('customer', { organisationId: orgA, name: 'Corrie Alfa' })
      const patch = (token: string, id: string, payload: object) => t.request({ method: 'PATCH', url: `/api/v1/portal/members/${id}`, token, payload })
      // Another organisation's local administrator finds no such member; a plain member and staff may not.
      expect((await patch(adminB.token, colleague.id, { active: false })).statusCode).toBe(404)
      expect((await patch(memberA.token, colleague.id, { active: false })).statusCode).toBe(403)
      expect((await patch(agent.token, colleague.id, { active: false })).statusCode).toBe(403)
      expect((await patch(adminA.token, adminA.id, { active: false })).statusCode).toBe(409)
      expect((await patch(adminA.token, colleague.id, { role: 'admin' })).statusCode).toBe(400)

      expect((await t.request({ method: 'GET', url: '/api/v1/me', token: colleague.token })).statusCode).toBe(200)
      const off = await patch(adminA.token, colleague.id, { active: false })
      expect(off.json()).toMatchObject({ active: false })
      expect((await t.request({ method: 'GET', url: '/api/v1/me', token: colleague.token })).statusCode).toBe(401)
      await post('/api/v1/auth/sign-in-link', { email: colleague.email })
      expect(await mailsTo(colleague.email)).toEqual([])
      expect((await patch(adminA.token, colleague.id, { active: true })).json()).toMatchObject({ active: true })

      const promoted = await patch(adminA.token, colleague.id, { localAdmin: true })
      expect(promoted.json()).toMatchObject({ localAdmin: true })
      expect((await mailsTo(colleague.email)).map((m) => m.subject)).toContain('U bent nu lokaal beheerder van Bakkerij Alfa')
      // A local administrator is switched off by the desk, not by a colleague.
      expect((await patch(adminA.token, colleague.id, { active: false })).statusCode).toBe(409)
      const audit = (await t.request({ method: 'GET', url: `/api/v1/audit?subjectUserId=${colleague.id}`, token: admin.token })).json().items.map((e: { action: string }) => e.action)
      expect(audit).toEqual(expect.arrayContaining(['user.disabled', 'user.enabled', 'organisation.local-administrators-changed']))
      // Back to one local administrator for the other tests.
      await t.request({ method: 'PUT', url: `/api/v1/organisations/${orgA}/local-administrators`, token: agent.token, payload: { userIds: [adminA.id], requestedBy: 'Anna Alfa' } })
    })

    it("see and follow every ticket of their organisation, nothing internal, nothing of another organisation", async () => {
      const opened = await t.request({ method: 'POST', url: '/api/v1/tickets', token: memberA.token, payload: { subject: 'Printer kapot bij de bakkerij', body: 'De printer doet niets.', requester: { email: memberA.email } } })
      expect(opened.statusCode).toBe(201)
      const ticket = opened.json()
      const other = (await t.request({ method: 'POST', url: '/api/v1/tickets', token: memberB.token, payload: { subject: 'Tap lekt', body: 'Help', requester: { email: memberB.email } } })).json()
      await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: agent.token, payload: { body: 'Intern: printer is afgeschreven', visibility: 'internal' } })
      await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: agent.token, payload: { body: 'We komen morgen kijken.', visibility: 'public' } })

      const get = (token: string, id: string) => t.request({ method: 'GET', url: `/api/v1/tickets/${id}`, token })
      expect((await get(adminA.token, ticket.id)).statusCode).toBe(200)
      expect((await get(adminB.token, ticket.id)).statusCode).toBe(404)
      expect((await get(adminA.token, other.id)).statusCode).toBe(404)
      const colleague = await t.user('customer', { organisationId: orgA })
      expect((await get(colleague.token, ticket.id)).statusCode).toBe(404)

      const articles = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/articles`, token: adminA.token })).json()
      const bodies = (articles.items ?? articles).map((a: { body: string }) => a.body).join(' ')
      expect(bodies).toContain('We komen morgen kijken.')
      expect(bodies).not.toContain('Intern')

      const list = async (token: string, query: string) => (await t.request({ method: 'GET', url: `/api/v1/tickets?${query}`, token })).json().items.map((x: { id: string }) => x.id)
      expect(await list(adminA.token, `organisationId=${orgA}`)).toContain(ticket.id)
      expect(await list(adminA.token, `organisationId=${orgA}&q=printer`)).toEqual([ticket.id])
      expect(await list(adminA.token, `organisationId=${orgA}&q=afgeschreven`)).toEqual([])
      expect(await list(adminA.token, `organisationId=${orgB}`)).not.toContain(other.id)
      // Without asking for the organisation, their list is their own tickets; a plain member's list stays theirs.
      expect(await list(adminA.token, '')).not.toContain(ticket.id)
      expect(await list(colleague.token, `organisationId=${orgA}`)).toEqual([])
    })
  })

  describe('reminders to organisations without a local administrator', () => {
    it('mail every active member of an organisation without one, in their language (staff only)', async () => {
      const org = (await t.request({ method: 'POST', url: '/api/v1/organisations', token: admin.token, payload: { name: 'Epsilon' } })).json().id
      const a = await t.user('customer', { organisationId: org })
      const remind = (token: string, organisationIds: string[]) => t.request({ method: 'POST', url: '/api/v1/organisations/local-administrator-reminders', token, payload: { organisationIds } })
      expect((await remind(adminA.token, [org])).statusCode).toBe(403)
      expect((await remind(agent.token, [])).statusCode).toBe(400)
      const sent = await remind(agent.token, [org, orgA])
      expect(sent.statusCode).toBe(202)
      expect(sent.json()).toEqual({ organisations: 1, mailed: 1 })
      expect((await mailsTo(a.email)).map((m) => m.subject)).toEqual(['Epsilon heeft geen lokaal beheerder in Loket'])
    })
  })

  describe('banners', () => {
    it('staff put up announcements and outages that every portal page shows while they last', async () => {
      const create = (token: string | undefined, payload: object) => t.request({ method: 'POST', url: '/api/v1/banners', token, payload })
      const banner = { kind: 'outage', textNl: 'Storing: de mail is traag.', textEn: 'Outage: mail is slow.' }
      expect((await create(undefined, banner)).statusCode).toBe(401)
      expect((await create(memberA.token, banner)).statusCode).toBe(403)
      expect((await create(adminA.token, banner)).statusCode).toBe(403)
      const bad = await create(agent.token, { ...banner, kind: 'grap' })
      expect(bad.statusCode).toBe(400)
      expect(bad.headers['content-type']).toContain('application/problem+json')
      expect((await create(agent.token, { ...banner, startsAt: '2026-12-08T10:00:00Z', endsAt: '2026-12-08T09:00:00Z' })).statusCode).toBe(400)

      const outage = await create(agent.token, banner)
      expect(outage.statusCode).toBe(201)
      const news = (await create(admin.token, { kind: 'announcement', textNl: 'Nieuw: het portaal.', textEn: 'New: the portal.' })).json()
      const ended = (await create(supervisor.token, { kind: 'announcement', textNl: 'Oud', textEn: 'Old', startsAt: '2026-01-01T00:00:00Z', endsAt: '2026-01-02T00:00:00Z' })).json()
      const planned = (await create(admin.token, { kind: 'announcement', textNl: 'Later', textEn: 'Later', startsAt: '2999-01-01T00:00:00Z' })).json()

      const shown = await t.request({ method: 'GET', url: '/api/v1/banners' })
      expect(shown.statusCode).toBe(200)
      expect(shown.json().items.map((b: { id: string }) => b.id)).toEqual([outage.json().id, news.id])
      const all = (token: string) => t.request({ method: 'GET', url: '/api/v1/banners?all=true', token })
      expect((await all(memberA.token)).statusCode).toBe(403)
      expect((await all(agent.token)).json().items.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining([ended.id, planned.id]))

      expect((await t.request({ method: 'PATCH', url: `/api/v1/banners/${news.id}`, token: memberA.token, payload: { textNl: 'x' } })).statusCode).toBe(403)
      const changed = await t.request({ method: 'PATCH', url: `/api/v1/banners/${news.id}`, token: agent.token, payload: { endsAt: new Date(Date.now() - 1000).toISOString(), startsAt: '2026-01-01T00:00:00Z' } })
      expect(changed.statusCode).toBe(200)
      expect((await t.request({ method: 'DELETE', url: `/api/v1/banners/${outage.json().id}`, token: memberA.token })).statusCode).toBe(403)
      expect((await t.request({ method: 'DELETE', url: `/api/v1/banners/${outage.json().id}`, token: agent.token })).statusCode).toBe(204)
      expect((await t.request({ method: 'DELETE', url: `/api/v1/banners/${outage.json().id}`, token: agent.token })).statusCode).toBe(404)
      expect((await t.request({ method: 'GET', url: '/api/v1/banners' })).json().items).toEqual([])
    })
  })
})
