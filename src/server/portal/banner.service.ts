import type { Banner, CreateBannerBody, UpdateBannerBody } from '../../shared/api/portal.js'
import { type Actor, isStaff } from '../accounts/actor.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import { newId } from '../clock.js'
import type { BannerTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'

const toBanner = (r: BannerTable): Banner => ({
  id: r.id,
  kind: r.kind as Banner['kind'],
  textNl: r.text_nl,
  textEn: r.text_en,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
})

const iso = (value: string) => new Date(value).toISOString()

/**
 * Banners on every portal page: announcements and known outages, set by staff, shown from a moment
 * until another (or until taken down). Outages first, then the newest.
 */
export class BannerService {
  constructor(
    private readonly deps: Deps,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  /** What the portal shows now (anyone, signed in or not: the sign-in page shows them too). */
  async current(): Promise<Banner[]> {
    const now = this.deps.clock.iso()
    const rows = await this.deps.db
      .selectFrom('banner')
      .selectAll()
      .where('starts_at', '<=', now)
      .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', now)]))
      .orderBy('starts_at', 'desc')
      .limit(20)
      .execute()
    return rows.map(toBanner).sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'outage' ? -1 : 1))
  }

  /** Every banner, also ended and planned ones, newest first: for staff. */
  async all(actor: Actor): Promise<Banner[]> {
    if (!isStaff(actor)) throw AppError.forbidden('see every banner')
    const rows = await this.deps.db.selectFrom('banner').selectAll().orderBy('starts_at', 'desc').orderBy('id', 'desc').limit(200).execute()
    return rows.map(toBanner)
  }

  async create(actor: Actor, body: CreateBannerBody): Promise<Banner> {
    if (!isStaff(actor)) throw AppError.forbidden('put up banners')
    const now = this.deps.clock.iso()
    const row: BannerTable = {
      id: newId(),
      kind: body.kind,
      text_nl: body.textNl.trim(),
      text_en: body.textEn.trim(),
      starts_at: body.startsAt ? iso(body.startsAt) : now,
      ends_at: body.endsAt ? iso(body.endsAt) : null,
      created_by: actor.via === 'system' ? null : actor.user.id,
      created_at: now,
      updated_at: now,
    }
    this.assertPeriod(row)
    await this.deps.transaction(async (trx) => {
      await trx.insertInto('banner').values(row).execute()
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'banner.created', details: { bannerId: row.id, kind: row.kind, textNl: row.text_nl, startsAt: row.starts_at, endsAt: row.ends_at } })
    })
    return toBanner(row)
  }

  async update(actor: Actor, id: string, body: UpdateBannerBody): Promise<Banner> {
    if (!isStaff(actor)) throw AppError.forbidden('change banners')
    return this.deps.transaction(async (trx) => {
      const row = await trx.selectFrom('banner').selectAll().where('id', '=', id).executeTakeFirst()
      if (!row) throw AppError.notFound('Banner', id)
      const next: BannerTable = {
        ...row,
        ...(body.kind && { kind: body.kind }),
        ...(body.textNl && { text_nl: body.textNl.trim() }),
        ...(body.textEn && { text_en: body.textEn.trim() }),
        ...(body.startsAt && { starts_at: iso(body.startsAt) }),
        ...(body.endsAt !== undefined && { ends_at: body.endsAt ? iso(body.endsAt) : null }),
        updated_at: this.deps.clock.iso(),
      }
      this.assertPeriod(next)
      await trx.updateTable('banner').set(next).where('id', '=', id).execute()
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'banner.changed', details: { bannerId: id, fields: Object.keys(body) } })
      return toBanner(next)
    })
  }

  async remove(actor: Actor, id: string): Promise<void> {
    if (!isStaff(actor)) throw AppError.forbidden('take down banners')
    await this.deps.transaction(async (trx) => {
      const row = await trx.selectFrom('banner').select(['id', 'text_nl']).where('id', '=', id).executeTakeFirst()
      if (!row) throw AppError.notFound('Banner', id)
      await trx.deleteFrom('banner').where('id', '=', id).execute()
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'banner.deleted', details: { bannerId: id, textNl: row.text_nl } })
    })
  }

  private assertPeriod(row: BannerTable) {
    if (row.ends_at && row.ends_at <= row.starts_at) throw AppError.validation('The banner must end after it starts.', { field: 'endsAt' })
  }
}
