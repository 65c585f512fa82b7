import type { Executor } from '../db/schema.js'

/** Links between related tickets and the further requesters a merge brings (migration 2026-12-07T13-01-1-merge). */
export const relationRepository = {
  /** Links both ways; false when the two were linked already. */
  link: async (db: Executor, a: string, b: string, by: string | null, at: string) => {
    const existing = await db.selectFrom('ticket_link').select('ticket_id').where('ticket_id', '=', a).where('linked_ticket_id', '=', b).executeTakeFirst()
    if (existing) return false
    await db
      .insertInto('ticket_link')
      .values([
        { ticket_id: a, linked_ticket_id: b, created_by: by, created_at: at },
        { ticket_id: b, linked_ticket_id: a, created_by: by, created_at: at },
      ])
      .execute()
    return true
  },
  /** Removes the link both ways; false when there was none. */
  unlink: async (db: Executor, a: string, b: string) => {
    const result = await db
      .deleteFrom('ticket_link')
      .where((eb) => eb.or([eb.and([eb('ticket_id', '=', a), eb('linked_ticket_id', '=', b)]), eb.and([eb('ticket_id', '=', b), eb('linked_ticket_id', '=', a)])]))
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  },
  linksOf: (db: Executor, ticketId: string) =>
    db
      .selectFrom('ticket_link')
      .innerJoin('ticket', 'ticket.id', 'ticket_link.linked_ticket_id')
      .select(['ticket.id', 'ticket.number', 'ticket.subject', 'ticket.status', 'ticket.requester_id', 'ticket_link.created_at as linked_at'])
      .where('ticket_link.ticket_id', '=', ticketId)
      .orderBy('ticket.number')
      .execute(),
  /** Tickets merged into this one. */
  mergedInto: (db: Executor, ticketId: string) =>
    db.selectFrom('ticket').select(['id', 'number', 'subject', 'status', 'requester_id']).where('merged_into_id', '=', ticketId).orderBy('number').execute(),
  addRequester: async (db: Executor, ticketId: string, userId: string, viaTicketId: string, at: string) => {
    const existing = await db.selectFrom('ticket_co_requester').select('user_id').where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst()
    if (!existing) await db.insertInto('ticket_co_requester').values({ ticket_id: ticketId, user_id: userId, via_ticket_id: viaTicketId, added_at: at }).execute()
  },
  /** Moves the further requesters of a merged ticket to the one it went into. */
  moveRequesters: async (db: Executor, from: string, to: string, except: string) => {
    const rows = await db.selectFrom('ticket_co_requester').selectAll().where('ticket_id', '=', from).execute()
    for (const r of rows) if (r.user_id !== except) await relationRepository.addRequester(db, to, r.user_id, r.via_ticket_id ?? from, r.added_at)
  },
  requestersOf: async (db: Executor, ticketId: string) =>
    (await db.selectFrom('ticket_co_requester').select('user_id').where('ticket_id', '=', ticketId).orderBy('added_at').execute()).map((r) => r.user_id),
  isRequester: async (db: Executor, ticketId: string, userId: string) =>
    !!(await db.selectFrom('ticket_co_requester').select('user_id').where('ticket_id', '=', ticketId).where('user_id', '=', userId).executeTakeFirst()),
  /**
   * One customer merged into another (accounts): every ticket the first asked becomes the second's, and their
   * further-requester rows follow them, except where the second is on that ticket already. Returns how many
   * tickets changed requester and how many further-requester rows moved.
   */
  moveRequesterEverywhere: async (db: Executor, fromUserId: string, toUserId: string) => {
    const asked = Number((await db.updateTable('ticket').set({ requester_id: toUserId }).where('requester_id', '=', fromUserId).executeTakeFirst()).numUpdatedRows)
    await db
      .deleteFrom('ticket_co_requester')
      .where('user_id', '=', fromUserId)
      .where((eb) =>
        eb.or([
          eb('ticket_id', 'in', eb.selectFrom('ticket_co_requester as theirs').select('theirs.ticket_id').where('theirs.user_id', '=', toUserId)),
          eb('ticket_id', 'in', eb.selectFrom('ticket').select('ticket.id').where('ticket.requester_id', '=', toUserId)),
        ]),
      )
      .execute()
    const further = Number((await db.updateTable('ticket_co_requester').set({ user_id: toUserId }).where('user_id', '=', fromUserId).executeTakeFirst()).numUpdatedRows)
    // Where the second was a further requester of a ticket the first asked, they now ask it themselves.
    await db
      .deleteFrom('ticket_co_requester')
      .where('user_id', '=', toUserId)
      .where('ticket_id', 'in', (eb) => eb.selectFrom('ticket').select('ticket.id').where('ticket.requester_id', '=', toUserId))
      .execute()
    return { asked, further }
  },
  /** The tickets this person is a further requester of (usually none: one index read). */
  ticketsOfRequester: async (db: Executor, userId: string) =>
    (await db.selectFrom('ticket_co_requester').select('ticket_id').where('user_id', '=', userId).execute()).map((r) => r.ticket_id),
}
