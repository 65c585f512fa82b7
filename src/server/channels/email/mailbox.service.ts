import type { Logger } from 'pino'
import { ACCOUNT_MAIL_QUEUE } from '../../accounts/account-links.js'
import type { ConnectionTest, CreateMailboxBody, Mailbox, MailboxMessage, MailboxMessageQuery, UpdateMailboxBody } from '../../../shared/api/mailboxes.js'
import { type Actor, isAdmin } from '../../accounts/actor.js'
import { decryptSecret, encryptSecret } from '../../accounts/secrets.js'
import { newId } from '../../clock.js'
import type { Executor, MailboxMessageTable, MailboxRow, MailboxTable } from '../../db/schema.js'
import type { Deps } from '../../deps.js'
import { AppError } from '../../errors.js'
import { type AuditService, auditActor } from '../../audit/audit.service.js'
import { testMailboxConnection } from './connection-test.js'
import { DEFAULT_ACK_TEMPLATES, defaultPort, type MailboxConfig } from './mailbox.config.js'
import { mailboxMessageRepository, mailboxRepository } from './mailbox.repository.js'
import type { MailboxOAuthService } from './oauth/mailbox-oauth.service.js'

/** Why an account mail waits: the job's last_error while it does. */
export const NO_SENDING_MAILBOX = 'no mailbox can send: waits until an administrator adds one'

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
    verp: r.verp === 1,
    defaultSender: r.default_sender === 1,
    status: {
      state: (r.active === 1 ? r.state : 'disabled') as Mailbox['status']['state'],
      usesIdle: r.uses_idle === null ? null : r.uses_idle === 1,
      lastFetchAt: r.last_fetch_at,
      lastSuccessAt: r.last_success_at,
      lastError: r.last_error,
      lastErrorAt: r.last_error_at,
      fetchedCount: r.fetched_count,
      counts: {
        filed: r.filed_count,
        duplicate: r.duplicate_count,
        headersOnly: r.headers_only_count,
        refused: r.refused_count,
        machine: r.machine_count,
      },
    },
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}

function toMailboxMessage(r: MailboxMessageTable): MailboxMessage {
  return {
    id: r.id,
    outcome: r.outcome as MailboxMessage['outcome'],
    kind: r.kind as MailboxMessage['kind'],
    reason: r.reason,
    messageId: r.message_id,
    from: r.from_address,
    subject: r.subject,
    duplicateOf: r.article_id ? { articleId: r.article_id, ticketId: r.ticket_id } : null,
    rawUrl: r.raw_sha256 ? `/api/v1/mailboxes/${r.mailbox_id}/messages/${r.id}/raw` : null,
    size: r.size,
    receivedAt: r.received_at,
  }
}

/** Administrators' mailboxes: where mail comes in (IMAP) and replies go out (SMTP). Passwords never leave. */
export class MailboxService {
  /** Set by the e-mail channel: where the service says that waiting account mails go out. */
  logger: Pick<Logger, 'info'> | undefined

  constructor(
    private readonly deps: Deps,
    private readonly audit: Pick<AuditService, 'record'>,
    private readonly oauth: MailboxOAuthService,
  ) {}

  /** The mailbox for the API, with its OAuth sign-in when it has one. */
  private async present(r: MailboxRow): Promise<Mailbox> {
    return { ...toMailbox(r), oauth: await this.oauth.summary(r.id) }
  }

  /** A mailbox with an OAuth sign-in gets its access tokens from there (XOAUTH2 instead of the password). */
  private withOAuth(config: MailboxConfig, usesOAuth: boolean): MailboxConfig {
    return usesOAuth ? { ...config, oauth: { accessToken: (renew) => this.oauth.accessToken(config.id, renew) } } : config
  }

