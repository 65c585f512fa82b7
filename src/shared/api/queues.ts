import { type Static, Type } from '@sinclair/typebox'
import { Role } from './accounts.js'
import { Id, NameText } from './common.js'
import { TICKET_SORTS } from './tickets.js'

/** The columns a queue can show (the number and subject always). */
export const QUEUE_COLUMNS = ['requester', 'channel', 'status', 'priority', 'group', 'assignee', 'age', 'updated'] as const
const Column = Type.Unsafe<(typeof QUEUE_COLUMNS)[number]>({ type: 'string', enum: [...QUEUE_COLUMNS] })
const Sort = Type.Unsafe<(typeof TICKET_SORTS)[number]>({ type: 'string', enum: [...TICKET_SORTS] })

/** What an overview filters on: the ticket list's own filters. */
export const OverviewFilters = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 200 })),
    priority: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Optional(Type.String({ maxLength: 100 })),
    channel: Type.Optional(Type.String({ maxLength: 100 })),
    groupIds: Type.Optional(Type.String({ maxLength: 3300, pattern: '^[A-Za-z0-9_,-]*$' })),
    assigneeId: Type.Optional(Type.String({ maxLength: 64, description: 'A user id, `me` or `none`' })),
  },
  { additionalProperties: false },
)
export type OverviewFilters = Static<typeof OverviewFilters>

export const QueueSchema = Type.Object({
  id: Type.String({ description: 'mine, unassigned, waiting, escalated, open, closed; group-<id>; overview-<id>' }),
  kind: Type.Union([Type.Literal('builtin'), Type.Literal('group'), Type.Literal('overview')]),
  name: Type.String({ description: 'A group or overview name; for built-in queues their id (the app translates it)' }),
  query: Type.Record(Type.String(), Type.String(), { description: 'The GET /tickets filters of this queue' }),
  columns: Type.Array(Column),
  sort: Sort,
})
export type Queue = Static<typeof QueueSchema>

export const QueueScope = Type.Union([Type.Literal('mine'), Type.Literal('all')], {
  description: "mine (default): 'Niet toegewezen', 'Alle open' and the group queues hold the reader's own groups' tickets; all: everything they may see",
})
export type QueueScope = Static<typeof QueueScope>
export const QueueScopeQuery = Type.Object({ scope: Type.Optional(QueueScope) }, { additionalProperties: false })

export const QueueListSchema = Type.Object({
  scope: QueueScope,
  /** False when the reader is in no group: then "mine" is the whole desk too. */
  groupScoped: Type.Boolean(),
  items: Type.Array(QueueSchema),
})

export const QUEUE_COUNT_CAP = 10_000
export const QueueCountsSchema = Type.Object({
  cap: Type.Integer({ description: 'Counts are exact up to this number; above it `more` is true' }),
  items: Type.Array(Type.Object({ id: Type.String(), count: Type.Integer(), more: Type.Boolean() })),
})
export type QueueCounts = Static<typeof QueueCountsSchema>

export const WorkloadQuery = Type.Object(
  { groupIds: Type.Optional(Type.String({ maxLength: 3300, pattern: '^[A-Za-z0-9_,-]*$', description: 'Only these groups, comma-separated' })) },
  { additionalProperties: false },
)
export const WorkloadSchema = Type.Object({
  items: Type.Array(Type.Object({ id: Id, name: Type.String(), open: Type.Integer() })),
  unassigned: Type.Integer(),
})
export type Workload = Static<typeof WorkloadSchema>

export const OverviewSchema = Type.Object({
  id: Id,
  name: Type.String(),
  filters: OverviewFilters,
  columns: Type.Array(Column),
  sort: Sort,
  roles: Type.Array(Role, { description: 'Shown to these roles; empty: all staff' }),
  groupIds: Type.Array(Id, { description: 'Shown to members of these groups; empty: everyone the roles allow' }),
  position: Type.Integer(),
})
export type Overview = Static<typeof OverviewSchema>

export const OverviewBody = Type.Object(
  {
    name: NameText(100),
    filters: OverviewFilters,
    columns: Type.Optional(Type.Array(Column, { maxItems: QUEUE_COLUMNS.length, uniqueItems: true })),
    sort: Type.Optional(Sort),
    roles: Type.Optional(Type.Array(Type.Union([Type.Literal('admin'), Type.Literal('supervisor'), Type.Literal('agent')]), { maxItems: 3, uniqueItems: true })),
    groupIds: Type.Optional(Type.Array(Id, { maxItems: 50, uniqueItems: true })),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
)
export type OverviewBody = Static<typeof OverviewBody>
export const UpdateOverviewBody = Type.Partial(OverviewBody, { additionalProperties: false, minProperties: 1 })
export type UpdateOverviewBody = Static<typeof UpdateOverviewBody>
