import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeEachDatabase } from '../../test/databases.js'
import { createTestApp, type TestApp } from '../../test/test-app.js'
import { type SmtpSink, startSmtpSink } from './test/smtp-sink.js'

// Issue 14: account mails (an invitation, a password link) asked for while no mailbox can send are
// never dropped: they wait, administrators see how many, and they go out once, when a mailbox can send.
describeEachDatabase('account mails wait for a mailbox that can send', (database) => {
  let t: TestApp
  let smtp: SmtpSink
  let admin: Awaited<ReturnType<TestApp['user']>>
  const released: number[] = []

  const db = () => t.runtime.deps.db
  const runDueJobs = async () => {
    let ran = 0
    while (await t.runtime.deps.jobs.runOnce()) ran++
    return ran
  }
  const accountJobs = () => db().selectFrom('job').select(['status', 'attempts', 'last_error']).where('queue', '=', 'account.mail').execute()
  const waitingMail = (token = admin.token) => t.request({ method: 'GET', url: '/api/v1/mailboxes/waiting-mail', token })

  beforeAll(async () => {
    smtp = await startSmtpSink()
    t = await createTestApp(database)
    admin = await t.user('admin')
    t.runtime.services.mailboxes.logger = { info: (obj: { released: number }) => void released.push(obj.released) } as never
  })
  afterAll(async () => {
    await t?.close()
    await smtp?.stop()
  })

  it('keeps an invitation and a password link while no mailbox can send, shows the count, and sends each once a mailbox is added', async () => {
    // No mailbox. An administrator invites a new colleague; a customer forgot their password.
    const created = await t.request({ method: 'POST', url: '/api/v1/users', token: admin.token, payload: { email: 'wacht.agent@gemeente.example', name: 'Wim Wacht', role: 'agent' } })
    expect(created.statusCode, created.body).toBe(201)
    expect((await t.request({ method: 'POST', url: `/api/v1/users/${created.json().id}/invite`, token: admin.token })).statusCode).toBe(202)
    await t.user('customer', { email: 'wacht.klant@example.nl', password: 'oud-wachtwoord' })
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/password-forgotten', payload: { email: 'wacht.klant@example.nl' } })).statusCode).toBe(202)

    // The worker takes them, finds no mailbox, and parks them: kept, not failed, the try not counted.
    expect(await runDueJobs()).toBeGreaterThanOrEqual(2)
    const parked = await accountJobs()
    expect(parked).toHaveLength(2)
    for (const job of parked) expect(job).toMatchObject({ status: 'waiting', attempts: 0, last_error: expect.stringMatching(/no mailbox can send/) })
    // Not taken again and again while they wait.
    expect(await runDueJobs()).toBe(0)
    expect(smtp.count).toBe(0)

    // Administrators see how many wait (and since when); nobody else does.
    const seen = await waitingMail()
    expect(seen.statusCode, seen.body).toBe(200)
    expect(seen.json()).toEqual({ count: 2, since: expect.any(String) })
    const agent = await t.user('agent')
    const forbidden = await waitingMail(agent.token)
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.headers['content-type']).toMatch(/application\/problem\+json/)
    expect((await t.request({ method: 'GET', url: '/api/v1/mailboxes/waiting-mail' })).statusCode).toBe(401)

    // The administrator adds a mailbox: the waiting mails are queued again at once, and said so in the log.
    const mailbox = await t.request({
      method: 'POST',
      url: '/api/v1/mailboxes',
      token: admin.token,
      payload: { name: 'Servicedesk', address: 'servicedesk@gemeente.example', imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'x', password: 'x' }, smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none' } },
    })
    expect(mailbox.statusCode, mailbox.body).toBe(201)
    expect(released).toEqual([2])
    expect((await waitingMail()).json()).toEqual({ count: 0, since: null })

    await runDueJobs()
    const received = await smtp.waitFor(2)
    expect(received.map((m) => m.envelope.to).sort()).toEqual([['wacht.agent@gemeente.example'], ['wacht.klant@example.nl']])
    expect(received.map((m) => m.parsed.from?.value[0].address)).toEqual(['servicedesk@gemeente.example', 'servicedesk@gemeente.example'])
    expect(received.find((m) => m.envelope.to[0] === 'wacht.agent@gemeente.example')?.parsed.subject).toBe('U bent uitgenodigd voor Loket')
    expect((await accountJobs()).map((j) => j.status)).toEqual(['done', 'done'])

    // Once: nothing goes out a second time, also not when the mailbox is saved again.
    expect((await t.request({ method: 'PATCH', url: `/api/v1/mailboxes/${mailbox.json().id}`, token: admin.token, payload: { signature: 'Servicedesk' } })).statusCode).toBe(200)
    await runDueJobs()
    await new Promise((r) => setTimeout(r, 200))
    expect(smtp.count).toBe(2)
  })

  it('a mail asked for while a mailbox can send goes out straight away', async () => {
    const before = smtp.count
    await t.user('customer', { email: 'direct.klant@example.nl', password: 'oud-wachtwoord' })
    expect((await t.request({ method: 'POST', url: '/api/v1/auth/password-forgotten', payload: { email: 'direct.klant@example.nl' } })).statusCode).toBe(202)
    await runDueJobs()
    const received = await smtp.waitFor(before + 1)
    expect(received.at(-1)?.envelope.to).toEqual(['direct.klant@example.nl'])
    expect((await accountJobs()).filter((j) => j.status === 'waiting')).toEqual([])
  })
})
