import type { Branding, LOGO_TYPES } from '../../shared/api/branding.js'
import { get, request } from './api.js'

export type { Branding }

/** The organisation's name and logo: read by anyone (the sign-in screen), changed in Beheer → Huisstijl. */
export const brandingApi = {
  get: (signal?: AbortSignal) => get<Branding>('/branding', signal),
  setName: (name: string | null) => request<Branding>('/branding', { method: 'PUT', body: { name } }).then((r) => r.data),
  setLogo: (contentType: (typeof LOGO_TYPES)[number], data: string) => request<Branding>('/branding/logo', { method: 'PUT', body: { contentType, data } }).then((r) => r.data),
  removeLogo: () => request<Branding>('/branding/logo', { method: 'DELETE' }).then((r) => r.data),
}
