import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import type { Department } from '../api.js'
import { useDepartments, useGroups } from '../DeskSelects.js'
import { beheerApi } from './beheerApi.js'
import { CalendarSelect } from './Calendars.js'
import { DeleteButton } from './DeleteButton.js'
import { ScreenHead } from './ScreenHead.js'

/** Departments: their name and whether their back-office groups may answer customers themselves. */
export function Departments() {
  const { t } = useTranslation()
  const departments = useDepartments()
  const groups = useGroups()
  const [editing, setEditing] = useState<Department | 'new' | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  return (
    <div className="beheer">
      <ScreenHead title={t('beheer.departments.title')} notice={notice}>
        {editing === null && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('beheer.departments.add')}
          </button>
        )}
      </ScreenHead>
      <p className="muted">{t('beheer.departments.intro')}</p>
      {editing !== null && (
        <DepartmentEditor
          key={editing === 'new' ? 'new' : editing.id}
          department={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null)
            setNotice(message)
          }}
        />
      )}
      <ErrorNote error={departments.error} onRetry={() => void departments.refetch()} />
      {departments.data?.length === 0 && <p className="empty">{t('beheer.departments.none')}</p>}
      <ul className="admin-list" aria-label={t('beheer.departments.title')}>
        {departments.data?.map((d) => (
          <li key={d.id} className="panel">
            <h2 className="admin-item-title">{d.name}</h2>
            <p className="muted small">
              {t('beheer.departments.groupCount', { count: groups.data?.filter((g) => g.departmentId === d.id).length ?? 0 })} ·{' '}
              {d.customerReplyAllowed ? t('beheer.departments.repliesYes') : t('beheer.departments.repliesNo')}
            </p>
            <div className="row wrap">
              <button type="button" className="btn" onClick={() => setEditing(d)} aria-label={t('beheer.editNamed', { name: d.name })}>
                {t('beheer.edit')}
              </button>
              <DepartmentDelete department={d} onDeleted={() => setNotice(t('beheer.deleted', { name: d.name }))} />
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

function DepartmentDelete({ department, onDeleted }: { department: Department; onDeleted: () => void }) {
  const queryClient = useQueryClient()
  return (
    <DeleteButton
      name={department.name}
      onDelete={() => beheerApi.deleteDepartment(department.id)}
      onDeleted={() => {
        void queryClient.invalidateQueries({ queryKey: ['departments'] })
        onDeleted()
      }}
    />
  )
}

function DepartmentEditor({ department, onDone }: { department: Department | null; onDone: (message: string | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [name, setName] = useState(department?.name ?? '')
  const [replies, setReplies] = useState(department?.customerReplyAllowed ?? false)
  const [calendarId, setCalendarId] = useState<string | null>(department?.calendarId ?? null)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const body = { name, customerReplyAllowed: replies }
      const saved = department
        ? await beheerApi.updateDepartment(department.id, { ...body, calendarId })
        : await beheerApi.createDepartment(body).then((made) => (calendarId ? beheerApi.updateDepartment(made.id, { calendarId }) : made))
      await queryClient.invalidateQueries({ queryKey: ['departments'] })
      onDone(t('beheer.saved', { name: saved.name }))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-label={department ? t('beheer.editNamed', { name: department.name }) : t('beheer.departments.add')}>
      <Field id="dep-name" label={t('beheer.name')}>
        <input id="dep-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
      </Field>
      <label className="check">
        <input type="checkbox" checked={replies} onChange={(e) => setReplies(e.target.checked)} />
        <span>{t('beheer.departments.replies')}</span>
      </label>
      <p className="muted small">{t('beheer.departments.repliesHint')}</p>
      <Field id="dep-calendar" label={t('beheer.departments.calendar')} hint={t('beheer.departments.calendarHint')}>
        <CalendarSelect id="dep-calendar" value={calendarId} onChange={setCalendarId} empty={t('beheer.departments.defaultCalendar')} describedBy="dep-calendar-hint" />
      </Field>
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t('common.saving') : t('beheer.save')}
        </button>
        <button type="button" className="btn" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}
