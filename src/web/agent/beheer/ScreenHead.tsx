import { useEffect, useRef, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { AppLink } from '../AppLink.js'

/** The top of a Beheer screen: the way back to Beheer, its heading (focused on arrival) and what just happened. */
export function ScreenHead({ title, notice, children }: { title: string; notice: string | null; children?: ReactNode }) {
  const { t } = useTranslation()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <>
      <nav className="crumbs" aria-label={t('beheer.crumbs')}>
        <AppLink href="/admin">{t('beheer.title')}</AppLink>
      </nav>
      <div className="queue-head">
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        {children}
      </div>
      <p role="status" className="admin-notice">
        {notice && <span className="notice">{notice}</span>}
      </p>
    </>
  )
}
