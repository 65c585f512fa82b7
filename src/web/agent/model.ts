import type { Channel, Priority, TicketStatus, TicketType } from '../../shared/api/tickets.js'

// The enums of src/shared/api/tickets.ts, without pulling TypeBox into the browser bundle.
// `satisfies` plus the Exact checks below make the compiler catch any drift.
export const TICKET_STATUSES = ['new', 'open', 'waiting_for_customer', 'waiting_for_third_party', 'resolved', 'closed'] as const satisfies readonly TicketStatus[]
export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Priority[]
export const TICKET_TYPES = ['question', 'incident', 'request', 'complaint'] as const satisfies readonly TicketType[]
export const CHANNELS = ['email', 'chat', 'phone', 'portal', 'api'] as const satisfies readonly Channel[]

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
const check = <T extends true>() => undefined as unknown as T
void check<Exact<(typeof TICKET_STATUSES)[number], TicketStatus>>
void check<Exact<(typeof PRIORITIES)[number], Priority>>
void check<Exact<(typeof TICKET_TYPES)[number], TicketType>>
void check<Exact<(typeof CHANNELS)[number], Channel>>
