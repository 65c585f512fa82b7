import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { MailboxFetcher } from './imap-fetcher.js'
import { type Dovecot, startDovecot } from './test/dovecot.js'
import { waitUntil } from '../../test/wait-until.js'

const mail = (id: string) => Buffer.from(`From: klant@klant.nl\r\nTo: desk@loket.test\r\nSubject: ${id}\r\nMessage-ID: <${id}@klant.nl>\r\n\r\nTekst\r\n`)

describeEachDatabase('mailbox fetchers: polling without IDLE, back-off on errors without stopping the others', (database) => {
  let t: TestApp
  let withIdle: Dovecot
  let withoutIdle: Dovecot
  let admin: Awaited<ReturnType<TestApp['user']>>
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    ;[withIdle, withoutIdle] = await Promise.all([startDovecot(['desk', 'hr', 'archief']), startDovecot(['facilitair'], { idle: false })])
    t = await createTestApp(database)
    admin = await t.user('admin')
    const add = async (name: string, server: Dovecot, user: string, password: string) => {
      const res = await t.request({
        method: 'POST',
        url: '/api/v1/mailboxes',
        token: admin.token,
        payload: {
          name,
          address: `${user}@loket.test`,
          imap: { host: '127.0.0.1', port: server.port, tls: 'none', user, password },
          smtp: { host: '127.0.0.1', port: 25, tls: 'none' },
          pollSeconds: 5,
        },
      })
      expect(res.statusCode).toBe(201)
      ids[name] = res.json().id
    }
    await add('Servicedesk', withIdle, 'desk', withIdle.password)
    await add('HR (wrong password)', withIdle, 'hr', 'wrong')
    await add('Facilitair (no IDLE)', withoutIdle, 'facilitair', withoutIdle.password)
    await t.runtime.email.start()
  })
  afterAll(async () => {
    await t?.close()
    await Promise.all([withIdle?.stop(), withoutIdle?.stop()])
  })

  const status = async (name: string) => (await t.request({ method: 'GET', url: `/api/v1/mailboxes/${ids[name]}`, token: admin.token })).json().status
  const article = (sourceId: string) => t.runtime.deps.db.selectFrom('article').selectAll().where('source_id', '=', sourceId).executeTakeFirst()

  it('a mailbox with a wrong password backs off with its error shown, while the others keep fetching', async () => {
    const failing = await waitUntil('the error status', async () => {
      const s = await status('HR (wrong password)')
      return s.state === 'error' && s
    })
    expect(failing.lastError).toMatch(/auth|credentials|login/i)
    expect(failing.lastErrorAt).not.toBeNull()
    await withIdle.append('desk', mail('idle-1'))
    await waitUntil('mail on the IDLE mailbox', () => article('<idle-1@klant.nl>'), 10_000)
    expect(await status('Servicedesk')).toMatchObject({ usesIdle: true, lastError: null })
  })

  it('a server without IDLE is polled', async () => {
    const polling = await waitUntil('the polling state', async () => {
      const s = await status('Facilitair (no IDLE)')
      return s.usesIdle === false && s
    })
    expect(['polling', 'fetching']).toContain(polling.state)
    await withoutIdle.append('facilitair', mail('poll-1'))
    // No IDLE push: it arrives with the next poll (every 5 seconds here).
    await waitUntil('mail on the polled mailbox', () => article('<poll-1@klant.nl>'), 15_000)
  })

  it('picks up a corrected password without a restart', async () => {
    const res = await t.request({ method: 'PATCH', url: `/api/v1/mailboxes/${ids['HR (wrong password)']}`, token: admin.token, payload: { imap: { password: withIdle.password } } })
    expect(res.statusCode).toBe(200)
    await withIdle.append('hr', mail('hr-1'))
    await t.runtime.email.refresh()
    await waitUntil('mail on the repaired mailbox', () => article('<hr-1@klant.nl>'), 15_000)
    expect((await status('HR (wrong password)')).lastError).toBeNull()
  })

  it('moves processed mail to a processed folder, and files a too-large message by its headers only', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: {
        name: 'Archief',
        address: 'archief@loket.test',
        active: false,
        imap: { host: '127.0.0.1', port: withIdle.port, tls: 'none', user: 'archief', password: withIdle.password, processedFolder: 'Verwerkt' },
        smtp: { host: '127.0.0.1', port: 25, tls: 'none' },
      },
    })
    const config = (await t.runtime.services.mailboxes.configById(res.json().id))!
    await withIdle.append('archief', mail('small-1'))
    await withIdle.append('archief', Buffer.concat([mail('huge-1'), Buffer.from('x'.repeat(60_000))]))
    let batches = 0
    const fetcher = new MailboxFetcher(config, {
      db: t.runtime.deps.db,
      inbound: t.runtime.email.inbound,
      clock: t.runtime.deps.clock,
      owner: 'test',
      maxMessageBytes: 20_000,
      onBatch: () => batches++,
    })
    fetcher.start()
    try {
      await waitUntil('both moved', async () => (await withIdle.list('archief', 'Verwerkt').catch(() => [])).length === 2)
    } finally {
      await fetcher.stop()
    }
    expect(await withIdle.list('archief')).toEqual([])
    expect(await article('<small-1@klant.nl>')).toBeDefined()
    const huge = await article('<huge-1@klant.nl>')
    expect(huge!.body).toMatch(/more than the \d+ MB Loket takes in/)
    expect(JSON.parse(huge!.metadata).email.warnings[0]).toMatch(/left on the mail server/)
  })
})
