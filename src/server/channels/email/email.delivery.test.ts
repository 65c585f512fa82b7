import { afterAll, beforeAll, expect, it } from 'vitest'
import type { DomainEvent } from '../../events.js'
import { routesOf } from '../../http/stream-topics.js'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { type SmtpSink, startSmtpSink } from './test/smtp-sink.js'

describeEachDatabase('delivery state of outgoing replies, against a real SMTP server', (database) => {
  let t: TestApp
  let smtp: SmtpSink
  let agent: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  const events: DomainEvent[] = []

  const db = () => t.runtime.deps.db
  const articleOf = async (ticketId: string, articleId: string, token = agent.token) =>
    (await t.request({ method: 'GET', url: `/api/v1/tickets/${ticketId}/articles`, token })).json().items.find((a: { id: string }) => a.id === articleId)
  const runDueJobs = async () => {
    while (await t.runtime.deps.jobs.runOnce()) {
      // until no job is due
    }
    await t.runtime.outbox.drain() // the delivery events reach the stream
  }
  /** A phone ticket for this requester with one public reply, its delivery job queued. */
  const reply = async (email: string) => {
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/tickets',
      token: agent.token,
      payload: { subject: 'Parkeervergunning', body: 'Belde over de vergunning', channel: 'phone', requester: { email } },
    })
    const ticketId = created.json().id
    const res = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'Uw vergunning is verlengd.' } })
    expect(res.statusCode).toBe(201)
    await t.runtime.outbox.drain() // the reply becomes a delivery job
    return { ticketId, articleId: res.json().id as string }
  }
  const stateEvents = (articleId: string) => events.filter((e) => e.type === 'article.delivery' && e.articleId === articleId).map((e) => (e as { state: string }).state)

  beforeAll(async () => {
    smtp = await startSmtpSink()
    t = await createTestApp(database)
    const admin = await t.user('admin')
    agent = await t.user('agent')
    customer = await t.user('customer')
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: {
        name: 'Servicedesk',
        address: 'desk@loket.test',
        senderName: 'Servicedesk Gemeente',
        // Only sending is tested: no fetcher is started, so the IMAP side is never used.
        imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'desk', password: 'x' },
        smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' },
      },
    })
    expect(res.statusCode).toBe(201)
    t.runtime.deps.events.subscribe((event) => void events.push(event))
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.stop()
  })

  it('goes queued → deferred (with the next try) → sent (with the server answer) when the server first answers 4xx', async () => {
    const { ticketId, articleId } = await reply('later-1@klant.nl')
    expect((await articleOf(ticketId, articleId)).delivery).toMatchObject({ state: 'queued' })

    await runDueJobs()
    const deferred = (await articleOf(ticketId, articleId)).delivery
    expect(deferred).toMatchObject({ state: 'deferred', reason: expect.stringMatching(/try again later.*451/), reasonCode: 'deferred', detail: expect.stringMatching(/451 4\.7\.1 Greylisted/) })
    const job = await db().selectFrom('job').selectAll().where('dedupe_key', '=', `deliver:${articleId}`).executeTakeFirstOrThrow()
    // The time shown is the time the queue will try again.
    expect(new Date(job.run_at).toISOString()).toBe(deferred.nextAttemptAt)
    expect(Date.parse(deferred.nextAttemptAt)).toBeGreaterThan(Date.parse(deferred.at))
    expect(smtp.count).toBe(0)

    // The retry time comes.
    await db().updateTable('job').set({ run_at: new Date(0).toISOString() }).where('id', '=', job.id).execute()
    await runDueJobs()
    const sent = (await articleOf(ticketId, articleId)).delivery
    expect(sent).toMatchObject({ state: 'sent', serverResponse: expect.stringMatching(/^250 .*queued/) })
    expect(sent.reason).toBeUndefined()
    expect(sent.reasonCode).toBeUndefined()
    expect(smtp.received.map((m) => m.envelope.to)).toEqual([['later-1@klant.nl']])
    expect(stateEvents(articleId)).toEqual(['queued', 'deferred', 'sent'])
  })

  it('goes queued → failed with the reason in plain words when the server answers 5xx, and is not tried again', async () => {
    const { ticketId, articleId } = await reply('reject-1@klant.nl')
    await runDueJobs()
    const failed = (await articleOf(ticketId, articleId)).delivery
    expect(failed).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^The receiving mail server refused the reply .*550/) })
    // The class of failure (explained in the agent's language) and the server's own answer beside it.
    expect(failed).toMatchObject({ reasonCode: 'mailbox-unknown', detail: expect.stringMatching(/^EENVELOPE: 550 5\.1\.1 No such user here/) })
    expect(failed.nextAttemptAt).toBeUndefined()
    const job = await db().selectFrom('job').selectAll().where('dedupe_key', '=', `deliver:${articleId}`).executeTakeFirstOrThrow()
    expect(job.status).toBe('done')
    expect(stateEvents(articleId)).toEqual(['queued', 'failed'])
  })

  it('fails after the last try of a server that keeps answering 4xx', async () => {
    const { ticketId, articleId } = await reply('later-2@klant.nl')
    await db().updateTable('job').set({ max_attempts: 1 }).where('dedupe_key', '=', `deliver:${articleId}`).execute()
    await runDueJobs()
    expect((await articleOf(ticketId, articleId)).delivery).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^Gave up after 1 tries\..*451/) })
  })

  const resend = (ticketId: string, articleId: string, token: string, payload: object = {}) =>
    t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles/${articleId}/resend`, token, payload })

  it('tells the author of a failed reply, once, on their own stream topic only', async () => {
    const { articleId } = await reply('reject-3@klant.nl')
    await runDueJobs()
    const told = events.filter((e) => e.type === 'article.delivery-failed' && e.articleId === articleId)
    expect(told).toEqual([expect.objectContaining({ type: 'article.delivery-failed', authorId: agent.id, ticketNumber: expect.any(String) })])
    expect(routesOf(told[0])).toEqual([{ audience: 'staff', keys: [`own:${agent.id}`], view: told[0] }])
  })

  it('"opnieuw versturen" after the server recovers: the same reply goes queued → sent, and it is audited', async () => {
    smtp.refuseAll(550)
    const { ticketId, articleId } = await reply('recovers-1@klant.nl')
    await runDueJobs()
    expect((await articleOf(ticketId, articleId)).delivery).toMatchObject({ state: 'failed', reason: expect.stringMatching(/550/), reasonCode: 'rejected-policy' })
    smtp.refuseAll(null)

    const res = await resend(ticketId, articleId, agent.token)
    expect(res.statusCode, res.body).toBe(202)
    expect(res.json()).toMatchObject({ id: articleId, delivery: { state: 'queued' } })
    await t.runtime.outbox.drain() // the resend becomes a delivery job
    await runDueJobs()
    expect((await articleOf(ticketId, articleId)).delivery).toMatchObject({ state: 'sent' })
    expect(smtp.received.filter((m) => m.envelope.to.includes('recovers-1@klant.nl'))).toHaveLength(1)
    expect(stateEvents(articleId)).toEqual(['queued', 'failed', 'queued', 'sent'])
    const audit = await db().selectFrom('audit_log').selectAll().where('action', '=', 'article.resent').where('actor_id', '=', agent.id).execute()
    expect(audit.map((a) => JSON.parse(a.details))).toContainEqual(expect.objectContaining({ articleId, attempt: 1 }))
    // Sent now: nothing to send again.
    expect((await resend(ticketId, articleId, agent.token)).statusCode).toBe(409)
  })

  it('"ander adres": the failed reply goes to the address the agent gives', async () => {
    const { ticketId, articleId } = await reply('reject-4@klant.nl')
    await runDueJobs()
    const res = await resend(ticketId, articleId, agent.token, { to: 'Nieuw-Adres@klant.nl' })
    expect(res.statusCode, res.body).toBe(202)
    await t.runtime.outbox.drain()
    await runDueJobs()
    expect((await articleOf(ticketId, articleId)).delivery).toMatchObject({ state: 'sent' })
    expect(smtp.received.at(-1)?.envelope.to).toEqual(['nieuw-adres@klant.nl'])
    // A second failure tells the author again: it is news.
    const failedAgain = await reply('reject-5@klant.nl')
    await runDueJobs()
    expect((await resend(failedAgain.ticketId, failedAgain.articleId, agent.token, { to: 'reject-6@klant.nl' })).statusCode).toBe(202)
    await t.runtime.outbox.drain()
    await runDueJobs()
    expect(events.filter((e) => e.type === 'article.delivery-failed' && e.articleId === failedAgain.articleId)).toHaveLength(2)
  })

  it('lets only staff who may reply to customers send again; refuses bad input with problem+json', async () => {
    const admin = await t.user('admin')
    const supervisor = await t.user('supervisor')
    const other = await t.user('customer')
    // A back-office agent: a 2nd-line group of a department that does not reply to customers.
    const department = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: `Backoffice ${database}` } })).json()
    const backOffice = await t.user('agent')
    const group = await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Vergunningen', departmentId: department.id, line: 2, memberIds: [backOffice.id] } })
    expect(group.statusCode, group.body).toBe(201)

    const created = await t.request({
      method: 'POST',
      url: '/api/v1/tickets',
      token: agent.token,
      payload: { subject: 'Afval', body: 'Container vergeten', channel: 'phone', requester: { email: customer.email.replace('@', '+x@').replace(/^/, 'reject-') } },
    })
    const ticketId = created.json().id
    const answer = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'Wordt morgen geleegd.' } })
    const articleId = answer.json().id
    await t.runtime.outbox.drain()
    await runDueJobs()
    expect((await articleOf(ticketId, articleId)).delivery).toMatchObject({ state: 'failed' })
    // A customer on their own ticket: forbidden; on someone else's: not found.
    const mine = await t.request({ method: 'POST', url: '/api/v1/tickets', token: customer.token, payload: { subject: 'Vraag', body: 'Hoe?', requester: { email: customer.email } } })
    const problem = await resend(mine.json().id, articleId, customer.token)
    expect(problem.statusCode).toBe(403)
    expect(problem.headers['content-type']).toMatch(/application\/problem\+json/)
    expect((await resend(ticketId, articleId, other.token)).statusCode).toBe(404)
    expect((await resend(ticketId, articleId, backOffice.token)).statusCode).toBe(403)
    expect((await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles/${articleId}/resend`, payload: {} })).statusCode).toBe(401)
    // The article must be on this ticket.
    expect((await resend(mine.json().id, articleId, agent.token)).statusCode).toBe(404)
    const bad = await resend(ticketId, articleId, agent.token, { to: 'geen adres' })
    expect(bad.statusCode).toBe(400)
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/)
    expect((await resend(ticketId, articleId, agent.token, { to: 'a@b.nl', extra: 1 })).statusCode).toBe(400)
    expect((await resend(ticketId, 'nope', agent.token)).statusCode).toBe(404)
    expect((await resend(ticketId, articleId, supervisor.token)).statusCode).toBe(202)
    // Queued again: a second click before it went is a conflict, not a second mail.
    expect((await resend(ticketId, articleId, admin.token)).statusCode).toBe(409)
  })

  it('shows no delivery state on internal notes, nor to the customer', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/v1/tickets',
      token: agent.token,
      payload: { subject: 'Vraag', body: 'Hoe lang duurt het?', channel: 'phone', requester: { email: customer.email } },
    })
    expect(created.statusCode, created.body).toBe(201)
    const ticketId = created.json().id
    const note = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'Even navragen', visibility: 'internal' } })
    const answer = await t.request({ method: 'POST', url: `/api/v1/tickets/${ticketId}/articles`, token: agent.token, payload: { body: 'Twee weken.' } })
    await t.runtime.outbox.drain()
    expect((await articleOf(ticketId, note.json().id)).delivery).toBeUndefined()
    expect((await articleOf(ticketId, answer.json().id)).delivery).toMatchObject({ state: 'queued' })
    expect((await articleOf(ticketId, answer.json().id, customer.token)).delivery).toBeUndefined()
  })
})
