import { expect, it } from 'vitest'
import { newId } from '../clock.js'
import { dialectFor } from '../db/dialect.js'
import { createTransactionRunner } from '../db/transactions.js'
import type { DomainEvent } from '../events.js'
import { LocalWakeups } from '../jobs/wakeups.js'
import { Outbox, type OutboxWriter } from '../outbox/outbox.js'
import { describeEachDatabase, useMigratedDatabase } from '../test/databases.js'
import { ticketWriterFor } from './ticket.service.js'
import type { NewTicket, TicketWriter } from './ticket-writer.js'

/**
 * The TicketWriter's contract, once, run against the implementation of each database: the same
 * rows, numbers without gaps or doubles, and nothing at all from a unit that fails.
 */
describeEachDatabase('TicketWriter contract', (database) => {
  const db = useMigratedDatabase(database)
  const YEAR = 2026
  let requesterId = ''
  const appended: DomainEvent[][] = []

  const writer = (): TicketWriter => {
    const { db: kysely, kind } = db()
    const dialect = dialectFor(kind)
    const transaction = createTransactionRunner(db())
    // The real outbox (appending only: no handlers run here), and a record of what was appended.
    const real = new Outbox({ db: kysely, transaction, kind, wakeups: new LocalWakeups() })
    const outbox: OutboxWriter = {
      append: async (trx, events) => {
        await real.append(trx, events)
        appended.push([...events])
      },
    }
    return ticketWriterFor({ db: kysely, dialect, transaction, outbox })
  }

  const newTicket = async (subject: string, tags: string[] = []): Promise<NewTicket> => {
    const { kind } = db()
    if (!requesterId) {
      requesterId = newId()
      await db().db.insertInto('app_user').values({ id: requesterId, email: 'klant@example.nl', name: 'Klant', role: 'customer', password_hash: null, organisation_id: null, language: 'nl', phone: null, phone_e164: null, active: 1, created_at: '2026-12-07T08:00:00.000Z', updated_at: '2026-12-07T08:00:00.000Z' }).execute()
    }
    const id = newId()
    const at = '2026-12-07T08:00:00.000Z'
    return {
      row: { id, subject, status: 'new', priority: 'normal', type: 'question', channel: 'api', requester_id: requesterId, organisation_id: null, department_id: null, group_id: null, assignee_id: null, created_at: at, updated_at: at, first_response_at: null, resolved_at: null, closed_at: null, version: 1, coordinator_id: null, merged_into_id: null, first_line_resolution: null, third_party_until: null, third_party_supplier: null, third_party_reference: null, third_party_back_at: null },
      year: YEAR,
      history: { id: newId(), actorId: requesterId },
      article: { id: newId(), ticket_id: id, channel: 'api', direction: 'in', visibility: 'public', author_id: requesterId, body: `${subject} body`, content_type: 'text/plain', source_id: null, metadata: '{}', created_at: at },
      tags,
      searchText: await dialectFor(kind).searchText(`${subject}\n${subject} body`),
    }
  }

  const created = (ticketId: string, number: string): DomainEvent => ({ type: 'ticket.created', ticketId, number, requesterId, organisationId: null, groupId: null, at: '2026-12-07T08:00:00.000Z' })

  const open = async (w: TicketWriter, subject: string, tags: string[] = []) => {
    const ticket = await newTicket(subject, tags)
    return w.open(async () => ({ ticket }), (d, number) => [created(d.ticket.row.id, number)])
  }

  it('writes the ticket, its "created" history, its first article, its tags, its search entry and its events, numbered', async () => {
    const w = writer()
    await w.prepare(db().db, YEAR)
    const opened = await open(w, 'Printer kantoor zolder', ['printer', 'zolder'])
    expect(opened.number).toBe('2026-00001')
    const id = opened.ticket.row.id
    const ticket = await db().db.selectFrom('ticket').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
    expect(ticket).toMatchObject({ number: '2026-00001', subject: 'Printer kantoor zolder', requester_id: requesterId, status: 'new', version: 1 })
    const history = await db().db.selectFrom('ticket_history').selectAll().where('ticket_id', '=', id).execute()
    expect(history).toMatchObject([{ field: 'created', new_value: '2026-00001', actor_id: requesterId }])
    const articles = await db().db.selectFrom('article').select(['id', 'body', 'direction']).where('ticket_id', '=', id).execute()
    expect(articles).toEqual([{ id: opened.ticket.article.id, body: 'Printer kantoor zolder body', direction: 'in' }])
    const tags = await db().db.selectFrom('ticket_tag').select('tag').where('ticket_id', '=', id).orderBy('tag').execute()
    expect(tags.map((t) => t.tag)).toEqual(['printer', 'zolder'])
    const found = await db().db.selectFrom('ticket').select('id').where(dialectFor(db().kind).ticketMatches('zolder')!).execute()
    expect(found.map((r) => r.id)).toEqual([id])
    const events = await db().db.selectFrom('outbox').select('payload').execute()
    expect(events.map((e) => JSON.parse(e.payload).ticketId as string)).toContain(id)
  })

  it('draws every number once and without gaps when tickets arrive together', async () => {
    const w = writer()
    const before = await db().db.selectFrom('ticket').select(db().db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const opened = await Promise.all(Array.from({ length: 12 }, (_, i) => open(w, `Tegelijk ${i}`)))
    const numbers = opened.map((o) => Number(o.number.slice(5))).sort((a, b) => a - b)
    const first = Number(before.n) + 1
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => first + i))
  })

  const ticketCount = async () => Number((await db().db.selectFrom('ticket').select(db().db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('draws no number when deciding fails (a routing hook that throws): the next ticket takes it', async () => {
    const w = writer()
    const before = await ticketCount()
    await expect(w.open(async () => { throw new Error('routing failed') }, () => [])).rejects.toThrow('routing failed')
    expect(await ticketCount()).toBe(before)
    const next = await open(w, 'Daarna')
    expect(Number(next.number.slice(5))).toBe(before + 1)
  })

  it('writes nothing and appends no event when the unit fails after numbering', async () => {
    const w = writer()
    const before = await ticketCount()
    const eventsBefore = appended.length
    const ticket = await newTicket('Mislukt')
    const failing = () => {
      throw new Error('event could not be made')
    }
    await expect(w.open(async () => ({ ticket }), failing)).rejects.toThrow('event could not be made')
    expect(await ticketCount()).toBe(before)
    expect(appended.length).toBe(eventsBefore)
    for (const table of ['article', 'ticket_history', 'search_entry', 'ticket_tag'] as const) {
      expect(await db().db.selectFrom(table).select('ticket_id').where('ticket_id', '=', ticket.row.id).execute(), table).toEqual([])
    }
  })

  it("writes inside the caller's transaction, and a rollback there takes the ticket with it", async () => {
    const w = writer()
    await w.prepare(db().db, YEAR)
    const transaction = createTransactionRunner(db())
    const ticket = await newTicket('Binnen een transactie')
    await expect(
      transaction(async (trx) => {
        await w.write(trx, ticket)
        throw new Error('ingest failed later')
      }),
    ).rejects.toThrow('ingest failed later')
    expect(await db().db.selectFrom('ticket').select('id').where('id', '=', ticket.row.id).execute()).toEqual([])
    expect(await db().db.selectFrom('search_entry').select('ticket_id').where('ticket_id', '=', ticket.row.id).execute()).toEqual([])
    const kept = await newTicket('Wel bewaard')
    const number = await transaction((trx) => w.write(trx, kept))
    expect(await db().db.selectFrom('ticket').select('number').where('id', '=', kept.row.id).executeTakeFirstOrThrow()).toEqual({ number })
  })
})
