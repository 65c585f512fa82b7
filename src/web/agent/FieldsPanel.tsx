import { useQueryClient } from '@tanstack/react-query'
import { forwardRef, useEffect, useImperativeHandle, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { UpdateTicketBody } from '../../shared/api/tickets.js'
import { PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from './model.js'
import { errorText } from '../ui/ErrorNote.js'
import { ApiError, api, type Ticket } from './api.js'
import { DepartmentSelect, GroupSelect } from './DeskSelects.js'
import { useFieldValueText } from './useFieldValueText.js'
import { useStaff } from './useStaff.js'
import { changedValues, CustomFieldInputs, fieldsFor, formValue, useTicketFields } from './ticketFields.js'

/** The custom fields' values as form text, by key. */
const toCustomForm = (tk: Ticket): Record<string, string> => Object.fromEntries(Object.entries(tk.customFields ?? {}).map(([k, v]) => [k, formValue(v)]))

interface FormState {
  status: Ticket['status']
  priority: Ticket['priority']
  type: Ticket['type']
  departmentId: string
  groupId: string
  assigneeId: string
  tags: string
}
type Field = keyof FormState

const FIELDS: Field[] = ['status', 'priority', 'type', 'departmentId', 'groupId', 'assigneeId', 'tags']

const toForm = (tk: Ticket): FormState => ({
  status: tk.status,
  priority: tk.priority,
  type: tk.type,
  departmentId: tk.departmentId ?? '',
  groupId: tk.groupId ?? '',
  assigneeId: tk.assignee?.id ?? '',
  tags: tk.tags.join(', '),
})

const parseTags = (s: string) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))]

function toPatch(form: FormState, base: FormState): UpdateTicketBody {
  const patch: UpdateTicketBody = {}
  if (form.status !== base.status) patch.status = form.status
  if (form.priority !== base.priority) patch.priority = form.priority
  if (form.type !== base.type) patch.type = form.type
  if (form.departmentId !== base.departmentId) patch.departmentId = form.departmentId || null
  if (form.groupId !== base.groupId) patch.groupId = form.groupId || null
  if (form.assigneeId !== base.assigneeId) patch.assigneeId = form.assigneeId || null
  if (parseTags(form.tags).join(',') !== parseTags(base.tags).join(',')) patch.tags = parseTags(form.tags)
  return patch
}

interface Conflict {
  theirs: Ticket
  changed: Field[]
}

/** What the composer needs of the fields panel for one "Bijwerken": the unsaved changes, and telling it they were saved. */
export interface FieldsHandle {
  /** The unsaved changes and the version they were made on; null when there are none. */
  pending(): { version: number; patch: UpdateTicketBody } | null
  /** The changes went out with a reply or note: start again from the ticket as it is now. */
  saved(ticket: Ticket): void
}

/**
 * Ticket fields, saved with If-Match on the version the agent saw. When someone else saved first (412),
 * the agent sees what they changed and chooses: keep theirs, or put their own edits on top. Unsaved
 * changes can also go with the next reply or note (the composer's "Bijwerken"): `onDirtyChange` says when.
 */
