import { useEffect, useState } from 'preact/hooks'
import en from './i18n/en.json' with { type: 'json' }
import nl from './i18n/nl.json' with { type: 'json' }

export type Language = 'nl' | 'en'
export const LANGUAGES: Language[] = ['nl', 'en']
type Tree = { [key: string]: string | Tree }
const DICTIONARIES: Record<Language, Tree> = { nl, en }
/** The same key as the agent app, so a choice made on one sign-in screen holds on the other. */
const STORAGE_KEY = 'loket.language'

function stored(): Language {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'nl'
  } catch {
    return 'nl'
  }
}

let current: Language = stored()
const listeners = new Set<() => void>()
document.documentElement.lang = current

export const language = () => current

/** Switches the portal's language (Dutch unless chosen otherwise) and remembers it in this browser. */
export function setLanguage(next: Language) {
  current = next
  document.documentElement.lang = next
  try {
    localStorage.setItem(STORAGE_KEY, next)
  } catch {
    // no storage: the choice holds until the page is reloaded
  }
  listeners.forEach((l) => l())
}

/** The text for a key ("tickets.title") in the current language, with {{name}} filled in. */
export function t(key: string, values: Record<string, string | number> = {}): string {
  let node: string | Tree | undefined = DICTIONARIES[current]
  for (const part of key.split('.')) node = typeof node === 'object' ? node[part] : undefined
  const text = typeof node === 'string' ? node : key
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''))
}

/** Re-renders the calling component when the language changes. */
export function useLanguage(): Language {
  const [value, setValue] = useState(current)
  useEffect(() => {
    const update = () => setValue(current)
    listeners.add(update)
    return () => void listeners.delete(update)
  }, [])
  return value
}

const dateTime = () => new Intl.DateTimeFormat(current === 'en' ? 'en-GB' : 'nl-NL', { dateStyle: 'medium', timeStyle: 'short' })
export const formatDateTime = (iso: string) => dateTime().format(new Date(iso))
