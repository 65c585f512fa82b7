import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { TICKET_FIELD_TYPES, type TicketField, type TicketFieldType } from '../../../shared/api/ticket-fields.js'
import { TICKET_STATUSES } from '../../../shared/api/tickets.js'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { useDepartments } from '../DeskSelects.js'
import { fieldLabel, ticketFieldsApi, useTicketFields } from '../ticketFields.js'
import { ScreenHead } from './ScreenHead.js'

/** Beheer → Ticketvelden: fields administrators add to tickets (vrije velden). */
export function TicketFields() {
  const { t, i18n } = useTranslation()
  const fields = useTicketFields()
  const departments = useDepartments()
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState<TicketField | 'new' | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)

  const toggle = async (f: TicketField) => {
    setError(null)
    try {
      await ticketFieldsApi.update(f.id, { active: !f.active })
      await queryClient.invalidateQueries({ queryKey: ['ticket-fields'] })
      setNotice(t('beheer.saved', { name: fieldLabel(f, i18n.language) }))
    } catch (err) {
      setError(err)
    }
  }

  return (
    <div className="beheer">
      <ScreenHead title={t('customFields.title')} notice={notice}>
        {editing === null && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('customFields.add')}
          </button>
        )}
      </ScreenHead>
      <p className="muted">{t('customFields.intro')}</p>
      {editing !== null && (
        <FieldEditor
          key={editing === 'new' ? 'new' : editing.id}
          field={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null)
            setNotice(message)
          }}
        />
      )}
      <ErrorNote error={fields.error ?? error} onRetry={() => void fields.refetch()} />
      {fields.data?.length === 0 && <p className="empty">{t('customFields.none')}</p>}
      <ul className="admin-list" aria-label={t('customFields.title')}>
        {fields.data?.map((f) => (
          <li key={f.id} className="panel" data-field={f.key}>
            <h2 className="admin-item-title">
              {fieldLabel(f, i18n.language)} {!f.active && <span className="badge">{t('customFields.inactive')}</span>}
            </h2>
            <p className="muted small">
              <span className="mono">{f.key}</span> · {t(`customFields.types.${f.type}`)} · {t(`customFields.${f.visibility}`)}
              {f.requiredStatuses.length > 0 && <> · {t('customFields.requiredIn')}: {f.requiredStatuses.map((s) => t(`status.${s}`)).join(', ')}</>}
              {f.departmentIds.length > 0 && <> · {f.departmentIds.map((id) => departments.data?.find((d) => d.id === id)?.name ?? id).join(', ')}</>}
            </p>
            <div className="row wrap">
              <button type="button" className="btn" onClick={() => setEditing(f)} aria-label={t('beheer.editNamed', { name: fieldLabel(f, i18n.language) })}>
                {t('customFields.edit')}
              </button>
              <button type="button" className="btn" onClick={() => void toggle(f)}>
                {f.active ? t('customFields.off') : t('customFields.on')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

const optionsText = (f: TicketField | null) => (f?.options ?? []).map((o) => `${o.value} = ${o.labelNl}${o.labelEn !== o.labelNl ? ` / ${o.labelEn}` : ''}`).join('\n')
/** "goud = Goud / Gold" per line: value, Dutch name, English name (the Dutch one when left out). */
const parseOptions = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((line) => {
      const [value, names = ''] = line.split('=').map((x) => x.trim())
      const [nl, en] = names.split('/').map((x) => x.trim())
      return { value, labelNl: nl || value, labelEn: en || nl || value }
    })

function FieldEditor({ field, onDone }: { field: TicketField | null; onDone: (message: string | null) => void }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const departments = useDepartments()
  const [key, setKey] = useState(field?.key ?? '')
  const [type, setType] = useState<TicketFieldType>(field?.type ?? 'text')
  const [labelNl, setLabelNl] = useState(field?.labelNl ?? '')
  const [labelEn, setLabelEn] = useState(field?.labelEn ?? '')
  const [options, setOptions] = useState(optionsText(field))
  const [required, setRequired] = useState<string[]>(field?.requiredStatuses ?? [])
  const [departmentIds, setDepartmentIds] = useState<string[]>(field?.departmentIds ?? [])
  const [visibility, setVisibility] = useState<'internal' | 'public'>(field?.visibility ?? 'internal')
  const [customerEditable, setCustomerEditable] = useState(field?.customerEditable ?? false)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const choice = type === 'choice' || type === 'multi_choice'
  const toggle = (list: string[], value: string, on: boolean) => (on ? [...list, value] : list.filter((x) => x !== value))

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const common = {
        labelNl,
        labelEn,
        options: choice ? parseOptions(options) : [],
        requiredStatuses: TICKET_STATUSES.filter((s) => required.includes(s)),
        departmentIds,
        visibility,
        customerEditable: visibility === 'public' && customerEditable,
      }
      const saved = field ? await ticketFieldsApi.update(field.id, common) : await ticketFieldsApi.create({ key, type, ...common })
      await queryClient.invalidateQueries({ queryKey: ['ticket-fields'] })
      onDone(field ? t('beheer.saved', { name: fieldLabel(saved, i18n.language) }) : t('customFields.created'))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-label={field ? t('beheer.editNamed', { name: fieldLabel(field, i18n.language) }) : t('customFields.add')}>
      <Field id="tf-label-nl" label={t('customFields.labelNl')}>
        <input id="tf-label-nl" value={labelNl} onChange={(e) => setLabelNl(e.target.value)} required maxLength={100} autoFocus />
      </Field>
      <Field id="tf-label-en" label={t('customFields.labelEn')}>
        <input id="tf-label-en" value={labelEn} onChange={(e) => setLabelEn(e.target.value)} required maxLength={100} />
      </Field>
      <Field id="tf-key" label={t('customFields.key')} hint={t('customFields.keyHint')}>
        <input id="tf-key" value={key} onChange={(e) => setKey(e.target.value)} required pattern="[a-z][a-z0-9_]*" maxLength={40} disabled={!!field} aria-describedby="tf-key-hint" className="mono" />
      </Field>
      <Field id="tf-type" label={t('customFields.type')}>
        <select id="tf-type" value={type} onChange={(e) => setType(e.target.value as TicketFieldType)} disabled={!!field}>
          {TICKET_FIELD_TYPES.map((ty) => (
            <option key={ty} value={ty}>
              {t(`customFields.types.${ty}`)}
            </option>
          ))}
        </select>
      </Field>
      {choice && (
        <Field id="tf-options" label={t('customFields.options')} hint={t('customFields.optionsHint')}>
          <textarea id="tf-options" rows={4} value={options} onChange={(e) => setOptions(e.target.value)} required aria-describedby="tf-options-hint" />
        </Field>
      )}
      <fieldset>
        <legend>{t('customFields.requiredIn')}</legend>
        {TICKET_STATUSES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={required.includes(s)} onChange={(e) => setRequired(toggle(required, s, e.target.checked))} /> {t(`status.${s}`)}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t('customFields.departments')}</legend>
        {departments.data?.map((d) => (
          <label key={d.id} className="check">
            <input type="checkbox" checked={departmentIds.includes(d.id)} onChange={(e) => setDepartmentIds(toggle(departmentIds, d.id, e.target.checked))} /> {d.name}
          </label>
        ))}
      </fieldset>
      <Field id="tf-visibility" label={t('customFields.visibility')}>
        <select id="tf-visibility" value={visibility} onChange={(e) => setVisibility(e.target.value as 'internal' | 'public')}>
          <option value="internal">{t('customFields.internal')}</option>
          <option value="public">{t('customFields.public')}</option>
        </select>
      </Field>
      {visibility === 'public' && (
        <label className="check">
          <input type="checkbox" checked={customerEditable} onChange={(e) => setCustomerEditable(e.target.checked)} /> <span>{t('customFields.customerEditable')}</span>
        </label>
      )}
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common.saving') : t('customFields.saveField')}
        </button>
        <button type="button" className="btn" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
