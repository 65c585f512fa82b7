/** @jsxImportSource preact */
import { useState } from 'preact/hooks'
import type { TicketField } from '../../shared/api/ticket-fields.js'
import type { CustomFieldValue, CustomFieldValues } from '../../shared/api/tickets.js'
import { ApiError, call, type Ticket } from './api.js'
import { language, t, useLanguage } from './i18n.js'
import { ErrorNote, errorFrom } from './Page.js'
import { useResource } from './useResource.js'

/**
 * Ticket fields in the portal. The server gives a customer only the fields an administrator made visible to
 * customers (GET /ticket-fields); those marked "customers may fill in" are asked in the new-question form
 * and can be changed on the customer's own ticket; the others are shown, read-only. A field that points
 * at a customer or an organisation is never asked here (a customer cannot look those up).
 */
export const usePublicFields = () => useResource('ticket-fields', async (signal) => (await call<{ items: TicketField[] }>('/ticket-fields', { signal })).items)

const ASKABLE = new Set(['text', 'number', 'date', 'choice', 'multi_choice', 'yes_no'])
export const askable = (fields: readonly TicketField[]) => fields.filter((f) => f.customerEditable && ASKABLE.has(f.type))
const label = (f: TicketField) => (language() === 'en' ? f.labelEn : f.labelNl)
/** Asked when a new question is sent: required in status "new" for every department (a department's own fields the desk completes). */
const requiredNew = (f: TicketField) => f.requiredStatuses.includes('new') && f.departmentIds.length === 0

/** What the form holds per field: text for most, the chosen values for multi-choice, 'true'/'false'/'' for yes/no. */
export type FieldForm = Record<string, string | string[]>

export const formOf = (fields: readonly TicketField[], values: CustomFieldValues = {}): FieldForm =>
  Object.fromEntries(
    fields.map((f) => {
      const v = values[f.key]
      if (f.type === 'multi_choice') return [f.key, Array.isArray(v) ? v : []]
      return [f.key, v === undefined || v === null ? '' : String(v)]
    }),
  )

/** The form's values as the API takes them, or the first field that is wrong (a Dutch or English message). */
export function valuesOf(fields: readonly TicketField[], form: FieldForm, opts: { onlyFilled: boolean }): { values: CustomFieldValues } | { problem: string } {
  const values: CustomFieldValues = {}
  for (const f of fields) {
    const raw = form[f.key]
    const empty = raw === undefined || raw === '' || (Array.isArray(raw) && raw.length === 0)
    if (empty) {
      if (opts.onlyFilled && requiredNew(f)) return { problem: t('fields.required', { label: label(f) }) }
      if (!opts.onlyFilled) values[f.key] = null
      continue
    }
    let v: CustomFieldValue
    if (f.type === 'multi_choice') v = raw as string[]
    else if (f.type === 'number') {
      const n = Number(String(raw).trim().replace(',', '.'))
      if (!Number.isFinite(n)) return { problem: t('fields.notNumber', { label: label(f) }) }
      v = n
    } else if (f.type === 'yes_no') v = raw === 'true'
    else v = String(raw).trim()
    values[f.key] = v
  }
  return { values }
}

/** A field the server refused (422 naming customFields.<key>), said in the reader's language. */
export function fieldError(err: unknown, fields: readonly TicketField[]): ApiError {
  const error = errorFrom(err)
  const named = (error.body.errors as { field?: string }[] | undefined)?.[0]?.field
  const field = named?.startsWith('customFields.') && fields.find((f) => `customFields.${f.key}` === named)
  return field ? new ApiError(error.status, error.code, t('fields.invalid', { label: label(field) }), error.body) : error
}

