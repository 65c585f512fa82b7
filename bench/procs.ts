/** Child processes of the benchmark: the Loket server, the baseline server and the CLI; their memory and CPU. */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer } from 'node:net'
import { fileURLToPath } from 'node:url'
import pg from 'pg'

/** The repository root (bench/ compiles to dist/bench/, so two levels up from there, one from the source). */
export const repoRoot = fileURLToPath(new URL(import.meta.url.includes('/dist/bench/') ? '../../' : '../', import.meta.url))
export const loketBin = `${repoRoot}bin/loket.js`

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port
      srv.close(() => resolve(port))
    })
  })
}

/** Runs `node bin/loket.js …` and returns its standard output. */
export function loketCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [loketBin, ...args], { env, timeout: 600_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`loket ${args.join(' ')} failed: ${stderr || err.message}`))
      else resolve(stdout)
    })
  })
}

/** Resident memory of a process in bytes (VmRSS), or undefined once it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds. */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    // After "pid (comm) ": state is field 0, utime 11, stime 12 (in clock ticks, 100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return 0
  }
}

/**
 * CPU time of the PostgreSQL backends serving one database, per backend pid (from pg_stat_activity):
 * what Loket's or the baseline's own connections cost the database server, whatever other databases
 * on the same server do meanwhile.
 */
export async function backendCpuMs(pgUrl: string, database: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: pgUrl })
  await client.connect()
  try {
    const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])
    return new Map(rows.map((r) => [r.pid, cpuMsOf(r.pid)]))
  } finally {
    await client.end()
  }
}

/** CPU the backends used between two readings of backendCpuMs (a backend new since the first counts in full). */
export const backendCpuBetween = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((total, [pid, ms]) => total + ms - (before.get(pid) ?? 0), 0)

/** Samples a process's RSS every `everyMs`; `peak` is the highest seen since the last reset. */
export class RssSampler {
  peak = 0
  /** The peak since the last `phase()` call, and the peaks of the phases before. */
  private phasePeak = 0
  readonly phases: Record<string, number> = {}
  phase(name: string) {
    this.sample()
    this.phases[name] = this.phasePeak
    this.phasePeak = 0
  }
  private timer: NodeJS.Timeout
  constructor(
    private readonly pid: number,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs)
    this.timer.unref()
    this.sample()
  }
  sample() {
    const rss = rssOf(this.pid)
    if (rss !== undefined && rss > this.peak) this.peak = rss
    if (rss !== undefined && rss > this.phasePeak) this.phasePeak = rss
    return rss
  }
  stop() {
    clearInterval(this.timer)
    this.sample()
  }
}

export interface RunningServer {
  pid: number
  url: string
  child: ChildProcess
  /** The last lines it wrote, for error messages. */
  output(): string
  stop(): Promise<void>
}

/** Starts a server process and waits until `readyPath` answers 200. */
export async function startServer(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  port: number,
  opts: { readyPath?: string; timeoutMs?: number; nodeArgs?: string[]; logFile?: string } = {},
): Promise<RunningServer> {
  // Output goes to a file, as to a journal: a pipe read by this (busy) process would fill up, and the
  // server would buffer its log lines in memory, which shows as RSS that is not the server's own.
  const logFile = opts.logFile ?? join(mkdtempSync(join(tmpdir(), 'loket-bench-log-')), `${name.replace(/\W+/g, '-')}.log`)
  const fd = openSync(logFile, 'a')
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...args], { env, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  const tail = () => {
    try {
      return readFileSync(logFile, 'utf8').slice(-4000)
    } catch {
      return ''
    }
  }
  let exited: number | null | undefined
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code
      resolve()
    }),
  )
  const url = `http://127.0.0.1:${port}`
  const server: RunningServer = {
    pid: child.pid!,
    url,
    child,
    output: tail,
    async stop() {
      if (exited !== undefined) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
      await exit
      clearTimeout(timer)
    },
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 600_000)
  while (Date.now() < deadline) {
    if (exited !== undefined) throw new Error(`${name} exited with code ${exited} before it was ready:\n${tail()}`)
    try {
      const res = await fetch(url + (opts.readyPath ?? '/readyz'), { signal: AbortSignal.timeout(2000) })
      if (res.ok) return server
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  await server.stop()
  throw new Error(`${name} did not become ready in time:\n${tail()}`)
}
