import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import type { CreateTicketFieldBody, TicketField, UpdateTicketFieldBody } from '../../shared/api/ticket-fields.js'
import type { CustomFieldValue, CustomFieldValues, Ticket } from '../../shared/api/tickets.js'
import { get, request } from './api.js'

export const ticketFieldsApi = {
  list: () => get<{ items: TicketField[] }>('/ticket-fields').then((r) => r.items),
  create: (body: CreateTicketFieldBody) => request<TicketField>('/ticket-fields', { method: 'POST', body }).then((r) => r.data),
  update: (id: string, body: UpdateTicketFieldBody) => request<TicketField>(`/ticket-fields/${encodeURIComponent(id)}`, { method: 'PATCH', body }).then((r) => r.data),
  remove: (id: string) => request<void>(`/ticket-fields/${encodeURIComponent(id)}`, { method: 'DELETE' }),
}

export const useTicketFields = () => useQuery({ queryKey: ['ticket-fields'], queryFn: ticketFieldsApi.list, staleTime: 60_000 })

/** The fields a ticket shows: switched on, and for its department (or for all). */
export const fieldsFor = (fields: readonly TicketField[], ticket: Pick<Ticket, 'departmentId'>) =>
  fields.filter((f) => f.active && (f.departmentIds.length === 0 || (ticket.departmentId !== null && f.departmentIds.includes(ticket.departmentId))))

/** A field's value as the form holds it: text; several options joined by newlines; yes/no as 'true', 'false' or ''. */
export const formValue = (v: CustomFieldValue | undefined): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join('\n') : String(v))

/** The form's text back as the field's typed value (null empties it). */
export function typedValue(field: TicketField, text: string): CustomFieldValue {
  if (text === '') return null
  switch (field.type) {
    case 'number': return Number(text.replace(',', '.'))
    case 'yes_no': return text === 'true'
    case 'multi_choice': return text.split('\n').filter(Boolean)
    default: return text
  }
}

/** The fields whose form text differs from the ticket's values, as a PATCH's customFields. */
export function changedValues(fields: readonly TicketField[], form: Record<string, string>, values: CustomFieldValues): CustomFieldValues | undefined {
  const changed: CustomFieldValues = {}
  for (const f of fields) {
    if (!(f.key in form)) continue
    if (form[f.key] !== formValue(values[f.key])) changed[f.key] = typedValue(f, form[f.key])
  }
  return Object.keys(changed).length ? changed : undefined
}

export const fieldLabel = (f: TicketField, language: string) => (language === 'en' ? f.labelEn : f.labelNl)

/** One input per field, by type; `required` marks the fields the chosen status asks for. */
export function CustomFieldInputs({ fields, form, onChange, status }: { fields: readonly TicketField[]; form: Record<string, string>; onChange: (key: string, text: string) => void; status: string }) {
  const { t, i18n } = useTranslation()
  return (
    <>
      {fields.map((f) => {
        const id = `cf-${f.key}`
        const value = form[f.key] ?? ''
        const required = f.requiredStatuses.includes(status as never)
        const label = (
          <label htmlFor={id}>
            {fieldLabel(f, i18n.language)}
            {required && <span className="muted small"> ({t('customFields.required', { status: t(`status.${status}`) })})</span>}
          </label>
        )
        const optionLabel = (o: TicketField['options'][number]) => (i18n.language === 'en' ? o.labelEn : o.labelNl)
        switch (f.type) {
          case 'choice':
          case 'yes_no':
            return (
              <div key={f.key} className="custom-field">
                {label}
                <select id={id} value={value} onChange={(e) => onChange(f.key, e.target.value)} data-field={f.key}>
                  <option value="">{t('fields.empty')}</option>
                  {f.type === 'yes_no' ? (
                    <>
                      <option value="true">{t('common.yes')}</option>
                      <option value="false">{t('common.no')}</option>
                    </>
                  ) : (
                    f.options.map((o) => (
                      <option key={o.value} value={o.value}>
                        {optionLabel(o)}
                      </option>
                    ))
                  )}
                </select>
              </div>
            )
          case 'multi_choice': {
            const chosen = new Set(value.split('\n').filter(Boolean))
            return (
              <fieldset key={f.key} className="custom-field" data-field={f.key}>
                <legend>{fieldLabel(f, i18n.language)}</legend>
                {f.options.map((o) => (
                  <label key={o.value} className="check">
                    <input
                      type="checkbox"
                      checked={chosen.has(o.value)}
                      onChange={(e) => {
                        const next = new Set(chosen)
                        if (e.target.checked) next.add(o.value)
                        else next.delete(o.value)
                        onChange(f.key, f.options.map((x) => x.value).filter((v) => next.has(v)).join('\n'))
                      }}
                    />{' '}
                    {optionLabel(o)}
                  </label>
                ))}
              </fieldset>
            )
          }
          default:
            return (
              <div key={f.key} className="custom-field">
                {label}
                <input
                  id={id}
                  data-field={f.key}
                  type={f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text'}
                  step={f.type === 'number' ? 'any' : undefined}
                  value={value}
                  placeholder={f.type === 'customer' || f.type === 'organisation' ? t(f.type === 'customer' ? 'customFields.customerId' : 'customFields.organisationId') : undefined}
                  onChange={(e) => onChange(f.key, e.target.value)}
                />
              </div>
            )
        }
      })}
    </>
  )
}
