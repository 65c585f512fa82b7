import type { Executor } from '../db/schema.js'
import type { Deps } from '../deps.js'

/**
 * How failed sign-ins slow the next attempt. Per account and address: a few free tries, then a wait that
 * doubles up to a quarter of an hour. Per account from any address: more free tries and never more than a
 * minute, because anyone can cause it; and not for the owner at an address they signed in from before.
 * Failures older than the window are forgotten.
 */
export const THROTTLE = {
  pair: { free: 3, maxMs: 15 * 60_000, windowMs: 15 * 60_000 },
  account: { free: 10, maxMs: 60_000, windowMs: 15 * 60_000 },
} as const
type Rule = (typeof THROTTLE)[keyof typeof THROTTLE]

/** The wait after this many failures in a row. */
export const backoffMs = (rule: Rule, failures: number) => (failures <= rule.free ? 0 : Math.min(rule.maxMs, 1000 * 2 ** Math.min(30, failures - rule.free - 1)))

const accountKey = (email: string) => `account:${email}`
const pairKey = (email: string, ip: string) => `pair:${email}|${ip}`

export const signInFailureRepository = {
  find: (db: Executor, keys: string[]) => db.selectFrom('sign_in_failure').selectAll().where('key', 'in', keys).execute(),
  save: (db: Executor, row: { key: string; failures: number; last_failure_at: string; blocked_until: string }) =>
    db
      .insertInto('sign_in_failure')
      .values(row)
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures: row.failures, last_failure_at: row.last_failure_at, blocked_until: row.blocked_until }))
      .execute(),
  clear: (db: Executor, key: string) => db.deleteFrom('sign_in_failure').where('key', '=', key).execute(),
}

/** Sign-in throttling kept in the database, so every process behind a load balancer counts the same failures. */
export class SignInThrottle {
  constructor(private readonly deps: Pick<Deps, 'db' | 'clock'>) {}

  /**
   * Milliseconds this address must still wait before trying this account (0: go ahead). `ownersAddress`
   * says whether the account's owner signed in from this address before; asked only when it matters.
   */
  async waitMs(email: string, ip: string, ownersAddress: () => Promise<boolean>): Promise<number> {
    const now = this.deps.clock.now().getTime()
    const rows = await signInFailureRepository.find(this.deps.db, [accountKey(email), pairKey(email, ip)])
    const left = (key: string) => Math.max(0, Date.parse(rows.find((r) => r.key === key)?.blocked_until ?? '') - now || 0)
    const pair = left(pairKey(email, ip))
    if (pair > 0) return pair
    const account = left(accountKey(email))
    return account > 0 && !(await ownersAddress()) ? account : 0
  }

  async failed(email: string, ip: string) {
    const now = this.deps.clock.now()
    const keys: [string, Rule][] = [
      [accountKey(email), THROTTLE.account],
      [pairKey(email, ip), THROTTLE.pair],
    ]
    await this.deps.db.transaction().execute(async (trx) => {
      const rows = await signInFailureRepository.find(trx, keys.map(([k]) => k))
      for (const [key, rule] of keys) {
        const row = rows.find((r) => r.key === key)
        const recent = row && now.getTime() - Date.parse(row.last_failure_at) < rule.windowMs
        const failures = (recent ? row.failures : 0) + 1
        const blockedUntil = new Date(now.getTime() + backoffMs(rule, failures)).toISOString()
        await signInFailureRepository.save(trx, { key, failures, last_failure_at: now.toISOString(), blocked_until: blockedUntil })
      }
    })
  }

  /** A success from this address clears its count for the account; the account-wide count runs out on its own. */
  async succeeded(email: string, ip: string) {
    await signInFailureRepository.clear(this.deps.db, pairKey(email, ip))
  }
}
