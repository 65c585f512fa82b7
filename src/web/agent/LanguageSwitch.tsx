import { useQueryClient } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api, type Me } from './api.js'
import { LANGUAGES, setLanguage, type Language } from './i18n.js'

/** Switches the language now and, when logged in, remembers it for the user on the server. */
export function LanguageSwitch({ loggedIn = false }: { loggedIn?: boolean }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const change = async (language: Language) => {
    await setLanguage(language)
    if (!loggedIn) return
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
