import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'
import { auditRepository } from './audit.repository.js'

type Entry = { id: string; at: string; action: string; actorId: string | null; subjectUserId: string | null; ip: string | null; details: Record<string, unknown> }

describeEachDatabase('audit log', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
  })
  afterAll(() => t?.close())

  const entries = async (query: string): Promise<Entry[]> => {
    const res = await t.request({ method: 'GET', url: `/api/v1/audit?limit=500&${query}`, token: admin.token })
    expect(res.statusCode).toBe(200)
    return res.json().items
  }

  describe('who may read it', () => {
    it('answers administrators only: 403 for supervisors, agents and customers, 401 without login, for the list and the export', async () => {
      const others = await Promise.all((['supervisor', 'agent', 'customer'] as const).map((role) => t.user(role)))
      for (const url of ['/api/v1/audit', '/api/v1/audit.csv', '/api/v1/audit?format=csv']) {
        expect((await t.request({ method: 'GET', url, token: admin.token })).statusCode).toBe(200)
        for (const other of others) {
          const res = await t.request({ method: 'GET', url, token: other.token })
          expect(res.statusCode).toBe(403)
          expect(res.headers['content-type']).toContain('application/problem+json')
        }
        expect((await t.request({ method: 'GET', url })).statusCode).toBe(401)
      }
    })

    it('has no route that changes or removes an entry', async () => {
      const [entry] = await entries('')
      for (const method of ['PUT', 'PATCH', 'DELETE', 'POST'] as const) {
        const res = await t.request({ method, url: `/api/v1/audit/${entry.id}`, token: admin.token, payload: { action: 'nothing' } })
        expect(res.statusCode).toBe(404)
        expect((await t.request({ method, url: '/api/v1/audit', token: admin.token, payload: {} })).statusCode).toBe(404)
      }
      expect((await entries('')).find((e) => e.id === entry.id)).toEqual(entry)
    })
  })

  describe('what is recorded', () => {
    it('records sign-ins and failed sign-ins with the address they came from, never the password tried', async () => {
      const user = await t.user('agent', { email: 'audit.login@desk.nl', password: 'juist-wachtwoord' })
      const login = (password: string) =>
        t.request({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: '10.1.2.3', payload: { email: 'audit.login@desk.nl', password } })
      expect((await login('fout-wachtwoord-123')).statusCode).toBe(401)
      expect((await login('juist-wachtwoord')).statusCode).toBe(200)
      await t.request({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'niemand@desk.nl', password: 'geraden-wachtwoord' } })
      const mine = await entries(`subjectUserId=${user.id}`)
      expect(mine.map((e) => e.action)).toEqual(['auth.signed-in', 'auth.sign-in-failed', 'token.created', 'user.created'])
      expect(mine[0]).toMatchObject({ actorId: user.id, ip: '10.1.2.3', details: { method: 'password' } })
      expect(mine[1]).toMatchObject({ actorId: null, ip: '10.1.2.3', details: { email: 'audit.login@desk.nl', reason: 'wrong-password' } })
      const unknown = (await entries('action=auth.sign-in-failed')).find((e) => e.details.email === 'niemand@desk.nl')
      expect(unknown).toMatchObject({ subjectUserId: null, details: { reason: 'unknown-address' } })
      const all = JSON.stringify(await entries(''))
      expect(all).not.toContain('fout-wachtwoord-123')
      expect(all).not.toContain('geraden-wachtwoord')
      expect(all).not.toContain('juist-wachtwoord')
    })

    it('records account changes by field name and value, a new password by name only, and role, disabling and groups under their own actions', async () => {
      const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Audit-afdeling' } })).json()
      const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Audit-groep', departmentId: dep.id, line: 1 } })).json()
      const created = await t.request({ method: 'POST', url: '/api/v1/users', token: admin.token, payload: { email: 'wijzig@desk.nl', name: 'Wim', role: 'agent', password: 'eerste-geheim' } })
      const id = created.json().id
      const patch = (payload: object) => t.request({ method: 'PATCH', url: `/api/v1/users/${id}`, token: admin.token, payload })
      expect((await patch({ name: 'Wim de Vries', phone: '+31201234567', password: 'tweede-geheim' })).statusCode).toBe(200)
      expect((await patch({ role: 'supervisor' })).statusCode).toBe(200)
      expect((await patch({ groupIds: [group.id] })).statusCode).toBe(200)
      expect((await t.request({ method: 'PATCH', url: `/api/v1/groups/${group.id}`, token: admin.token, payload: { memberIds: [] } })).statusCode).toBe(200)
      expect((await patch({ active: false })).statusCode).toBe(200)
      const list = (await entries(`subjectUserId=${id}`)).reverse()
      expect(list.map((e) => e.action)).toEqual(['user.created', 'user.changed', 'user.role-changed', 'user.groups-changed', 'user.groups-changed', 'user.disabled'])
      expect(list.every((e) => e.actorId === admin.id)).toBe(true)
      expect(list[0].details).toMatchObject({ email: 'wijzig@desk.nl', role: 'agent', canSignIn: true })
      expect(list[1].details).toEqual({ fields: ['name', 'phone', 'password'], changes: { name: { from: 'Wim', to: 'Wim de Vries' }, phone: { from: null, to: '+31201234567' } } })
      expect(list[2].details).toEqual({ from: 'agent', to: 'supervisor' })
      expect(list[3].details).toEqual({ added: [group.id], removed: [] })
      expect(list[4].details).toMatchObject({ added: [], removed: [group.id], group: 'Audit-groep' })
      expect(JSON.stringify(list)).not.toMatch(/geheim|argon/)
      const settings = await entries(`actorId=${admin.id}`)
      expect(settings.find((e) => e.action === 'group.created')).toMatchObject({ details: { groupId: group.id, name: 'Audit-groep', line: 1 } })
      expect(settings.find((e) => e.action === 'department.created')).toMatchObject({ details: { departmentId: dep.id } })
    })

    it('records tokens created and revoked', async () => {
      const user = await t.user('agent')
      const made = (await t.request({ method: 'POST', url: '/api/v1/me/tokens', token: user.token, payload: { name: 'export-script' } })).json()
      expect((await t.request({ method: 'DELETE', url: `/api/v1/me/tokens/${made.id}`, token: user.token })).statusCode).toBe(204)
      const list = await entries(`subjectUserId=${user.id}`)
      expect(list.map((e) => e.action)).toEqual(['token.revoked', 'token.created', 'token.created', 'user.created'])
      expect(list[0]).toMatchObject({ actorId: user.id, details: { tokenId: made.id, name: 'export-script' } })
      expect(JSON.stringify(list)).not.toContain(made.token)
    })

    it('records mailbox changes without their passwords', async () => {
      const body = { name: 'Audit', address: 'audit@example.nl', imap: { host: 'imap.example.nl', user: 'a', password: 'imap-geheim-1' }, smtp: { host: 'smtp.example.nl', password: 'smtp-geheim-1' } }
      const mailbox = (await t.request({ method: 'POST', url: '/api/v1/mailboxes', token: admin.token, payload: body })).json()
      expect((await t.request({ method: 'PATCH', url: `/api/v1/mailboxes/${mailbox.id}`, token: admin.token, payload: { signature: 'Groet', imap: { password: 'imap-geheim-2' } } })).statusCode).toBe(200)
      expect((await t.request({ method: 'DELETE', url: `/api/v1/mailboxes/${mailbox.id}`, token: admin.token })).statusCode).toBe(204)
      const list = (await entries('')).filter((e) => e.details.mailboxId === mailbox.id)
      expect(list.map((e) => e.action)).toEqual(['mailbox.removed', 'mailbox.changed', 'mailbox.created'])
      expect(list[1].details).toMatchObject({ fields: ['imap_password', 'signature'], changes: { signature: 'Groet' } })
      expect(JSON.stringify(list)).not.toMatch(/geheim|v1:/)
    })

    it("records staff reading a person's profile or tickets outside their own tickets, not within them", async () => {
      const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'Lees-afdeling' } })).json()
      const group = (await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Lees-groep', departmentId: dep.id, line: 1 } })).json()
      const agent = await t.user('agent', { groupIds: [group.id] })
      const stranger = await t.user('customer')
      const known = await t.user('customer')
      await t.request({ method: 'POST', url: '/api/v1/tickets', token: admin.token, payload: { subject: 'Vraag', body: 'Hoi', requester: { email: known.email }, groupId: group.id } })
      for (const person of [stranger, known]) {
        expect((await t.request({ method: 'GET', url: `/api/v1/users/${person.id}`, token: agent.token })).statusCode).toBe(200)
        expect((await t.request({ method: 'GET', url: `/api/v1/tickets?requesterId=${person.id}`, token: agent.token })).statusCode).toBe(200)
      }
      // Customers reading themselves are not recorded.
      await t.request({ method: 'GET', url: `/api/v1/users/${stranger.id}`, token: stranger.token })
      expect((await entries(`action=user.viewed&subjectUserId=${stranger.id}`)).map((e) => [e.actorId, e.details.what])).toEqual([
        [agent.id, 'tickets'],
        [agent.id, 'profile'],
      ])
      expect(await entries(`action=user.viewed&subjectUserId=${known.id}`)).toEqual([])
    })
  })

  describe('reading and exporting', () => {
    it('filters by actor, subject, action and time, a page at a time, newest first', async () => {
      const person = await t.user('customer')
      for (const name of ['een', 'twee', 'drie', 'vier', 'vijf']) {
        expect((await t.request({ method: 'PATCH', url: `/api/v1/users/${person.id}`, token: admin.token, payload: { name } })).statusCode).toBe(200)
      }
      const seen: Entry[] = []
      let cursor: string | null = null
      do {
        const url: string = `/api/v1/audit?subjectUserId=${person.id}&action=user.changed&actorId=${admin.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`
        const page = (await t.request({ method: 'GET', url, token: admin.token })).json()
        expect(page.items.length).toBeLessThanOrEqual(2)
        seen.push(...page.items)
        cursor = page.nextCursor
      } while (cursor)
      expect(seen.map((e) => (e.details.changes as { name: { to: string } }).name.to)).toEqual(['vijf', 'vier', 'drie', 'twee', 'een'])
      const middle = seen[2].at
      expect((await entries(`subjectUserId=${person.id}&action=user.changed&from=${encodeURIComponent(middle)}`)).length).toBeGreaterThanOrEqual(3)
      expect(await entries(`subjectUserId=${person.id}&to=2000-01-01T00:00:00Z`)).toEqual([])
      const bad = await t.request({ method: 'GET', url: '/api/v1/audit?from=gisteren', token: admin.token })
      expect(bad.statusCode).toBe(400)
      expect((await t.request({ method: 'GET', url: '/api/v1/audit?cursor=zzz', token: admin.token })).statusCode).toBe(400)
    })

    it('exports CSV that a spreadsheet will not run as formulas, and records the export', async () => {
      const person = await t.user('customer', { name: '=HYPERLINK("http://evil")' })
      await t.request({ method: 'PATCH', url: `/api/v1/users/${person.id}`, token: admin.token, payload: { name: '+31 "quoted", name' } })
      const res = await t.request({ method: 'GET', url: `/api/v1/audit.csv?subjectUserId=${person.id}&action=user.changed`, token: admin.token, remoteAddress: '10.7.7.7' })
      expect(res.statusCode).toBe(200)
      expect(res.headers['content-type']).toContain('text/csv')
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename="loket-audit-\d{4}-\d\d-\d\d\.csv"$/)
      const lines = res.body.trim().split('\r\n')
      expect(lines[0]).toBe('at,action,actorId,actorName,subjectUserId,subjectName,ip,details')
      expect(lines).toHaveLength(2)
      expect(lines[1]).toContain(',user.changed,')
      expect(lines[1]).toContain(`"'+31 ""quoted"", name"`) // the subject's name now, quoted and defused
      expect(res.body).not.toMatch(/,=HYPERLINK/)
      const exported = (await entries('action=audit.exported'))[0]
      expect(exported).toMatchObject({ actorId: admin.id, ip: '10.7.7.7', details: { subjectUserId: person.id, action: 'user.changed' } })
      const viaFormat = await t.request({ method: 'GET', url: `/api/v1/audit?format=csv&action=user.changed&subjectUserId=${person.id}`, token: admin.token })
      expect(viaFormat.body.trim().split('\r\n')).toHaveLength(2)
    })

    it('exports more entries than one read fetches', async () => {
      const subject = `bulk-${Date.now()}`
      const db = t.runtime.deps.db
      for (let i = 0; i < 2100; i += 300) {
        await db.insertInto('audit_log').values(
          Array.from({ length: 300 }, (_, j) => ({ id: `bulk-${String(i + j).padStart(5, '0')}`, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i + j)).toISOString(), actor_id: null, action: 'test.bulk', subject_user_id: subject, ip: null, details: '{}' })),
        ).execute()
      }
      const res = await t.request({ method: 'GET', url: `/api/v1/audit.csv?subjectUserId=${subject}`, token: admin.token })
      expect(res.body.trim().split('\r\n')).toHaveLength(2101)
    })
  })

  describe('retention', () => {
    it('removes entries older than the retention period with a daily job, and keeps the rest', async () => {
      const db = t.runtime.deps.db
      const day = 24 * 3600_000
      const old = new Date(Date.now() - 366 * day).toISOString()
      const recent = new Date(Date.now() - 300 * day).toISOString()
      for (const [id, at] of [['old-1', old], ['old-2', old], ['recent-1', recent]]) {
        await auditRepository.insert(db, { id, at, actor_id: null, action: 'test.retention', subject_user_id: null, ip: null, details: '{}' })
      }
      const { audit } = t.runtime.services
      const jobs = t.runtime.deps.jobs
      await audit.scheduleRotation()
      await audit.scheduleRotation() // a second worker starting the same day adds nothing
      const queued = await db.selectFrom('job').selectAll().where('queue', '=', 'audit.rotate').execute()
      expect(queued).toHaveLength(1)
      while (await jobs.runOnce()) {
        // runs the rotation (and anything else due)
      }
      const left = await db.selectFrom('audit_log').select('id').where('action', '=', 'test.retention').execute()
      expect(left.map((r) => r.id)).toEqual(['recent-1'])
      const next = await db.selectFrom('job').selectAll().where('queue', '=', 'audit.rotate').where('status', '=', 'queued').execute()
      expect(next).toHaveLength(1)
      expect(Date.parse(next[0].run_at)).toBeGreaterThan(Date.now() + 23 * 3600_000)
    })
  })
})
