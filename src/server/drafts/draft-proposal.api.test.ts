import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

type User = Awaited<ReturnType<TestApp['user']>>

describeEachDatabase('a draft made from a proposed reply', (database) => {
  let t: TestApp
  let desk: User
  let specialist: User
  let customer: User
  let ticketId: string
  let proposalId: string
  let returnNoteId: string
  let otherTicketId: string
  const PROPOSAL = 'Het account was geblokkeerd na drie foute pogingen; het is vrijgegeven.'
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string, payload?: object, headers?: Record<string, string>) =>
    t.request({ method, url: `/api/v1${url}`, token, payload, headers })

  beforeAll(async () => {
    t = await createTestApp(database)
    const admin = await t.user('admin')
    const post = async (url: string, payload: object) => (await api('POST', url, admin.token, payload)).json()
    const sd = await post('/departments', { name: 'Servicedesk' })
    const ict = await post('/departments', { name: 'ICT' })
    const deskGroup = (await post('/groups', { name: 'Eerste lijn', departmentId: sd.id, line: 1 })).id
    const backOffice = (await post('/groups', { name: 'Applicatiebeheer', departmentId: ict.id, line: 2 })).id
    desk = await t.user('agent', { groupIds: [deskGroup] })
    specialist = await t.user('agent', { name: 'Bram Beheer', groupIds: [backOffice] })
    customer = await t.user('customer')
    const open = async () => (await api('POST', '/tickets', desk.token, { subject: 'Kan niet inloggen', body: 'Het lukt niet.', requester: { email: customer.email } })).json().ticket
    const ticket = await open()
    ticketId = ticket.id
    otherTicketId = (await open()).id
    const escalated = await api('POST', `/tickets/${ticketId}/escalations`, desk.token, { groupId: backOffice, handoffNote: 'Graag account bekijken.' }, { 'if-match': `"${ticket.version}"` })
    const returned = await api('POST', `/tickets/${ticketId}/returns`, specialist.token, { note: 'Account vrijgegeven.', proposedReply: PROPOSAL }, { 'if-match': `"${escalated.json().version}"` })
    expect(returned.statusCode, returned.body).toBe(201)
    const [handoff] = (await api('GET', `/tickets/${ticketId}/escalations`, desk.token)).json().items
    proposalId = handoff.proposedReply.articleId
    returnNoteId = handoff.returnNoteId
  })
  afterAll(() => t?.close())

  it('keeps the proposal it was made from, and gives it back with its author and department', async () => {
    const put = await api('PUT', `/tickets/${ticketId}/draft`, desk.token, { body: `Beste klant, ${PROPOSAL}`, visibility: 'public', proposedReplyId: proposalId })
    expect(put.statusCode, put.body).toBe(200)
    const got = (await api('GET', `/tickets/${ticketId}/draft`, desk.token)).json()
    expect(got).toMatchObject({ body: `Beste klant, ${PROPOSAL}`, proposal: { articleId: proposalId, body: PROPOSAL, author: { id: specialist.id, name: 'Bram Beheer' }, departmentName: 'ICT' } })
    // Saving again without it (the desk dropped the proposal) forgets it.
    await api('PUT', `/tickets/${ticketId}/draft`, desk.token, { body: 'Beste klant,', visibility: 'public' })
    expect((await api('GET', `/tickets/${ticketId}/draft`, desk.token)).json().proposal).toBeNull()
  })

  it('refuses what is not a proposed reply of this ticket, or a proposal kept as an internal note (422)', async () => {
    for (const [id, ticket] of [[returnNoteId, ticketId], [proposalId, otherTicketId], ['00000000-0000-7000-8000-000000000000', ticketId]] as const) {
      const res = await api('PUT', `/tickets/${ticket}/draft`, desk.token, { body: 'x', visibility: 'public', proposedReplyId: id })
      expect(res.statusCode).toBe(422)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    expect((await api('PUT', `/tickets/${ticketId}/draft`, desk.token, { body: 'x', visibility: 'internal', proposedReplyId: proposalId })).statusCode).toBe(422)
    expect((await api('PUT', `/tickets/${ticketId}/draft`, desk.token, { body: 'x', visibility: 'public', proposedReplyId: 42 })).statusCode).toBe(400)
  })

  it('after a reload, sending the draft with its proposal records who wrote it and that the desk changed it', async () => {
    const sent = `Beste klant, u kunt weer inloggen. ${PROPOSAL}`
    await api('PUT', `/tickets/${ticketId}/draft`, desk.token, { body: sent, visibility: 'public', proposedReplyId: proposalId })
    // What the composer does on a reload: read the draft, send it with the proposal it names.
    const draft = (await api('GET', `/tickets/${ticketId}/draft`, desk.token)).json()
    const res = await api('POST', `/tickets/${ticketId}/articles`, desk.token, { body: draft.body, visibility: draft.visibility, proposedReplyId: draft.proposal.articleId })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().metadata).toMatchObject({ proposal: { articleId: proposalId, writtenBy: { id: specialist.id }, departmentName: 'ICT', changed: true } })
  })
})
