import { describe, expect, it } from 'vitest'
import { compileRules, neverMatching, type RoutingSubject, type RuleDefinition } from './routing-rule.engine.js'

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
