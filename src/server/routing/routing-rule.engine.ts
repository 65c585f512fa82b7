import type { RoutingActions, RoutingConditions } from '../../shared/api/routing.js'
import type { Channel, Priority, TicketType } from '../../shared/api/tickets.js'

/** A routing rule as stored: conditions and actions are data, read by this one engine. */
export interface RuleDefinition {
  id: string
  name: string
  position: number
  enabled: boolean
  conditions: RoutingConditions
  /** With the department already turned into its group (routing.service, on saving). */
  actions: RoutingActions
}

/** What a rule looks at in a new ticket. */
export interface RoutingSubject {
  channel: Channel
  mailboxId: string | undefined
  organisationId: string | null
  requesterEmail: string
  language: string
  subject: string
  /** Plain text (HTML is made plain before). */
  body: string
}

/** What the first matching rule sets. */
export interface RoutingOutcome {
  rule: { id: string; name: string; position: number }
  sets: { groupId?: string; departmentId?: string; priority?: Priority; type?: TicketType; tags?: string[] }
}

/** Rules made ready once per change (routing.service caches it): evaluation only does set lookups. */
export interface CompiledRules {
  size: number
  evaluate(subject: RoutingSubject): RoutingOutcome | undefined
}

/** A text's words: lower case, each run of letters and digits. */
const tokensOf = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []

/** Its words one space apart, padded: words and phrases are found as ` word `. */
export const normaliseText = (text: string) => ` ${tokensOf(text).join(' ')} `

/** A domain pattern without its @; an address as it is (lower case). */
const normaliseRequester = (pattern: string) => {
  const p = pattern.trim().toLowerCase()
  return p.startsWith('@') ? p.slice(1) : p
}
const isAddress = (pattern: string) => pattern.includes('@')
/** The domain and every parent domain of an address or domain: jan@ict.gemeente.nl → ict.gemeente.nl, gemeente.nl, nl. */
const domainsOf = (addressOrDomain: string) => {
  const domain = addressOrDomain.slice(addressOrDomain.indexOf('@') + 1)
  const parts = domain.split('.')
  return parts.map((_, i) => parts.slice(i).join('.'))
}

/**
 * The subject's words, split at most once per field and only when a rule asks for words; a set per
 * place only when a rule's test asks (the index reads the words as split); the joined text only for phrases.
 */
class PreparedText {
  private readonly tokens: Partial<Record<'subject' | 'body', string[]>> = {}
  private readonly sets: Partial<Record<'subject' | 'body' | 'both', Set<string>>> = {}
  private readonly texts: Partial<Record<'subject' | 'body' | 'both', string>> = {}
  constructor(private readonly subject: RoutingSubject) {}
  tokensIn(field: 'subject' | 'body'): string[] {
    return (this.tokens[field] ??= tokensOf(this.subject[field]))
  }
  words(where: 'subject' | 'body' | 'both'): Set<string> {
    let set = this.sets[where]
    if (!set) {
      set = new Set(where === 'both' ? this.tokensIn('subject') : this.tokensIn(where))
      if (where === 'both') for (const token of this.tokensIn('body')) set.add(token)
      this.sets[where] = set
    }
    return set
  }
  /** Normalised as normaliseText does (subject and body apart by two spaces, so no phrase spans them). */
  text(where: 'subject' | 'body' | 'both'): string {
    return (this.texts[where] ??= where === 'both'
      ? ` ${this.tokensIn('subject').join(' ')}  ${this.tokensIn('body').join(' ')} `
      : ` ${this.tokensIn(where).join(' ')} `)
  }
}

type Test = (s: RoutingSubject, text: PreparedText, requesterDomains: () => string[]) => boolean

