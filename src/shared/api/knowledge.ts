import { type Static, Type } from '@sinclair/typebox'
import { Language } from './accounts.js'
import { Id, NameText, Nullable, Timestamp } from './common.js'

/** internal: for staff only; public: also for customers, the portal and anyone on the web. */
export const ArticleVisibility = Type.Union([Type.Literal('internal'), Type.Literal('public')])
export type ArticleVisibility = Static<typeof ArticleVisibility>
/** A draft waits for its owner group to review and publish it; an archived article is kept but no longer offered. */
export const ArticleStatus = Type.Union([Type.Literal('draft'), Type.Literal('published'), Type.Literal('archived')])
export type ArticleStatus = Static<typeof ArticleStatus>
const DateOnly = Type.String({ format: 'date', description: 'YYYY-MM-DD' })
const PersonRef = Type.Object({ id: Id, name: Type.String() })

export const ArticleSummarySchema = Type.Object({
  id: Id,
  slug: Type.String(),
  title: Type.String(),
  excerpt: Type.String({ description: 'The start of the text, plain' }),
  language: Language,
  categoryId: Nullable(Id),
  visibility: ArticleVisibility,
  status: ArticleStatus,
  ownerGroupId: Nullable(Id),
  reviewAt: Nullable(DateOnly),
  reviewDue: Type.Boolean({ description: 'The review date has passed: its owner group should look at it' }),
  /** The ticket it was written from; null for customers and the public. */
  sourceTicketId: Nullable(Id),
  helpedCount: Type.Integer({ description: 'On how many tickets it was used' }),
  updatedAt: Timestamp,
  version: Type.Integer(),
})
export type ArticleSummary = Static<typeof ArticleSummarySchema>

export const KnowledgeArticleSchema = Type.Composite([
  ArticleSummarySchema,
  Type.Object({
    body: Type.String({ description: 'Sanitised HTML' }),
    createdAt: Timestamp,
    updatedBy: Nullable(PersonRef),
    publicUrl: Nullable(Type.String({ description: 'Where anyone can read it: only for published public articles' })),
    sourceTicket: Nullable(
      Type.Object({ id: Id, number: Type.String(), subject: Type.String() }, { description: 'The ticket it was written from ("maak kennisartikel"); for staff only' }),
    ),
  }),
])
export type KnowledgeArticle = Static<typeof KnowledgeArticleSchema>

const Title = NameText(300)
const Body = Type.String({ maxLength: 500_000, description: 'HTML; scripts, event handlers, javascript: links and remote images are removed' })

export const CreateArticleBody = Type.Object(
  {
    title: Title,
    body: Body,
    language: Type.Optional(Language),
    categoryId: Type.Optional(Nullable(Id)),
    visibility: Type.Optional(ArticleVisibility),
    status: Type.Optional(ArticleStatus),
    ownerGroupId: Type.Optional(Nullable(Id)),
    reviewAt: Type.Optional(Nullable(DateOnly)),
  },
  { additionalProperties: false },
)
export type CreateArticleBody = Static<typeof CreateArticleBody>
export const UpdateArticleBody = Type.Partial(CreateArticleBody, { additionalProperties: false, minProperties: 1 })
export type UpdateArticleBody = Static<typeof UpdateArticleBody>

export const ArticleQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 500, description: 'Full-text search, Dutch and English stemming; best matches first' })),
    status: Type.Optional(ArticleStatus),
    visibility: Type.Optional(ArticleVisibility),
    categoryId: Type.Optional(Id),
    reviewDue: Type.Optional(Type.Union([Type.Literal('mine'), Type.Literal('all')], { description: 'Only articles past their review date: of your groups, or all' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
)
export type ArticleQuery = Static<typeof ArticleQuery>

export const ArticleVersionSchema = Type.Object({
  version: Type.Integer(),
  title: Type.String(),
  body: Type.String({ description: 'Sanitised HTML' }),
  language: Language,
  categoryId: Nullable(Id),
  visibility: ArticleVisibility,
  status: ArticleStatus,
  ownerGroupId: Nullable(Id),
  reviewAt: Nullable(DateOnly),
  changedBy: Nullable(PersonRef),
  createdAt: Timestamp,
})
export type ArticleVersion = Static<typeof ArticleVersionSchema>
export const VersionParams = Type.Object({ id: Id, version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false })

export const CategorySchema = Type.Object({ id: Id, name: Type.String(), departmentId: Nullable(Id), createdAt: Timestamp, updatedAt: Timestamp })
export type Category = Static<typeof CategorySchema>
export const CreateCategoryBody = Type.Object({ name: NameText(120), departmentId: Type.Optional(Nullable(Id)) }, { additionalProperties: false })
export type CreateCategoryBody = Static<typeof CreateCategoryBody>
export const UpdateCategoryBody = Type.Partial(CreateCategoryBody, { additionalProperties: false, minProperties: 1 })
export type UpdateCategoryBody = Static<typeof UpdateCategoryBody>

export const TicketRefBody = Type.Object({ ticketId: Id }, { additionalProperties: false })

export const SuggestionsSchema = Type.Object({
  templates: Type.Array(
    Type.Object({ id: Id, title: Type.String(), shortcut: Nullable(Type.String()), usageCount: Type.Integer(), score: Type.Number(), usedHere: Type.Boolean() }),
  ),
  articles: Type.Array(
    Type.Object({
      id: Id,
      slug: Type.String(),
      title: Type.String(),
      excerpt: Type.String(),
      visibility: ArticleVisibility,
      publicUrl: Nullable(Type.String()),
      helpedCount: Type.Integer(),
      score: Type.Number(),
      usedHere: Type.Boolean(),
    }),
  ),
})
export type Suggestions = Static<typeof SuggestionsSchema>

export const PublicArticleSchema = Type.Object({
  slug: Type.String(),
  title: Type.String(),
  excerpt: Type.String(),
  language: Language,
  category: Nullable(Type.String()),
  updatedAt: Timestamp,
  url: Type.String(),
})
export type PublicArticle = Static<typeof PublicArticleSchema>
export const PublicArticleQuery = Type.Object(
  { q: Type.Optional(Type.String({ maxLength: 500 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) },
  { additionalProperties: false },
)
