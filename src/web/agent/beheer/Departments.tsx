import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import type { Department } from '../api.js'
import { useDepartments, useGroups } from '../DeskSelects.js'
import { beheerApi } from './beheerApi.js'
import { CalendarSelect, useCalendars } from './Calendars.js'
import { DeleteButton } from './DeleteButton.js'
import { ListAndEditor } from './ListAndEditor.js'

/** Departments: their name, whether their back-office groups may answer customers themselves, and their calendar. */
export function Departments() {
  const { t } = useTranslation()
  const departments = useDepartments()
  const groups = useGroups()
  const calendars = useCalendars()
  const calendarName = (id: string | null) => (id ? calendars.data?.find((c) => c.id === id)?.name : undefined)
  return (
    <ListAndEditor<Department>
      title={t('beheer.departments.title')}
      intro={t('beheer.departments.intro')}
      addLabel={t('beheer.departments.add')}
      emptyText={t('beheer.departments.none')}
      list={departments}
      editor={(department, done) => <DepartmentEditor department={department} onDone={done} />}
      item={(d, { edit, notify }) => (
        <>
          <h2 className="admin-item-title">{d.name}</h2>
          <p className="muted small">
            {t('beheer.departments.groupCount', { count: groups.data?.filter((g) => g.departmentId === d.id).length ?? 0 })} ·{' '}
            {d.customerReplyAllowed ? t('beheer.departments.repliesYes') : t('beheer.departments.repliesNo')}
            {calendarName(d.calendarId) && <> · {t('beheer.groups.onCalendar', { name: calendarName(d.calendarId) })}</>}
          </p>
          <div className="row wrap">
            <button type="button" className="btn" onClick={() => edit(d)} aria-label={t('beheer.editNamed', { name: d.name })}>
              {t('beheer.edit')}
            </button>
            <DepartmentDelete department={d} onDeleted={() => notify(t('beheer.deleted', { name: d.name }))} />
          </div>
        </>
      )}
    />
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
