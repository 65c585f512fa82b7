// The SQLite writer thread (see sqlite-writer.ts): one connection, batches of procedure units in.
import { parentPort, workerData } from 'node:worker_threads'
import { openSqlite, withStatementCache } from './sqlite-connection.js'
import { runWriterBatch, type ProcedureSet, type WriterUnit } from './sqlite-writer.js'

const { file, procedures: proceduresUrl, autocheckpointPages } = workerData as { file: string; procedures: string; autocheckpointPages: number }
const { procedures } = (await import(proceduresUrl)) as { procedures: ProcedureSet }
// A smaller page cache than the event loop connection's: the pages a new ticket touches are mostly the
// newest (ids and times in order); the two together keep the server within its 300 MB.
const db = openSqlite(file, { autocheckpointPages, cacheMb: 24 })
const statements = withStatementCache(db)
const port = parentPort!

port.on('message', (message: readonly WriterUnit[] | 'stop') => {
  if (message === 'stop') {
    db.close()
    port.close()
    return
  }
  port.postMessage({ type: 'done', outcomes: runWriterBatch(db, statements.prepare, procedures, message) })
})
port.postMessage({ type: 'ready' })
