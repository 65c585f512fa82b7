import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

/**
 * The knowledge base's and templates' text fields with long words (issue 13; the tickets, mail and
 * search are fuzzed in http/long-words.test.ts on a server of its own). They are indexed with the
 * same stemmers, written by staff: each save and search must keep the event loop answering, here
 * measured in-process as its longest delay, within the issue's bound of 1 s.
 */
const STALL_MS = 1000

/** Different words of 3 to 64 letters: each is stemmed, none remembered from before (the most work per character). */
function manyWords(seed: number, length: number): string {
  let x = seed >>> 0
  const random = () => {
    x = (x + 0x6d2b79f5) >>> 0
    let r = Math.imul(x ^ (x >>> 15), 1 | x)
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r
    return ((r ^ (r >>> 14)) >>> 0) / 2 ** 32
  }
  const parts: string[] = []
  let total = 0
  while (total < length) {
    const n = 3 + Math.floor(random() * 62)
    let word = ''
    for (let i = 0; i < n; i++) word += 'abcdefghijklmnopqrstuvwxyzaeiouy'[Math.floor(random() * 32)]
    parts.push(word)
    total += n + 1
  }
  return parts.join(' ').slice(0, length)
}

const SHAPES: [string, (seed: number, length: number) => string][] = [
  ['a run of one letter', (_seed, length) => 'a'.repeat(length)],
  ['two letters alternating', (_seed, length) => 'ay'.repeat(Math.ceil(length / 2)).slice(0, length)],
  ['many different words', manyWords],
]

describeEachDatabase('knowledge and templates with long words', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
  })
  afterAll(() => t?.close())

  /** Runs `work` and fails when the event loop was held up for a second or more meanwhile. */
  async function withoutStalls<T>(what: string, work: () => Promise<T>): Promise<T> {
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    try {
      return await work()
    } finally {
      delay.disable()
      expect(delay.max / 1e6, `${what}: the event loop waited ${Math.round(delay.max / 1e6)} ms`).toBeLessThan(STALL_MS)
    }
  }

  it('saves and finds knowledge articles of long words (title 300, text 490,000 characters)', async () => {
    let seed = 1
    for (const [shape, make] of SHAPES) {
      const created = await withoutStalls(`article, ${shape}`, () =>
        t.request({ method: 'POST', url: '/api/v1/knowledge/articles', token: admin.token, payload: { title: `Wachtwoord ${make(seed, 280)}`, body: `<p>Printerstoring ${make(seed + 1, 490_000)}</p>` } }),
      )
      expect(created.statusCode, created.body.slice(0, 300)).toBe(201)
      const q = encodeURIComponent(make(seed + 2, 490))
      const searched = await withoutStalls(`article search, ${shape}`, () => t.request({ method: 'GET', url: `/api/v1/knowledge/articles?q=${q}`, token: admin.token }))
      expect(searched.statusCode).toBe(200)
      seed += 3
    }
    const found = (await t.request({ method: 'GET', url: '/api/v1/knowledge/articles?q=printerstoring', token: admin.token })).json().items
    expect(found).toHaveLength(SHAPES.length)
  })

  it('saves and finds templates of long words (text and two variants of 20,000 characters)', async () => {
    let seed = 100
    for (const [shape, make] of SHAPES) {
      const payload = {
        title: `Bevestiging ${make(seed, 150)}`,
        scope: 'personal',
        body: `Zonnescherm ${make(seed + 1, 19_000)}`,
        variants: (['nl', 'en'] as const).map((language, i) => ({ language, channel: 'chat', body: make(seed + 2 + i, 20_000) })),
      }
      const created = await withoutStalls(`template, ${shape}`, () => t.request({ method: 'POST', url: '/api/v1/templates', token: admin.token, payload }))
      expect(created.statusCode, created.body.slice(0, 300)).toBe(201)
      const q = encodeURIComponent(make(seed + 5, 200))
      const searched = await withoutStalls(`template search, ${shape}`, () => t.request({ method: 'GET', url: `/api/v1/templates?q=${q}`, token: admin.token }))
      expect(searched.statusCode).toBe(200)
      seed += 6
    }
    const found = (await t.request({ method: 'GET', url: '/api/v1/templates?q=zonnescherm', token: admin.token })).json().items
    expect(found).toHaveLength(SHAPES.length)
  })
})
