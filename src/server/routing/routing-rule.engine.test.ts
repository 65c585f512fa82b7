import { describe, expect, it } from 'vitest'
import { compileRules, neverMatching, ruleMatches, type RoutingSubject, type RuleDefinition } from './routing-rule.engine.js'

const subject = (over: Partial<RoutingSubject> = {}): RoutingSubject => ({
  channel: 'email',
  mailboxId: 'mb-ict',
  organisationId: 'org-gemeente',
  requesterEmail: 'jan@ict.gemeente.nl',
  language: 'nl',
  subject: 'Mijn laptop start niet',
  body: 'Sinds vanochtend gaat het scherm niet aan. Kunnen jullie helpen?',
  ...over,
})
let n = 0
const rule = (conditions: RuleDefinition['conditions'], actions: RuleDefinition['actions'] = { priority: 'high' }, over: Partial<RuleDefinition> = {}): RuleDefinition => {
  n++
  return { id: `r${n}`, name: `rule ${n}`, position: n, enabled: true, conditions, actions, ...over }
}

describe('routing rule engine', () => {
  it('lets the first matching rule win, in position order', () => {
    const first = rule({ channels: ['email'] }, { groupId: 'g-ict' }, { position: 2 })
    const second = rule({ channels: ['email', 'portal'] }, { groupId: 'g-hr' }, { position: 1 })
    expect(compileRules([first, second]).evaluate(subject())?.rule.id).toBe(second.id)
    expect(compileRules([first, { ...second, enabled: false }]).evaluate(subject())?.rule.id).toBe(first.id)
  })

  it('needs every condition given, and any one value of each', () => {
    const r = rule({ channels: ['email'], organisationIds: ['org-gemeente', 'org-x'], languages: ['nl'] })
    expect(compileRules([r]).evaluate(subject())).toBeDefined()
    expect(compileRules([r]).evaluate(subject({ language: 'en' }))).toBeUndefined()
    expect(compileRules([r]).evaluate(subject({ organisationId: null }))).toBeUndefined()
    expect(compileRules([r]).evaluate(subject({ channel: 'portal' }))).toBeUndefined()
    expect(compileRules([rule({ mailboxIds: ['mb-hr'] })]).evaluate(subject())).toBeUndefined()
    expect(compileRules([rule({ mailboxIds: ['mb-ict'] })]).evaluate(subject())).toBeDefined()
    expect(compileRules([rule({ mailboxIds: ['mb-ict'] })]).evaluate(subject({ channel: 'portal', mailboxId: undefined }))).toBeUndefined()
  })

  it('matches requesters by address or by domain, subdomains included', () => {
    const match = (pattern: string, email = 'jan@ict.gemeente.nl') => !!compileRules([rule({ requesters: [pattern] })]).evaluate(subject({ requesterEmail: email }))
    expect(match('jan@ict.gemeente.nl')).toBe(true)
    expect(match('piet@ict.gemeente.nl')).toBe(false)
    expect(match('gemeente.nl')).toBe(true)
    expect(match('@ict.gemeente.nl')).toBe(true)
    expect(match('ente.nl')).toBe(false)
    expect(match('gemeente.nl', 'jan@gemeente.nl.evil.example')).toBe(false)
  })

  it('finds whole words and phrases in any case, in the subject, the body or both', () => {
    const match = (words: string[], wordsIn?: 'subject' | 'body' | 'both', over: Partial<RoutingSubject> = {}) =>
      !!compileRules([rule({ words, wordsIn })]).evaluate(subject(over))
    expect(match(['LAPTOP'])).toBe(true)
    expect(match(['lap'])).toBe(false)
    expect(match(['scherm'], 'subject')).toBe(false)
    expect(match(['scherm'], 'body')).toBe(true)
    expect(match(['start niet'])).toBe(true)
    expect(match(['niet start'])).toBe(false)
    expect(match(['salaris', 'laptop'])).toBe(true)
    expect(match(['loonstrook'], 'both', { body: 'Mijn <b>LOONSTROOK</b>, klopt niet' })).toBe(true)
    expect(match(['café'], 'both', { subject: 'Het Café is dicht' })).toBe(true)
  })

  it('answers what the rule sets', () => {
    const r = rule({}, { groupId: 'g-hr', departmentId: 'd-hr', priority: 'urgent', type: 'incident', tags: ['hr'] })
    expect(compileRules([r]).evaluate(subject())).toEqual({
      rule: { id: r.id, name: r.name, position: r.position },
      sets: { groupId: 'g-hr', departmentId: 'd-hr', priority: 'urgent', type: 'incident', tags: ['hr'] },
    })
    expect(compileRules([]).evaluate(subject())).toBeUndefined()
  })

  it('reports the rules an earlier rule always takes first', () => {
    const all = rule({}, undefined, { name: 'alles' })
    const rules = [
      rule({ requesters: ['gemeente.nl'] }),
      rule({ requesters: ['jan@ict.gemeente.nl'], channels: ['email'] }),
      rule({ requesters: ['jan@provincie.nl'] }),
      rule({ words: ['laptop', 'printer'], wordsIn: 'both' }),
      rule({ words: ['printer'], wordsIn: 'subject' }),
      rule({ words: ['printer', 'scanner'] }),
      rule({ channels: ['email'] }, undefined, { enabled: false }),
      rule({ channels: ['email'], languages: ['en'] }),
    ]
    const found = neverMatching(rules)
    expect([...found.keys()]).toEqual([rules[1].id, rules[4].id])
    expect(found.get(rules[1].id)).toEqual({ ruleId: rules[0].id, name: rules[0].name })
    // A rule without conditions takes everything after it.
    const withAll = neverMatching([{ ...all, position: 0 }, ...rules])
    expect(withAll.size).toBe(rules.length)
  })
})

