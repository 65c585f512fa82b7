import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { freePort } from './dovecot.js'

export interface ReceivedMail {
  envelope: { from: string; to: string[] }
  raw: Buffer
  parsed: ParsedMail
}

export interface SmtpSink {
  port: number
  received: ReceivedMail[]
  /** Messages accepted so far (also when not kept). */
  readonly count: number
  /** Resolves when at least n messages have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>
  stop(): Promise<void>
}

/**
 * A real SMTP server in the test process (the `smtp-server` package) that keeps what it receives.
 * Recipients starting with "reject" are refused with 550, as an unknown mailbox would be.
 */
export async function startSmtpSink(opts: { parse?: boolean } = {}): Promise<SmtpSink> {
  const port = await freePort()
  const received: ReceivedMail[] = []
  let count = 0
  const waiters: { n: number; resolve: () => void }[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 64 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase().startsWith('reject')) {
        return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }))
      }
      callback()
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks)
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        }
        if (opts.parse !== false) received.push({ envelope, raw, parsed: await simpleParser(raw) })
        count++
        for (const w of [...waiters]) {
          if (count >= w.n) {
            waiters.splice(waiters.indexOf(w), 1)
            w.resolve()
          }
        }
        callback(null, 'queued')
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port,
    received,
    get count() {
      return count
    },
    waitFor(n, timeoutMs = 15_000) {
      if (count >= n) return Promise.resolve(received)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${count} of ${n} mails arrived`)), timeoutMs)
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve(received)) })
      })
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } as SmtpSink
}