export const FieldsPanel = forwardRef<FieldsHandle, { ticket: Ticket; onDirtyChange?: (dirty: boolean) => void }>(function FieldsPanel({ ticket, onDirtyChange }, ref) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const staff = useStaff()
  const [base, setBase] = useState<Ticket>(ticket)
  const [form, setForm] = useState<FormState>(toForm(ticket))
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const [conflict, setConflict] = useState<Conflict | null>(null)
  const [saved, setSaved] = useState(false)
  const [custom, setCustom] = useState<Record<string, string>>(toCustomForm(ticket))
  const ticketFields = useTicketFields()
  const shownFields = fieldsFor(ticketFields.data ?? [], { departmentId: form.departmentId || null })

  const customChanges = changedValues(shownFields, custom, base.customFields ?? {})
  const patch: UpdateTicketBody = { ...toPatch(form, toForm(base)), ...(customChanges && { customFields: customChanges }) }
  const dirty = Object.keys(patch).length > 0

  useEffect(() => onDirtyChange?.(dirty), [dirty, onDirtyChange])
  const reset = (to: Ticket) => {
    setBase(to)
    setForm(toForm(to))
    setCustom(toCustomForm(to))
    setConflict(null)
    setSaved(true)
  }
  useImperativeHandle(ref, () => ({ pending: () => (dirty ? { version: base.version, patch } : null), saved: reset }))

  // A live update from someone else replaces the form only when the agent has nothing unsaved.
  useEffect(() => {
    if (ticket.version === base.version) return
    if (!dirty) {
      setBase(ticket)
      setForm(toForm(ticket))
      setCustom(toCustomForm(ticket))
    }
  }, [ticket, base.version, dirty])

  const set = <K extends Field>(field: K, value: FormState[K]) => {
    setSaved(false)
    setForm((f) => ({ ...f, [field]: value }))
  }

  const save = async (version = base.version, body = patch) => {
    setSaving(true)
    setError(null)
    try {
      const updated = await api.updateTicket(ticket.id, version, body)
      queryClient.setQueryData(['ticket', ticket.id], updated)
      setBase(updated)
      setForm(toForm(updated))
      setCustom(toCustomForm(updated))
      setConflict(null)
      setSaved(true)
      void queryClient.invalidateQueries({ queryKey: ['tickets'] })
      void queryClient.invalidateQueries({ queryKey: ['count'] })
      void queryClient.invalidateQueries({ queryKey: ['history', ticket.id] })
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        const theirs = await api.ticket(ticket.id)
        const before = toForm(base)
        const after = toForm(theirs)
        setConflict({ theirs, changed: FIELDS.filter((f) => before[f] !== after[f]) })
        queryClient.setQueryData(['ticket', ticket.id], theirs)
      } else setError(err)
    } finally {
      setSaving(false)
    }
  }

  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (dirty) void save()
  }

  const display = useFieldValueText()

  return (
    <form className="panel fields" onSubmit={submit} aria-labelledby="fields-title">
      <h2 id="fields-title">{t('fields.title')}</h2>
      {conflict && (
        <div className="conflict" role="alert" data-testid="conflict">
          <p>
            <strong>{t('conflict.title')}</strong> {t('conflict.intro')}
          </p>
          {conflict.changed.length > 0 ? (
            <ul>
              {conflict.changed.map((f) => (
                <li key={f}>
                  {t(`fields.${f.replace(/Id$/, '')}`)}: {display(f, toForm(base)[f])} → <strong>{display(f, toForm(conflict.theirs)[f])}</strong>
                </li>
              ))}
            </ul>
          ) : (
            <p>{t('conflict.otherChanges')}</p>
          )}
          <div className="row">
            <button
              type="button"
              className="btn btn-small"
              onClick={() => {
                setBase(conflict.theirs)
                setForm(toForm(conflict.theirs))
                setConflict(null)
              }}
            >
              {t('conflict.keepTheirs')}
            </button>
            <button type="button" className="btn btn-small btn-primary" onClick={() => void save(conflict.theirs.version, patch)}>
              {t('conflict.applyMine')}
            </button>
          </div>
        </div>
      )}
      <label htmlFor="f-status">{t('fields.status')}</label>
      <select id="f-status" value={form.status} onChange={(e) => set('status', e.target.value as FormState['status'])}>
        {TICKET_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`status.${s}`)}
          </option>
        ))}
      </select>
      <label htmlFor="f-priority">{t('fields.priority')}</label>
      <select id="f-priority" value={form.priority} onChange={(e) => set('priority', e.target.value as FormState['priority'])}>
        {PRIORITIES.map((s) => (
          <option key={s} value={s}>
            {t(`priority.${s}`)}
          </option>
        ))}
      </select>
      <label htmlFor="f-type">{t('fields.type')}</label>
      <select id="f-type" value={form.type} onChange={(e) => set('type', e.target.value as FormState['type'])}>
        {TICKET_TYPES.map((s) => (
          <option key={s} value={s}>
            {t(`type.${s}`)}
          </option>
        ))}
      </select>
      <label htmlFor="f-department">{t('fields.department')}</label>
      <DepartmentSelect id="f-department" value={form.departmentId} onChange={(e) => set('departmentId', e.target.value)} empty={t('fields.empty')} />
      <label htmlFor="f-group">{t('fields.group')}</label>
      <GroupSelect id="f-group" value={form.groupId} onChange={(e) => set('groupId', e.target.value)} empty={t('fields.empty')} />
      <label htmlFor="f-assignee">{t('fields.assignee')}</label>
      <select id="f-assignee" value={form.assigneeId} onChange={(e) => set('assigneeId', e.target.value)}>
        <option value="">{t('fields.nobody')}</option>
        {form.assigneeId && !staff.some((u) => u.id === form.assigneeId) && <option value={form.assigneeId}>{ticket.assignee?.name ?? form.assigneeId}</option>}
        {staff.map((u) => (
          <option key={u.id} value={u.id}>
            {u.name}
          </option>
        ))}
      </select>
      <label htmlFor="f-tags">{t('fields.tags')}</label>
      <input id="f-tags" value={form.tags} onChange={(e) => set('tags', e.target.value)} aria-describedby="f-tags-hint" />
      <p id="f-tags-hint" className="muted small">
        {t('fields.tagsHint')}
      </p>
      <CustomFieldInputs
        fields={shownFields}
        form={custom}
        status={form.status}
        onChange={(key, text) => {
          setSaved(false)
          setCustom((c) => ({ ...c, [key]: text }))
        }}
      />
      {error != null && (
        <p className="error-note" role="alert">
          {errorText(error, t)}
        </p>
      )}
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={!dirty || saving}>
          {saving ? t('common.saving') : t('fields.save')}
        </button>
        {dirty && (
          <button
            type="button"
            className="btn btn-ghost"
            onClick={() => {
              setForm(toForm(base))
              setCustom(toCustomForm(base))
            }}
          >
            {t('common.cancel')}
          </button>
        )}
        <span role="status" className="muted small">
          {saved && !dirty ? t('fields.saved') : dirty ? t('fields.unsaved') : ''}
        </span>
      </div>
    </form>
  )
})