describe('routing rule index', () => {
  // Random rules over a small vocabulary, so tickets meet some and miss most: the indexed engine must pick
  // exactly the rule a plain check of every rule in position order picks.
  const pick = <T>(xs: readonly T[], r: () => number) => xs[Math.floor(r() * xs.length)]
  const some = <T>(xs: readonly T[], r: () => number, p = 0.3) => xs.filter(() => r() < p)
  it('picks the same rule as checking every rule in order, for 2,000 random tickets against 300 random rules', () => {
    let seed = 42
    const r = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const words = ['laptop', 'scherm', 'salaris', 'wachtwoord', 'zaak', 'spoed', 'printer', 'café', 'verlof', 'start niet', 'geen toegang']
    const channels = ['email', 'portal', 'phone', 'chat', 'api'] as const
    const orgs = ['o1', 'o2', 'o3']
    const requesters = ['jan@a.nl', 'a.nl', 'b.nl', '@c.b.nl', 'piet@b.nl', 'x.example']
    const rules: RuleDefinition[] = []
    for (let i = 0; i < 300; i++) {
      const conditions: RuleDefinition['conditions'] = {}
      if (r() < 0.6) conditions.channels = some(channels, r)
      if (r() < 0.6) conditions.mailboxIds = some(['m1', 'm2'], r)
      if (r() < 0.6) conditions.organisationIds = some(orgs, r)
      if (r() < 0.6) conditions.languages = some(['nl', 'en'], r)
      if (r() < 0.6) conditions.requesters = some(requesters, r)
      if (r() < 0.6) {
        conditions.words = some(words, r)
        conditions.wordsIn = pick(['subject', 'body', 'both'] as const, r)
      }
      // A rule without conditions matches every ticket; one such rule, at the end, is enough.
      if (Object.keys(conditions).length === 0) conditions.words = [pick(words, r)]
      rules.push({ id: `x${i}`, name: `x${i}`, position: 300 - i, enabled: r() < 0.9, conditions, actions: { tags: [`t${i}`] } })
    }
    rules.push({ id: 'catch-all', name: 'Alles', position: 301, enabled: true, conditions: {}, actions: { priority: 'low' } })
    const compiled = compileRules(rules)
    const ordered = [...rules].filter((x) => x.enabled).sort((a, b) => a.position - b.position)
    let matched = 0
    let caught = 0
    for (let t = 0; t < 2000; t++) {
      const s = subject({
        channel: pick(channels, r),
        mailboxId: pick(['m1', 'm2', undefined], r),
        organisationId: pick([...orgs, null], r),
        language: pick(['nl', 'en'], r),
        requesterEmail: pick(['jan@a.nl', 'kees@a.nl', 'piet@b.nl', 'els@c.b.nl', 'ab@x.example', 'z@d.nl'], r),
        subject: some(words, r, 0.05).join(' '),
        body: some(words, r, 0.05).join(', '),
      })
      const expected = ordered.find((x) => ruleMatches(x.conditions, s))?.id
      if (expected === 'catch-all') caught++
      else if (expected) matched++
      expect(compiled.evaluate(s)?.rule.id).toBe(expected)
    }
    // The sample must exercise both outcomes, or the comparison says little.
    expect(matched).toBeGreaterThan(200)
    expect(caught).toBeGreaterThan(20)
  })
})