/** One condition's test; every value list is a set. */
function conditionTests(c: RoutingConditions): Test[] {
  const tests: Test[] = []
  if (c.channels) {
    const set = new Set<string>(c.channels)
    tests.push((s) => set.has(s.channel))
  }
  if (c.mailboxIds) {
    const set = new Set(c.mailboxIds)
    tests.push((s) => s.mailboxId !== undefined && set.has(s.mailboxId))
  }
  if (c.organisationIds) {
    const set = new Set(c.organisationIds)
    tests.push((s) => s.organisationId !== null && set.has(s.organisationId))
  }
  if (c.languages) {
    const set = new Set<string>(c.languages)
    tests.push((s) => set.has(s.language))
  }
  if (c.requesters) {
    const patterns = c.requesters.map(normaliseRequester)
    const addresses = new Set(patterns.filter(isAddress))
    const domains = patterns.filter((p) => !isAddress(p))
    tests.push((s, _t, requesterDomains) => addresses.has(s.requesterEmail) || (domains.length > 0 && requesterDomains().some((d) => domains.includes(d))))
  }
  if (c.words) {
    const where = c.wordsIn ?? 'both'
    const normalised = c.words.map((w) => normaliseText(w).trim()).filter(Boolean)
    const single = normalised.filter((w) => !w.includes(' '))
    // A phrase is looked for in the text only when each of its words is in it (a set lookup): most tickets stop there.
    const phrases = normalised.filter((w) => w.includes(' ')).map((p) => ({ words: p.split(' '), padded: ` ${p} ` }))
    tests.push((_s, text) => {
      const words = text.words(where)
      for (const w of single) if (words.has(w)) return true
      return phrases.some((p) => p.words.every((w) => words.has(w)) && text.text(where).includes(p.padded))
    })
  }
  return tests
}

/** Whether one rule's conditions all hold for the subject, checked one by one (no index): the reference compileRules must agree with. */
export function ruleMatches(conditions: RoutingConditions, subject: RoutingSubject): boolean {
  const text = new PreparedText(subject)
  const domains = domainsOf(subject.requesterEmail)
  return conditionTests(conditions).every((test) => test(subject, text, () => domains))
}

/** Which of a ticket's values a rule is filed under in the index (one map per kind, so a lookup builds no strings). */
type AnchorKind = 'address' | 'domain' | 'mailbox' | 'word' | 'organisation' | 'language' | 'channel'

/**
 * The values under which a rule is filed in the index: those of one condition it cannot match without
 * (the most selective it has), so a ticket that has none of them is never checked against it. No values:
 * the rule can never match (e.g. only punctuation as words); undefined: it has no conditions and is
 * checked for every ticket.
 */
function anchorsOf(c: RoutingConditions): [AnchorKind, string][] | undefined {
  if (c.requesters) return c.requesters.map(normaliseRequester).map((p) => [isAddress(p) ? 'address' : 'domain', p])
  if (c.mailboxIds) return c.mailboxIds.map((m) => ['mailbox', m])
  if (c.words) {
    // A phrase needs each of its words: filed under its longest, as the least common guess.
    const words = c.words.map((w) => normaliseText(w).trim()).filter(Boolean)
    return words.map((w) => ['word', w.split(' ').reduce((x, y) => (y.length > x.length ? y : x))])
  }
  if (c.organisationIds) return c.organisationIds.map((o) => ['organisation', o])
  if (c.languages) return c.languages.map((l) => ['language', l])
  if (c.channels) return c.channels.map((ch) => ['channel', ch])
  return undefined
}

/**
 * Orders and compiles the enabled rules; the result is what every new ticket is evaluated against.
 * Rules are filed in an index by one condition each (anchorsOf): a ticket is checked only against the
 * rules its own values (channel, mailbox, organisation, language, requester, words) can meet, in position
 * order, so 500 rules cost about what the few candidates cost.
 */
