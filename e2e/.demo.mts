import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { buildApp } from '../src/server/app.js'
import { DEMO_LOGINS, seedDemo } from '../src/server/demo/seed-demo.js'
import { createRuntime } from '../src/server/runtime.js'
import { testConfig } from '../src/server/test/test-app.js'
import { buildWeb, CHROMIUM_ARGS } from './harness.js'
const web = await buildWeb()
const dir = mkdtempSync(join(tmpdir(), 'loket-demo-'))
const runtime = await createRuntime(testConfig({ kind: 'sqlite', file: join(dir, 'db.sqlite') }, dir))
let t0 = Date.now()
console.log(await seedDemo(runtime), Date.now() - t0, 'ms')
const app = await buildApp(runtime, { webRoot: web })
await app.listen({ port: 0, host: '127.0.0.1' })
const url = `http://127.0.0.1:${(app.server.address() as any).port}`
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
page.on('pageerror', (e) => console.log('pageerror:', e.message))
page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()) })
await page.goto(url)
await page.locator('#login-email').fill('sanne.dekker@sc-lingedal.example')
await page.locator('#login-password').fill(DEMO_LOGINS.password)
await page.locator('form.login-card button[type=submit]').click()
await page.locator('nav.sidebar').waitFor()
await page.waitForTimeout(1500)
await page.screenshot({ path: '/tmp/demo1.png' })
await page.goto(url + '/queues/open')
await page.locator('table.tickets tbody tr[data-row]').first().waitFor()
await page.waitForTimeout(800)
await page.screenshot({ path: '/tmp/demo2.png' })
const links = page.locator('table.tickets td.subject a')
for (const n of [0, 3]) {
  t0 = Date.now()
  await links.nth(n).click()
  await page.locator('ol.timeline > li').first().waitFor()
  console.log('ticket open ms', Date.now() - t0)
  await page.waitForTimeout(800)
  await page.screenshot({ path: `/tmp/demo-t${n}.png`, fullPage: true })
  await page.goBack()
  await page.locator('table.tickets tbody tr[data-row]').first().waitFor()
}
console.log(url)
await browser.close()
if (process.argv[2] !== 'keep') { await app.close(); await runtime.close() }
