/** @jsxImportSource preact */
import { useRef, useState } from 'preact/hooks'
import type { CatalogField, CatalogItem } from '../../shared/api/catalogue.js'
import { type FieldProblem, formProblems, type FormValues, visibleFields } from '../../shared/catalogue-form.js'
import { ApiError, call } from './api.js'
import { t } from './i18n.js'
import { Link } from './Link.js'
import { ErrorNote, errorFrom, PageHeading } from './Page.js'
import { navigate } from './router.js'
import { useResource } from './useResource.js'

/**
 * An item's form. Fields that depend on another appear once it has (that) value; files are uploaded to
 * the new ticket right after it is made, and sent as one message.
 */
export function RequestForm({ itemId }: { itemId: string }) {
  const item = useResource(`item:${itemId}`, (signal) => call<CatalogItem>(`/catalog/items/${encodeURIComponent(itemId)}`, { signal }))
  if (item.error) return <ErrorNote error={item.error} />
  if (!item.data) return <p aria-busy="true">{t('common.loading')}</p>
  return <Form item={item.data} />
}

function Form({ item }: { item: CatalogItem }) {
  const [values, setValues] = useState<FormValues>({})
  const files = useRef(new Map<string, File>())
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [misfit, setMisfit] = useState(false)
  const summary = useRef<HTMLDivElement>(null)

  const set = (key: string, value: string | boolean | undefined) => {
    // A question the customer answers again is no longer listed as a problem; sending checks them all anew.
    setProblems((current) => (current.some((p) => p.key === key) ? current.filter((p) => p.key !== key) : current))
    setValues((current) => {
      const next = { ...current }
      if (value === undefined || value === '') delete next[key]
      else next[key] = value
      return next
    })
  }

  const submit = async (e: Event) => {
    e.preventDefault()
    const found = formProblems(item.fields, values)
    setProblems(found)
    if (found.length > 0) {
      setTimeout(() => summary.current?.focus())
      return
    }
    setBusy(true)
    setError(null)
    try {
      const shown = new Set(visibleFields(item.fields, values).map((f) => f.key))
      const sent = Object.fromEntries(Object.entries(values).filter(([key]) => shown.has(key)))
      const ticket = await call<{ id: string; number: string }>(`/catalog/items/${item.id}/requests`, { method: 'POST', body: { values: sent } })
      const attached = [...files.current].filter(([key]) => shown.has(key))
      if (attached.length > 0) {
        const attachmentIds: string[] = []
        for (const [, file] of attached) {
          attachmentIds.push((await call<{ id: string }>(`/tickets/${ticket.id}/attachments?filename=${encodeURIComponent(file.name)}`, { method: 'POST', file })).id)
        }
        await call(`/tickets/${ticket.id}/articles`, { method: 'POST', body: { body: t('request.filesMessage'), visibility: 'public', attachmentIds } })
      }
      navigate(`/tickets/${ticket.number}`)
    } catch (err) {
      const misfits = answersThatDoNotFit(err)
      if (misfits.length > 0) {
        setProblems(misfits)
        setTimeout(() => summary.current?.focus())
      } else setError(errorFrom(err))
      setBusy(false)
    }
  }

  const reportMisfit = () => {
    setMisfit(true)
    call(`/catalog/items/${item.id}/misfits`, { method: 'POST' }).catch(() => {})
  }

  const problemOf = (key: string) => problems.find((p) => p.key === key)
  const shown = visibleFields(item.fields, values)
  return (
    <section>
      <p className="crumbs">
        <Link to="/aanvragen">{t('nav.catalogue')}</Link>
      </p>
      <PageHeading title={item.title} />
      {item.description && <p>{item.description}</p>}
      <form className="card" onSubmit={(e) => void submit(e)} noValidate>
        <div ref={summary} tabIndex={-1}>
          {problems.length > 0 && (
            <div className="note note-error" role="alert">
              <p>{t('request.problems')}</p>
              <ul>
                {problems.map((p) => (
                  <li key={p.key}>
                    <a href={`#field-${p.key}`}>{item.fields.find((f) => f.key === p.key)?.label}</a>: {t(`request.problem.${p.problem}`)}
                  </li>
                ))}
              </ul>
            </div>
          )}
        </div>
        {error && <ErrorNote error={error} />}
        {shown.map((field) => (
          <FieldInput
            key={field.key}
            field={field}
            value={values[field.key]}
            problem={problemOf(field.key)}
            onValue={(v) => set(field.key, v)}
            onFile={(file) => {
              if (file) files.current.set(field.key, file)
              else files.current.delete(field.key)
              set(field.key, file?.name)
            }}
          />
        ))}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('reply.sending') : t('request.send')}
        </button>
      </form>
      <div className="misfit" aria-live="polite">
        {misfit ? (
          <p>
            {t('request.misfitThanks')} <Link to="/vraag">{t('nav.ask')}</Link> · <Link to="/aanvragen">{t('nav.catalogue')}</Link>
          </p>
        ) : (
          <button type="button" className="btn btn-link" onClick={reportMisfit}>
            {t('request.misfit')}
          </button>
        )}
      </div>
    </section>
  )
}

