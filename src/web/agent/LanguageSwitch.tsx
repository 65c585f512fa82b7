import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type Me } from './api.js'
import { LANGUAGES, setLanguage, type Language } from './i18n.js'

const CHOSEN_KEY = 'loket.language.chosen'
const markChosenBeforeLogin = (language: Language) => {
  try {
    sessionStorage.setItem(CHOSEN_KEY, language)
  } catch {
    // no storage: the user's own setting applies after login
  }
}

/** The language picked on the login screen (once), to be kept for the user who then logs in. */
export function takeLanguageChosenBeforeLogin(): Language | null {
  try {
    const value = sessionStorage.getItem(CHOSEN_KEY)
    sessionStorage.removeItem(CHOSEN_KEY)
    return value === 'nl' || value === 'en' ? value : null
  } catch {
    return null
  }
}

/** Switches the language now and, when logged in, remembers it for the user on the server. */
export function LanguageSwitch({ loggedIn = false }: { loggedIn?: boolean }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const change = async (language: Language) => {
    await setLanguage(language)
    if (!loggedIn) {
      markChosenBeforeLogin(language)
      return
    }
    try {
      const user = await api.updateMe({ language })
      queryClient.setQueryData<Me | null>(['me'], (me) => (me ? { ...me, user } : me))
    } catch {
      // the language still applies in this browser; the server copy is updated next time
    }
  }
  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select value={i18n.language} onChange={(e) => void change(e.target.value as Language)} data-testid="language">
        {LANGUAGES.map((l) => (
          <option key={l} value={l}>
            {t(`languages.${l}`)}
          </option>
        ))}
      </select>
    </label>
  )
}
