import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CatalogField, FieldType } from '../../../shared/api/catalogue.js'
import { FIELD_TYPES, TICKET_FIELD_FITS } from '../../../shared/catalogue-form.js'
import { errorText } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { api } from '../api.js'
import { fieldLabel, useTicketFields } from '../ticketFields.js'
import { catalogueApi, type CatalogItem, type CatalogItemBody } from './catalogueApi.js'

/**
 * The service catalogue for administrators: themes and items, each item's form (fields, conditions),
 * the group it routes to, its fulfilment steps, and how often customers said it did not fit.
 */
export function CatalogueEditor() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const categories = useQuery({ queryKey: ['catalog', 'categories'], queryFn: ({ signal }) => catalogueApi.categories(signal) })
  const items = useQuery({ queryKey: ['catalog', 'items'], queryFn: ({ signal }) => catalogueApi.items(signal) })
  const groups = useQuery({ queryKey: ['groups'], queryFn: api.groups })
  const [editing, setEditing] = useState<CatalogItem | 'new' | null>(null)
  const [categoryName, setCategoryName] = useState('')
  const [error, setError] = useState<unknown>(null)
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['catalog'] })

  const addCategory = async (e: FormEvent) => {
    e.preventDefault()
    setError(null)
    try {
      await catalogueApi.createCategory({ name: categoryName.trim() })
      setCategoryName('')
      refresh()
    } catch (err) {
      setError(err)
    }
  }

  if (editing && categories.data && groups.data)
    return (
      <ItemForm
        item={editing === 'new' ? null : editing}
        categories={categories.data}
        groups={groups.data}
        onDone={() => {
          setEditing(null)
          refresh()
        }}
      />
    )

  const groupName = new Map((groups.data ?? []).map((g) => [g.id, g.name]))
  return (
    <section className="catalogue-editor" aria-labelledby="catalogue-title">
      <h2 id="catalogue-title">{t('catalogue.title')}</h2>
      <p className="muted">{t('catalogue.intro')}</p>
      {error !== null && <p role="alert" className="error">{errorText(error, t)}</p>}
      <p>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} disabled={!categories.data?.length}>
          {t('catalogue.newItem')}
        </button>
      </p>
      {(categories.data ?? []).map((category) => {
        const inCategory = (items.data ?? []).filter((i) => i.categoryId === category.id)
        return (
          <section key={category.id} aria-labelledby={`catalogue-cat-${category.id}`}>
            <h3 id={`catalogue-cat-${category.id}`}>{category.name}</h3>
            {inCategory.length === 0 ? (
              <p className="muted small">{t('catalogue.emptyCategory')}</p>
            ) : (
              <table className="catalogue-table">
                <thead>
                  <tr>
                    <th scope="col">{t('catalogue.item')}</th>
                    <th scope="col">{t('catalogue.group')}</th>
                    <th scope="col">{t('catalogue.fields')}</th>
                    <th scope="col">{t('catalogue.stepsCount')}</th>
                    <th scope="col">{t('catalogue.misfits')}</th>
                    <th scope="col"><span className="visually-hidden">{t('catalogue.edit')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {inCategory.map((item) => (
                    <tr key={item.id}>
                      <td>
                        {item.title}
                        {!item.active && <span className="muted small"> ({t('catalogue.inactive')})</span>}
                      </td>
                      <td>{groupName.get(item.groupId) ?? '—'}</td>
                      <td>{item.fields.length}</td>
                      <td>{item.steps.length}</td>
                      <td>{item.misfits ?? 0}</td>
                      <td>
                        <button type="button" className="btn btn-small" onClick={() => setEditing(item)} aria-label={`${t('catalogue.edit')}: ${item.title}`}>
                          {t('catalogue.edit')}
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )
      })}
      <form onSubmit={(e) => void addCategory(e)} className="catalogue-new-category">
        <Field id="catalogue-category-name" label={t('catalogue.newCategory')}>
          <input id="catalogue-category-name" value={categoryName} onChange={(e) => setCategoryName(e.target.value)} maxLength={100} required />
        </Field>
        <button type="submit" className="btn">{t('catalogue.addCategory')}</button>
      </form>
    </section>
  )
}

const keyOf = (label: string, taken: Set<string>) => {
  const base = label.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').replace(/^(\d)/, 'v$1').slice(0, 30) || 'veld'
  let key = base
  for (let n = 2; taken.has(key); n++) key = `${base}_${n}`
  return key
}

function ItemForm({ item, categories, groups, onDone }: { item: CatalogItem | null; categories: { id: string; name: string }[]; groups: { id: string; name: string }[]; onDone: () => void }) {
  const { t, i18n } = useTranslation()
  const ticketFields = useTicketFields()
  const [categoryId, setCategoryId] = useState(item?.categoryId ?? categories[0]?.id ?? '')
  const [title, setTitle] = useState(item?.title ?? '')
  const [description, setDescription] = useState(item?.description ?? '')
  const [groupId, setGroupId] = useState(item?.groupId ?? groups[0]?.id ?? '')
  const [active, setActive] = useState(item?.active ?? true)
  const [fields, setFields] = useState<CatalogField[]>(item?.fields ?? [])
  const [steps, setSteps] = useState((item?.steps ?? []).join('\n'))
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  // A new field's key follows its question; a saved field keeps its key, which earlier requests' answers carry.
  const savedKeys = new Set((item?.fields ?? []).map((f) => f.key))
  const change = (i: number, patch: Partial<CatalogField>) =>
    setFields((all) =>
      all.map((f, j) => {
        if (j !== i) return f
        const next = { ...f, ...patch }
        if (patch.label !== undefined && !savedKeys.has(f.key)) next.key = keyOf(patch.label, new Set(all.filter((_, k) => k !== i).map((o) => o.key)))
        return next
      }),
    )
  const addField = () => setFields((all) => [...all, { key: keyOf(t('catalogue.newField'), new Set(all.map((f) => f.key))), label: t('catalogue.newField'), type: 'text', required: false }])

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    const body: CatalogItemBody = {
      categoryId,
      title,
      description,
      groupId,
      active,
      fields: fields.map((f) => ({
        ...f,
        options: f.type === 'choice' ? (f.options ?? []).filter(Boolean) : undefined,
        showWhen: f.showWhen?.field ? f.showWhen : undefined,
        ticketField: f.ticketField && f.type !== 'file' ? f.ticketField : undefined,
      })),
      steps: steps.split('\n').map((s) => s.trim()).filter(Boolean),
    }
    try {
      if (item) await catalogueApi.updateItem(item.id, body)
      else await catalogueApi.createItem(body)
      onDone()
    } catch (err) {
      setError(err)
      setBusy(false)
    }
  }

  return (
    <form className="catalogue-item-form" onSubmit={(e) => void save(e)} aria-labelledby="catalogue-item-title">
      <h2 id="catalogue-item-title">{item ? t('catalogue.editItem', { title: item.title }) : t('catalogue.newItem')}</h2>
      {error !== null && <p role="alert" className="error">{errorText(error, t)}</p>}
      <Field id="ci-title" label={t('catalogue.itemTitle')}>
        <input id="ci-title" value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </Field>
      <Field id="ci-description" label={t('catalogue.description')}>
        <textarea id="ci-description" value={description} onChange={(e) => setDescription(e.target.value)} rows={2} maxLength={2000} />
      </Field>
      <Field id="ci-category" label={t('catalogue.category')}>
        <select id="ci-category" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
          {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
      </Field>
      <Field id="ci-group" label={t('catalogue.routesTo')} hint={t('catalogue.routesToHint')}>
        <select id="ci-group" value={groupId} onChange={(e) => setGroupId(e.target.value)} aria-describedby="ci-group-hint">
          {groups.map((g) => <option key={g.id} value={g.id}>{g.name}</option>)}
        </select>
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} /> {t('catalogue.active')}
      </label>

      <fieldset className="catalogue-fields">
        <legend>{t('catalogue.form')}</legend>
        {fields.map((field, i) => (
          <div key={i} className="catalogue-field" role="group" aria-label={t('catalogue.fieldN', { n: i + 1 })}>
            <Field id={`cf-${i}-label`} label={t('catalogue.fieldLabel')}>
              <input id={`cf-${i}-label`} value={field.label} onChange={(e) => change(i, { label: e.target.value })} required maxLength={200} />
            </Field>
            <Field id={`cf-${i}-type`} label={t('catalogue.fieldType')}>
              <select id={`cf-${i}-type`} value={field.type} onChange={(e) => change(i, { type: e.target.value as FieldType })}>
                {FIELD_TYPES.map((type) => <option key={type} value={type}>{t(`catalogue.types.${type}`)}</option>)}
              </select>
            </Field>
            {field.type === 'choice' && (
              <Field id={`cf-${i}-options`} label={t('catalogue.options')} hint={t('catalogue.optionsHint')}>
                <textarea id={`cf-${i}-options`} rows={3} value={(field.options ?? []).join('\n')} onChange={(e) => change(i, { options: e.target.value.split('\n') })} aria-describedby={`cf-${i}-options-hint`} />
              </Field>
            )}
            <label className="checkbox">
              <input type="checkbox" checked={field.required} onChange={(e) => change(i, { required: e.target.checked })} /> {t('catalogue.required')}
            </label>
            {field.type !== 'file' && (
              <Field id={`cf-${i}-ticket-field`} label={t('catalogue.ticketField')} hint={t('catalogue.ticketFieldHint')}>
                <select
                  id={`cf-${i}-ticket-field`}
                  value={field.ticketField ?? ''}
                  onChange={(e) => change(i, { ticketField: e.target.value || undefined })}
                  aria-describedby={`cf-${i}-ticket-field-hint`}
                >
                  <option value="">{t('catalogue.ticketFieldNone')}</option>
                  {(ticketFields.data ?? [])
                    .filter((f) => (f.active && (TICKET_FIELD_FITS[f.type] ?? []).includes(field.type)) || f.key === field.ticketField)
                    .map((f) => (
                      <option key={f.key} value={f.key}>
                        {fieldLabel(f, i18n.language)}
                        {f.visibility === 'internal' ? ` (${t('catalogue.ticketFieldInternal')})` : ''}
                      </option>
                    ))}
                </select>
              </Field>
            )}
            {i > 0 && (
              <Field id={`cf-${i}-when`} label={t('catalogue.showWhen')}>
                <select id={`cf-${i}-when`} value={field.showWhen?.field ?? ''} onChange={(e) => change(i, { showWhen: e.target.value ? { field: e.target.value } : undefined })}>
                  <option value="">{t('catalogue.always')}</option>
                  {fields.slice(0, i).filter((f) => f.type !== 'file').map((f) => <option key={f.key} value={f.key}>{f.label}</option>)}
                </select>
              </Field>
            )}
            {field.showWhen?.field && (
              <Field id={`cf-${i}-equals`} label={t('catalogue.equals')} hint={t('catalogue.equalsHint')}>
                <input id={`cf-${i}-equals`} value={field.showWhen.equals ?? ''} onChange={(e) => change(i, { showWhen: { field: field.showWhen!.field, ...(e.target.value && { equals: e.target.value }) } })} aria-describedby={`cf-${i}-equals-hint`} />
              </Field>
            )}
            <button type="button" className="btn btn-small" onClick={() => setFields((all) => all.filter((_, j) => j !== i))}>
              {t('catalogue.removeField')}
            </button>
          </div>
        ))}
        <button type="button" className="btn" onClick={addField}>{t('catalogue.addField')}</button>
      </fieldset>
      <Field id="ci-steps" label={t('catalogue.steps.label')} hint={t('catalogue.steps.hint')}>
        <textarea id="ci-steps" rows={4} value={steps} onChange={(e) => setSteps(e.target.value)} aria-describedby="ci-steps-hint" />
      </Field>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>{t('catalogue.save')}</button>{' '}
        <button type="button" className="btn" onClick={onDone}>{t('common.cancel')}</button>
      </div>
    </form>
  )
}
