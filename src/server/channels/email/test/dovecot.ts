import { type ChildProcess, spawn } from 'node:child_process'
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ImapFlow } from 'imapflow'

export const DOVECOT_BINARY = '/usr/sbin/dovecot'

export interface Dovecot {
  host: string
  port: number
  /** Every account has the password `secret`. */
  password: string
  /** Adds a raw message to a user's folder with IMAP APPEND, as a mail server's delivery would. */
  append(user: string, raw: string | Buffer, folder?: string, flags?: string[]): Promise<void>
  /** Many messages over one connection. */
  appendMany(user: string, raws: Buffer[], folder?: string): Promise<void>
  /** UIDs and flags of the messages in a folder. */
  list(user: string, folder?: string): Promise<{ uid: number; flags: string[] }[]>
  createFolder(user: string, folder: string): Promise<void>
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })
}

async function waitForPort(port: number, child: ChildProcess, log: string) {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`dovecot exited with ${child.exitCode}: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`)
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1')
      s.once('connect', () => {
        s.destroy()
        resolve(true)
      })
      s.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`dovecot did not listen on ${port}: ${existsSync(log) ? readFileSync(log, 'utf8') : ''}`)
}

/**
 * Starts Debian's Dovecot on a loopback port with a throwaway configuration and maildirs.
 * Fails loudly when the package is missing: the e-mail tests must run against a real IMAP server.
 */
export async function startDovecot(
  users: string[] = ['desk'],
  opts: {
    idle?: boolean
    /** Also sign in with XOAUTH2/OAUTHBEARER, the token checked at this RFC 7662 introspection address (POST). */
    oauth2IntrospectionUrl?: string
  } = {},
): Promise<Dovecot> {
  if (!existsSync(DOVECOT_BINARY)) {
    throw new Error(`Dovecot is not installed (${DOVECOT_BINARY} is missing). Install Debian's dovecot-imapd (apt-get install dovecot-imapd; .ci/run does).`)
  }
  const dir = mkdtempSync(join(tmpdir(), 'loket-dovecot-'))
  chmodSync(dir, 0o755) // Dovecot's auth and mail processes run as their own users
  const port = await freePort()
  const password = 'secret'
  const mailUid = 8 // Debian's "mail" user: Dovecot refuses to run mail processes as root
  const mailGid = 8
  mkdirSync(join(dir, 'run'), { recursive: true })
  mkdirSync(join(dir, 'home'), { recursive: true })
  chownSync(join(dir, 'home'), mailUid, mailGid)
  writeFileSync(join(dir, 'passwd'), users.map((u) => `${u}:{PLAIN}${password}::::::\n`).join(''), { mode: 0o644 })
  const log = join(dir, 'dovecot.log')
  const config = `
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${log}
info_log_path = ${log}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login${opts.oauth2IntrospectionUrl ? ' xoauth2 oauthbearer' : ''}
first_valid_uid = ${mailUid}
mail_location = maildir:${dir}/home/%u/Maildir
mail_uid = ${mailUid}
mail_gid = ${mailGid}
default_login_user = dovenull
default_internal_user = dovecot
${opts.idle === false ? 'imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE SORT UIDPLUS MOVE UNSELECT NAMESPACE' : ''}
${
  opts.oauth2IntrospectionUrl
    ? `passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = ${dir}/oauth2.conf
}
`
    : ''
}passdb {
  driver = passwd-file
  args = ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailUid} gid=${mailGid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service imap {
  process_limit = 64
}
service anvil {
  chroot =
}
service stats {
  unix_listener stats-reader {
    mode = 0666
  }
  unix_listener stats-writer {
    mode = 0666
  }
}
protocol imap {
  mail_max_userip_connections = 100
}
`
  mkdirSync(join(dir, 'state'), { recursive: true })
  if (opts.oauth2IntrospectionUrl) {
    writeFileSync(
      join(dir, 'oauth2.conf'),
      `introspection_mode = post\nintrospection_url = ${opts.oauth2IntrospectionUrl}\nforce_introspection = yes\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`,
      { mode: 0o644 },
    )
  }
  writeFileSync(join(dir, 'dovecot.conf'), config)
  const child = spawn(DOVECOT_BINARY, ['-F', '-c', join(dir, 'dovecot.conf')], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  try {
    await waitForPort(port, child, log)
  } catch (err) {
    child.kill('SIGKILL')
    throw new Error(`${(err as Error).message}\n${output}`, { cause: err })
  }

  const withClient = async <T>(user: string, fn: (c: ImapFlow) => Promise<T>) => {
    const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass: password }, logger: false, doSTARTTLS: false })
    await client.connect()
    try {
      return await fn(client)
    } finally {
      await client.logout().catch(() => client.close())
    }
  }

  return {
    host: '127.0.0.1',
    port,
    password,
    append: (user, raw, folder = 'INBOX', flags = []) =>
      withClient(user, async (c) => {
        await c.append(folder, typeof raw === 'string' ? Buffer.from(raw) : raw, flags)
      }),
    appendMany: (user, raws, folder = 'INBOX') =>
      withClient(user, async (c) => {
        for (const raw of raws) await c.append(folder, raw, [])
      }),
    list: (user, folder = 'INBOX') =>
      withClient(user, async (c) => {
        const lock = await c.getMailboxLock(folder)
        try {
          const out: { uid: number; flags: string[] }[] = []
          if ((c.mailbox as { exists: number }).exists === 0) return out
          for await (const m of c.fetch('1:*', { uid: true, flags: true })) out.push({ uid: m.uid, flags: [...(m.flags ?? [])] })
          return out
        } finally {
          lock.release()
        }
      }),
    createFolder: (user, folder) =>
      withClient(user, async (c) => {
        await c.mailboxCreate(folder)
      }),
    async stop() {
      child.kill('SIGTERM')
      await new Promise((r) => {
        if (child.exitCode !== null) return r(undefined)
        child.once('exit', r)
        setTimeout(() => {
          child.kill('SIGKILL')
          r(undefined)
        }, 3000)
      })
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The body of `POST /api/v1/mailboxes` for the Servicedesk mailbox on this Dovecot's user `desk`: IMAP here, SMTP on
 * `smtpPort` (default 1, where nothing listens), and any further fields the test sets.
 */
export function deskMailbox(dovecot: Dovecot, { smtpPort = 1, ...fields }: { smtpPort?: number; [field: string]: unknown } = {}) {
  return {
    name: 'Servicedesk',
    address: 'desk@loket.test',
    imap: { host: '127.0.0.1', port: dovecot.port, tls: 'none', user: 'desk', password: dovecot.password },
    smtp: { host: '127.0.0.1', port: smtpPort, tls: 'none' },
    ...fields,
  }
}
