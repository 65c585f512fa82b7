/** Load generation with autocannon, with exact percentiles from every response time. */
import autocannon from 'autocannon'

export interface LoadResult {
  /** Responses with a 2xx status. */
  ok: number
  /** Responses with another status, and connection errors or timeouts. */
  failed: number
  seconds: number
  /** 2xx responses per second. */
  rate: number
  latency: { p50: number; p95: number; p99: number; max: number }
  statusCodes: Record<string, number>
  /** Every 2xx response time in ms, sorted. */
  times: number[]
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}

export interface LoadOptions {
  url: string
  connections: number
  seconds: number
  requests: autocannon.Request[]
  headers?: Record<string, string>
}

/** Runs autocannon for a fixed time against 127.0.0.1 and returns throughput and latency of the 2xx responses. */
export async function load(opts: LoadOptions): Promise<LoadResult> {
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(opts.url)) throw new Error(`the benchmark only loads 127.0.0.1 (got ${opts.url})`)
  const times: number[] = []
  const statusCodes: Record<string, number> = {}
  let failed = 0
  const started = process.hrtime.bigint()
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: opts.url,
        connections: opts.connections,
        duration: opts.seconds,
        timeout: 30,
        headers: opts.headers,
        requests: opts.requests,
      },
      (err, res) => (err ? reject(err) : resolve(res)),
    )
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1
      if (statusCode >= 200 && statusCode < 300) times.push(responseTime)
      else failed++
    })
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  failed += result.errors + result.timeouts
  times.sort((a, b) => a - b)
  return {
    ok: times.length,
    failed,
    seconds,
    rate: times.length / seconds,
    latency: { p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), max: times[times.length - 1] ?? NaN },
    statusCodes,
    times,
  }
}

/** p50/p95/p99 over the responses of several runs together. */
export function combined(parts: LoadResult[]) {
  const all = parts.flatMap((p) => p.times).sort((a, b) => a - b)
  return { p50: percentile(all, 50), p95: percentile(all, 95), p99: percentile(all, 99), count: all.length }
}