/** The inputs of the fields open to the customer. */
export function FieldInputs({ fields, form, onChange, idPrefix }: { fields: readonly TicketField[]; form: FieldForm; onChange: (key: string, value: string | string[]) => void; idPrefix: string }) {
  useLanguage()
  return (
    <>
      {fields.map((f) => {
        const id = `${idPrefix}-${f.key}`
        const marker = <span className="muted"> {requiredNew(f) ? t('request.required') : t('request.optional')}</span>
        const value = form[f.key] ?? ''
        if (f.type === 'choice' || f.type === 'yes_no' || f.type === 'multi_choice') {
          const options = f.type === 'yes_no' ? [{ value: 'true', text: t('request.yes') }, { value: 'false', text: t('request.no') }] : f.options.map((o) => ({ value: o.value, text: language() === 'en' ? o.labelEn : o.labelNl }))
          const multi = f.type === 'multi_choice'
          const chosen = Array.isArray(value) ? value : [value]
          return (
            <fieldset key={f.key} className="field choice" id={id}>
              <legend>
                {label(f)}
                {marker}
              </legend>
              {options.map((o) => (
                <label key={o.value} className="option">
                  <input
                    type={multi ? 'checkbox' : 'radio'}
                    name={id}
                    value={o.value}
                    checked={chosen.includes(o.value)}
                    onChange={(e) => {
                      const on = (e.target as HTMLInputElement).checked
                      onChange(f.key, multi ? (on ? [...chosen, o.value] : chosen.filter((c) => c !== o.value)) : o.value)
                    }}
                  />
                  {o.text}
                </label>
              ))}
            </fieldset>
          )
        }
        return (
          <div key={f.key} className="field">
            <label htmlFor={id}>
              <span className="field-label">
                {label(f)}
                {marker}
              </span>
            </label>
            <input
              id={id}
              type={f.type === 'date' ? 'date' : 'text'}
              inputMode={f.type === 'number' ? 'decimal' : undefined}
              aria-required={requiredNew(f)}
              value={String(value)}
              maxLength={f.type === 'text' ? 2000 : undefined}
              onInput={(e) => onChange(f.key, (e.target as HTMLInputElement).value)}
            />
          </div>
        )
      })}
    </>
  )
}

/** A value as the customer reads it: option labels, Ja/Nee, a date in their language. */
function shown(f: TicketField, v: CustomFieldValue): string {
  const optionText = (value: string) => {
    const o = f.options.find((x) => x.value === value)
    return o ? (language() === 'en' ? o.labelEn : o.labelNl) : value
  }
  if (Array.isArray(v)) return v.map(optionText).join(', ')
  if (typeof v === 'boolean') return v ? t('request.yes') : t('request.no')
  if (f.type === 'choice') return optionText(String(v))
  if (f.type === 'date' && typeof v === 'string') return new Intl.DateTimeFormat(language() === 'en' ? 'en-GB' : 'nl-NL', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${v}T00:00:00Z`))
  return String(v)
}

/**
 * The fields on the customer's own ticket: every visible field that has a value, and the ones open to them;
 * "Wijzigen" lets them change those while the ticket is not closed (saved with the version shown, so a
 * change by the desk in between is not overwritten).
 */
export function TicketFieldsSection({ ticket, mayEdit, onSaved }: { ticket: Ticket; mayEdit: boolean; onSaved: () => void }) {
  useLanguage()
  const fields = usePublicFields()
  const [form, setForm] = useState<FieldForm | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const all = (fields.data ?? []).filter((f) => f.departmentIds.length === 0 || (ticket.departmentId !== null && f.departmentIds.includes(ticket.departmentId)))
  const editable = mayEdit ? askable(all) : []
  const withValue = all.filter((f) => ticket.customFields[f.key] !== undefined && ticket.customFields[f.key] !== null && (f.type !== 'customer' && f.type !== 'organisation'))
  if (withValue.length === 0 && editable.length === 0) return null

  const save = async (e: Event) => {
    e.preventDefault()
    if (!form) return
    const checked = valuesOf(editable, form, { onlyFilled: false })
    if ('problem' in checked) {
      setError(new ApiError(400, 'validation', checked.problem))
      return
    }
    setBusy(true)
    setError(null)
    try {
      await call<Ticket>(`/tickets/${ticket.id}`, { method: 'PATCH', body: { customFields: checked.values }, headers: { 'if-match': `"${ticket.version}"` } })
      setForm(null)
      onSaved()
    } catch (err) {
      setError(err instanceof ApiError && err.status === 412 ? new ApiError(412, 'stale', t('fields.stale')) : fieldError(err, editable))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="ticket-fields" aria-labelledby="ticket-fields-title">
      <h2 id="ticket-fields-title" className="section-title">
        {t('fields.title')}
      </h2>
      {form ? (
        <form className="card" onSubmit={(e) => void save(e)} noValidate>
          {error && <ErrorNote error={error} />}
          <FieldInputs fields={editable} form={form} idPrefix="ticket-field" onChange={(key, value) => setForm((f) => ({ ...f, [key]: value }))} />
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {t('fields.save')}
          </button>{' '}
          <button type="button" className="btn" onClick={() => setForm(null)}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <>
          {withValue.length > 0 ? (
            <dl className="field-values">
              {withValue.map((f) => (
                <div key={f.key}>
                  <dt>{label(f)}</dt>
                  <dd>{shown(f, ticket.customFields[f.key]!)}</dd>
                </div>
              ))}
            </dl>
          ) : (
            <p className="muted">{t('fields.none')}</p>
          )}
          {editable.length > 0 && (
            <button type="button" className="btn" onClick={() => setForm(formOf(editable, ticket.customFields))}>
              {t('fields.edit')}
            </button>
          )}
        </>
      )}
    </section>
  )
}
