import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getWithWrk, loadWithWrk, wrkInstalled } from './wrk.js'

describe('ticket-creation load with wrk', () => {
  const received: { body: string; authorization?: string; type?: string }[] = []
  const gets: { url: string; authorization?: string }[] = []
  let created = 0
  let server: Server
  let url: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (chunk) => (body += chunk))
      req.on('end', () => {
        if (req.method === 'GET') {
          gets.push({ url: req.url!, authorization: req.headers.authorization })
          res.writeHead(req.url!.includes('missing') ? 404 : 200, { 'content-type': 'application/json' }).end('{"items":[]}')
          return
        }
        received.push({ body, authorization: req.headers.authorization, type: req.headers['content-type'] })
        const bad = (JSON.parse(body) as { n: number }).n % 4 === 3
        if (!bad) created++
        res.writeHead(bad ? 422 : 201, { 'content-type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('is installed (.ci/run installs Debian’s wrk)', () => {
    expect(wrkInstalled()).toBe(true)
  })

  it('posts every body in turn with the token, and counts the 2xx and the other answers apart', async () => {
    const bodies = Array.from({ length: 50_000 }, (_, n) => JSON.stringify({ n, subject: `Vraag ${n} — “printer” 🖨️` }))
    const result = await loadWithWrk({ url, path: '/api/v1/tickets', connections: 4, seconds: 1, bodies, authorization: 'Bearer lkt_test' })
    expect(result.ok).toBeGreaterThan(100)
    // Requests still in flight when the time is up are answered but not counted.
    expect(created).toBeGreaterThanOrEqual(result.ok)
    expect(created).toBeLessThanOrEqual(result.ok + 4)
    expect(result.failed).toBeGreaterThan(0)
    expect(result.statusCodes['non-2xx']).toBe(result.failed)
    expect(result.rate).toBeCloseTo(result.ok / result.seconds, 5)
    expect(result.latency.p50).toBeGreaterThan(0)
    expect(result.latency.p95).toBeGreaterThanOrEqual(result.latency.p50)
    expect(received.every((r) => r.authorization === 'Bearer lkt_test' && r.type === 'application/json')).toBe(true)
    // The bodies go out in turn, each once and byte for byte as given (over several connections, so
    // they arrive in about that order).
    const sent = received.map((r) => (JSON.parse(r.body) as { n: number }).n)
    expect(new Set(sent).size).toBe(sent.length)
    expect(received.every((r) => r.body === bodies[(JSON.parse(r.body) as { n: number }).n])).toBe(true)
    expect(Math.max(...sent)).toBeLessThan(sent.length + 8)
  })

  it('gets the paths in turn with the token (queue pages and searches), counting the 2xx apart', async () => {
    const paths = ['/api/v1/tickets?groupId=a&status=open', '/api/v1/tickets?q=printer%20kapot', '/api/v1/tickets?q=missing']
    const result = await getWithWrk({ url, paths, connections: 2, seconds: 1, authorization: 'Bearer lkt_read' })
    expect(result.ok).toBeGreaterThan(50)
    expect(gets.every((g) => g.authorization === 'Bearer lkt_read' && paths.includes(g.url))).toBe(true)
    expect(new Set(gets.map((g) => g.url))).toEqual(new Set(paths))
    const missing = gets.filter((g) => g.url.includes('missing')).length
    expect(result.failed).toBeGreaterThanOrEqual(missing - 2)
    expect(result.failed).toBeLessThanOrEqual(missing)
    expect(result.latency.p95).toBeGreaterThanOrEqual(result.latency.p50)
  })

  it('refuses anything but the loopback address', async () => {
    await expect(loadWithWrk({ url: 'http://example.org:80', path: '/', connections: 1, seconds: 1, bodies: ['{}'] })).rejects.toThrow(/127\.0\.0\.1/)
  })
})
