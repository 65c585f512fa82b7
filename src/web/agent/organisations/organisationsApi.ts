import type { LocalAdminChange, LocalAdministratorsBody, Organisation, UpdateOrganisationBody, User } from '../../../shared/api/accounts.js'
import { get, type Page, queryString, request, type Ticket } from '../api.js'

export type { LocalAdminChange, Organisation }

const one = (id: string) => `/organisations/${encodeURIComponent(id)}`

/** What the organisation pages of the workspace read and change: any staff member may. */
export const organisationsApi = {
  list: (q: { q?: string; withoutLocalAdministrator?: 'true'; limit?: number; cursor?: string }, signal?: AbortSignal) =>
    get<Page<Organisation>>(`/organisations${queryString(q)}`, signal),
  get: (id: string, signal?: AbortSignal) => get<Organisation>(one(id), signal),
  update: (id: string, body: UpdateOrganisationBody) => request<Organisation>(one(id), { method: 'PATCH', body }).then((r) => r.data),
  members: (organisationId: string, signal?: AbortSignal) => get<Page<User>>(`/users${queryString({ organisationId, role: 'customer', limit: 200 })}`, signal),
  tickets: (organisationId: string, cursor: string | undefined, signal?: AbortSignal) =>
    get<Page<Ticket>>(`/tickets${queryString({ organisationId, sort: '-updated_at', limit: 25, ...(cursor && { cursor }) })}`, signal),
  setLocalAdministrators: (id: string, body: LocalAdministratorsBody) =>
    request<Organisation>(`${one(id)}/local-administrators`, { method: 'PUT', body }).then((r) => r.data),
  localAdminChanges: (id: string, signal?: AbortSignal) => get<{ items: LocalAdminChange[] }>(`${one(id)}/local-administrator-changes?limit=20`, signal),
}
