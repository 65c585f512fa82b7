import type { CatalogCategory, CatalogCategoryBody, CatalogItem, CatalogItemBody, CatalogRequest } from '../../../shared/api/catalogue.js'
import { ApiError, get, request } from '../api.js'

export type { CatalogCategory, CatalogItem, CatalogItemBody, CatalogRequest }

/** The service catalogue (issue 18): the editor for administrators and a request's steps on a ticket. */
export const catalogueApi = {
  categories: (signal?: AbortSignal) => get<{ items: CatalogCategory[] }>('/catalog/categories', signal).then((r) => r.items),
  items: (signal?: AbortSignal) => get<{ items: CatalogItem[] }>('/catalog/items?includeInactive=true', signal).then((r) => r.items),
  createCategory: async (body: CatalogCategoryBody) => (await request<CatalogCategory>('/catalog/categories', { method: 'POST', body })).data,
  createItem: async (body: CatalogItemBody) => (await request<CatalogItem>('/catalog/items', { method: 'POST', body })).data,
  updateItem: async (id: string, body: CatalogItemBody) => (await request<CatalogItem>(`/catalog/items/${encodeURIComponent(id)}`, { method: 'PUT', body })).data,
  /** The request behind a ticket, or null when the ticket did not come from the catalogue. */
  requestOf: async (ticketId: string, signal?: AbortSignal) => {
    try {
      return await get<CatalogRequest>(`/tickets/${encodeURIComponent(ticketId)}/catalog-request`, signal)
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null
      throw err
    }
  },
  setStep: async (ticketId: string, position: number, done: boolean) =>
    (await request<CatalogRequest>(`/tickets/${encodeURIComponent(ticketId)}/catalog-request/steps/${position}`, { method: 'PUT', body: { done } })).data,
}
