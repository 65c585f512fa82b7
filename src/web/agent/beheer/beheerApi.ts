import type { CreateOrganisationBody, CreateUserBody, Organisation, UpdateOrganisationBody, UpdateUserBody, User } from '../../../shared/api/accounts.js'
import type { CreateDepartmentBody, CreateGroupBody, Department, Group, UpdateDepartmentBody, UpdateGroupBody } from '../../../shared/api/desk.js'
import { get, type Page, queryString, request } from '../api.js'

export type { Organisation }

const one = (kind: string, id: string) => `/${kind}/${encodeURIComponent(id)}`

/** The administrators' calls of the Beheer screens (writes go through `request`, which sends the CSRF token). */
export const beheerApi = {
  users: (q: { q?: string; role?: string; organisationId?: string; limit?: number; cursor?: string }, signal?: AbortSignal) =>
    get<Page<User>>(`/users${queryString(q)}`, signal),
  createUser: (body: CreateUserBody) => request<User>('/users', { method: 'POST', body }).then((r) => r.data),
  updateUser: (id: string, body: UpdateUserBody) => request<User>(one('users', id), { method: 'PATCH', body }).then((r) => r.data),
  invite: (id: string) => request<{ expiresAt: string }>(`${one('users', id)}/invite`, { method: 'POST' }).then((r) => r.data),
  createDepartment: (body: CreateDepartmentBody) => request<Department>('/departments', { method: 'POST', body }).then((r) => r.data),
  updateDepartment: (id: string, body: UpdateDepartmentBody) => request<Department>(one('departments', id), { method: 'PATCH', body }).then((r) => r.data),
  deleteDepartment: (id: string) => request<void>(one('departments', id), { method: 'DELETE' }),
  createGroup: (body: CreateGroupBody) => request<Group>('/groups', { method: 'POST', body }).then((r) => r.data),
  updateGroup: (id: string, body: UpdateGroupBody) => request<Group>(one('groups', id), { method: 'PATCH', body }).then((r) => r.data),
  deleteGroup: (id: string) => request<void>(one('groups', id), { method: 'DELETE' }),
  organisations: (q: { q?: string; limit?: number }, signal?: AbortSignal) => get<Page<Organisation>>(`/organisations${queryString(q)}`, signal),
  createOrganisation: (body: CreateOrganisationBody) => request<Organisation>('/organisations', { method: 'POST', body }).then((r) => r.data),
  updateOrganisation: (id: string, body: UpdateOrganisationBody) => request<Organisation>(one('organisations', id), { method: 'PATCH', body }).then((r) => r.data),
  deleteOrganisation: (id: string) => request<void>(one('organisations', id), { method: 'DELETE' }),
}
