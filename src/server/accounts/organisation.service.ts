import type { Selectable } from 'kysely'
import type { CreateOrganisationBody, Organisation, OrganisationQuery, UpdateOrganisationBody } from '../../shared/api/accounts.js'
import { newId } from '../clock.js'
import type { Executor, OrganisationTable } from '../db/schema.js'
import type { Deps } from '../deps.js'
import { AppError } from '../errors.js'
import { decodeCursor, pageOf } from '../pagination.js'
import { type Actor, isAdmin, isStaff } from './actor.js'
import { organisationRepository } from './organisation.repository.js'

export class OrganisationService {
  constructor(private readonly deps: Deps) {}

  /** Organisations as the API gives them; `withNotes` adds the desk's notes (staff reading one organisation). */
  private async withDomains(db: Executor, rows: Selectable<OrganisationTable>[], withNotes = false): Promise<Organisation[]> {
    const ids = rows.map((r) => r.id)
    const [domains, admins] = await Promise.all([organisationRepository.domainsOf(db, ids), organisationRepository.localAdminsOf(db, ids)])
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      domains: domains.get(r.id) ?? [],
      selfRegistration: r.self_registration === 1,
      localAdministrators: admins.get(r.id) ?? [],
      contactEmail: r.contact_email,
      contactPhone: r.contact_phone,
      address: r.address,
      ...(withNotes && { notes: r.notes }),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }))
  }

  async list(actor: Actor, query: OrganisationQuery) {
    if (!isStaff(actor)) throw AppError.forbidden('list organisations')
    const limit = query.limit ?? 50
    const after = decodeCursor(query.cursor, ['name', 'id'] as const)
    const rows = await organisationRepository.list(this.deps.db, { q: query.q, withoutLocalAdministrator: query.withoutLocalAdministrator, after, limit: limit + 1 })
    const page = pageOf(rows, limit, (r) => r, (r) => ({ name: r.name, id: r.id }))
    return { items: await this.withDomains(this.deps.db, page.items), nextCursor: page.nextCursor }
  }

  /** Organisations whose name contains the text: what the search box answers staff. Customers find none. */
  async findByName(actor: Actor, text: string, limit = 10): Promise<{ id: string; name: string }[]> {
    if (!isStaff(actor) || !text.trim()) return []
    const rows = await organisationRepository.list(this.deps.db, { q: text.trim(), limit })
    return rows.map((r) => ({ id: r.id, name: r.name }))
  }

  async get(actor: Actor, id: string): Promise<Organisation> {
    // A customer may see their own organisation, and no other (not even that it exists).
    if (!isStaff(actor) && actor.user.organisationId !== id) throw AppError.notFound('Organisation', id)
    const row = await organisationRepository.findById(this.deps.db, id)
    if (!row) throw AppError.notFound('Organisation', id)
    return (await this.withDomains(this.deps.db, [row], isStaff(actor)))[0]
  }

  async create(actor: Actor, body: CreateOrganisationBody): Promise<Organisation> {
    if (!isStaff(actor)) throw AppError.forbidden('create organisations')
    const domains = normaliseDomains(body.domains ?? [])
    const id = newId()
    const now = this.deps.clock.iso()
    await this.deps.db.transaction().execute(async (trx) => {
      await this.assertDomainsFree(trx, domains, id)
      await organisationRepository.insert(trx, { id, name: body.name.trim(), self_registration: body.selfRegistration ? 1 : 0, ...contactColumns(body), created_at: now, updated_at: now })
      await organisationRepository.setDomains(trx, id, domains)
    })
    return this.get(actor, id)
  }

  async update(actor: Actor, id: string, body: UpdateOrganisationBody): Promise<Organisation> {
    if (!isStaff(actor)) throw AppError.forbidden('change organisations')
    if ((body.domains || body.selfRegistration !== undefined) && !isAdmin(actor) && actor.user.role !== 'supervisor') {
      // Domains (and registering through them) decide who joins an organisation automatically: a team lead's or admin's call.
      throw AppError.forbidden(body.domains ? 'change the e-mail domains of an organisation' : 'switch self-registration of an organisation')
    }
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await organisationRepository.findById(trx, id))) throw AppError.notFound('Organisation', id)
      await organisationRepository.update(trx, id, {
        ...(body.name && { name: body.name.trim() }),
        ...(body.selfRegistration !== undefined && { self_registration: body.selfRegistration ? 1 : 0 }),
        ...contactColumns(body),
        updated_at: this.deps.clock.iso(),
      })
      if (body.domains) {
        const domains = normaliseDomains(body.domains)
        await this.assertDomainsFree(trx, domains, id)
        await organisationRepository.setDomains(trx, id, domains)
      }
    })
    return this.get(actor, id)
  }

  /** Administrators delete an organisation nobody belongs to and no ticket names; otherwise 409 with `dependants`. */
  async remove(actor: Actor, id: string): Promise<void> {
    if (!isAdmin(actor)) throw AppError.forbidden('delete organisations')
    await this.deps.transaction(async (trx) => {
      if (!(await organisationRepository.findById(trx, id))) throw AppError.notFound('Organisation', id)
      const left = Object.entries(await organisationRepository.dependants(trx, id)).filter(([, n]) => n > 0)
      if (left.length) {
        throw AppError.conflict(`The organisation cannot be deleted: ${left.map(([kind, n]) => `${n} ${kind}`).join(', ')} still depend on it.`, {
          dependants: Object.fromEntries(left),
        })
      }
      await organisationRepository.remove(trx, id)
    })
  }

  private async assertDomainsFree(db: Executor, domains: string[], ownId: string) {
    const taken = (await organisationRepository.findDomainOwners(db, domains)).filter((d) => d.organisation_id !== ownId)
    if (taken.length) throw AppError.conflict(`The domain ${taken[0].domain} already belongs to another organisation.`, { field: 'domains' })
  }

  /** Organisations' names by id, for the tickets that name them. */
  namesByIds(db: Executor, ids: readonly string[]): Promise<{ id: string; name: string }[]> {
    return organisationRepository.namesByIds(db, ids)
  }

  async exists(db: Executor, id: string): Promise<boolean> {
    return !!(await organisationRepository.findById(db, id))
  }
}


/** Contact details and notes as stored: trimmed, an empty text is none; a field left out stays as it is. */
function contactColumns(body: CreateOrganisationBody | UpdateOrganisationBody) {
  const text = (value: string | null | undefined) => (value === undefined ? undefined : value?.trim() || null)
  const columns = { contact_email: text(body.contactEmail === null ? null : body.contactEmail?.toLowerCase()), contact_phone: text(body.contactPhone), address: text(body.address), notes: text(body.notes) }
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined)) as Partial<Record<keyof typeof columns, string | null>>
}

const normaliseDomains = (domains: string[]) => [...new Set(domains.map((d) => d.trim().toLowerCase()))]
