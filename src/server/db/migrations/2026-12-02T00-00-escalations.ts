import { type Kysely, sql } from 'kysely'

// Frozen in time: this file never imports application code.
//
// The "escalated by me" queue (and its count in the sidebar, asked for on every load of the agent app)
// looks for the tickets whose group an agent changed: ticket_history rows with field 'groupId' and
// that actor. Without an index that is a scan of all history, 125 ms at 2,000,000 history rows on
// PostgreSQL. A partial index holds only group changes, a small part of the history.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX ticket_history_group_changes ON ticket_history (actor_id, ticket_id) WHERE field = 'groupId'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX ticket_history_group_changes`.execute(db)
}
