import { useQuery, useQueryClient } from '@tanstack/react-query'
import { lazy, Suspense, useEffect, useId, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { ArticleStatus, ArticleVisibility } from '../../shared/api/knowledge.js'
import { ErrorNote, errorText } from '../ui/ErrorNote.js'
import { dateTime } from '../ui/format.js'
import { ApiError } from './api.js'
import { GroupSelect } from './DeskSelects.js'
import { knowledgeApi, type ArticleVersion, type KnowledgeArticle } from './knowledgeApi.js'
import { navigate } from './router.js'
import './knowledge.css'

// The rich-text editor is a chunk of its own, fetched when an article is opened.
const RichEditor = lazy(() => import('./RichEditor.js'))

interface Form {
  title: string
  body: string
  language: 'nl' | 'en'
  categoryId: string
  visibility: ArticleVisibility
  status: ArticleStatus
  ownerGroupId: string
  reviewAt: string
}
const EMPTY: Form = { title: '', body: '', language: 'nl', categoryId: '', visibility: 'internal', status: 'draft', ownerGroupId: '', reviewAt: '' }
const formOf = (a: KnowledgeArticle): Form => ({
  title: a.title,
  body: a.body,
  language: a.language,
  categoryId: a.categoryId ?? '',
  visibility: a.visibility,
  status: a.status,
  ownerGroupId: a.ownerGroupId ?? '',
  reviewAt: a.reviewAt ?? '',
})

/** One article: written and kept in the rich-text editor, with its versions (view, restore). */
export function ArticlePage({ id }: { id: string | null }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const bodyLabel = useId()
  const article = useQuery({ queryKey: ['article', id], queryFn: () => knowledgeApi.article(id!), enabled: id !== null })
  const categories = useQuery({ queryKey: ['kb-categories'], queryFn: knowledgeApi.categories, staleTime: 300_000 })
  const [form, setForm] = useState<Form | null>(id === null ? EMPTY : null)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const [showVersions, setShowVersions] = useState(false)
  const [viewing, setViewing] = useState<ArticleVersion | null>(null)
  const versions = useQuery({ queryKey: ['article-versions', id], queryFn: () => knowledgeApi.versions(id!), enabled: id !== null && showVersions })

  useEffect(() => {
    if (article.data && form === null) setForm(formOf(article.data))
  }, [article.data, form])
  useEffect(() => {
    document.title = `${article.data?.title ?? t('knowledge.new')} · Loket`
  }, [article.data, t])

  if (article.isError) return <ErrorNote error={article.error} onRetry={() => void article.refetch()} />
  if (!form) return <p className="muted">{t('common.loading')}</p>
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setSaved(false)
    setForm({ ...form, [key]: value })
  }

  const afterSave = (a: KnowledgeArticle) => {
    queryClient.setQueryData(['article', a.id], a)
    void queryClient.invalidateQueries({ queryKey: ['knowledge'] })
    void queryClient.invalidateQueries({ queryKey: ['article-versions', a.id] })
    setForm(formOf(a))
    setSaved(true)
    if (id === null) navigate(`/knowledge/${a.id}`, { replace: true })
  }
  const run = async (work: () => Promise<KnowledgeArticle>) => {
    setSaving(true)
    setError(null)
    try {
      afterSave(await work())
    } catch (err) {
      setError(err)
    } finally {
      setSaving(false)
    }
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const body = {
      title: form.title,
      body: form.body || '<p></p>',
      language: form.language,
      categoryId: form.categoryId || null,
      visibility: form.visibility,
      status: form.status,
      ownerGroupId: form.ownerGroupId || null,
      reviewAt: form.reviewAt || null,
    }
    void run(() => (id === null ? knowledgeApi.createArticle(body) : knowledgeApi.updateArticle(id, article.data!.version, body)))
  }
  const stale = error instanceof ApiError && error.status === 412
  const a = article.data

  return (
    <section aria-labelledby="article-title">
      <nav className="crumbs" aria-label={t('knowledge.title')}>
        <a
          href="/knowledge"
          onClick={(e) => {
            e.preventDefault()
            navigate('/knowledge')
          }}
        >
          ← {t('knowledge.title')}
        </a>
      </nav>
      <h1 id="article-title">{a ? a.title : t('knowledge.new')}</h1>
      {a && (
        <p className="muted small">
          {t('knowledge.versionInfo', { version: a.version, when: dateTime(a.updatedAt, i18n.language), who: a.updatedBy?.name ?? '—' })} ·{' '}
          {t('knowledge.helped', { count: a.helpedCount })}
          {a.reviewDue && (
            <>
              {' '}
              · <span className="badge badge-review">{t('knowledge.reviewDue')}</span>
            </>
          )}
          {a.publicUrl && (
            <>
              {' '}
              · <a href={a.publicUrl}>{t('knowledge.publicPage')}</a>
            </>
          )}
        </p>
      )}
      {a?.sourceTicket && (
        <p className="muted small">
          <a
            href={`/tickets/${a.sourceTicket.id}`}
            onClick={(e) => {
              e.preventDefault()
              navigate(`/tickets/${a.sourceTicket!.id}`)
            }}
          >
            {t('knowledge.sourceTicket', { number: a.sourceTicket.number, subject: a.sourceTicket.subject })}
          </a>
        </p>
      )}
      <form className="kb-editor" onSubmit={submit}>
        <label>
          <span>{t('knowledge.field.title')}</span>
          <input required value={form.title} onChange={(e) => set('title', e.target.value)} />
        </label>
        <div className="row">
          <label>
            <span>{t('knowledge.field.visibility')}</span>
            <select value={form.visibility} onChange={(e) => set('visibility', e.target.value as ArticleVisibility)}>
              <option value="internal">{t('knowledge.visibility.internal')}</option>
              <option value="public">{t('knowledge.visibility.public')}</option>
            </select>
          </label>
          <label>
            <span>{t('knowledge.field.status')}</span>
            <select value={form.status} onChange={(e) => set('status', e.target.value as ArticleStatus)}>
              {(['draft', 'published', 'archived'] as const).map((s) => (
                <option key={s} value={s}>
                  {t(`knowledge.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('knowledge.field.language')}</span>
            <select value={form.language} onChange={(e) => set('language', e.target.value as 'nl' | 'en')}>
              <option value="nl">{t('languages.nl')}</option>
              <option value="en">{t('languages.en')}</option>
            </select>
          </label>
          <label>
            <span>{t('knowledge.field.category')}</span>
            <select value={form.categoryId} onChange={(e) => set('categoryId', e.target.value)}>
              <option value="">—</option>
              {categories.data?.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('knowledge.field.owner')}</span>
            <GroupSelect empty="—" value={form.ownerGroupId} onChange={(e) => set('ownerGroupId', e.target.value)} />
          </label>
          <label>
            <span>{t('knowledge.field.reviewAt')}</span>
            <input type="date" value={form.reviewAt} onChange={(e) => set('reviewAt', e.target.value)} />
          </label>
        </div>
        <div>
          <span id={bodyLabel}>{t('knowledge.field.body')}</span>
          <Suspense fallback={<p className="muted">{t('knowledge.editor.loading')}</p>}>
            <RichEditor key={`${a?.id ?? 'new'}-${a?.version ?? 0}`} value={form.body} onChange={(html) => set('body', html)} labelledBy={bodyLabel} />
          </Suspense>
        </div>
        {error != null && (
          <p className="error-note" role="alert">
            {stale ? t('knowledge.stale') : errorText(error, t)}
          </p>
        )}
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={saving}>
            {saving ? t('common.saving') : t('knowledge.save')}
          </button>
          {a && a.status !== 'archived' && (
            <button type="button" className="btn" disabled={saving} onClick={() => void run(() => knowledgeApi.archiveArticle(a.id, a.version))}>
              {t('knowledge.archive')}
            </button>
          )}
          <span role="status" className="muted small">
            {saved ? t('knowledge.saved') : ''}
          </span>
        </div>
      </form>
      {a && (
        <section aria-labelledby="versions-title">
          <h2 id="versions-title">{t('knowledge.versions')}</h2>
          <button type="button" className="btn btn-small" aria-expanded={showVersions} onClick={() => setShowVersions(!showVersions)}>
            {showVersions ? t('knowledge.hideVersions') : t('knowledge.showVersions')}
          </button>
          {showVersions && (
            <ul className="kb-list">
              {versions.data?.map((v) => (
                <li key={v.version}>
                  {t('knowledge.versionLine', { version: v.version, when: dateTime(v.createdAt, i18n.language), who: v.changedBy?.name ?? '—' })} ·{' '}
                  {t(`knowledge.status.${v.status}`)}{' '}
                  <button type="button" className="btn btn-small" onClick={() => setViewing(viewing?.version === v.version ? null : v)}>
                    {t('knowledge.viewVersion', { version: v.version })}
                  </button>{' '}
                  {v.version !== a.version && (
                    <button type="button" className="btn btn-small" onClick={() => void run(() => knowledgeApi.restore(a.id, v.version, a.version))}>
                      {t('knowledge.restore', { version: v.version })}
                    </button>
                  )}
                  {viewing?.version === v.version && (
                    // Sanitised by the server on save and again when it is sent.
                    <div className="article-body panel" dangerouslySetInnerHTML={{ __html: v.body }} />
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </section>
  )
}
