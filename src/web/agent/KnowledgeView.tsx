import { useQuery } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../ui/ErrorNote.js'
import { knowledgeApi } from './knowledgeApi.js'
import { navigate } from './router.js'
import './knowledge.css'

type Filter = 'all' | 'draft' | 'published' | 'archived' | 'review'

/** The knowledge base for staff: search (Dutch and English), drafts to review, articles past their review date. */
export function KnowledgeView({ initialFilter = 'all' }: { initialFilter?: Filter }) {
  const { t } = useTranslation()
  const [q, setQ] = useState('')
  const [filter, setFilter] = useState<Filter>(initialFilter)
  const list = useQuery({
    queryKey: ['knowledge', q, filter],
    queryFn: ({ signal }) =>
      knowledgeApi.articles(
        { ...(q && { q }), ...(filter === 'review' ? { reviewDue: 'mine' as const } : filter !== 'all' ? { status: filter } : {}), limit: 100 },
        signal,
      ),
  })
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    setQ(new FormData(e.currentTarget).get('q')?.toString().trim() ?? '')
  }
  const open = (path: string) => (e: { preventDefault(): void }) => {
    e.preventDefault()
    navigate(path)
  }
  return (
    <section aria-labelledby="kb-title">
      <h1 id="kb-title">{t('knowledge.title')}</h1>
      <div className="kb-toolbar">
        <form role="search" onSubmit={submit} className="kb-toolbar">
          <label>
            <span className="visually-hidden">{t('knowledge.search')}</span>
            <input name="q" type="search" defaultValue={q} placeholder={t('knowledge.search')} />
          </label>
          <button type="submit" className="btn">
            {t('knowledge.searchButton')}
          </button>
        </form>
        <label className="inline-field">
          <span>{t('knowledge.show')}</span>
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            {(['all', 'draft', 'published', 'archived', 'review'] as const).map((f) => (
              <option key={f} value={f}>
                {t(`knowledge.filter.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <a className="btn btn-primary" href="/knowledge/new" onClick={open('/knowledge/new')}>
          {t('knowledge.new')}
        </a>
      </div>
      <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      {list.data && list.data.length === 0 && <p className="muted">{t('knowledge.none')}</p>}
      <ul className="kb-list">
        {list.data?.map((a) => (
          <li key={a.id}>
            <a href={`/knowledge/${a.id}`} onClick={open(`/knowledge/${a.id}`)}>
              <strong>{a.title}</strong>
            </a>{' '}
            <span className={`badge badge-${a.visibility}`}>{t(`knowledge.visibility.${a.visibility}`)}</span>{' '}
            {a.status !== 'published' && <span className="badge badge-draft">{t(`knowledge.status.${a.status}`)}</span>}{' '}
            {a.reviewDue && <span className="badge badge-review">{t('knowledge.reviewDue')}</span>}
            <br />
            <span className="muted small">{a.excerpt}</span>
            <br />
            <span className="muted small">{t('knowledge.helped', { count: a.helpedCount })}</span>
          </li>
        ))}
      </ul>
    </section>
  )
}
