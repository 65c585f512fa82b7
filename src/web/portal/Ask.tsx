/** @jsxImportSource preact */
import { useEffect, useState } from 'preact/hooks'
import type { PublicArticle } from '../../shared/api/knowledge.js'
import { ApiError, call, type Me, type Ticket } from './api.js'
import { t } from './i18n.js'
import { Link } from './Link.js'
import { ErrorNote, PageHeading } from './Page.js'
import { navigate } from './router.js'
import { askable, FieldInputs, type FieldForm, fieldError, formOf, usePublicFields, valuesOf } from './TicketFields.js'

const SEARCH_DELAY_MS = 300

/**
 * Asking a question: while the customer types, matching public knowledge articles appear; one that answers
 * it ends the visit (counted as deflected). "Something else" opens a ticket, routed like any other.
 */
export function Ask({ me }: { me: Me }) {
  const [question, setQuestion] = useState('')
  const [articles, setArticles] = useState<PublicArticle[]>([])
  const [solved, setSolved] = useState(false)
  const [writing, setWriting] = useState(false)

  useEffect(() => {
    const q = question.trim()
    if (q.length < 3) {
      setArticles([])
      return
    }
    const controller = new AbortController()
    const timer = setTimeout(() => {
      call<{ items: PublicArticle[] }>(`/public/knowledge/articles?limit=5&q=${encodeURIComponent(q)}`, { signal: controller.signal }).then(
        (page) => setArticles(page.items),
        () => setArticles([]),
      )
    }, SEARCH_DELAY_MS)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [question])

  const answered = (article: PublicArticle) => {
    setSolved(true)
    call('/portal/deflections', { method: 'POST', body: { articleSlug: article.slug } }).catch(() => {})
  }

  if (solved)
    return (
      <section>
        <PageHeading title={t('ask.solvedTitle')} />
        <p>{t('ask.solvedText')}</p>
        <button type="button" className="btn" onClick={() => navigate('/')}>
          {t('nav.tickets')}
        </button>
      </section>
    )

  return (
    <section>
      <PageHeading title={t('ask.title')} />
      <label className="field">
        <span>{t('ask.question')}</span>
        <input type="text" value={question} maxLength={200} onInput={(e) => setQuestion((e.target as HTMLInputElement).value)} aria-describedby="ask-hint" />
      </label>
      <p id="ask-hint" className="muted">
        {t('ask.hint')}
      </p>
      <div aria-live="polite">
        {articles.length > 0 && (
          <>
            <h2 className="section-title">{t('ask.articlesTitle')}</h2>
            <ul className="article-list">
              {articles.map((a) => (
                <li key={a.slug} className="card article-item">
                  <a href={a.url} target="_blank" rel="noopener">
                    {a.title}
                    <span className="visually-hidden"> ({t('common.newTab')})</span>
                  </a>
                  <p className="muted">{a.excerpt}</p>
                  <button type="button" className="btn" onClick={() => answered(a)}>
                    {t('ask.thisHelps')}
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
      <h2 className="section-title">{t('ask.otherTitle')}</h2>
      <p>
        {t('ask.catalogueHint')} <Link to="/aanvragen">{t('nav.catalogue')}</Link>
      </p>
      {writing ? <NewTicketForm me={me} subject={question} /> : (
        <button type="button" className="btn btn-primary" onClick={() => setWriting(true)}>
          {t('ask.other')}
        </button>
      )}
    </section>
  )
}

/** Free text for everything else: a ticket through the one OpenTicket command, where routing rules apply. */
function NewTicketForm({ me, subject: initialSubject }: { me: Me; subject: string }) {
  const [subject, setSubject] = useState(initialSubject)
  const [body, setBody] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  // The ticket fields an administrator opened to customers, asked below the question.
  const publicFields = usePublicFields()
  const fields = askable(publicFields.data ?? [])
  const [fieldForm, setFieldForm] = useState<FieldForm>({})
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!subject.trim() || !body.trim()) {
      setError(new ApiError(400, 'validation', t('ask.missing')))
      return
    }
    const checked = valuesOf(fields, { ...formOf(fields), ...fieldForm }, { onlyFilled: true })
    if ('problem' in checked) {
      setError(new ApiError(400, 'validation', checked.problem))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const customFields = Object.keys(checked.values).length > 0 ? checked.values : undefined
      const ticket = await call<Ticket>('/tickets', { method: 'POST', body: { subject: subject.trim(), body, requester: { email: me.user.email }, ...(customFields && { customFields }) } })
      navigate(`/tickets/${ticket.number}`)
    } catch (err) {
      setError(fieldError(err, fields))
      setBusy(false)
    }
  }
  return (
    <form className="card" onSubmit={(e) => void submit(e)} noValidate>
      {error && <ErrorNote error={error} />}
      <label className="field">
        <span>{t('ask.subject')}</span>
        <input type="text" value={subject} maxLength={200} required onInput={(e) => setSubject((e.target as HTMLInputElement).value)} />
      </label>
      <label className="field">
        <span>{t('ask.body')}</span>
        <textarea rows={6} value={body} required onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
      </label>
      <FieldInputs fields={fields} form={{ ...formOf(fields), ...fieldForm }} idPrefix="new-field" onChange={(key, value) => setFieldForm((f) => ({ ...f, [key]: value }))} />
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {t('ask.send')}
      </button>
    </form>
  )
}
