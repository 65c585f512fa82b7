import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import en from './en.json' with { type: 'json' }
import nl from './nl.json' with { type: 'json' }
import portalEn from '../portal/i18n/en.json' with { type: 'json' }
import portalNl from '../portal/i18n/nl.json' with { type: 'json' }

type Tree = { [key: string]: string | Tree }

/** Every key path of a translation file, with i18next plural suffixes folded into their base key. */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [`${prefix}${k}`] : keys(v, `${prefix}${k}.`)))
}
/** Strings that look like keys but are stream event types. */
const NOT_KEYS = new Set(['ticket.created', 'ticket.updated', 'article.created', 'article.delivery'])
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  )
}

/**
 * Keys that occur twice in one object of a JSON text, as `path.key`. JSON.parse (and the import) keeps
 * the last silently, so a text added twice would hide the first; this reads the source itself.
 */
function duplicateKeys(text: string): string[] {
  const found: string[] = []
  const stack: { path: string; seen: Set<string>; key?: string }[] = []
  let lastString: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') {
      let j = i + 1
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1
      lastString = JSON.parse(text.slice(i, j + 1)) as string
      i = j
    } else if (c === ':' && lastString !== undefined && stack.length > 0) {
      const top = stack[stack.length - 1]
      if (top.seen.has(lastString)) found.push(`${top.path}${lastString}`)
      top.seen.add(lastString)
      top.key = lastString
    } else if (c === '{') {
      const parent = stack[stack.length - 1]
      stack.push({ path: parent ? `${parent.path}${parent.key ?? ''}.` : '', seen: new Set() })
    } else if (c === '}') stack.pop()
    if (c !== '"' && !/\s/.test(c)) lastString = undefined // a key is a string right before its colon
  }
  return found
}

describe('translations', () => {
  it('no translation file has a key twice in one place (JSON keeps the last silently)', () => {
    expect(duplicateKeys('{"a": {"b": "x", "c": "y", "b": "z"}, "d": {"b": "\\"{"}, "a": "w"}'), 'the check finds them').toEqual(['a.b', 'a'])
    for (const file of ['./nl.json', './en.json', '../portal/i18n/nl.json', '../portal/i18n/en.json']) {
      expect(duplicateKeys(readFileSync(new URL(file, import.meta.url), 'utf8')), file).toEqual([])
    }
  })

  it('the portal\'s nl.json and en.json have exactly the same keys', () => {
    expect(keys(portalNl as Tree).sort()).toEqual(keys(portalEn as Tree).sort())
  })

  it('nl.json and en.json have exactly the same keys', () => {
    const nlKeys = keys(nl as Tree).sort()
    const enKeys = keys(en as Tree).sort()
    expect(nlKeys.filter((k) => !enKeys.includes(k)), 'keys in nl.json missing from en.json').toEqual([])
    expect(enKeys.filter((k) => !nlKeys.includes(k)), 'keys in en.json missing from nl.json').toEqual([])
  })

  it('no translation is empty', () => {
    for (const [name, tree] of [['nl', nl], ['en', en]] as const) {
      const flat = keys(tree as Tree)
      for (const key of flat) {
        const value = key.split('.').reduce<unknown>((node, part) => (node as Tree)[part], tree)
        expect(String(value).trim(), `${name}: ${key}`).not.toBe('')
      }
    }
  })

  it('every literal key used in src/web exists in both languages', () => {
    const known = new Set(keys(nl as Tree).map(base))
    const root = new URL('..', import.meta.url).pathname
    const used = new Set<string>()
    // The portal has its own translations (src/web/portal/i18n), checked below.
    for (const file of sourceFiles(root).filter((f) => !f.includes('/web/portal/'))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z_.]+)'/g)) used.add(m[1])
      for (const m of text.matchAll(/'((?:common|login|errors|search|newTicket|live|queues|queue|bulk|fields|ticket|presence|timeline|composer|conflict|customer|shortcuts)\.[a-zA-Z_]+)'/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(50)
    expect([...used].filter((k) => !known.has(k) && !NOT_KEYS.has(k)).sort(), 'keys used in the code but missing from the translations').toEqual([])
  })
  it('every literal key used in the portal exists in both of its languages', () => {
    const known = new Set(keys(portalNl as Tree))
    const used = new Set<string>()
    for (const file of sourceFiles(new URL('../portal', import.meta.url).pathname)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z]+\.[a-zA-Z_.]+)'/g)) used.add(m[1])
    }
    expect(used.size).toBeGreaterThan(40)
    expect([...used].filter((k) => !known.has(k)).sort(), 'keys used in the portal but missing from its translations').toEqual([])
  })
})
