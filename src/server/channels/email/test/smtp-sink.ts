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
  /** Refuses every recipient with this code (550: down for good, 451: try later) until called with null. */
  refuseAll(code: 550 | 451 | null): void
  /** Resolves when at least n messages have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>
  stop(): Promise<void>
}

/**
 * A real SMTP server in the test process (the `smtp-server` package) that keeps what it receives.
 * Recipients starting with "reject" are refused with 550, as an unknown mailbox would be; those
 * starting with "later" are refused with 451 the first time, as a greylisting server does.
 */
export async function startSmtpSink(opts: { parse?: boolean } = {}): Promise<SmtpSink> {
  const port = await freePort()
  const received: ReceivedMail[] = []
  let count = 0
  const waiters: { n: number; resolve: () => void }[] = []
  const greylisted = new Set<string>()
  let outage: 550 | 451 | null = null
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 64 * 1024 * 1024,
    onRcptTo(address, _session, callback) {
      if (outage) return callback(Object.assign(new Error(outage === 550 ? '5.7.1 Relaying denied' : '4.3.0 Try again later'), { responseCode: outage }))
      if (address.address.toLowerCase().startsWith('reject')) {
        return callback(Object.assign(new Error('5.1.1 No such user here'), { responseCode: 550 }))
      }
      const recipient = address.address.toLowerCase()
      if (recipient.startsWith('later') && !greylisted.has(recipient)) {
        greylisted.add(recipient)
        return callback(Object.assign(new Error('4.7.1 Greylisted, please try again later'), { responseCode: 451 }))
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
    refuseAll(code) {
      outage = code
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
