import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { describeEachDatabase } from '../test/databases.js'
import { createTestApp, type TestApp } from '../test/test-app.js'
import { backoffMs, THROTTLE } from './sign-in-throttle.js'

describe('sign-in back-off', () => {
  it('starts after a few failures, doubles, and stays bounded', () => {
    expect(backoffMs(THROTTLE.pair, THROTTLE.pair.free)).toBe(0)
    expect(backoffMs(THROTTLE.pair, THROTTLE.pair.free + 1)).toBe(1000)
    expect(backoffMs(THROTTLE.pair, THROTTLE.pair.free + 2)).toBe(2000)
    expect(backoffMs(THROTTLE.pair, 1000)).toBe(THROTTLE.pair.maxMs)
    expect(backoffMs(THROTTLE.account, THROTTLE.account.free)).toBe(0)
    // Account-wide, anyone may cause it: never long, so it cannot be used to keep a person out.
    expect(backoffMs(THROTTLE.account, 1000)).toBe(60_000)
  })
})

describeEachDatabase('sign-in throttling', (database) => {
  let t: TestApp
  beforeAll(async () => {
    t = await createTestApp(database) // the per-address rate limit is out of the way (1000 a minute)
  })
  afterAll(() => t?.close())

  const login = (email: string, password: string, ip: string) =>
    t.request({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email, password } })

  it('slows one address guessing one account, while the owner signs in from elsewhere', async () => {
    await t.user('agent', { email: 'raad@desk.nl', password: 'het-echte-wachtwoord' })
    for (let i = 0; i < THROTTLE.pair.free; i++) expect((await login('raad@desk.nl', `gok-${i}-wachtwoord`, '198.51.100.1')).statusCode).toBe(401)
    expect((await login('raad@desk.nl', 'nog-een-gok', '198.51.100.1')).statusCode).toBe(401) // the first over the limit is still checked
    const held = await login('raad@desk.nl', 'het-echte-wachtwoord', '198.51.100.1')
    expect(held.statusCode).toBe(429)
    expect(held.headers['content-type']).toContain('application/problem+json')
    expect(held.json()).toMatchObject({ status: 429, code: 'rate_limited' })
    expect(Number(held.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    // Another account from that address, and this account from another address, are not held up.
    expect((await login('raad@desk.nl', 'het-echte-wachtwoord', '198.51.100.2')).statusCode).toBe(200)
    // After the wait the address may try again, and a success clears its count.
    await new Promise((r) => setTimeout(r, Number(held.headers['retry-after']) * 1000 + 50))
    expect((await login('raad@desk.nl', 'het-echte-wachtwoord', '198.51.100.1')).statusCode).toBe(200)
    expect((await login('raad@desk.nl', 'weer-fout-wachtwoord', '198.51.100.1')).statusCode).toBe(401)
    const audit = (await t.request({ method: 'GET', url: '/api/v1/audit?action=auth.sign-in-failed&limit=500', token: (await t.user('admin')).token })).json().items
    expect(audit.find((e: { details: { reason: string } }) => e.details.reason === 'throttled')).toMatchObject({ ip: '198.51.100.1' })
  })

  it('slows guessing one account from many addresses, but not for the owner at an address they signed in from', async () => {
    await t.user('customer', { email: 'doelwit@klant.nl', password: 'mijn-goede-wachtwoord' })
    expect((await login('doelwit@klant.nl', 'mijn-goede-wachtwoord', '192.0.2.77')).statusCode).toBe(200)
    for (let i = 0; i <= THROTTLE.account.free; i++) {
      expect((await login('doelwit@klant.nl', `fout-${i}-wachtwoord`, `203.0.113.${i + 1}`)).statusCode).toBe(401)
    }
    const stranger = await login('doelwit@klant.nl', 'mijn-goede-wachtwoord', '203.0.113.200')
    expect(stranger.statusCode).toBe(429)
    expect(Number(stranger.headers['retry-after'])).toBeLessThanOrEqual(60)
    expect((await login('doelwit@klant.nl', 'mijn-goede-wachtwoord', '192.0.2.77')).statusCode).toBe(200)
    // Addresses without an account count failures too, and answer the same 401.
    expect((await login('niemand@klant.nl', 'wat-dan-ook-1', '203.0.113.201')).statusCode).toBe(401)
  })
})
