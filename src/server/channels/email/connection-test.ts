import { lookup } from 'node:dns/promises'
import { isIP, connect as tcpConnect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { ImapFlow } from 'imapflow'
import nodemailer from 'nodemailer'
import type { ConnectionStep, ConnectionTest, TlsMode } from '../../../shared/api/mailboxes.js'
import { imapOAuth, imapOptions, type MailboxConfig, smtpOptions } from './mailbox.config.js'

const TIMEOUT_MS = 10_000

async function step(steps: ConnectionStep[], name: string, run: () => Promise<string>): Promise<boolean> {
  const started = Date.now()
  try {
    const detail = await run()
    steps.push({ step: name, ok: true, detail, ms: Date.now() - started })
    return true
  } catch (err) {
    steps.push({ step: name, ok: false, detail: describeError(err), ms: Date.now() - started })
    return false
  }
}

/** A short, human sentence for a network or protocol error, with the server's own words when it gave any. */
export function describeError(err: unknown): string {
  const e = err as { code?: string; message?: string; responseText?: string; response?: string; responseCode?: number }
  const server = e.responseText ?? e.response
  const text = [e.code, server ?? e.message].filter(Boolean).join(': ')
  return text.slice(0, 500) || String(err)
}

async function resolve(host: string) {
  if (isIP(host)) return `${host} is an IP address`
  const addresses = await lookup(host, { all: true })
  return `${host} resolves to ${addresses.map((a) => a.address).join(', ')}`
}

/** Opens TCP (and TLS from the first byte when implicit), then closes: proves the port answers and the certificate is good. */
function reach(host: string, port: number, tls: TlsMode, verify: boolean): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const socket =
      tls === 'implicit'
        ? tlsConnect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: verify })
        : tcpConnect({ host, port })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(Object.assign(new Error(`no answer from ${host}:${port} within ${TIMEOUT_MS / 1000} s`), { code: 'ETIMEDOUT' }))
    }, TIMEOUT_MS)
    socket.once(tls === 'implicit' ? 'secureConnect' : 'connect', () => {
      clearTimeout(timer)
      const protocol = 'getProtocol' in socket ? (socket as import('node:tls').TLSSocket).getProtocol() : null
      socket.destroy()
      resolvePromise(protocol ? `connected to ${host}:${port} over ${protocol}` : `connected to ${host}:${port}`)
    })
    socket.once('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
  })
}

export async function testMailboxConnection(m: MailboxConfig): Promise<ConnectionTest> {
  const steps: ConnectionStep[] = []
  // IMAP: each step only when the one before it worked, so the first failure is the answer.
  const imapOk =
    (await step(steps, 'imap.dns', () => resolve(m.imap.host))) &&
    (await step(steps, 'imap.connect', () => reach(m.imap.host, m.imap.port, m.imap.tls, m.tlsVerify))) &&
    (await (async () => {
      // An OAuth mailbox's access token; failing to get one is a failed login.
      const oauth = await imapOAuth(m).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))
      const client = new ImapFlow(imapOptions(m, { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, disableAutoIdle: true, ...(oauth instanceof Error ? {} : oauth) }))
      client.on('error', () => {})
      const loggedIn = await step(steps, 'imap.login', async () => {
        if (oauth instanceof Error) throw oauth
        await client.connect()
        return `logged in as ${m.imap.user}${client.capabilities.has('IDLE') ? ' (server supports IDLE)' : ' (no IDLE: Loket will poll)'}`
      })
      if (!loggedIn) {
        client.close()
        return false
      }
      const folders = [m.imap.folder, ...(m.imap.processedFolder ? [m.imap.processedFolder] : [])]
      const ok = await step(steps, 'imap.folder', async () => {
        const found: string[] = []
        for (const folder of folders) {
          const status = await client.status(folder, { messages: true, unseen: true }).catch((err) => {
            throw Object.assign(new Error(`folder "${folder}" cannot be opened: ${describeError(err)}`), {})
          })
          if (!status) throw new Error(`folder "${folder}" cannot be opened`)
          found.push(`${folder}: ${status.messages ?? 0} messages, ${status.unseen ?? 0} unread`)
        }
        return found.join('; ')
      })
      await client.logout().catch(() => client.close())
      return ok
    })())
  const smtpOk =
    (await step(steps, 'smtp.dns', () => resolve(m.smtp.host))) &&
    (await step(steps, 'smtp.connect', () => reach(m.smtp.host, m.smtp.port, m.smtp.tls, m.tlsVerify))) &&
    (await step(steps, 'smtp.login', async () => {
      const transport = nodemailer.createTransport(smtpOptions(m, { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS }))
      try {
        await transport.verify()
        return m.oauth ? `logged in as ${m.smtp.user ?? m.address} with OAuth` : m.smtp.user ? `logged in as ${m.smtp.user}` : 'the server accepts mail without login'
      } finally {
        transport.close()
      }
    }))
  return { ok: imapOk && smtpOk, steps }
}