/** The answers the server could not put into the ticket fields they are mapped to, said next to their questions. */
function answersThatDoNotFit(err: unknown): FieldProblem[] {
  if (!(err instanceof ApiError) || err.code !== 'answer_does_not_fit' || !Array.isArray(err.body.errors)) return []
  return (err.body.errors as { field?: unknown; expected?: unknown }[]).flatMap(({ field, expected }) =>
    typeof field === 'string' && field.startsWith('values.')
      ? [{ key: field.slice('values.'.length), problem: expected === 'number' ? 'number' : expected === 'option' ? 'option' : 'fit' } as FieldProblem]
      : [],
  )
}

function FieldInput({ field, value, problem, onValue, onFile }: { field: CatalogField; value: string | boolean | undefined; problem?: FieldProblem; onValue: (v: string | boolean | undefined) => void; onFile: (file: File | undefined) => void }) {
  const id = `field-${field.key}`
  const described = [field.help && `${id}-help`, problem && `${id}-error`].filter(Boolean).join(' ') || undefined
  const label = (
    <>
      {field.label}
      <span className="muted"> {field.required ? t('request.required') : t('request.optional')}</span>
    </>
  )
  const extra = (
    <>
      {field.help && (
        <span id={`${id}-help`} className="help muted">
          {field.help}
        </span>
      )}
      {problem && (
        <span id={`${id}-error`} className="field-error">
          {t(`request.problem.${problem.problem}`)}
        </span>
      )}
    </>
  )
  const common = { id, 'aria-describedby': described, 'aria-invalid': problem ? true : undefined, 'aria-required': field.required }
  if (field.type === 'choice' || field.type === 'yesno') {
    const options = field.type === 'yesno' ? [{ value: true, text: t('request.yes') }, { value: false, text: t('request.no') }] : (field.options ?? []).map((o) => ({ value: o, text: o }))
    return (
      <fieldset className="field choice" id={id} aria-describedby={described}>
        <legend>{label}</legend>
        {options.map((o) => (
          <label key={String(o.value)} className="option">
            <input type="radio" name={field.key} checked={value === o.value} onChange={() => onValue(o.value)} aria-invalid={problem ? true : undefined} />
            {o.text}
          </label>
        ))}
        {extra}
      </fieldset>
    )
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        <span className="field-label">{label}</span>
      </label>
      {field.type === 'longtext' ? (
        <textarea {...common} rows={5} value={String(value ?? '')} onInput={(e) => onValue((e.target as HTMLTextAreaElement).value)} />
      ) : field.type === 'file' ? (
        <input {...common} type="file" onChange={(e) => onFile((e.target as HTMLInputElement).files?.[0])} />
      ) : (
        <input {...common} type={field.type === 'date' ? 'date' : 'text'} value={String(value ?? '')} onInput={(e) => onValue((e.target as HTMLInputElement).value)} />
      )}
      {extra}
    </div>
  )
}
