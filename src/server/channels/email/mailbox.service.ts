import type { ConnectionTest, CreateMailboxBody, Mailbox, UpdateMailboxBody } from '../../../shared/api/mailboxes.js'
import { type Actor, isAdmin } from '../../accounts/actor.js'
import { decryptSecret, encryptSecret } from '../../accounts/secrets.js'
import { newId } from '../../clock.js'
import type { Executor, MailboxRow, MailboxTable } from '../../db/schema.js'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { testMailboxConnection } from './connection-test.js'
import { DEFAULT_ACK_TEMPLATES, defaultPort, type MailboxConfig } from './mailbox.config.js'
import { mailboxRepository } from './mailbox.repository.js'

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

/** Block list entries are stored lower-case; a bare domain and "@domain" mean the same. */
const normaliseBlockList = (entries: string[]) =>
  [...new Set(entries.map((e) => e.trim().toLowerCase()).filter(Boolean).map((e) => (e.includes('@') ? e : `@${e}`)))]

function toMailbox(r: MailboxRow): Mailbox {
  const templates = parseJson(r.ack_templates, DEFAULT_ACK_TEMPLATES)
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    senderName: r.sender_name,
    active: r.active === 1,
    imap: {
      host: r.imap_host,
      port: r.imap_port,
      tls: r.imap_tls as Mailbox['imap']['tls'],
      user: r.imap_user,
      folder: r.imap_folder,
      processedFolder: r.imap_processed_folder,
      hasPassword: !!r.imap_password,
    },
    smtp: {
      host: r.smtp_host,
      port: r.smtp_port,
      tls: r.smtp_tls as Mailbox['smtp']['tls'],
      user: r.smtp_user,
      hasPassword: !!r.smtp_password,
    },
    tlsVerify: r.tls_verify === 1,
    signature: r.signature,
    groupId: r.group_id,
    acknowledgement: { enabled: r.ack_enabled === 1, nl: templates.nl, en: templates.en },
    blockList: parseJson<string[]>(r.block_list, []),
    pollSeconds: r.poll_seconds,
    status: {
      state: (r.active === 1 ? r.state : 'disabled') as Mailbox['status']['state'],
      usesIdle: r.uses_idle === null ? null : r.uses_idle === 1,
      lastFetchAt: r.last_fetch_at,
      lastSuccessAt: r.last_success_at,
      lastError: r.last_error,
      lastErrorAt: r.last_error_at,
      fetchedCount: r.fetched_count,
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

/** Administrators' mailboxes: where mail comes in (IMAP) and replies go out (SMTP). Passwords never leave. */
export class MailboxService {
  constructor(private readonly deps: Deps) {}

  private requireAdmin(actor: Actor, action: string) {
    if (!isAdmin(actor)) throw AppError.forbidden(action)
  }

  private async requireRow(db: Executor, id: string) {
    const row = await mailboxRepository.findById(db, id)
    if (!row) throw AppError.notFound('Mailbox', id)
    return row
  }

  private async assertGroup(groupId: string | null | undefined) {
    if (!groupId) return
    const group = await this.deps.db.selectFrom('agent_group').select('id').where('id', '=', groupId).executeTakeFirst()
    if (!group) throw AppError.validation('The group does not exist.', { field: 'groupId' })
  }

  private encrypt = (plain: string) => encryptSecret(this.deps.config.secret, plain)

  async list(actor: Actor): Promise<Mailbox[]> {
    this.requireAdmin(actor, 'see mailboxes')
    return (await mailboxRepository.list(this.deps.db)).map(toMailbox)
  }

  async get(actor: Actor, id: string): Promise<Mailbox> {
    this.requireAdmin(actor, 'see mailboxes')
    return toMailbox(await this.requireRow(this.deps.db, id))
  }

  async create(actor: Actor, body: CreateMailboxBody): Promise<Mailbox> {
    this.requireAdmin(actor, 'add mailboxes')
    const address = body.address.trim().toLowerCase()
    if (await mailboxRepository.findByAddress(this.deps.db, address)) throw AppError.conflict('A mailbox with this address exists.', { field: 'address' })
    await this.assertGroup(body.groupId)
    const now = this.deps.clock.iso()
    const id = newId()
    const imapTls = body.imap.tls ?? 'implicit'
    const smtpTls = body.smtp.tls ?? 'starttls'
    const row: MailboxTable = {
      id,
      name: body.name.trim(),
      address,
      sender_name: body.senderName?.trim() || body.name.trim(),
      active: body.active === false ? 0 : 1,
      imap_host: body.imap.host.trim(),
      imap_port: body.imap.port ?? defaultPort('imap', imapTls),
      imap_tls: imapTls,
      imap_user: body.imap.user,
      imap_password: this.encrypt(body.imap.password),
      imap_folder: body.imap.folder ?? 'INBOX',
      imap_processed_folder: body.imap.processedFolder ?? null,
      smtp_host: body.smtp.host.trim(),
      smtp_port: body.smtp.port ?? defaultPort('smtp', smtpTls),
      smtp_tls: smtpTls,
      smtp_user: body.smtp.user ?? null,
      smtp_password: body.smtp.password ? this.encrypt(body.smtp.password) : null,
      tls_verify: body.tlsVerify === false ? 0 : 1,
      signature: body.signature ?? '',
      group_id: body.groupId ?? null,
      ack_enabled: body.acknowledgement?.enabled ? 1 : 0,
      ack_templates: JSON.stringify({ nl: body.acknowledgement?.nl ?? DEFAULT_ACK_TEMPLATES.nl, en: body.acknowledgement?.en ?? DEFAULT_ACK_TEMPLATES.en }),
      block_list: JSON.stringify(normaliseBlockList(body.blockList ?? [])),
      poll_seconds: body.pollSeconds ?? 60,
      state: 'stopped',
      uses_idle: null,
      last_fetch_at: null,
      last_success_at: null,
      last_error: null,
      last_error_at: null,
      fetched_count: 0,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      updated_at: now,
    }
    await mailboxRepository.insert(this.deps.db, row)
    return toMailbox((await mailboxRepository.findById(this.deps.db, id))!)
  }

  async update(actor: Actor, id: string, body: UpdateMailboxBody): Promise<Mailbox> {
    this.requireAdmin(actor, 'change mailboxes')
    const db = this.deps.db
    const current = await this.requireRow(db, id)
    const patch: Partial<MailboxTable> = { updated_at: this.deps.clock.iso() }
    if (body.address !== undefined) {
      const address = body.address.trim().toLowerCase()
      const other = await mailboxRepository.findByAddress(db, address)
      if (other && other.id !== id) throw AppError.conflict('A mailbox with this address exists.', { field: 'address' })
      patch.address = address
    }
    if (body.name !== undefined) patch.name = body.name.trim()
    if (body.senderName !== undefined) patch.sender_name = body.senderName.trim()
    if (body.active !== undefined) patch.active = body.active ? 1 : 0
    if (body.imap) {
      const i = body.imap
      if (i.host !== undefined) patch.imap_host = i.host.trim()
      if (i.tls !== undefined) patch.imap_tls = i.tls
      if (i.port !== undefined) patch.imap_port = i.port
      else if (i.tls !== undefined) patch.imap_port = defaultPort('imap', i.tls)
      if (i.user !== undefined) patch.imap_user = i.user
      if (i.password !== undefined) patch.imap_password = this.encrypt(i.password)
      if (i.folder !== undefined) patch.imap_folder = i.folder
      if (i.processedFolder !== undefined) patch.imap_processed_folder = i.processedFolder
    }
    if (body.smtp) {
      const s = body.smtp
      if (s.host !== undefined) patch.smtp_host = s.host.trim()
      if (s.tls !== undefined) patch.smtp_tls = s.tls
      if (s.port !== undefined) patch.smtp_port = s.port
      else if (s.tls !== undefined) patch.smtp_port = defaultPort('smtp', s.tls)
      if (s.user !== undefined) patch.smtp_user = s.user
      if (s.password !== undefined) patch.smtp_password = s.password === null ? null : this.encrypt(s.password)
    }
    if (body.tlsVerify !== undefined) patch.tls_verify = body.tlsVerify ? 1 : 0
    if (body.signature !== undefined) patch.signature = body.signature
    if (body.groupId !== undefined) {
      await this.assertGroup(body.groupId)
      patch.group_id = body.groupId
    }
    if (body.acknowledgement) {
      const templates = parseJson(current.ack_templates, DEFAULT_ACK_TEMPLATES)
      if (body.acknowledgement.enabled !== undefined) patch.ack_enabled = body.acknowledgement.enabled ? 1 : 0
      patch.ack_templates = JSON.stringify({ nl: body.acknowledgement.nl ?? templates.nl, en: body.acknowledgement.en ?? templates.en })
    }
    if (body.blockList !== undefined) patch.block_list = JSON.stringify(normaliseBlockList(body.blockList))
    if (body.pollSeconds !== undefined) patch.poll_seconds = body.pollSeconds
    await mailboxRepository.update(db, id, patch)
    return toMailbox((await mailboxRepository.findById(db, id))!)
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.requireAdmin(actor, 'remove mailboxes')
    const result = await mailboxRepository.delete(this.deps.db, id)
    if (Number(result.numDeletedRows) === 0) throw AppError.notFound('Mailbox', id)
  }

  /** Tries DNS, TCP/TLS, login and folder for IMAP, and DNS, TCP/TLS and login for SMTP; says which step failed. */
  async testConnection(actor: Actor, id: string): Promise<ConnectionTest> {
    this.requireAdmin(actor, 'test mailboxes')
    const config = this.toConfig(await this.requireRow(this.deps.db, id))
    return testMailboxConnection(config)
  }

  /** The same test for settings not saved yet (the admin screen's "test" button before "save"). */
  async testSettings(actor: Actor, body: CreateMailboxBody): Promise<ConnectionTest> {
    this.requireAdmin(actor, 'test mailboxes')
    const imapTls = body.imap.tls ?? 'implicit'
    const smtpTls = body.smtp.tls ?? 'starttls'
    return testMailboxConnection({
      id: 'unsaved',
      name: body.name,
      address: body.address,
      senderName: body.senderName ?? body.name,
      active: true,
      imap: {
        host: body.imap.host.trim(),
        port: body.imap.port ?? defaultPort('imap', imapTls),
        tls: imapTls,
        user: body.imap.user,
        password: body.imap.password,
        folder: body.imap.folder ?? 'INBOX',
        processedFolder: body.imap.processedFolder ?? null,
      },
      smtp: {
        host: body.smtp.host.trim(),
        port: body.smtp.port ?? defaultPort('smtp', smtpTls),
        tls: smtpTls,
        user: body.smtp.user ?? null,
        password: body.smtp.password ?? null,
      },
      tlsVerify: body.tlsVerify !== false,
      signature: '',
      groupId: null,
      acknowledgement: { enabled: false, ...DEFAULT_ACK_TEMPLATES },
      blockList: [],
      pollSeconds: 60,
      updatedAt: this.deps.clock.iso(),
    })
  }

  // --- for the channel itself (no actor: the fetcher and the sender run as the system) ---------

  toConfig(r: MailboxRow): MailboxConfig {
    const m = toMailbox(r)
    const key = this.deps.config.secret
    return {
      id: m.id,
      name: m.name,
      address: m.address,
      senderName: m.senderName,
      active: m.active,
      imap: { ...m.imap, password: decryptSecret(key, r.imap_password) },
      smtp: { host: m.smtp.host, port: m.smtp.port, tls: m.smtp.tls, user: m.smtp.user, password: r.smtp_password ? decryptSecret(key, r.smtp_password) : null },
      tlsVerify: m.tlsVerify,
      signature: m.signature,
      groupId: m.groupId,
      acknowledgement: m.acknowledgement,
      blockList: m.blockList,
      pollSeconds: m.pollSeconds,
      updatedAt: m.updatedAt,
    }
  }

  async activeConfigs(): Promise<MailboxConfig[]> {
    return (await mailboxRepository.listActive(this.deps.db)).map((r) => this.toConfig(r))
  }

  async configById(id: string): Promise<MailboxConfig | undefined> {
    const row = await mailboxRepository.findById(this.deps.db, id)
    return row ? this.toConfig(row) : undefined
  }

  /** The mailbox a reply on a ticket goes out through: the one it came in by, else its group's, else the first. */
  async configForReply(preferredId: string | undefined, groupId: string | null): Promise<MailboxConfig | undefined> {
    const db = this.deps.db
    const row =
      (preferredId ? await mailboxRepository.findById(db, preferredId) : undefined) ??
      (groupId ? await mailboxRepository.findByGroup(db, groupId) : undefined) ??
      (await mailboxRepository.first(db))
    return row ? this.toConfig(row) : undefined
  }
}