export function compileRules(rules: readonly RuleDefinition[]): CompiledRules {
  const enabled = [...rules].filter((r) => r.enabled).sort((a, b) => a.position - b.position)
  const compiled = enabled.map((rule) => {
    const tests = conditionTests(rule.conditions)
    const { departmentId, groupId, priority, type, tags } = rule.actions
    const outcome: RoutingOutcome = {
      rule: { id: rule.id, name: rule.name, position: rule.position },
      sets: { ...(groupId && { groupId }), ...(departmentId && { departmentId }), ...(priority && { priority }), ...(type && { type }), ...(tags && { tags: [...tags] }) },
    }
    return { tests, outcome }
  })
  const index: Record<AnchorKind, Map<string, number[]>> = {
    address: new Map(), domain: new Map(), mailbox: new Map(), word: new Map(), organisation: new Map(), language: new Map(), channel: new Map(),
  }
  const always: number[] = []
  enabled.forEach((rule, i) => {
    const anchors = anchorsOf(rule.conditions)
    if (!anchors) return always.push(i)
    for (const [kind, value] of anchors) {
      const list = index[kind].get(value)
      if (!list) index[kind].set(value, [i])
      else if (list.at(-1) !== i) list.push(i)
    }
  })
  return {
    size: compiled.length,
    evaluate(subject) {
      const text = new PreparedText(subject)
      let domains: string[] | undefined
      const requesterDomains = () => (domains ??= domainsOf(subject.requesterEmail))
      const candidates = new Set(always)
      const add = (kind: AnchorKind, value: string) => {
        const list = index[kind].get(value)
        if (list) for (const i of list) candidates.add(i)
      }
      add('channel', subject.channel)
      add('language', subject.language)
      if (subject.mailboxId !== undefined) add('mailbox', subject.mailboxId)
      if (subject.organisationId !== null) add('organisation', subject.organisationId)
      if (index.address.size > 0) add('address', subject.requesterEmail)
      if (index.domain.size > 0) for (const d of requesterDomains()) add('domain', d)
      if (index.word.size > 0) {
        // The words as split, repeats included: a missed lookup costs less than building their set.
        for (const w of text.tokensIn('subject')) add('word', w)
        for (const w of text.tokensIn('body')) add('word', w)
      }
      next: for (const i of [...candidates].sort((a, b) => a - b)) {
        const { tests, outcome } = compiled[i]
        for (const test of tests) if (!test(subject, text, requesterDomains)) continue next
        return outcome
      }
      return undefined
    },
  }
}

const subset = <T>(inner: readonly T[] | undefined, outer: readonly T[]) => !!inner && inner.every((v) => outer.includes(v))

/** Whether every requester `inner` names is also named by `outer` (an address, or it or its domain under one of outer's domains). */
function requestersCovered(inner: readonly string[] | undefined, outer: readonly string[]) {
  if (!inner) return false
  const outerNorm = outer.map(normaliseRequester)
  return inner.map(normaliseRequester).every((p) => outerNorm.includes(p) || domainsOf(p).some((d) => !isAddress(d) && outerNorm.filter((o) => !isAddress(o)).includes(d)))
}

/**
 * Whether `earlier` matches every ticket `later` matches, so `later` can never fire: each condition of
 * the earlier rule is also a condition of the later one, with no values the earlier one lacks.
 */
export function alwaysMatchesBefore(earlier: RuleDefinition, later: RuleDefinition): boolean {
  if (!earlier.enabled) return false
  const a = earlier.conditions
  const b = later.conditions
  if (a.channels && !subset(b.channels, a.channels)) return false
  if (a.mailboxIds && !subset(b.mailboxIds, a.mailboxIds)) return false
  if (a.organisationIds && !subset(b.organisationIds, a.organisationIds)) return false
  if (a.languages && !subset(b.languages, a.languages)) return false
  if (a.requesters && !requestersCovered(b.requesters, a.requesters)) return false
  if (a.words) {
    const whereA = a.wordsIn ?? 'both'
    if (!b.words || (whereA !== 'both' && whereA !== (b.wordsIn ?? 'both'))) return false
    const norm = (ws: readonly string[]) => ws.map((w) => normaliseText(w).trim())
    if (!subset(norm(b.words), norm(a.words))) return false
  }
  return true
}

/** For each rule (in order), the first earlier enabled rule that always matches before it, if any. */
export function neverMatching(rules: readonly RuleDefinition[]): Map<string, { ruleId: string; name: string }> {
  const ordered = [...rules].sort((a, b) => a.position - b.position)
  const found = new Map<string, { ruleId: string; name: string }>()
  ordered.forEach((rule, i) => {
    const earlier = ordered.slice(0, i).find((e) => alwaysMatchesBefore(e, rule))
    if (earlier) found.set(rule.id, { ruleId: earlier.id, name: earlier.name })
  })
  return found
}
