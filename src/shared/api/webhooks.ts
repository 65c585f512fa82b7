import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Timestamp } from './common.js'

/** The events a webhook can subscribe to: the domain events of tickets and articles. */
export const WEBHOOK_EVENT_TYPES = ['ticket.created', 'ticket.updated', 'article.created'] as const
export const WebhookEventType = Type.Union(
  WEBHOOK_EVENT_TYPES.map((t) => Type.Literal(t)),
  { description: 'ticket.created, ticket.updated (with the names of the changed fields), article.created (public replies, customer messages and internal notes)' },
)
export type WebhookEventType = Static<typeof WebhookEventType>

const Url = Type.String({ minLength: 1, maxLength: 2000, description: 'Where Loket POSTs each event: an http:// or https:// URL' })
const Secret = Type.String({
  minLength: 16,
  maxLength: 200,
  description: 'The key of the HMAC-SHA256 signature (Loket-Signature header). Leave out on creation to have Loket make one; it is shown once, in the answer.',
})
const EventTypes = Type.Array(WebhookEventType, { minItems: 1, uniqueItems: true })
const Description = Type.String({ maxLength: 500 })

export const WebhookSchema = Type.Object({
  id: Id,
  url: Type.String(),
  description: Type.String(),
  eventTypes: Type.Array(WebhookEventType),
  active: Type.Boolean({ description: 'False when switched off by an administrator, or by Loket after repeated failures (see disabledReason)' }),
  disabledReason: Nullable(Type.String({ description: 'Why Loket switched the webhook off; null when it is on or an administrator switched it off' })),
  disabledAt: Nullable(Timestamp),
  failuresInARow: Type.Integer({ description: 'Failed tries since the last successful one' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type Webhook = Static<typeof WebhookSchema>

/** Only in the answer to a creation, or to an update that set a new secret. */
export const WebhookWithSecretSchema = Type.Composite([WebhookSchema, Type.Object({ secret: Type.String() })])
export type WebhookWithSecret = Static<typeof WebhookWithSecretSchema>

export const CreateWebhookBody = Type.Object(
  { url: Url, eventTypes: EventTypes, secret: Type.Optional(Secret), description: Type.Optional(Description), active: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
)
export type CreateWebhookBody = Static<typeof CreateWebhookBody>

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    eventTypes: Type.Optional(EventTypes),
    secret: Type.Optional(Secret),
    description: Type.Optional(Description),
    active: Type.Optional(Type.Boolean({ description: 'true switches a disabled webhook on again and clears its failures' })),
  },
  { additionalProperties: false },
)
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>

export const WebhookDeliverySchema = Type.Object({
  id: Id,
  eventId: Type.String({ description: 'The event, and the Loket-Delivery header: the same on every try of it' }),
  eventType: WebhookEventType,
  attempt: Type.Integer({ description: '1 for the first try of this event' }),
  ok: Type.Boolean({ description: 'The receiver answered 2xx in time' }),
  statusCode: Nullable(Type.Integer({ description: "The receiver's HTTP status; null when there was no answer" })),
  error: Nullable(Type.String({ description: 'What went wrong: a status, a time-out, a refused connection' })),
  durationMs: Type.Integer(),
  nextTryAt: Nullable(Timestamp),
  at: Timestamp,
})
export type WebhookDelivery = Static<typeof WebhookDeliverySchema>

export const WebhookDeliveryQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) },
  { additionalProperties: false },
)
