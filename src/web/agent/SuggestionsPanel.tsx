import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type RefObject } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../ui/ErrorNote.js'
import type { Ticket } from './api.js'
import type { ComposerHandle } from './Composer.js'
import { knowledgeApi } from './knowledgeApi.js'
import { navigate } from './router.js'

/**
 * Templates and articles that fit this ticket, best first (the database's full-text ranking of the
 * ticket's text). Inserting a template or linking an article records that it was used here.
 */
export function SuggestionsPanel({ ticket, composer }: { ticket: Ticket; composer: RefObject<ComposerHandle | null> }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [error, setError] = useState<unknown>(null)
  const suggestions = useQuery({ queryKey: ['suggestions', ticket.id], queryFn: ({ signal }) => knowledgeApi.suggestions(ticket.id, signal), staleTime: 30_000 })
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['suggestions', ticket.id] })

  const link = async (article: { id: string; title: string; publicUrl: string | null }) => {
    setError(null)
    try {
      await knowledgeApi.useArticle(article.id, ticket.id)
      composer.current?.insertText(article.publicUrl ? `${article.title}: ${article.publicUrl}` : article.title)
      refresh()
    } catch (err) {
      setError(err)
    }
  }

  const data = suggestions.data
  return (
    <section className="panel suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">
        {t('knowledge.suggestions')}
      </h2>
      {suggestions.isPending && <p className="muted small">{t('common.loading')}</p>}
      {data && data.templates.length === 0 && data.articles.length === 0 && <p className="muted small">{t('knowledge.noSuggestions')}</p>}
      {data && data.templates.length > 0 && (
        <>
          <h3>{t('templates.title')}</h3>
          <ul>
            {data.templates.map((tpl) => (
              <li key={tpl.id}>
                <div className="row">
                  <span>{tpl.title}</span>
                  {tpl.usedHere && <span className="badge">{t('knowledge.usedHere')}</span>}
                </div>
                <div className="row">
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t('templates.insertNamed', { title: tpl.title })}
                    onClick={() => {
                      composer.current?.insertTemplate(tpl.id)
                      setTimeout(refresh, 500)
                    }}
                  >
                    {t('templates.insert')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {data && data.articles.length > 0 && (
        <>
          <h3>{t('knowledge.articles')}</h3>
          <ul>
            {data.articles.map((a) => (
              <li key={a.id}>
                <a
                  href={`/knowledge/${a.id}`}
                  onClick={(e) => {
                    e.preventDefault()
                    navigate(`/knowledge/${a.id}`)
                  }}
                >
                  {a.title}
                </a>
                <span className="muted small">{a.excerpt}</span>
                <div className="row">
                  <span className={`badge badge-${a.visibility}`}>{t(`knowledge.visibility.${a.visibility}`)}</span>
                  <span className="muted small">{t('knowledge.helped', { count: a.helpedCount })}</span>
                  {a.usedHere && <span className="badge">{t('knowledge.usedHere')}</span>}
                  <button type="button" className="btn btn-small" aria-label={t('knowledge.linkNamed', { title: a.title })} onClick={() => void link(a)}>
                    {t('knowledge.link')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
      {(error != null || suggestions.error != null) && (
        <p className="error-note" role="alert">
          {errorText(error ?? suggestions.error, t)}
        </p>
      )}
    </section>
  )
}
