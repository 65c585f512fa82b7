import type { CreateOrganisationBody, CreateUserBody, LocalAdministratorsBody, Organisation, UpdateOrganisationBody, UpdateUserBody, User } from '../../../shared/api/accounts.js'
import type { AuditEntry } from '../../../shared/api/audit.js'
import type { Banner, CreateBannerBody, UpdateBannerBody } from '../../../shared/api/portal.js'
import type { Calendar, ClosedDay, CreateCalendarBody, UpdateCalendarBody } from '../../../shared/api/calendars.js'
import type { CreateDepartmentBody, CreateGroupBody, Department, Group, UpdateDepartmentBody, UpdateGroupBody } from '../../../shared/api/desk.js'
import { get, type Page, queryString, request } from '../api.js'

export type { AuditEntry, Banner, Calendar, ClosedDay, Organisation }

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
  organisations: (q: { q?: string; withoutLocalAdministrator?: 'true'; limit?: number }, signal?: AbortSignal) =>
    get<Page<Organisation>>(`/organisations${queryString(q)}`, signal),
  createOrganisation: (body: CreateOrganisationBody) => request<Organisation>('/organisations', { method: 'POST', body }).then((r) => r.data),
  updateOrganisation: (id: string, body: UpdateOrganisationBody) => request<Organisation>(one('organisations', id), { method: 'PATCH', body }).then((r) => r.data),
  deleteOrganisation: (id: string) => request<void>(one('organisations', id), { method: 'DELETE' }),
  setLocalAdministrators: (id: string, body: LocalAdministratorsBody) =>
    request<Organisation>(`${one('organisations', id)}/local-administrators`, { method: 'PUT', body }).then((r) => r.data),
  remindWithoutLocalAdmin: (organisationIds: string[]) =>
    request<{ organisations: number; mailed: number }>('/organisations/local-administrator-reminders', { method: 'POST', body: { organisationIds } }).then((r) => r.data),
  banners: (signal?: AbortSignal) => get<{ items: Banner[] }>('/banners?all=true', signal),
  createBanner: (body: CreateBannerBody) => request<Banner>('/banners', { method: 'POST', body }).then((r) => r.data),
  updateBanner: (id: string, body: UpdateBannerBody) => request<Banner>(one('banners', id), { method: 'PATCH', body }).then((r) => r.data),
  deleteBanner: (id: string) => request<void>(one('banners', id), { method: 'DELETE' }),
  calendars: (signal?: AbortSignal) => get<{ items: Calendar[] }>('/calendars', signal),
  createCalendar: (body: CreateCalendarBody) => request<Calendar>('/calendars', { method: 'POST', body }).then((r) => r.data),
  updateCalendar: (id: string, body: UpdateCalendarBody) => request<Calendar>(one('calendars', id), { method: 'PATCH', body }).then((r) => r.data),
  deleteCalendar: (id: string) => request<void>(one('calendars', id), { method: 'DELETE' }),
  closedDays: (id: string, year: number, signal?: AbortSignal) => get<{ items: ClosedDay[] }>(`${one('calendars', id)}/closed-days?year=${year}`, signal),
}
