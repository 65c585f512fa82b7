import { useTranslation } from 'react-i18next'
import type { Role } from '../../../shared/api/accounts.js'
import { AppLink } from '../AppLink.js'
import { sectionHref, sectionsFor } from './sections.js'

/** The Beheer part of the sidebar: every section this role may open, from the one list in sections.tsx. */
export function BeheerNav({ role, current }: { role: Role; current: string | null | undefined }) {
  const { t } = useTranslation()
  return (
    <>
      <h2 className="sidebar-title">
        <AppLink href="/admin" className="sidebar-title-link" current={current === null}>
          {t('beheer.title')}
        </AppLink>
      </h2>
      <ul>
        {sectionsFor(role)
          .filter((s) => !('href' in s))
          .map((s) => (
            <li key={s.path}>
              <AppLink href={sectionHref(s)} current={current === s.path}>
                <span>{t(s.label)}</span>
              </AppLink>
            </li>
          ))}
      </ul>
    </>
  )
}
