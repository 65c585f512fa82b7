import { createHash } from 'node:crypto'
import { type Branding, LOGO_MAX_BYTES, type LogoBody, type UpdateBrandingBody } from '../../shared/api/branding.js'
import { type Actor, isAdmin } from '../accounts/actor.js'
import { type AuditService, auditActor } from '../audit/audit.service.js'
import type { BrandingTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { brandingRepository } from './branding.repository.js'

export interface Logo {
  contentType: string
  data: Buffer
  /** Names this version of the logo, in its URL and ETag. */
  hash: string
}

/** The first bytes each allowed image type starts with: a logo must be what it says it is. */
const SIGNATURES: Record<LogoBody['contentType'], (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
}

const logoOf = (row: BrandingTable | undefined): Logo | null =>
  row?.logo_data && row.logo_type && row.logo_hash ? { contentType: row.logo_type, data: Buffer.from(row.logo_data, 'base64'), hash: row.logo_hash } : null

/**
 * Branding: the name and logo of the organisation that runs Loket, on the sign-in screen, in the portal
 * and in the mails Loket sends on its own account. Anyone may read it (the sign-in screen shows it before
 * anyone signs in); only administrators change it, and each change is audited.
 */
export class BrandingService {
  constructor(
    private readonly deps: Deps,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {}

  async current(): Promise<Branding> {
    const row = await brandingRepository.get(this.deps.db)
    return {
      name: row?.name ?? null,
      logoUrl: row?.logo_hash ? `/api/v1/branding/logo?v=${row.logo_hash.slice(0, 16)}` : null,
      updatedAt: row?.updated_at ?? null,
    }
  }

  async logo(): Promise<Logo | null> {
    return logoOf(await brandingRepository.get(this.deps.db))
  }

  /** Name and logo for a mail (mail jobs call this for each mail: a change shows in the next one); one read of the row. */
  async forMail(): Promise<{ name: string | null; logo: Logo | null }> {
    const row = await brandingRepository.get(this.deps.db)
    return { name: row?.name ?? null, logo: logoOf(row) }
  }

  async update(actor: Actor, body: UpdateBrandingBody): Promise<Branding> {
    this.requireAdmin(actor)
    const name = body.name?.trim() || null
    await this.save(actor, { name }, { name })
    return this.current()
  }

  async setLogo(actor: Actor, body: LogoBody): Promise<Branding> {
    this.requireAdmin(actor)
    const base64 = body.data.replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw AppError.validation('The logo is not valid base64.', { field: 'data' })
    const data = Buffer.from(base64, 'base64')
    if (data.length > LOGO_MAX_BYTES) throw AppError.validation(`The logo is ${data.length} bytes; at most ${LOGO_MAX_BYTES} bytes (256 KB) fit.`, { field: 'data' })
    if (!SIGNATURES[body.contentType](data)) throw AppError.validation(`The logo is not a ${body.contentType} image.`, { field: 'data' })
    const hash = createHash('sha256').update(data).digest('hex')
    await this.save(actor, { logo_type: body.contentType, logo_data: data.toString('base64'), logo_hash: hash }, { logo: { contentType: body.contentType, bytes: data.length, sha256: hash } })
    return this.current()
  }

  async removeLogo(actor: Actor): Promise<Branding> {
    this.requireAdmin(actor)
    await this.save(actor, { logo_type: null, logo_data: null, logo_hash: null }, { logo: null })
    return this.current()
  }

  private requireAdmin(actor: Actor) {
    if (!isAdmin(actor)) throw AppError.forbidden('change the branding')
  }

  private async save(actor: Actor, change: { name?: string | null; logo_type?: string | null; logo_data?: string | null; logo_hash?: string | null }, details: Record<string, unknown>) {
    await this.deps.transaction(async (trx) => {
      const before = await brandingRepository.get(trx)
      await brandingRepository.save(trx, {
        name: before?.name ?? null,
        logo_type: before?.logo_type ?? null,
        logo_data: before?.logo_data ?? null,
        logo_hash: before?.logo_hash ?? null,
        ...change,
        updated_by: actor.via === 'system' ? null : actor.user.id,
        updated_at: this.deps.clock.iso(),
      })
      await this.audit.record(trx, { actorId: auditActor(actor), action: 'branding.changed', details })
    })
  }
}
