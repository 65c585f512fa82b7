import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from '../i18n/en.json' with { type: 'json' }
import nl from '../i18n/nl.json' with { type: 'json' }

export type Language = 'nl' | 'en'
export const LANGUAGES: Language[] = ['nl', 'en']
const STORAGE_KEY = 'loket.language'

export function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return value === 'en' ? 'en' : 'nl'
  } catch {
    return 'nl'
  }
}

export async function setLanguage(language: Language) {
  try {
    localStorage.setItem(STORAGE_KEY, language)
  } catch {
    // private mode: the server still remembers it per user
  }
  document.documentElement.lang = language
  if (i18n.language !== language) await i18n.changeLanguage(language)
}

void i18n.use(initReactI18next).init({
  resources: { nl: { translation: nl }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  showSupportNotice: false,
})
document.documentElement.lang = storedLanguage()

export default i18n
