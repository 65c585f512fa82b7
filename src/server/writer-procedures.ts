import type { Procedure, ProcedureSet } from './db/sqlite-writer.js'
import { openTicketProcedure } from './tickets/open-ticket.procedure.js'

/** What the SQLite writer thread can run (db/sqlite-writer.ts); loaded by that thread by URL. */
export const procedures = {
  openTicket: openTicketProcedure,
} satisfies ProcedureSet

export const proceduresModule = new URL('./writer-procedures.js', import.meta.url)

type Procedures = typeof procedures
type ArgsOf<P> = P extends Procedure<infer A, unknown> ? A : never
type ResultOf<P> = P extends Procedure<never, infer R> ? R : never

/** Runs a writer procedure by name, once committed; only where a SQLite writer thread runs. */
export type WriterProcedures = <K extends keyof Procedures>(procedure: K, args: ArgsOf<Procedures[K]>) => Promise<ResultOf<Procedures[K]>>
