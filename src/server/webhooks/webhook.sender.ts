import { createHmac } from 'node:crypto'

/** The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>`. */
export const SIGNATURE_HEADER = 'Loket-Signature'

export const signature = (secret: string, unixSeconds: number, body: string) =>
  `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')}`

export interface SendResult {
  ok: boolean
  statusCode: number | null
  error: string | null
  durationMs: number
}

/**
 * POSTs one signed event. A 2xx answer within the time limit is success; anything else (another
 * status, a redirect, a refused connection, a time-out) is a failed try, described in plain words.
 */
export async function sendWebhook(
  request: { url: string; secret: string; eventId: string; eventType: string; body: string; now: Date },
  timeoutMs: number,
): Promise<SendResult> {
  const started = performance.now()
  const unix = Math.floor(request.now.getTime() / 1000)
  const durationMs = () => Math.round(performance.now() - started)
  try {
    const res = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Loket-Webhooks/1',
        'loket-event': request.eventType,
        'loket-delivery': request.eventId,
        [SIGNATURE_HEADER.toLowerCase()]: signature(request.secret, unix, request.body),
      },
      body: request.body,
    })
    // The answer's body is not used; reading it (at most what comes) frees the connection.
    await res.arrayBuffer().catch(() => undefined)
    const ok = res.status >= 200 && res.status < 300
    return { ok, statusCode: res.status, error: ok ? null : `The receiver answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`, durationMs: durationMs() }
  } catch (err) {
    return { ok: false, statusCode: null, error: describeFailure(err, timeoutMs), durationMs: durationMs() }
  }
}

function describeFailure(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } }
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `No answer within ${timeoutMs / 1000} s (time-out).`
  const code = e?.cause?.code
  if (code === 'ECONNREFUSED') return 'The connection was refused: nothing listens at that address.'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'The host name was not found (DNS).'
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'The receiver closed the connection before answering.'
  if (code && /CERT|SSL|TLS/.test(code)) return `The receiver's TLS certificate was not accepted (${code}).`
  return `The request failed: ${e?.cause?.message ?? e?.message ?? String(err)}`
}
