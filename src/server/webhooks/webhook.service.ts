import type { CreateWebhookBody, UpdateWebhookBody, Webhook, WebhookDelivery, WebhookEventType, WebhookWithSecret } from '../../shared/api/webhooks.js'
import { type Actor, isAdmin } from '../accounts/actor.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import { decryptSecret, encryptSecret, newSecretToken } from '../accounts/secrets.js'
import { newId } from '../clock.js'
import type { Executor, WebhookDeliveryRow, WebhookRow } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import type { DomainEvent } from '../events.js'
import { RetryAt, retryDelayMs } from '../jobs/queue.js'
import type { Outbox, OutboxEvent } from '../outbox/outbox.js'
import { webhookRepository } from './webhook.repository.js'
import { sendWebhook } from './webhook.sender.js'

export const WEBHOOK_QUEUE = 'webhook.deliver'

interface DeliveryJob {
  webhookId: string
  eventId: string
  event: DomainEvent
}

const parseTypes = (text: string): string[] => {
  try {
    return JSON.parse(text) as string[]
  } catch {
    return []
  }
}

const toWebhook = (r: WebhookRow): Webhook => ({
  id: r.id,
  url: r.url,
  description: r.description,
  eventTypes: parseTypes(r.event_types) as WebhookEventType[],
  active: r.active === 1,
  disabledReason: r.disabled_reason,
  disabledAt: r.disabled_at,
  failuresInARow: r.failures_in_a_row,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const toDelivery = (r: WebhookDeliveryRow): WebhookDelivery => ({
  id: r.id,
  eventId: r.event_id,
  eventType: r.event_type as WebhookEventType,
  attempt: r.attempt,
  ok: r.ok === 1,
  statusCode: r.status_code,
  error: r.error,
  durationMs: r.duration_ms,
  nextTryAt: r.next_try_at,
  at: r.created_at,
})

/** Only http and https: a webhook must not reach file:, data: or other schemes through the fetcher. */
function checkedUrl(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw AppError.validation('The URL is not a valid address.', { field: 'url' })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw AppError.validation('Only http:// and https:// URLs can receive webhooks.', { field: 'url' })
  if (parsed.username || parsed.password) throw AppError.validation('Put no user name or password in the URL; the signature proves the sender.', { field: 'url' })
  return parsed.toString()
}

/**
 * Outgoing webhooks: administrators subscribe a URL to event types; every committed event of those
 * types is POSTed to it, signed, through the outbox (one delivery job per event and webhook, created
 * exactly once) and the job queue (retries with back-off). Each try is logged; a webhook that keeps
 * failing is switched off with the reason.
 */
export class WebhookService {
  /** Tuning, changed by tests only. */
  readonly settings = {
    /** How long a receiver may take to answer. */
    timeoutMs: 10_000,
    /** Tries per event (with back-off 2 s, 4 s … about 68 minutes in all). */
    maxAttempts: 12,
    /** Failed tries in a row (over all events) after which the webhook is switched off. */
    disableAfter: 15,
    /** Tries kept in a webhook's delivery log. */
    logSize: 1000,
  }

  constructor(
    private readonly deps: Deps,
    private readonly audit: AuditService,
  ) {}

  /** Where this process runs the reactions: the outbox handler, and the job that sends. */
  registerReactions(outbox: Pick<Outbox, 'handle'>) {
    outbox.handle('webhooks', (trx, events) => this.enqueueDeliveries(trx, events))
    this.deps.jobs.register(WEBHOOK_QUEUE, (payload: DeliveryJob, job) => this.deliver(payload, job.attempts, job.max_attempts))
  }

  private requireAdmin(actor: Actor) {
    if (!isAdmin(actor)) throw AppError.forbidden('manage webhooks')
  }

  private async requireRow(db: Executor, id: string) {
    const row = await webhookRepository.findById(db, id)
    if (!row) throw AppError.notFound('Webhook', id)
    return row
  }

  async list(actor: Actor): Promise<Webhook[]> {
    this.requireAdmin(actor)
    return (await webhookRepository.list(this.deps.db)).map(toWebhook)
  }

  async get(actor: Actor, id: string): Promise<Webhook> {
    this.requireAdmin(actor)
    return toWebhook(await this.requireRow(this.deps.db, id))
  }

  async create(actor: Actor, body: CreateWebhookBody): Promise<WebhookWithSecret> {
    this.requireAdmin(actor)
    const secret = body.secret ?? newSecretToken('whsec_')
    const now = this.deps.clock.iso()
    const row: WebhookRow = {
      id: newId(),
      url: checkedUrl(body.url),
      description: body.description?.trim() ?? '',
      event_types: JSON.stringify([...new Set(body.eventTypes)]),
      secret: encryptSecret(this.deps.config.secret, secret),
      active: body.active === false ? 0 : 1,
      failures_in_a_row: 0,
      disabled_reason: null,
      disabled_at: null,
      created_at: now,
      updated_at: now,
    }
    await this.deps.transaction(async (trx) => {
      await webhookRepository.insert(trx, row)
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'webhook.created',
        details: { webhookId: row.id, url: row.url, eventTypes: body.eventTypes, active: row.active === 1 },
      })
    })
    return { ...toWebhook(row), secret }
  }

  async update(actor: Actor, id: string, body: UpdateWebhookBody): Promise<Webhook | WebhookWithSecret> {
    this.requireAdmin(actor)
    const current = await this.requireRow(this.deps.db, id)
    const now = this.deps.clock.iso()
    const patch: Partial<WebhookRow> = { updated_at: now }
    if (body.url !== undefined) patch.url = checkedUrl(body.url)
    if (body.eventTypes !== undefined) patch.event_types = JSON.stringify([...new Set(body.eventTypes)])
    if (body.description !== undefined) patch.description = body.description.trim()
    if (body.secret !== undefined) patch.secret = encryptSecret(this.deps.config.secret, body.secret)
    if (body.active === true) Object.assign(patch, { active: 1, failures_in_a_row: 0, disabled_reason: null, disabled_at: null })
    if (body.active === false && current.active === 1) Object.assign(patch, { active: 0, disabled_reason: null, disabled_at: now })
    await this.deps.transaction(async (trx) => {
      await webhookRepository.update(trx, id, patch)
      // Which fields changed, and the new URL and types; never the secret.
      const fields = Object.keys(body).filter((k) => body[k as keyof UpdateWebhookBody] !== undefined)
      await this.audit.record(trx, {
        actorId: auditActor(actor),
        action: 'webhook.changed',
        details: { webhookId: id, fields, ...(body.url !== undefined && { url: patch.url }), ...(body.eventTypes && { eventTypes: body.eventTypes }), ...(body.active !== undefined && { active: body.active }) },
      })
    })
    const updated = toWebhook({ ...current, ...patch })
    return body.secret !== undefined ? { ...updated, secret: body.secret } : updated
  }

  async remove(actor: Actor, id: string): Promise<void> {
    this.requireAdmin(actor)
    await this.deps.transaction(async (trx) => {
      const row = await this.requireRow(trx, id)
      await webhookRepository.remove(trx, id)
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'webhook.removed', details: { webhookId: id, url: row.url } })
    })
  }

  async deliveries(actor: Actor, id: string, limit = 50): Promise<WebhookDelivery[]> {
    this.requireAdmin(actor)
    await this.requireRow(this.deps.db, id)
    return (await webhookRepository.listDeliveries(this.deps.db, id, limit)).map(toDelivery)
  }

  /**
   * The outbox handler: a delivery job per event and subscribed webhook, written in the dispatch
   * transaction, keyed by both ids, so each exists once however often the events come by.
   */
  private async enqueueDeliveries(trx: Executor, events: readonly OutboxEvent[]): Promise<void> {
    const webhooks = (await webhookRepository.listActive(trx)).map((w) => ({ id: w.id, types: new Set(parseTypes(w.event_types)) }))
    if (webhooks.length === 0) return
    for (const { id: eventId, event } of events) {
      for (const webhook of webhooks) {
        if (!webhook.types.has(event.type)) continue
        const job: DeliveryJob = { webhookId: webhook.id, eventId, event }
        await this.deps.jobs.enqueue(trx, WEBHOOK_QUEUE, job, { dedupeKey: `webhook:${webhook.id}:${eventId}`, maxAttempts: this.settings.maxAttempts })
      }
    }
  }

  /** One try of one event; throws (RetryAt) to be tried again, unless that was the last try or the webhook went off. */
  private async deliver({ webhookId, eventId, event }: DeliveryJob, attempt: number, maxAttempts: number): Promise<void> {
    const { db, clock } = this.deps
    const webhook = await webhookRepository.findById(db, webhookId)
    // Deleted or switched off since: nothing to send.
    if (!webhook || webhook.active !== 1) return
    const { type, at, ...data } = event as DomainEvent & { at?: string }
    const body = JSON.stringify({ id: eventId, type, occurredAt: at ?? null, data })
    const result = await sendWebhook(
      { url: webhook.url, secret: decryptSecret(this.deps.config.secret, webhook.secret), eventId, eventType: type, body, now: clock.now() },
      this.settings.timeoutMs,
    )
    const failures = result.ok ? 0 : webhook.failures_in_a_row + 1
    const disable = !result.ok && failures >= this.settings.disableAfter
    const nextTry = !result.ok && !disable && attempt < maxAttempts ? new Date(clock.now().getTime() + retryDelayMs(attempt)) : null
    const now = clock.iso()
    await this.deps.transaction(async (trx) => {
      await webhookRepository.insertDelivery(trx, {
        id: newId(),
        webhook_id: webhookId,
        event_id: eventId,
        event_type: type,
        attempt,
        ok: result.ok ? 1 : 0,
        status_code: result.statusCode,
        error: result.error,
        duration_ms: result.durationMs,
        next_try_at: nextTry?.toISOString() ?? null,
        created_at: now,
      })
      await webhookRepository.trimDeliveries(trx, webhookId, this.settings.logSize)
      await webhookRepository.update(trx, webhookId, {
        failures_in_a_row: failures,
        ...(disable && {
          active: 0,
          disabled_at: now,
          disabled_reason: `Switched off after ${failures} failed deliveries in a row. The last: ${result.error}`,
        }),
      })
      if (disable) await this.audit.record(trx, { actorId: null, action: 'webhook.disabled', details: { webhookId, url: webhook.url, failures, lastError: result.error } })
    })
    if (nextTry) throw new RetryAt(nextTry, `webhook ${webhookId}: ${result.error}`)
  }
}
