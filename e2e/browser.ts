/** What both browser suites do on a page: check it with axe, and log in. */
import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'
import { PASSWORD } from './harness.js'

/** WCAG 2.1 AA with axe: no serious or critical violations on this screen. */
export async function axe(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${screen}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`)
  expect(bad, `accessibility violations on ${screen}`).toEqual([])
}

export async function login(page: Page, url: string, email: string) {
  await page.goto(url)
  await page.locator('#login-email').fill(email)
  await page.locator('#login-password').fill(PASSWORD)
  await page.locator('form.login-card button[type=submit]').click()
  // Attached, not visible: on a phone the queues are folded into the menu.
  await page.locator('nav.sidebar').waitFor({ state: 'attached' })
}
