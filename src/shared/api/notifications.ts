import { type Static, Type } from '@sinclair/typebox'
import { Id, Nullable, Page, Timestamp } from './common.js'

/**
 * What a notification is about:
 * - `assigned`: a ticket was assigned to you (by someone else);
 * - `customer-replied`: the customer wrote on a ticket you hold (or coordinate);
 * - `returned`: a back office returned a ticket to you;
 * - `escalated`: a ticket was escalated to one of your groups;
 * - `mentioned`: someone named you (`@Name`) in an internal note;
 * - `taken-over`: a ticket you held now has another assignee;
 * - `delivery-failed`: a reply you wrote did not reach the customer;
 * - `review-due`: a knowledge article of one of your groups has reached its review date;
 * - `third-party-back`: a ticket you hold (or of your group, when no one holds it) waited on a third party until a date that has passed, and is back on the queue;
 * - `handoff-near`: a handoff to one of your back-office groups is near its pick-up or return target;
 * - `handoff-overdue`: a handoff in your department is past its target (team leads).
 */
export const NOTIFICATION_KINDS = [
  'assigned', 'customer-replied', 'returned', 'escalated', 'mentioned', 'taken-over', 'delivery-failed', 'review-due', 'third-party-back', 'handoff-near', 'handoff-overdue',
] as const
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number]
export const NotificationKindSchema = Type.Union(NOTIFICATION_KINDS.map((k) => Type.Literal(k)))

/** The kinds that go out by mail for someone who has chosen nothing yet. */
export const DEFAULT_MAIL_KINDS: readonly NotificationKind[] = ['assigned', 'returned', 'mentioned', 'taken-over', 'delivery-failed']

export const NotificationSchema = Type.Object({
  id: Id,
  kind: NotificationKindSchema,
  ticketId: Nullable(Id),
  ticketNumber: Nullable(Type.String()),
  ticketSubject: Nullable(Type.String()),
  /** Who caused it (assigned, wrote, escalated); null for the customer or the system. */
  actorName: Nullable(Type.String()),
  /** The group a ticket was escalated to; the owner group of an article due for review. */
  groupName: Nullable(Type.String()),
  /** The knowledge article it is about (review-due), with its title when told; null for a ticket's notification. */
  articleId: Nullable(Id),
  articleTitle: Nullable(Type.String()),
  createdAt: Timestamp,
  readAt: Nullable(Timestamp),
})
export type Notification = Static<typeof NotificationSchema>

export const NotificationPage = Page(NotificationSchema)

export const NotificationQuery = Type.Object(
  {
    unread: Type.Optional(Type.Boolean({ description: 'only the unread ones' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 25 })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)
export type NotificationQuery = Static<typeof NotificationQuery>

export const UnreadCountSchema = Type.Object({ unread: Type.Integer({ minimum: 0 }) })

export const NotificationSettingsSchema = Type.Object({
  /** The kinds that also come by mail (at most one mail per few minutes, gathering what happened). */
  mail: Type.Array(NotificationKindSchema),
})
export type NotificationSettings = Static<typeof NotificationSettingsSchema>
export const NotificationSettingsBody = Type.Object({ mail: Type.Array(NotificationKindSchema, { maxItems: NOTIFICATION_KINDS.length, uniqueItems: true }) }, { additionalProperties: false })

/** Which of the given tickets have a customer message the reader has not seen (queue rows shown as unread). */
export const UnseenQuery = Type.Object({ ids: Type.String({ maxLength: 100 * 65, description: 'ticket ids, comma-separated, at most 100' }) }, { additionalProperties: false })
export const UnseenSchema = Type.Object({ unseen: Type.Array(Id) })