  private async configOf(r: MailboxRow) {
    return this.withOAuth(this.toConfig(r), await this.oauth.uses(r.id))
  }

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
    const oauth = await this.oauth.summaries()
    return (await mailboxRepository.list(this.deps.db)).map((r) => ({ ...toMailbox(r), oauth: oauth.get(r.id) ?? null }))
  }

  async get(actor: Actor, id: string): Promise<Mailbox> {
    this.requireAdmin(actor, 'see mailboxes')
    return this.present(await this.requireRow(this.deps.db, id))
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
      filed_count: 0,
      duplicate_count: 0,
      headers_only_count: 0,
      refused_count: 0,
      machine_count: 0,
      verp: body.verp === false ? 0 : 1,
      default_sender: body.defaultSender ? 1 : 0,
      lease_owner: null,
      lease_until: null,
      created_at: now,
      updated_at: now,
    }
    await this.deps.transaction(async (trx) => {
      if (row.default_sender) await mailboxRepository.clearDefaultSender(trx)
      await mailboxRepository.insert(trx, row)
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'mailbox.created',
        details: { mailboxId: id, name: row.name, address, imapHost: row.imap_host, smtpHost: row.smtp_host, active: row.active === 1 },
      })
    })
    await this.releaseWaitingMail()
    return this.present((await mailboxRepository.findById(this.deps.db, id))!)
  }

  /**
   * Account mails (invitations, password and sign-in links, confirmations) that waited because no
   * mailbox could send are queued again once one can; logged with their number.
   */
  async releaseWaitingMail(): Promise<number> {
    if (!(await this.configForReply())) return 0
    const released = await this.deps.jobs.release(this.deps.db, ACCOUNT_MAIL_QUEUE)
    if (released > 0) this.logger?.info({ released }, 'account mails that waited for a sending mailbox are queued to go out')
    return released
  }

  /** How many account mails wait for a sending mailbox (administrators see it in Beheer). */
  async waitingMail(actor: Actor): Promise<{ count: number; since: string | null }> {
    this.requireAdmin(actor, 'see mailboxes')
    return this.deps.jobs.waiting(this.deps.db, ACCOUNT_MAIL_QUEUE)
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
    if (body.verp !== undefined) patch.verp = body.verp ? 1 : 0
    if (body.defaultSender !== undefined) patch.default_sender = body.defaultSender ? 1 : 0
    const { updated_at: _at, ...changed } = patch
    await this.deps.transaction(async (trx) => {
      // One default sending mailbox: choosing this one unsets the other.
      if (patch.default_sender === 1) await mailboxRepository.clearDefaultSender(trx)
      await mailboxRepository.update(trx, id, patch)
      // Column names say what changed; the passwords' values are left out (the audit log drops them too).
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'mailbox.changed', details: { mailboxId: id, name: current.name, fields: Object.keys(changed), changes: changed } })
    })
    await this.releaseWaitingMail()
    return this.present((await mailboxRepository.findById(db, id))!)
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.requireAdmin(actor, 'remove mailboxes')
    await this.deps.transaction(async (trx) => {
      const row = await mailboxRepository.findById(trx, id)
      const result = await mailboxRepository.delete(trx, id)
      if (!row || Number(result.numDeletedRows) === 0) throw AppError.notFound('Mailbox', id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'mailbox.removed', details: { mailboxId: id, name: row.name, address: row.address } })
    })
  }

  /** The messages of a mailbox that became no article of their own: machine mail, refused mail, duplicates. Newest first. */
  async listMessages(actor: Actor, id: string, query: MailboxMessageQuery): Promise<MailboxMessage[]> {
    this.requireAdmin(actor, 'see mailboxes')
    await this.requireRow(this.deps.db, id)
    return (await mailboxMessageRepository.list(this.deps.db, id, query.outcome, query.limit ?? 50)).map(toMailboxMessage)
  }

  /** The raw message of a listed machine or refused mail, to open in a mail client. */
  async rawMessage(actor: Actor, id: string, messageId: string) {
    this.requireAdmin(actor, 'see mailboxes')
    const row = await mailboxMessageRepository.findById(this.deps.db, id, messageId)
    if (!row?.raw_sha256) throw AppError.notFound('Message', messageId)
    return { content: this.deps.blobs.open(row.raw_sha256), size: row.size }
  }

  /** Tries DNS, TCP/TLS, login and folder for IMAP, and DNS, TCP/TLS and login for SMTP; says which step failed. */
  async testConnection(actor: Actor, id: string): Promise<ConnectionTest> {
    this.requireAdmin(actor, 'test mailboxes')
    const config = await this.configOf(await this.requireRow(this.deps.db, id))
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
      verp: false,
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
      verp: m.verp,
      updatedAt: m.updatedAt,
    }
  }

  async activeConfigs(): Promise<MailboxConfig[]> {
    const oauth = await this.oauth.summaries()
    return (await mailboxRepository.listActive(this.deps.db)).map((r) => this.withOAuth(this.toConfig(r), oauth.has(r.id)))
  }

  async configById(id: string): Promise<MailboxConfig | undefined> {
    const row = await mailboxRepository.findById(this.deps.db, id)
    return row ? this.configOf(row) : undefined
  }

  /**
   * The mailbox a reply on a ticket goes out through: the one its customer wrote to, else its group's,
   * else one of its department's groups', else the default sending mailbox an administrator chose, else
   * the first active one. `db` may be the caller's transaction.
   */
  async configForReply(where: ReplyMailboxQuery = {}, db: Executor = this.deps.db): Promise<MailboxConfig | undefined> {
    const row = await this.senderRow(where, db)
    return row ? this.configOf(row) : undefined
  }

  /** The address and name a reply would go out from (the composer shows it), or undefined when no mailbox can send. */
  async senderFor(where: ReplyMailboxQuery, db: Executor = this.deps.db): Promise<{ id: string; address: string; name: string } | undefined> {
    const row = await this.senderRow(where, db)
    return row ? { id: row.id, address: row.address, name: row.sender_name } : undefined
  }

  private async senderRow(where: ReplyMailboxQuery, db: Executor): Promise<MailboxRow | undefined> {
    return (
      (where.preferredId ? await mailboxRepository.findById(db, where.preferredId) : undefined) ??
      (where.groupId ? await mailboxRepository.findByGroup(db, where.groupId) : undefined) ??
      (where.departmentId ? await mailboxRepository.findByDepartment(db, where.departmentId) : undefined) ??
      (await mailboxRepository.defaultSender(db)) ??
      (await mailboxRepository.first(db))
    )
  }
}

/** What is known of a ticket to choose the mailbox its replies go out from. */
export interface ReplyMailboxQuery {
  /** The mailbox the customer's last mail came in by. */
  preferredId?: string
  groupId?: string | null
  departmentId?: string | null
}
