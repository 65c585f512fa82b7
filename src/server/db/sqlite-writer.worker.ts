// The SQLite writer thread (see sqlite-writer.ts): one connection, batches of procedure units in.
import { parentPort, workerData } from 'node:worker_threads'
import { openSqlite, withStatementCache } from './sqlite-connection.js'
import { runWriterBatch, type ProcedureSet, type WriterUnit } from './sqlite-writer.js'

const { file, procedures: proceduresUrl, autocheckpointPages } = workerData as { file: string; procedures: string; autocheckpointPages: number }
const { procedures } = (await import(proceduresUrl)) as { procedures: ProcedureSet }
const db = openSqlite(file, { autocheckpointPages })
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
