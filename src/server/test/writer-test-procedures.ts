// Writer procedures for db/sqlite-writer.test.ts, loaded by the writer thread by URL.
import type { ProcedureSet } from '../db/sqlite-writer.js'
import { AppError } from '../errors.js'

const insertDepartment = "INSERT INTO department (id, name, customer_reply_allowed, created_at, updated_at) VALUES (?, ?, 1, 'x', 'x')"

export const procedures = {
  addDepartment(conn, args: { name: string; fail?: 'conflict' | 'plain'; atEnd?: boolean }) {
    conn.prepare(insertDepartment).run(args.name, args.name)
    if (args.atEnd) conn.atEndOfTransaction(() => conn.prepare(insertDepartment).run(`${args.name}-end`, `${args.name}-end`))
    if (args.fail === 'conflict') throw AppError.conflict(`${args.name} conflicts`)
    if (args.fail === 'plain') throw new Error(`${args.name} fails`)
    return args.name.toUpperCase()
  },
  /** Holds the write lock for a while, as a large batch would. */
  hold(conn, args: { ms: number }) {
    conn.prepare(insertDepartment).run('held', 'held')
    const until = Date.now() + args.ms
    while (Date.now() < until);
    return 'held'
  },
  /** The thread ends in the middle of a batch, as a crash would end it. */
  crash() {
    process.exit(3)
  },
} satisfies ProcedureSet
