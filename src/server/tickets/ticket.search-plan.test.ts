import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'
import { searchPlan } from './ticket.repository.js'

// Both plans of a full-text ticket list (collect-and-sort, or walk the newest tickets in batches) give
// the same pages; the walk is normally used only for words in more than a few thousand entries.
describeEachDatabase('ticket search plans', (database) => {
  let t: TestApp
  let token: string
  const defaults = { ...searchPlan }
  beforeAll(async () => {
    t = await createTestApp(database)
    const admin = await t.user('admin')
    const dep = (await t.request({ method: 'POST', url: '/api/v1/departments', token: admin.token, payload: { name: 'ICT' } })).json()
    await t.request({ method: 'POST', url: '/api/v1/groups', token: admin.token, payload: { name: 'Servicedesk', departmentId: dep.id, line: 1 } })
    token = (await t.user('agent')).token
    const texts = ['printer kapot', 'wachtwoord vergeten', 'printer papier op', 'café storing', 'printers en scanners', 'laptop traag']
    for (let i = 0; i < 24; i++) {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/tickets',
        token,
        payload: { subject: `Melding ${i}`, body: texts[i % texts.length], requester: { email: `klant${i % 5}@example.nl` } },
      })
      expect(res.statusCode).toBe(201)
    }
  })
  afterEach(() => Object.assign(searchPlan, defaults))
  afterAll(() => t?.close())

  const pages = async (q: string, limit: number) => {
    const ids: string[][] = []
    let cursor: string | null = null
    do {
      const url: string = `/api/v1/tickets?q=${encodeURIComponent(q)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`
      const res = (await t.request({ method: 'GET', url, token })).json() as { items: { id: string }[]; nextCursor: string | null }
      ids.push(res.items.map((x) => x.id))
      cursor = res.nextCursor
    } while (cursor)
    return ids
  }

  it('gives the same pages with either plan, also when the walk window is too small', async () => {
    for (const q of ['printer', 'cafe', 'printer kapot', 'zebrapad', 'melding']) {
      Object.assign(searchPlan, { firstBatch: 2, setLimit: 1e9 })
      const bySet = await pages(q, 3)
      Object.assign(searchPlan, { setLimit: 1, firstBatch: 2, maxBatch: 5 })
      const byWalk = await pages(q, 3)
      searchPlan.walkWindow = 3
      const byShortWalk = await pages(q, 3)
      Object.assign(searchPlan, defaults)
      const byDefault = await pages(q, 3)
      expect(byDefault, q).toEqual(bySet)
      expect(byWalk, q).toEqual(bySet)
      expect(byShortWalk, q).toEqual(bySet)
    }
    expect((await pages('printer', 50))[0]).toHaveLength(12)
  })
})
