import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../ui/ErrorNote.js'
import { ACCOUNT_LINK_PAGES, AccountLink } from './AccountLink.js'
import { ApiError, api, setCsrfToken, type Me } from './api.js'
import { setLanguage } from './i18n.js'
import { takeLanguageChosenBeforeLogin } from './LanguageSwitch.js'
import { Login } from './Login.js'
import { Workspace } from './Workspace.js'

/** Who is logged in decides between the login screen and the workspace. */
export function App() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const me = useQuery({
    queryKey: ['me'],
    queryFn: async () => {
      try {
        return await api.me()
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null
        throw err
      }
    },
    staleTime: Infinity,
  })

  // Customers have their own portal; the workspace is for staff.
  const isCustomer = me.data?.user.role === 'customer'
  useEffect(() => {
    if (isCustomer) location.replace('/portal')
  }, [isCustomer])

  useEffect(() => {
    if (me.data) {
      setCsrfToken(me.data.csrfToken)
      void setLanguage(me.data.user.language)
    }
  }, [me.data])

  // A one-time link from a mail works whether or not someone is signed in on this browser.
  const linkKind = ACCOUNT_LINK_PAGES[location.pathname as keyof typeof ACCOUNT_LINK_PAGES]
  if (linkKind) return <AccountLink kind={linkKind} />
  if (me.isPending) return <div className="splash" aria-busy="true">{t('common.loading')}</div>
  if (me.isError)
    return (
      <main className="splash">
        <ErrorNote error={me.error} onRetry={() => void me.refetch()} />
      </main>
    )
  if (!me.data)
    return (
      <Login
        onLoggedIn={(result: Me) => {
          setCsrfToken(result.csrfToken)
          const chosen = takeLanguageChosenBeforeLogin()
          if (chosen && chosen !== result.user.language) {
            // Picked on the login screen: keep it, and remember it for this user.
            result = { ...result, user: { ...result.user, language: chosen } }
            api.updateMe({ language: chosen }).catch(() => {})
          }
          void setLanguage(result.user.language)
          queryClient.setQueryData(['me'], result)
        }}
      />
    )
  if (isCustomer) return <div className="splash" aria-busy="true">{t('common.loading')}</div>
  return <Workspace me={me.data} />
}
