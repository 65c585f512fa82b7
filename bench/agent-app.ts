import { gzipSync } from 'node:zlib'
import { type Browser, chromium } from 'playwright-core'
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/chromium.js'

/**
 * The agent app's speed figures of issue 3, measured in Chromium against a running Loket:
 * - firstLoadJsGzipBytes: all JavaScript the browser loads from opening the login page until the logged-in
 *   workspace shows its first queue, each file gzip-compressed (level 9) as a server would send it;
 * - openTicketMs: from clicking a ticket in the queue until its timeline is on screen (median);
 * - articleLatencyMs: from another agent posting a note (HTTP API) until it shows on this agent's open
 *   ticket (median).
 * Meant for `npm run bench` (which can point it at a large database); `npx tsx bench/agent-app-run.ts` runs it on a
 * small seeded Loket.
 */
export interface AgentAppFigures {
  firstLoadJsGzipBytes: number
  firstLoadJsFiles: number
  openTicketMs: { median: number; samples: number[] }
  articleLatencyMs: { median: number; samples: number[] }
}

export interface MeasureOptions {
  url: string
  email: string
  password: string
  /** A bearer token of another staff user, who posts the notes for the latency figure. */
  otherAgentToken: string
  /** Queue to open tickets from (default: all open tickets). */
  queue?: string
  samples?: number
  browser?: Browser
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

export async function measureAgentApp(opts: MeasureOptions): Promise<AgentAppFigures> {
  const samples = opts.samples ?? 7
  const browser = opts.browser ?? (await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }))
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  try {
    const page = await context.newPage()
    const js = new Map<string, number>()
    page.on('response', async (res) => {
      if (res.request().resourceType() !== 'script') return
      try {
        js.set(res.url(), gzipSync(await res.body(), { level: 9 }).length)
      } catch {
        // a script without a body (redirect): nothing to count
      }
    })
    await page.goto(opts.url)
    await page.locator('#login-email').fill(opts.email)
    await page.locator('#login-password').fill(opts.password)
    await page.locator('form.login-card button[type=submit]').click()
    await page.locator('nav.sidebar').waitFor()
    await page.waitForLoadState('networkidle')
    const firstLoadJsGzipBytes = [...js.values()].reduce((a, b) => a + b, 0)

    const queueUrl = `${opts.url}/queues/${opts.queue ?? 'open'}`
    const open: number[] = []
    for (let i = 0; i < samples; i++) {
      await page.goto(queueUrl)
      await page.locator('table.tickets tbody tr[data-row]').first().waitFor()
      const row = i % Math.min(10, await page.locator('table.tickets tbody tr[data-row]').count())
      // Timed inside the page: click, then wait for the first article of the timeline to be rendered.
      open.push(
        await page.evaluate(
          (row) =>
            new Promise<number>((resolve) => {
              // (no named functions in here: tsx would wrap them in a helper the page does not have)
              const link = document.querySelector<HTMLAnchorElement>(`table.tickets tr[data-row="${row}"] td.subject a`)!
              const t0 = performance.now()
              const observer = new MutationObserver(() => {
                if (!document.querySelector('ol.timeline > li')) return
                observer.disconnect()
                requestAnimationFrame(() => resolve(performance.now() - t0))
              })
              observer.observe(document.body, { childList: true, subtree: true })
              link.click()
            }),
          row,
        ),
      )
    }

    // Latency: this page watches its open ticket; another agent adds notes through the API.
    const ticketId = new URL(page.url()).pathname.split('/').pop()!
    const latency: number[] = []
    for (let i = 0; i < samples; i++) {
      const marker = `perf-${Date.now()}-${i}`
      const seen = page.evaluate(
        (text) =>
          new Promise<number>((resolve) => {
            const observer = new MutationObserver(() => {
              if (document.querySelector('ol.timeline')?.textContent?.includes(text)) {
                observer.disconnect()
                resolve(performance.timeOrigin + performance.now())
              }
            })
            observer.observe(document.body, { childList: true, subtree: true, characterData: true })
          }),
        marker,
      )
      await page.waitForTimeout(50)
      const sent = Date.now()
      const res = await fetch(`${opts.url}/api/v1/tickets/${ticketId}/articles`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.otherAgentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: marker, visibility: 'internal' }),
      })
      if (!res.ok) throw new Error(`posting a note failed: ${res.status} ${await res.text()}`)
      latency.push((await seen) - sent)
    }
    return {
      firstLoadJsGzipBytes,
      firstLoadJsFiles: js.size,
      openTicketMs: { median: median(open), samples: open.map(Math.round) },
      articleLatencyMs: { median: median(latency), samples: latency.map(Math.round) },
    }
  } finally {
    await context.close()
    if (!opts.browser) await browser.close()
  }
}
