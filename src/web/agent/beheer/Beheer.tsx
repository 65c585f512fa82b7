import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import type { Me } from '../api.js'
import { AppLink } from '../AppLink.js'
import { NotFound } from '../NotFound.js'
import { navigate } from '../router.js'
import { Checklist } from './Checklist.js'
import { BEHEER_SECTIONS, mayOpenBeheer, sectionHref, sectionsFor } from './sections.js'
import './beheer.css'

/** `/admin` (the start page: checklist and sections) or one section at `/admin/<section>[/<subpath>]`. */
export function Beheer({ me, section, subpath }: { me: Me; section: string | null; subpath: string }) {
  const sections = sectionsFor(me.user.role)
  const found = section === null ? null : sections.find((s) => s.path === section)
  useEffect(() => {
    // A section that lives elsewhere (templates, knowledge) is opened there.
    if (found && 'href' in found) navigate(found.href, { replace: true })
  }, [found])
  // A screen that exists but is not for this role says so; only a path that exists nowhere is "not found".
  const exists = section !== null && BEHEER_SECTIONS.some((s) => s.path === section)
  if (exists && !found) return <NoAccess />
  if (!mayOpenBeheer(me.user.role)) return <NotFound />
  if (section === null) return <BeheerHome me={me} />
  if (!found || !('Screen' in found)) return <NotFound />
  return <found.Screen me={me} subpath={subpath} />
}

function NoAccess() {
  const { t } = useTranslation()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <div className="not-found">
      <h1 ref={heading} tabIndex={-1}>
        {t('beheer.title')}
      </h1>
      <p className="error-note" role="alert">
        {t('errors.forbidden')}
      </p>
      <p>
        <AppLink href="/queues/mine">{t('notFound.back')}</AppLink>
      </p>
    </div>
  )
}

function BeheerHome({ me }: { me: Me }) {
  const { t } = useTranslation()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => heading.current?.focus(), [])
  return (
    <div className="beheer">
      <h1 ref={heading} tabIndex={-1}>
        {t('beheer.title')}
      </h1>
      <p className="muted">{t('beheer.intro')}</p>
      {me.user.role === 'admin' && <Checklist />}
      <ul className="beheer-sections">
        {sectionsFor(me.user.role).map((s) => (
          <li key={s.path} className="panel">
            <AppLink href={sectionHref(s)}>{t(s.label)}</AppLink>
            <p className="muted small">{t(s.description)}</p>
          </li>
        ))}
      </ul>
    </div>
  )
}
