import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'

/** A webhook receiver on loopback that records every request and answers as the test says. */
interface Receiver {
  url: string
  port: number
  received: { headers: IncomingMessage['headers']; body: string }[]
  answer: (req: IncomingMessage, res: ServerResponse) => void
  close(): Promise<void>
}
async function startReceiver(port = 0): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    port: 0,
    received: [],
    answer: (_req, res) => res.writeHead(204).end(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      receiver.received.push({ headers: req.headers, body })
      receiver.answer(req, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  receiver.port = (server.address() as AddressInfo).port
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks/loket`
  server.closeAllConnections = server.closeAllConnections.bind(server)
  const close = receiver.close
  receiver.close = () => {
    server.closeAllConnections()
    return close()
  }
  return receiver
}

/** A port nothing listens on (yet): the receiver is down. */
async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}

describeEachDatabase('outgoing webhooks', (database) => {
  let t: TestApp
  let admin: Awaited<ReturnType<TestApp['user']>>
  let agent: Awaited<ReturnType<TestApp['user']>>
  let customer: Awaited<ReturnType<TestApp['user']>>
  const receivers: Receiver[] = []

  beforeAll(async () => {
    t = await createTestApp(database)
    admin = await t.user('admin')
    agent = await t.user('agent')
    customer = await t.user('customer')
  })
  afterAll(async () => {
    for (const r of receivers) await r.close().catch(() => {})
    await t?.close()
  })

  const receiver = async (port?: number) => {
    const r = await startReceiver(port)
    receivers.push(r)
    return r
  }
  const createWebhook = async (payload: Record<string, unknown>) => {
    const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: admin.token, payload })
    expect(res.statusCode, res.body).toBe(201)
    return res.json()
  }
  const openTicket = (subject: string) =>
    t.request({ method: 'POST', url: '/api/v1/tickets', token: agent.token, payload: { subject, body: 'Graag hulp.', requester: { email: 'klant@example.nl' } } })
  /** Hands committed events to the handlers, then runs every due job. */
  const runDue = async () => {
    await t.runtime.outbox.drain()
    while (await t.runtime.deps.jobs.runOnce()) {
      // until no job is due
    }
  }
  /** Moves the waiting retries to now, as if their back-off had passed. */
  const timePasses = () => t.runtime.deps.db.updateTable('job').set({ run_at: '2000-01-01T00:00:00.000Z' }).where('status', '=', 'queued').execute()
  const deliveries = async (id: string) => {
    const res = await t.request({ method: 'GET', url: `/api/v1/webhooks/${id}/deliveries`, token: admin.token })
    expect(res.statusCode).toBe(200)
    return res.json().items as { eventId: string; attempt: number; ok: boolean; statusCode: number | null; error: string | null; durationMs: number; nextTryAt: string | null; at: string }[]
  }
  const remove = (id: string) => t.request({ method: 'DELETE', url: `/api/v1/webhooks/${id}`, token: admin.token })

  it('is for administrators only, and takes only http and https URLs', async () => {
    for (const who of [agent, customer]) {
      expect((await t.request({ method: 'GET', url: '/api/v1/webhooks', token: who.token })).statusCode).toBe(403)
      const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: who.token, payload: { url: 'https://example.org/x', eventTypes: ['ticket.created'] } })
      expect(res.statusCode).toBe(403)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
    expect((await t.request({ method: 'GET', url: '/api/v1/webhooks' })).statusCode).toBe(401)
    for (const url of ['ftp://example.org/x', 'file:///etc/passwd', 'javascript:alert(1)', 'niet een url', 'https://user:pw@example.org/']) {
      const res = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: admin.token, payload: { url, eventTypes: ['ticket.created'] } })
      expect(res.statusCode, url).toBe(400)
      expect(res.json().code).toBe('validation')
    }
    const unknownType = await t.request({ method: 'POST', url: '/api/v1/webhooks', token: admin.token, payload: { url: 'https://example.org/x', eventTypes: ['presence'] } })
    expect(unknownType.statusCode).toBe(400)
    const hook = await createWebhook({ url: 'https://example.org/x', eventTypes: ['ticket.created'], active: false })
    expect((await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries`, token: agent.token })).statusCode).toBe(403)
    expect((await t.request({ method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, token: agent.token, payload: { active: true } })).statusCode).toBe(403)
    expect((await t.request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, token: customer.token })).statusCode).toBe(403)
    expect((await remove(hook.id)).statusCode).toBe(204)
    expect((await remove(hook.id)).statusCode).toBe(404)
  })

  it('signs each delivery, keeps the secret encrypted and never shows it again', async () => {
    const r = await receiver()
    const secret = 'een-geheim-van-minstens-16'
    const hook = await createWebhook({ url: r.url, eventTypes: ['ticket.created'], secret, description: 'Koppeling met het zaaksysteem' })
    expect(hook.secret).toBe(secret)
    const shown = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: admin.token })).json()
    expect(shown.secret).toBeUndefined()
    expect(shown).toMatchObject({ url: r.url, eventTypes: ['ticket.created'], active: true, description: 'Koppeling met het zaaksysteem' })
    const stored = await t.runtime.deps.db.selectFrom('webhook').select('secret').where('id', '=', hook.id).executeTakeFirstOrThrow()
    expect(stored.secret).not.toContain(secret)
    expect(stored.secret.startsWith('v1:')).toBe(true)

    const ticket = (await openTicket('Webhook ondertekend')).json()
    await runDue()
    expect(r.received).toHaveLength(1) // ticket.created only: the first article's event is not subscribed
    const { headers, body } = r.received[0]
    const sent = JSON.parse(body)
    expect(sent).toMatchObject({ type: 'ticket.created', data: { ticketId: ticket.id, number: ticket.number } })
    expect(headers['loket-event']).toBe('ticket.created')
    expect(headers['loket-delivery']).toBe(sent.id)
    // The receiver's check, as docs/administrators-webhooks.md shows it.
    const [, t0, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(headers['loket-signature']))!
    expect(Math.abs(Number(t0) - Date.now() / 1000)).toBeLessThan(60)
    expect(v1).toBe(createHmac('sha256', secret).update(`${t0}.${body}`).digest('hex'))
    expect(v1).not.toBe(createHmac('sha256', 'een ander geheim!!').update(`${t0}.${body}`).digest('hex'))
    const log = await deliveries(hook.id)
    expect(log).toHaveLength(1)
    expect(log[0]).toMatchObject({ eventId: sent.id, attempt: 1, ok: true, statusCode: 204, error: null, nextTryAt: null })

    // A new secret is shown in the answer that sets it, and signs from then on.
    const rotated = await t.request({ method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, token: admin.token, payload: { secret: 'het-nieuwe-geheim-van-16+' } })
    expect(rotated.json().secret).toBe('het-nieuwe-geheim-van-16+')
    await remove(hook.id)
  })

  it('retries a receiver that is down for a while with growing back-off, then delivers', async () => {
    const port = await freePort()
    const hook = await createWebhook({ url: `http://127.0.0.1:${port}/hook`, eventTypes: ['ticket.created'] })
    await openTicket('Ontvanger even weg')
    await runDue()
    await timePasses()
    await runDue()
    const r = await receiver(port) // back up
    await timePasses()
    await runDue()
    expect(r.received).toHaveLength(1)
    const log = (await deliveries(hook.id)).reverse()
    expect(log.map((d) => [d.attempt, d.ok, d.statusCode])).toEqual([
      [1, false, null],
      [2, false, null],
      [3, true, 204],
    ])
    expect(log[0].error).toMatch(/refused/)
    expect(new Set(log.map((d) => d.eventId)).size).toBe(1)
    const waits = log.slice(0, 2).map((d) => Date.parse(d.nextTryAt!) - Date.parse(d.at))
    expect(waits[0]).toBeGreaterThan(1000)
    expect(waits[1]).toBeGreaterThan(waits[0])
    expect(log[2].nextTryAt).toBeNull()
    expect((await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: admin.token })).json()).toMatchObject({ active: true, failuresInARow: 0 })
    await remove(hook.id)
  })

  it('counts a receiver that answers too slowly as a failed try', async () => {
    const r = await receiver()
    r.answer = (_req, res) => void setTimeout(() => res.writeHead(200).end(), 1500)
    t.runtime.services.webhooks.settings.timeoutMs = 300
    try {
      const hook = await createWebhook({ url: r.url, eventTypes: ['ticket.created'] })
      await openTicket('Trage ontvanger')
      await runDue()
      const [first] = await deliveries(hook.id)
      expect(first).toMatchObject({ attempt: 1, ok: false, statusCode: null })
      expect(first.error).toMatch(/time-out/)
      expect(first.durationMs).toBeGreaterThanOrEqual(290)
      expect(first.nextTryAt).not.toBeNull()
      r.answer = (_req, res) => res.writeHead(200).end()
      await timePasses()
      await runDue()
      expect((await deliveries(hook.id))[0]).toMatchObject({ attempt: 2, ok: true, statusCode: 200 })
      expect(await deliveries(hook.id)).toHaveLength(2)
      // The log keeps the newest tries only.
      t.runtime.services.webhooks.settings.logSize = 2
      await openTicket('Nog een')
      await runDue()
      const kept = await deliveries(hook.id)
      expect(kept.map((d) => d.attempt)).toEqual([1, 2])
      expect(kept[0].ok).toBe(true)
      await remove(hook.id)
    } finally {
      t.runtime.services.webhooks.settings.timeoutMs = 10_000
      t.runtime.services.webhooks.settings.logSize = 1000
    }
  })

  it('switches a webhook off after repeated failures, shows why, and can be switched on again', async () => {
    const r = await receiver()
    r.answer = (_req, res) => res.writeHead(500).end('kapot')
    t.runtime.services.webhooks.settings.disableAfter = 3
    try {
      const hook = await createWebhook({ url: r.url, eventTypes: ['ticket.created', 'article.created'] })
      await openTicket('Altijd fout') // two events, two deliveries
      await runDue()
      await timePasses()
      await runDue()
      await timePasses()
      await runDue()
      const shown = (await t.request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}`, token: admin.token })).json()
      expect(shown.active).toBe(false)
      expect(shown.failuresInARow).toBe(3)
      expect(shown.disabledReason).toMatch(/3 failed deliveries in a row/)
      expect(shown.disabledReason).toMatch(/500/)
      expect(r.received).toHaveLength(3)
      const log = await deliveries(hook.id)
      expect(log).toHaveLength(3)
      expect(log[0].nextTryAt).toBeNull() // the try that switched it off: no more after it
      // Off means off: new events and waiting retries send nothing.
      await openTicket('Niet meer versturen')
      await timePasses()
      await runDue()
      expect(r.received).toHaveLength(3)

      const audited = await t.runtime.deps.db.selectFrom('audit_log').select(['action', 'actor_id', 'details']).where('action', 'like', 'webhook.%').execute()
      expect(audited.filter((a) => a.details.includes(hook.id)).map((a) => [a.action, a.actor_id])).toEqual([
        ['webhook.created', admin.id],
        ['webhook.disabled', null],
      ])
      const on = await t.request({ method: 'PATCH', url: `/api/v1/webhooks/${hook.id}`, token: admin.token, payload: { active: true } })
      expect(on.json()).toMatchObject({ active: true, failuresInARow: 0, disabledReason: null, disabledAt: null })
      await remove(hook.id)
    } finally {
      t.runtime.services.webhooks.settings.disableAfter = 15
    }
  })
})
