import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { AppLink } from '../AppLink.js'
import { organisationsApi } from './organisationsApi.js'
import './organisations.css'

/** The organisations of the customers, for every staff member: find one by name and open its page. */
export function OrganisationsView() {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const [withoutLocalAdmin, setWithoutLocalAdmin] = useState(false)
  const list = useQuery({
    queryKey: ['organisations', 'workspace', q, withoutLocalAdmin],
    queryFn: ({ signal }) => organisationsApi.list({ q: q.trim() || undefined, withoutLocalAdministrator: withoutLocalAdmin ? 'true' : undefined, limit: 100 }, signal),
    placeholderData: (previous) => previous,
  })
  return (
    <section className="organisations" aria-labelledby="organisations-title">
      <h1 id="organisations-title">{t('organisations.title')}</h1>
      <p className="muted">{t('organisations.intro')}</p>
      <form className="row wrap org-filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('organisations.title')}>
        <Field id="organisations-q" label={t('organisations.search')}>
          <input id="organisations-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={withoutLocalAdmin} onChange={(e) => setWithoutLocalAdmin(e.target.checked)} />
          <span>{t('beheer.organisations.onlyWithout')}</span>
        </label>
      </form>
      <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      {list.data?.items.length === 0 && <p className="empty">{t('beheer.organisations.none')}</p>}
      <ul className="org-list" aria-label={t('organisations.title')}>
        {list.data?.items.map((o) => (
          <li key={o.id}>
            <AppLink href={`/organisations/${o.id}`}>{o.name}</AppLink>
            <span className="muted small admin-wrap"> {o.domains.join(', ')}</span>
            <div className="small">
              {o.localAdministrators.length ? (
                t('beheer.organisations.localAdmins', { names: o.localAdministrators.map((p) => p.name).join(', ') })
              ) : (
                <strong className="org-flag">{t('beheer.organisations.noLocalAdmin')}</strong>
              )}
            </div>
          </li>
        ))}
      </ul>
      {list.data?.nextCursor && <p className="muted small">{t('organisations.more')}</p>}
    </section>
  )
}
