/**
 * Ticket-creation load with wrk (Debian's `wrk`), a load generator written in C. On the 2-core
 * machine the generator shares the cores with the server it loads: autocannon (JavaScript, and a
 * body made per request) took close to a millisecond of CPU per request, about as much as the server
 * spends creating the ticket; wrk takes a few percent of that. Used when installed, for Loket and
 * the baseline alike; autocannon otherwise (bench/load.ts).
 */
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LoadResult } from './load.js'

export function wrkInstalled(): boolean {
  return !spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error
}

// Sends the prepared bodies in turn, one per request; prints the summary as one JSON line at the end.
const SCRIPT = `
local bodies, i, path, headers = {}, 0, nil, nil
init = function(args)
  path = args[1]
  for line in io.lines(args[2]) do bodies[#bodies + 1] = line end
  headers = { ["content-type"] = "application/json" }
  if args[3] ~= nil and args[3] ~= "" then headers["authorization"] = args[3] end
end
request = function()
  i = i + 1
  if i > #bodies then i = 1 end
  return wrk.format("POST", path, headers, bodies[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_RESULT {"requests":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
`

// GETs the paths in turn, one per request; the same summary line.
const GET_SCRIPT = `
local paths, i, headers = {}, 0, {}
init = function(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  if args[2] ~= nil and args[2] ~= "" then headers["authorization"] = args[2] end
end
request = function()
  i = i + 1
  if i > #paths then i = 1 end
  return wrk.format("GET", paths[i], headers)
end
done = ${SCRIPT.slice(SCRIPT.indexOf('done = ') + 'done = '.length)}`

export interface WrkOptions {
  url: string
  path: string
  connections: number
  seconds: number
  /** JSON bodies, one per request, in turn (each must be a single line). */
  bodies: string[]
  authorization?: string
}

interface WrkSummary {
  requests: number
  durationUs: number
  connect: number
  read: number
  write: number
  status: number
  timeout: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** POSTs the bodies to 127.0.0.1 for a fixed time with wrk; throughput and latency of the 2xx/3xx responses. */
export async function loadWithWrk(opts: WrkOptions): Promise<LoadResult> {
  if (opts.bodies.some((b) => b.includes('\n'))) throw new Error('wrk bodies must be single lines')
  return runWrk(opts, SCRIPT, opts.bodies, (file) => [opts.path, file, opts.authorization ?? ''])
}

/** GETs the paths in turn (queue pages, searches), as loadWithWrk does its POSTs. */
export async function getWithWrk(opts: Omit<WrkOptions, 'bodies' | 'path'> & { paths: string[] }): Promise<LoadResult> {
  return runWrk(opts, GET_SCRIPT, opts.paths, (file) => [file, opts.authorization ?? ''])
}

async function runWrk(opts: Pick<WrkOptions, 'url' | 'connections' | 'seconds'>, lua: string, lines: string[], scriptArgs: (file: string) => string[]): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(opts.url)) throw new Error(`the benchmark only loads 127.0.0.1 (got ${opts.url})`)
  const dir = mkdtempSync(join(tmpdir(), 'loket-wrk-'))
  try {
    const script = join(dir, 'load.lua')
    const file = join(dir, 'lines.txt')
    writeFileSync(script, lua)
    writeFileSync(file, lines.join('\n') + '\n')
    const args = ['-t1', `-c${opts.connections}`, `-d${opts.seconds}s`, '--timeout', '30s', '-s', script, opts.url, '--', ...scriptArgs(file)]
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('wrk', args, { timeout: (opts.seconds + 60) * 1000, maxBuffer: 1 << 20 }, (err, out, stderr) =>
        err ? reject(new Error(`wrk failed: ${stderr || err.message}`)) : resolve(out),
      ),
    )
    const line = stdout.split('\n').find((l) => l.startsWith('WRK_RESULT '))
    if (!line) throw new Error(`wrk printed no result:\n${stdout}`)
    return wrkResult(JSON.parse(line.slice('WRK_RESULT '.length)) as WrkSummary)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function wrkResult(s: WrkSummary): LoadResult {
  const ok = s.requests - s.status
  const seconds = s.durationUs / 1e6
  const ms = (us: number) => us / 1000
  return {
    ok,
    failed: s.status + s.connect + s.read + s.write + s.timeout,
    seconds,
    rate: ok / seconds,
    latency: { p50: ms(s.p50), p95: ms(s.p95), p99: ms(s.p99), max: ms(s.max) },
    statusCodes: { '2xx': ok, ...(s.status > 0 && { 'non-2xx': s.status }) },
    // wrk keeps a histogram, not every response time.
    times: [],
  }
}
