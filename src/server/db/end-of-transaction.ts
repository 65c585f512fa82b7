import type { Executor } from './schema.js'

export type EndOfTransactionWork = (trx: Executor) => Promise<unknown>
/** Work for the end of a transaction, by transaction (set by the group commit for each unit). */
export const endOfTransactionWork = new WeakMap<object, EndOfTransactionWork[]>()

/**
 * Runs `work` at the end of the transaction `trx` belongs to, just before COMMIT (after every unit of a
 * SQLite group commit, and only if this unit succeeded), or at once outside one. For writes to SQLite's
 * full-text index: FTS5 writes out what it holds in memory at every SAVEPOINT, so an index write inside
 * each unit costs a new index segment per ticket, and one after all units a segment per COMMIT.
 */
export async function atEndOfTransaction(trx: Executor, work: EndOfTransactionWork): Promise<void> {
  const list = endOfTransactionWork.get(trx)
  if (list) list.push(work)
  else await work(trx)
}
