import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('escalation, return and proposed reply', (database) => {
  let t: TestApp
  let admin: User
  let desk: User
  let deskColleague: User
  let specialist: User
  let specialist2: User
  let customer: User
  let supervisor: User
  let deskGroup: string
  let backOffice: string
  let ictDepartment: string
  let hrDepartment: string
  let emptyGroup: string
  let otherDeskGroup: string
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const post = async (url: string, payload: object) => (await t.request({ method: 'POST', url, token: admin.token, payload })).json()
    const sd = await post('/api/v1/departments', { name: 'Servicedesk' })
    ictDepartment = (await post('/api/v1/departments', { name: 'ICT' })).id
    hrDepartment = (await post('/api/v1/departments', { name: 'HR' })).id
    deskGroup = (await post('/api/v1/groups', { name: 'Eerste lijn', departmentId: sd.id, line: 1 })).id
    otherDeskGroup = (await post('/api/v1/groups', { name: 'Eerste lijn avond', departmentId: sd.id, line: 1 })).id
    backOffice = (await post('/api/v1/groups', { name: 'Applicatiebeheer', departmentId: ictDepartment, line: 2 })).id
    emptyGroup = (await post('/api/v1/groups', { name: 'Salarisadministratie', departmentId: hrDepartment, line: 2 })).id
    desk = await t.user('agent', { name: 'Dana Desk', groupIds: [deskGroup] })
    deskColleague = await t.user('agent', { groupIds: [deskGroup] })
    specialist = await t.user('agent', { name: 'Bram Beheer', groupIds: [backOffice] })
    specialist2 = await t.user('agent', { groupIds: [backOffice] })
    supervisor = await t.user('supervisor')
    customer = await t.user('customer', { email: `klant.${process.pid}@example.nl`, name: 'Karin Klant' })
  })
  afterAll(() => t?.close())

  const open = async (subject = 'Kan niet inloggen op het zaaksysteem') => {
    const res = await t.request({ method: 'POST', url: '/api/v1/tickets', token: desk.token, payload: { subject, body: 'Sinds vanochtend lukt inloggen niet.', requester: { email: customer.email } } })
    expect(res.statusCode).toBe(201)
    return res.json().ticket as { id: string; version: number }
  }
  const escalate = (ticket: { id: string; version: number }, payload: object, token = desk.token, version: number | null = ticket.version) =>
    t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/escalations`, token, payload, headers: version === null ? {} : { 'if-match': `"${version}"` } })
  const giveBack = (ticket: { id: string; version: number }, payload: object, token = specialist.token) =>
    t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/returns`, token, payload, headers: { 'if-match': `"${ticket.version}"` } })
  const articles = async (id: string, token = desk.token) => (await t.request({ method: 'GET', url: `/api/v1/tickets/${id}/articles`, token })).json().items as { id: string; body: string; visibility: string; metadata: Record<string, any>; author: { id: string } | null }[]
  const queue = async (view: string, token: string) => (await t.request({ method: 'GET', url: `/api/v1/escalations?view=${view}`, token })).json().items as { escalation: Record<string, any>; ticket: { id: string } }[]
  const NOTE = 'Klant kan niet inloggen; wachtwoord gereset, helpt niet. Graag account controleren.'

  it('moves the ticket to the back office with a handoff note, clears the assignee and makes the desk agent its coordinator', async () => {
    const ticket = await open()
    await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, token: desk.token, headers: { 'if-match': `"${ticket.version}"` }, payload: { assigneeId: desk.id } })
    const current = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, token: desk.token })).json()
    const res = await escalate(current, { groupId: backOffice, handoffNote: NOTE })
    expect(res.statusCode).toBe(201)
    const escalated = res.json()
    expect(escalated).toMatchObject({ groupId: backOffice, departmentId: ictDepartment, assignee: null, coordinator: { id: desk.id, name: 'Dana Desk' }, status: 'open' })
    expect(escalated.escalation).toMatchObject({ state: 'escalated', groupId: backOffice, pickedUpAt: null, returnedAt: null })
    expect(res.headers.etag).toBe(`"${escalated.version}"`)
    const note = (await articles(ticket.id)).find((a) => a.body === NOTE)
    expect(note).toMatchObject({ visibility: 'internal', author: { id: desk.id }, metadata: { handoff: { kind: 'escalated', groupName: 'Applicatiebeheer', departmentName: 'ICT' } } })
    const history = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/history`, token: desk.token })).json().items as { field: string; newValue: string }[]
    expect(history).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'groupId', newValue: backOffice }), expect.objectContaining({ field: 'coordinatorId', newValue: desk.id })]))
    const handoffs = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/escalations`, token: specialist.token })).json().items
    expect(handoffs).toEqual([expect.objectContaining({ state: 'escalated', fromGroupId: deskGroup, groupId: backOffice, coordinator: { id: desk.id, name: 'Dana Desk' }, escalatedBy: { id: desk.id, name: 'Dana Desk' }, handoffNoteId: note!.id })])
    // Waiting for the back office ("Voor ons") and followed by the coordinator ("Mijn escalaties").
    expect((await queue('ours', specialist.token)).map((i) => i.ticket.id)).toContain(ticket.id)
    expect((await queue('mine', desk.token)).map((i) => i.ticket.id)).toContain(ticket.id)
    expect((await queue('ours', desk.token)).map((i) => i.ticket.id)).not.toContain(ticket.id)
  })

  it('names another coordinator in the same step (coordinatorId): one version, one history entry; refuses a customer or an unknown person (422)', async () => {
    const ticket = await open()
    const refused = await escalate(ticket, { groupId: backOffice, handoffNote: NOTE, coordinatorId: customer.id })
    expect(refused.statusCode).toBe(422)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json().errors).toEqual([expect.objectContaining({ field: 'coordinatorId' })])
    expect((await escalate(ticket, { groupId: backOffice, handoffNote: NOTE, coordinatorId: '00000000-0000-7000-8000-000000000000' })).statusCode).toBe(422)
    // Nothing happened: no handoff, no note.
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, token: desk.token })).json()).toMatchObject({ version: ticket.version, coordinator: null, escalation: null })

    const res = await escalate(ticket, { groupId: backOffice, handoffNote: NOTE, coordinatorId: deskColleague.id })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ coordinator: { id: deskColleague.id }, version: ticket.version + 1 })
    const [handoff] = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/escalations`, token: desk.token })).json().items
    expect(handoff).toMatchObject({ coordinator: { id: deskColleague.id }, escalatedBy: { id: desk.id } })
    expect((await queue('mine', deskColleague.token)).map((i) => i.ticket.id)).toContain(ticket.id)
    expect((await queue('mine', desk.token)).map((i) => i.ticket.id)).not.toContain(ticket.id)
  })

  it('refuses a group without members, in the same line, or unknown (422); needs If-Match (428) and the current version (412)', async () => {
    const ticket = await open()
    for (const [groupId, reason] of [[emptyGroup, /no members/], [otherDeskGroup, /same line/], ['nope', /does not exist/]] as const) {
      const res = await escalate(ticket, { groupId, handoffNote: NOTE })
      expect(res.statusCode, String(groupId)).toBe(422)
      expect(res.headers['content-type']).toContain('application/problem+json')
      expect(res.json().detail).toMatch(reason)
    }
    expect((await escalate(ticket, { groupId: backOffice, handoffNote: '   ' })).statusCode).toBe(400)
    expect((await escalate(ticket, { groupId: backOffice })).statusCode).toBe(400)
    expect((await escalate(ticket, { groupId: backOffice, handoffNote: NOTE }, desk.token, null)).statusCode).toBe(428)
    expect((await escalate(ticket, { groupId: backOffice, handoffNote: NOTE }, desk.token, ticket.version + 5)).statusCode).toBe(412)
    expect((await articles(ticket.id)).filter((a) => a.visibility === 'internal')).toEqual([])
  })

  it('lets one of two agents escalating at once win; the other gets 412 and no note is half-stored', async () => {
    const ticket = await open()
    const [a, b] = await Promise.all([
      escalate(ticket, { groupId: backOffice, handoffNote: 'Notitie van Dana' }),
      escalate(ticket, { groupId: backOffice, handoffNote: 'Notitie van collega' }, deskColleague.token),
    ])
    expect([a.statusCode, b.statusCode].sort()).toEqual([201, 412])
    const winner = a.statusCode === 201 ? 'Notitie van Dana' : 'Notitie van collega'
    const notes = (await articles(ticket.id)).filter((x) => x.visibility === 'internal').map((x) => x.body)
    expect(notes).toEqual([winner])
    const handoffs = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/escalations`, token: desk.token })).json().items
    expect(handoffs).toHaveLength(1)
  })

  it('returns to the coordinator with a proposed reply that the desk edits and sends; who wrote and who sent are recorded', async () => {
    const ticket = await open('Declaratie blijft hangen')
    const escalated = (await escalate(ticket, { groupId: backOffice, handoffNote: NOTE })).json()
    expect((await giveBack({ id: ticket.id, version: 1 }, { note: 'x' })).statusCode).toBe(412)
    // The back office takes it: picked up.
    const taken = (await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, token: specialist.token, headers: { 'if-match': `"${escalated.version}"` }, payload: { assigneeId: specialist.id } })).json()
    expect(taken.escalation).toMatchObject({ state: 'picked_up' })
    expect(taken.escalation.pickedUpAt).not.toBeNull()
    const proposal = 'De workflow-engine had een vastgelopen taak (WF-4411); herstart van de queue-worker lost het op.'
    const res = await giveBack(taken, { note: 'Queue-worker herstart, declaratie staat weer in de flow.', proposedReply: proposal })
    expect(res.statusCode).toBe(201)
    const back = res.json()
    expect(back).toMatchObject({ groupId: deskGroup, assignee: { id: desk.id }, coordinator: { id: desk.id }, escalation: { state: 'returned' } })
    expect((await giveBack(back, { note: 'nog eens' })).statusCode).toBe(409)
    const [handoff] = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/escalations`, token: desk.token })).json().items
    expect(handoff).toMatchObject({ state: 'returned', returnedBy: { id: specialist.id, name: 'Bram Beheer' }, proposedReply: { body: proposal, author: { id: specialist.id, name: 'Bram Beheer' }, departmentName: 'ICT' } })
    expect(back.escalation.proposedReplyId).toBe(handoff.proposedReply.articleId)
    expect((await queue('returned', desk.token)).map((i) => i.ticket.id)).toContain(ticket.id)
    expect((await queue('ours', specialist.token)).map((i) => i.ticket.id)).not.toContain(ticket.id)

    // The coordinator edits it into plain language and sends it.
    const plain = 'Goed nieuws: uw declaratie wordt weer verwerkt. U hoeft niets te doen.'
    const sent = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: desk.token, payload: { body: plain, proposedReplyId: handoff.proposedReply.articleId } })
    expect(sent.statusCode).toBe(201)
    expect(sent.json()).toMatchObject({ visibility: 'public', author: { id: desk.id }, metadata: { proposal: { articleId: handoff.proposedReply.articleId, writtenBy: { id: specialist.id, name: 'Bram Beheer' }, departmentName: 'ICT', changed: true } } })
    const after = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, token: desk.token })).json()
    expect(after.escalation).toBeNull()
    expect((await queue('returned', desk.token)).map((i) => i.ticket.id)).not.toContain(ticket.id)
    // Not a proposal of this ticket, or not a proposal at all: refused.
    const notes = await articles(ticket.id)
    const bad = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: desk.token, payload: { body: 'x', proposedReplyId: notes.find((n) => n.metadata.handoff?.kind === 'escalated')!.id } })
    expect(bad.statusCode).toBe(400)

    // The customer sees one conversation: no handoff note, no return note, no proposal, no coordinator.
    const seen = await articles(ticket.id, customer.token)
    expect(seen.map((a) => a.body)).toEqual(['Sinds vanochtend lukt inloggen niet.', plain])
    expect(seen[1].metadata).toEqual({})
    const asCustomer = (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, token: customer.token })).json()
    expect(asCustomer).toMatchObject({ coordinator: null, escalation: null })
    const search = (await t.request({ method: 'GET', url: '/api/v1/tickets?q=WF-4411', token: customer.token })).json()
    expect(search.items).toEqual([])
    const staffSearch = (await t.request({ method: 'GET', url: '/api/v1/tickets?q=queue-worker', token: desk.token })).json()
    expect(staffSearch.items.map((i: { id: string }) => i.id)).toContain(ticket.id)
    const sentUnchanged = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: desk.token, payload: { body: `${proposal}\n`, proposedReplyId: handoff.proposedReply.articleId } })
    expect(sentUnchanged.json().metadata.proposal.changed).toBe(false)
  })

  it('returns to the desk group when the coordinator is gone; 409 for a ticket that is not escalated', async () => {
    const plainTicket = await open()
    const notEscalated = await giveBack(plainTicket, { note: 'niets' })
    expect(notEscalated.statusCode).toBe(409)
    expect(notEscalated.headers['content-type']).toContain('application/problem+json')
    const leaving = await t.user('agent', { groupIds: [deskGroup] })
    const ticket = await t.request({ method: 'POST', url: '/api/v1/tickets', token: leaving.token, payload: { subject: 'Oud account', body: 'b', requester: { email: customer.email } } })
    const escalated = (await escalate(ticket.json().ticket, { groupId: backOffice, handoffNote: NOTE }, leaving.token)).json()
    expect(escalated.coordinator.id).toBe(leaving.id)
    await t.request({ method: 'PATCH', url: `/api/v1/users/${leaving.id}`, token: admin.token, payload: { active: false } })
    const back = (await giveBack(escalated, { note: 'Opgelost' }, specialist2.token)).json()
    expect(back).toMatchObject({ groupId: deskGroup, assignee: null, coordinator: null, escalation: { state: 'returned' } })
  })

  it('refuses a back-office public reply under the policy (403 naming it), allows it when the department allows replies', async () => {
    const ticket = await open()
    await escalate(ticket, { groupId: backOffice, handoffNote: NOTE })
    const reply = () => t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: specialist.token, payload: { body: 'Het is opgelost.' } })
    const refused = await reply()
    expect(refused.statusCode).toBe(403)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json()).toMatchObject({ code: 'forbidden', policy: 'customerReplyAllowed', instead: `/api/v1/tickets/${ticket.id}/returns` })
    expect(refused.json().detail).toMatch(/customerReplyAllowed/)
    // Internal notes are the back office's way to work; writing one picks the handoff up.
    const note = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/articles`, token: specialist.token, payload: { body: 'Ik kijk ernaar.', visibility: 'internal' } })
    expect(note.statusCode).toBe(201)
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, token: desk.token })).json().escalation).toMatchObject({ state: 'picked_up' })
    await t.request({ method: 'PATCH', url: `/api/v1/departments/${ictDepartment}`, token: admin.token, payload: { customerReplyAllowed: true } })
    try {
      const allowed = await reply()
      expect(allowed.statusCode).toBe(201)
      expect(allowed.json().author.id).toBe(specialist.id)
    } finally {
      await t.request({ method: 'PATCH', url: `/api/v1/departments/${ictDepartment}`, token: admin.token, payload: { customerReplyAllowed: false } })
    }
  })

  it('lets the desk change the coordinator, and resolving ends the handoff', async () => {
    const ticket = await open()
    const escalated = (await escalate(ticket, { groupId: backOffice, handoffNote: NOTE })).json()
    const changed = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, token: desk.token, headers: { 'if-match': `"${escalated.version}"` }, payload: { coordinatorId: deskColleague.id } })
    expect(changed.json().coordinator.id).toBe(deskColleague.id)
    expect((await queue('mine', deskColleague.token)).map((i) => i.ticket.id)).toContain(ticket.id)
    expect((await queue('mine', desk.token)).map((i) => i.ticket.id)).not.toContain(ticket.id)
    expect((await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, token: desk.token, headers: { 'if-match': `"${changed.json().version}"` }, payload: { coordinatorId: customer.id } })).statusCode).toBe(400)
    const resolved = await t.request({ method: 'PATCH', url: `/api/v1/tickets/${ticket.id}`, token: specialist.token, headers: { 'if-match': `"${changed.json().version}"` }, payload: { status: 'resolved' } })
    expect(resolved.json().escalation).toBeNull()
    expect((await queue('mine', deskColleague.token)).map((i) => i.ticket.id)).not.toContain(ticket.id)
  })

  it('keeps every handoff route to staff: customers and strangers are refused', async () => {
    const ticket = await open()
    const escalated = (await escalate(ticket, { groupId: backOffice, handoffNote: NOTE }, supervisor.token)).json()
    expect(escalated.coordinator.id).toBe(supervisor.id)
    const other = await t.user('customer')
    for (const token of [customer.token, other.token]) {
      const esc = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/escalations`, token, payload: { groupId: backOffice, handoffNote: 'x' }, headers: { 'if-match': `"${escalated.version}"` } })
      expect([403, 404]).toContain(esc.statusCode)
      const ret = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/returns`, token, payload: { note: 'x' }, headers: { 'if-match': `"${escalated.version}"` } })
      expect([403, 404]).toContain(ret.statusCode)
      expect([403, 404]).toContain((await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/escalations`, token })).statusCode)
      expect((await t.request({ method: 'GET', url: '/api/v1/escalations?view=mine', token })).statusCode).toBe(403)
    }
    // The requester gets 403 (they may see the ticket), anyone else 404 (existence does not leak).
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/escalations`, token: customer.token })).statusCode).toBe(403)
    expect((await t.request({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/escalations`, token: other.token })).statusCode).toBe(404)
    expect((await t.request({ method: 'GET', url: '/api/v1/escalations?view=ours' })).statusCode).toBe(401)
    expect((await t.request({ method: 'POST', url: `/api/v1/tickets/${ticket.id}/escalations`, payload: { groupId: backOffice, handoffNote: 'x' } })).statusCode).toBe(401)
    expect((await t.request({ method: 'GET', url: '/api/v1/escalations?view=elsewhere', token: desk.token })).statusCode).toBe(400)
    expect((await t.request({ method: 'GET', url: '/api/v1/escalations?view=mine&cursor=zzz', token: desk.token })).statusCode).toBe(400)
    // An admin returns it (supervisors and admins may act for a back office).
    expect((await giveBack(escalated, { note: 'Teruggezet door beheer' }, admin.token)).statusCode).toBe(201)
  })

  it('lists "Voor ons" oldest first and pages through it', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const ticket = await open(`Volgorde ${i}`)
      await escalate(ticket, { groupId: backOffice, handoffNote: NOTE })
      ids.push(ticket.id)
    }
    const all: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: { ticket: { id: string } }[]; nextCursor: string | null } = (await t.request({ method: 'GET', url: `/api/v1/escalations?view=ours&limit=2${cursor ? `&cursor=${cursor}` : ''}`, token: specialist2.token })).json()
      all.push(...page.items.map((i) => i.ticket.id))
      cursor = page.nextCursor
    } while (cursor)
    const mine = all.filter((id) => ids.includes(id))
    expect(mine).toEqual(ids)
    expect(new Set(all).size).toBe(all.length)
  })

  it('merges "Voor ons" of several groups into one list, oldest first, page by page', async () => {
    const post = async (url: string, payload: object) => (await t.request({ method: 'POST', url, token: admin.token, payload })).json()
    const second = (await post('/api/v1/groups', { name: `Netwerkbeheer ${Date.now()}`, departmentId: ictDepartment, line: 2 })).id
    const member = await t.user('agent', { groupIds: [backOffice, second] })
    const ids: string[] = []
    // Alternately to the two groups, so neither group's handoffs come in one run.
    for (let i = 0; i < 5; i++) {
      const ticket = await open(`Twee groepen ${i}`)
      await escalate(ticket, { groupId: i % 2 ? second : backOffice, handoffNote: NOTE })
      ids.push(ticket.id)
    }
    const all: { id: string; at: string }[] = []
    let cursor: string | null = null
    do {
      const page: { items: { ticket: { id: string }; escalation: { escalatedAt: string } }[]; nextCursor: string | null } = (
        await t.request({ method: 'GET', url: `/api/v1/escalations?view=ours&limit=2${cursor ? `&cursor=${cursor}` : ''}`, token: member.token })
      ).json()
      all.push(...page.items.map((i) => ({ id: i.ticket.id, at: i.escalation.escalatedAt })))
      cursor = page.nextCursor
    } while (cursor)
    expect(all.map((i) => i.id).filter((id) => ids.includes(id))).toEqual(ids)
    expect(all.map((i) => i.at)).toEqual([...all.map((i) => i.at)].sort())
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length)
  })
})
