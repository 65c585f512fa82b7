// Speed figures of the agent app on a small seeded Loket: npx tsx bench/agent-app-run.ts
import { SYSTEM_ACTOR } from '../src/server/test/test-app.js'
import { buildWeb, PASSWORD, requireChromium, startLoket } from '../e2e/harness.js'
import { measureAgentApp } from './agent-app.js'

requireChromium()
const loket = await startLoket(await buildWeb())
try {
  const { token } = await loket.runtime.services.accounts.createToken(SYSTEM_ACTOR, loket.seed.bram.id, 'perf')
  const figures = await measureAgentApp({ url: loket.url, email: loket.seed.anna.email, password: PASSWORD, otherAgentToken: token })
  console.log(JSON.stringify(figures, null, 2))
  const bars = [
    ['first load JS ≤ 250 KB gzip', figures.firstLoadJsGzipBytes <= 250 * 1024],
    ['open a ticket ≤ 150 ms (median)', figures.openTicketMs.median <= 150],
    ['new article on another screen ≤ 200 ms (median)', figures.articleLatencyMs.median <= 200],
  ] as const
  for (const [bar, ok] of bars) console.log(`${ok ? 'ok  ' : 'FAIL'} ${bar}`)
} finally {
  await loket.close()
}
