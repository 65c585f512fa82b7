import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, SYSTEM_ACTOR, type TestApp } from '../test/test-app.js'
import { REVIEW_QUEUE } from './knowledge.service.js'

type User = Awaited<ReturnType<TestApp['user']>>
interface Item { kind: string; ticketId: string | null; articleId: string | null; articleTitle: string | null; groupName: string | null }

const DAY_MS = 24 * 60 * 60_000
const day = (offset: number) => new Date(Date.now() + offset * DAY_MS).toISOString().slice(0, 10)

// Review dates pushed to the owner group (issue 17): a notification to each member when an article's
// review date has come, once per article and review date.
describeEachDatabase('knowledge review dates', (database) => {
  let t: TestApp
  let admin: User
  let wendy: User
  let willem: User
  let dirk: User
  let group: string

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    const post = async (url: string, payload: object) => (await t.request({ method: 'POST', url: `/api/v1${url}`, token: admin.token, payload })).json()
    const dep = await post('/departments', { name: 'ICT' })
    group = (await post('/groups', { name: 'Werkplekbeheer', departmentId: dep.id, line: 2 })).id
    const desk = (await post('/groups', { name: 'Servicedesk', departmentId: dep.id, line: 1 })).id
    wendy = await t.user('agent', { name: 'Wendy Werkplek', groupIds: [group] })
    willem = await t.user('agent', { name: 'Willem Werkplek', groupIds: [group] })
    dirk = await t.user('agent', { name: 'Dirk Desk', groupIds: [desk] })
  })
  afterAll(() => t?.close())

  const write = async (payload: Record<string, unknown>) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/knowledge/articles', token: wendy.token, payload: { body: '<p>Uitleg.</p>', ownerGroupId: group, status: 'published', ...payload } })
    expect(res.statusCode, res.body).toBe(201)
    return res.json() as { id: string; version: number }
  }
  const runJobs = async () => {
    while (await t.runtime.deps.jobs.runOnce()) {
      // every job that is due
    }
  }
  const reviews = async (user: User) => {
    const res = await t.request({ method: 'GET', url: '/api/v1/notifications?limit=100', token: user.token })
    expect(res.statusCode).toBe(200)
    return (res.json().items as Item[]).filter((n) => n.kind === 'review-due')
  }

  it('tells every member of the owner group once per article and review date', async () => {
    const due = await write({ title: 'VPN instellen op een laptop', reviewAt: day(-1) })
    await write({ title: 'Later te herzien', reviewAt: day(3) })
    await write({ title: 'Gearchiveerd artikel', reviewAt: day(-1), status: 'archived' })
    await write({ title: 'Zonder eigenaar', reviewAt: day(-1), ownerGroupId: null, status: 'draft' })
    // Saved with a date that has come: the check was queued with the save, it does not wait for tomorrow.
    await runJobs()
    await t.runtime.outbox.drain()
    for (const member of [wendy, willem]) {
      expect(await reviews(member)).toEqual([
        expect.objectContaining({ kind: 'review-due', ticketId: null, articleId: due.id, articleTitle: 'VPN instellen op een laptop', groupName: 'Werkplekbeheer' }),
      ])
    }
    expect(await reviews(dirk)).toEqual([])

    // The daily check finds nothing new; the same event handled again makes no second notification.
    expect(await t.runtime.services.knowledge.tellDueReviews()).toBe(0)
    await t.runtime.deps.transaction((trx) =>
      t.runtime.deps.outbox.append(trx, [{ type: 'knowledge.review-due', articleId: due.id, title: 'VPN instellen op een laptop', groupId: group, reviewAt: day(-1), at: new Date().toISOString() }]),
    )
    await t.runtime.outbox.drain()
    expect(await reviews(willem)).toHaveLength(1)

    // A new review date that has come is told again, once.
    const current = (await t.request({ method: 'GET', url: `/api/v1/knowledge/articles/${due.id}`, token: wendy.token })).json()
    const patched = await t.request({ method: 'PATCH', url: `/api/v1/knowledge/articles/${due.id}`, token: wendy.token, headers: { 'if-match': `"${current.version}"` }, payload: { reviewAt: day(0) } })
    expect(patched.statusCode, patched.body).toBe(200)
    // Saving the article again (another change) does not tell it again.
    const again = await t.request({ method: 'PATCH', url: `/api/v1/knowledge/articles/${due.id}`, token: wendy.token, headers: { 'if-match': `"${patched.json().version}"` }, payload: { title: 'VPN instellen op een laptop of pc' } })
    expect(again.statusCode, again.body).toBe(200)
    await runJobs()
    expect(await t.runtime.services.knowledge.tellDueReviews()).toBe(0)
    await t.runtime.outbox.drain()
    // Newest first; each with the title the article had when it was told.
    expect((await reviews(willem)).map((n) => n.articleTitle)).toEqual(['VPN instellen op een laptop of pc', 'VPN instellen op een laptop'])
  })

  it('tells an article once when two checks run at the same time', async () => {
    const knowledge = t.runtime.services.knowledge
    const article = await knowledge.createArticle(SYSTEM_ACTOR, {
      title: 'Printer koppelen',
      body: '<p>Kies de printer.</p>',
      ownerGroupId: group,
      status: 'published',
      reviewAt: day(-2),
    })
    const told = await Promise.all([knowledge.tellDueReviews(), knowledge.tellDueReviews(), knowledge.tellDueReviews()])
    expect(told.reduce((a, b) => a + b, 0)).toBe(1)
    await runJobs() // the check the save queued
    await t.runtime.outbox.drain()
    expect((await reviews(wendy)).filter((n) => n.articleId === article.id)).toHaveLength(1)
  })

  it('runs the check daily: each run queues the next at the start of the next day', async () => {
    await t.runtime.services.knowledge.scheduleReviews()
    await runJobs()
    const next = await t.runtime.deps.db.selectFrom('job').select(['run_at', 'status']).where('queue', '=', REVIEW_QUEUE).where('dedupe_key', '=', `${REVIEW_QUEUE}:${day(1)}`).execute()
    expect(next).toEqual([{ run_at: `${day(1)}T00:00:00.000Z`, status: 'queued' }])
  })
})
