import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { AppLink } from './AppLink.js'

/** Any path the app does not know: say so, and offer the way back, instead of showing another screen. */
export function NotFound() {
  const { t } = useTranslation()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <div className="not-found">
      <h1 ref={heading} tabIndex={-1}>
        {t('notFound.title')}
      </h1>
      <p>{t('notFound.text')}</p>
      <p>
        <AppLink href="/queues/mine">{t('notFound.back')}</AppLink>
      </p>
    </div>
  )
}
