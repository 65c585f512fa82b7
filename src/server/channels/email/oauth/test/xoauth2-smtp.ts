import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { freePort } from '../../test/dovecot.js'

export interface XOAuth2Smtp {
  port: number
  received: { user: string; parsed: ParsedMail }[]
  /** Sign-ins refused for a bad or expired token. */
  refused: number
  stop(): Promise<void>
}

/**
 * A real SMTP server (`smtp-server`) that accepts only XOAUTH2 sign-ins, the bearer token checked
 * by `check` (the test authorisation server), as Exchange Online and Gmail do; a refused token gets
 * the 334 JSON challenge and then 535, as Gmail answers.
 */
export async function startXOAuth2Smtp(check: (token: string) => string | undefined): Promise<XOAuth2Smtp> {
  const port = await freePort()
  const received: XOAuth2Smtp['received'] = []
  const state = { refused: 0 }
  const server = new SMTPServer({
    authMethods: ['XOAUTH2'],
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      const user = auth.accessToken ? check(auth.accessToken) : undefined
      if (auth.method !== 'XOAUTH2' || !user || user !== auth.username) {
        state.refused++
        return callback(null, { data: { status: '401', schemes: 'bearer', scope: 'https://mail.google.com/' } })
      }
      callback(null, { user })
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        received.push({ user: String(session.user), parsed: await simpleParser(Buffer.concat(chunks)) })
        callback(null, 'queued')
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return {
    port,
    received,
    get refused() {
      return state.refused
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
