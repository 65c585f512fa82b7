import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterEach, expect, it } from 'vitest'
import { startBackgroundCheckpointer } from './checkpointer.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

it('copies the write-ahead log into the database file on its own thread while the writer goes on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loket-checkpoint-'))
  dirs.push(dir)
  const file = join(dir, 'desk.sqlite')
  const writer = new SQLite(file)
  writer.pragma('journal_mode = WAL')
  writer.pragma('wal_autocheckpoint = 0') // only the background thread checkpoints here
  writer.exec('CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)')
  const insert = writer.prepare('INSERT INTO note (body) VALUES (?)')
  writer.transaction(() => {
    for (let i = 0; i < 2000; i++) insert.run('x'.repeat(1000))
  })()
  const sizeBefore = statSync(file).size

  const results: { type: string; log?: number; checkpointed?: number }[] = []
  const checkpointer = startBackgroundCheckpointer(file, { intervalMs: 20, onResult: (r) => results.push(r) })
  await expect.poll(() => results.some((r) => r.type === 'checkpointed' && r.log! > 0 && r.checkpointed === r.log), { timeout: 5000 }).toBe(true)
  // The writer was never blocked: it commits while the thread works.
  insert.run('after the checkpoint')
  await checkpointer.stop()

  expect(results.filter((r) => r.type === 'failed')).toEqual([])
  expect(statSync(file).size).toBeGreaterThan(sizeBefore + 1_000_000) // the rows now live in the file itself
  writer.close()
  const reader = new SQLite(file, { readonly: true })
  expect(reader.prepare('SELECT count(*) AS n FROM note').get()).toEqual({ n: 2001 })
  reader.close()
})

it('reports a database it cannot open instead of failing silently', async () => {
  const results: { type: string; message?: string }[] = []
  const checkpointer = startBackgroundCheckpointer('/nonexistent-folder/desk.sqlite', { intervalMs: 20, onResult: (r) => results.push(r) })
  await expect.poll(() => results.some((r) => r.type === 'failed'), { timeout: 5000 }).toBe(true)
  await checkpointer.stop()
})
