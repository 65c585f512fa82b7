import type {
  ArticleQuery, ArticleSummary, ArticleVersion, Category, CreateArticleBody, KnowledgeArticle, Suggestions, UpdateArticleBody,
} from '../../shared/api/knowledge.js'
import type { CreateTemplateBody, RenderedTemplate, Template, TemplateAttachment, TemplateChannel, UpdateTemplateBody } from '../../shared/api/templates.js'
import type { Attachment } from '../../shared/api/tickets.js'
import { ApiError, get, queryString, request } from './api.js'

export type { ArticleSummary, ArticleVersion, Category, KnowledgeArticle, Suggestions, Template, TemplateAttachment, TemplateChannel }

const article = (id: string) => `/knowledge/articles/${encodeURIComponent(id)}`
const template = (id: string) => `/templates/${encodeURIComponent(id)}`

/**
 * A template's text for a ticket; `missing` names the placeholders the agent still has to fill in (the
 * server's 422); `attachments` are the template's files, uploaded to the ticket for this reply.
 */
export interface RenderResult {
  text: string
  missing: string[]
  attachments: Attachment[]
}

/** Templates and the knowledge base (issue 17). */
export const knowledgeApi = {
  templates: (q: string, signal?: AbortSignal, limit = 8) => get<{ items: Template[] }>(`/templates${queryString({ q, limit })}`, signal).then((r) => r.items),
  createTemplate: (body: CreateTemplateBody) => request<Template>('/templates', { method: 'POST', body }).then((r) => r.data),
  updateTemplate: (id: string, body: UpdateTemplateBody) => request<Template>(template(id), { method: 'PATCH', body }).then((r) => r.data),
  deleteTemplate: (id: string) => request<void>(template(id), { method: 'DELETE' }),
  addTemplateFile: (id: string, file: File) =>
    request<TemplateAttachment>(`${template(id)}/attachments${queryString({ filename: file.name })}`, { method: 'POST', raw: file }).then((r) => r.data),
  removeTemplateFile: (id: string, fileId: string) => request<void>(`${template(id)}/attachments/${encodeURIComponent(fileId)}`, { method: 'DELETE' }),
  async render(id: string, ticketId: string): Promise<RenderResult> {
    try {
      const rendered = await request<RenderedTemplate>(`${template(id)}/render`, { method: 'POST', body: { ticketId } })
      return { text: rendered.data.text, missing: [], attachments: rendered.data.attachments ?? [] }
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && typeof err.body.text === 'string') {
        return { text: err.body.text, missing: (err.body.missing as string[]) ?? [], attachments: (err.body.attachments as Attachment[] | undefined) ?? [] }
      }
      throw err
    }
  },
  articles: (q: ArticleQuery, signal?: AbortSignal) => get<{ items: ArticleSummary[] }>(`/knowledge/articles${queryString(q as Record<string, string>)}`, signal).then((r) => r.items),
  article: async (id: string) => (await request<KnowledgeArticle>(article(id))).data,
  createArticle: (body: CreateArticleBody) => request<KnowledgeArticle>('/knowledge/articles', { method: 'POST', body }).then((r) => r.data),
  updateArticle: (id: string, version: number, body: UpdateArticleBody) =>
    request<KnowledgeArticle>(article(id), { method: 'PATCH', body, headers: { 'if-match': `"${version}"` } }).then((r) => r.data),
  archiveArticle: (id: string, version: number) => request<KnowledgeArticle>(`${article(id)}/archive`, { method: 'POST', headers: { 'if-match': `"${version}"` } }).then((r) => r.data),
  versions: (id: string) => get<{ items: ArticleVersion[] }>(`${article(id)}/versions`).then((r) => r.items),
  restore: (id: string, version: number, current: number) =>
    request<KnowledgeArticle>(`${article(id)}/versions/${version}/restore`, { method: 'POST', headers: { 'if-match': `"${current}"` } }).then((r) => r.data),
  fromTicket: (ticketId: string) => request<KnowledgeArticle>('/knowledge/articles/from-ticket', { method: 'POST', body: { ticketId } }).then((r) => r.data),
  useArticle: (id: string, ticketId: string) => request<KnowledgeArticle>(`${article(id)}/uses`, { method: 'POST', body: { ticketId } }).then((r) => r.data),
  categories: () => get<{ items: Category[] }>('/knowledge/categories').then((r) => r.items),
  suggestions: (ticketId: string, signal?: AbortSignal) => get<Suggestions>(`/tickets/${encodeURIComponent(ticketId)}/suggestions`, signal),
}

/** Placeholders still in a text ("{{klant.voornaam}}"): a reply to a customer is not sent while there are any. */
export const openPlaceholders = (text: string): string[] => [...new Set([...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]))]
