import { useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { ASSIGNMENT_MODES, type AssignmentMode } from '../../../shared/api/desk.js'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import type { Group } from '../api.js'
import { useDepartments, useGroups } from '../DeskSelects.js'
import { GroupSignatureField } from '../signatures.js'
import { useStaff } from '../useStaff.js'
import { beheerApi } from './beheerApi.js'
import { CalendarSelect, useCalendars } from './Calendars.js'
import { DeleteButton } from './DeleteButton.js'
import { ScreenHead } from './ScreenHead.js'
import type { SectionProps } from './sections.js'

/** Groups: where they sit (department and line) and who is in them. A team lead changes only the members. */
export function Groups({ me }: SectionProps) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const groups = useGroups()
  const departments = useDepartments()
  const staff = useStaff()
  const isAdmin = me.user.role === 'admin'
  const [editing, setEditing] = useState<Group | 'new' | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const departmentName = (id: string) => departments.data?.find((d) => d.id === id)?.name ?? ''

  return (
    <div className="beheer">
      <ScreenHead title={t('beheer.groups.title')} notice={notice}>
        {editing === null && isAdmin && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} disabled={departments.data?.length === 0}>
            {t('beheer.groups.add')}
          </button>
        )}
      </ScreenHead>
      <p className="muted">{t('beheer.groups.intro')}</p>
      {isAdmin && departments.data?.length === 0 && <p className="notice">{t('beheer.groups.needDepartment')}</p>}
      {editing !== null && (
        <GroupEditor
          key={editing === 'new' ? 'new' : editing.id}
          group={editing === 'new' ? null : editing}
          membersOnly={!isAdmin}
          onDone={(message) => {
            setEditing(null)
            setNotice(message)
          }}
        />
      )}
      <ErrorNote error={groups.error} onRetry={() => void groups.refetch()} />
      {groups.data?.length === 0 && <p className="empty">{t('beheer.groups.none')}</p>}
      <ul className="admin-list" aria-label={t('beheer.groups.title')}>
        {groups.data?.map((g) => (
          <li key={g.id} className="panel">
            <h2 className="admin-item-title">{g.name}</h2>
            <p className="muted small">
              {departmentName(g.departmentId)} · {t('beheer.groups.lineN', { line: g.line })} · {t('beheer.groups.memberCount', { count: g.memberIds.length })}
            </p>
            {g.line >= 2 && <HandoffTargets group={g} />}
            {g.memberIds.length > 0 && (
              <p className="small">
                {g.memberIds
                  .map((id) => staff.find((u) => u.id === id)?.name)
                  .filter(Boolean)
                  .join(', ')}
              </p>
            )}
            <div className="row wrap">
              <button type="button" className="btn" onClick={() => setEditing(g)} aria-label={t('beheer.editNamed', { name: g.name })}>
                {t('beheer.edit')}
              </button>
              {isAdmin && (
                <DeleteButton
                  name={g.name}
                  onDelete={() => beheerApi.deleteGroup(g.id)}
                  onDeleted={() => {
                    void queryClient.invalidateQueries({ queryKey: ['groups'] })
                    setNotice(t('beheer.deleted', { name: g.name }))
                  }}
                />
              )}
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

function GroupEditor({ group, membersOnly, onDone }: { group: Group | null; membersOnly: boolean; onDone: (message: string | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const departments = useDepartments()
  const staff = useStaff()
  const [name, setName] = useState(group?.name ?? '')
  const [departmentId, setDepartmentId] = useState(group?.departmentId ?? departments.data?.[0]?.id ?? '')
  const [line, setLine] = useState<1 | 2 | 3>(group?.line ?? 1)
  const [members, setMembers] = useState<string[]>(group?.memberIds ?? [])
  const [assignment, setAssignment] = useState<AssignmentMode>(group?.assignment ?? 'off')
  const [signatureTemplate, setSignatureTemplate] = useState(group?.signatureTemplate ?? '')
  const [calendarId, setCalendarId] = useState<string | null>(group?.calendarId ?? null)
  const [pickup, setPickup] = useState(hoursInput(group?.pickupTargetMinutes ?? null))
  const [back, setBack] = useState(hoursInput(group?.returnTargetMinutes ?? null))
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      // Handoff times only for a back office (2nd or 3rd line); a 1st-line group keeps what it had.
      const handoff = line >= 2 ? { calendarId, pickupTargetMinutes: minutesOf(pickup), returnTargetMinutes: minutesOf(back) } : {}
      const saved = membersOnly
        ? await beheerApi.updateGroup(group!.id, { memberIds: members })
        : group
          ? await beheerApi.updateGroup(group.id, { name, departmentId, line, memberIds: members, assignment, signatureTemplate, ...handoff })
          : await beheerApi.createGroup({ name, departmentId, line, memberIds: members, signatureTemplate }).then((made) => {
              const rest = { ...(assignment !== 'off' && { assignment }), ...Object.fromEntries(Object.entries(handoff).filter(([, v]) => v !== null)) }
              return Object.keys(rest).length ? beheerApi.updateGroup(made.id, rest) : made
            })
      await queryClient.invalidateQueries({ queryKey: ['groups'] })
      await queryClient.invalidateQueries({ queryKey: ['staff'] })
      onDone(t('beheer.saved', { name: saved.name }))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-label={group ? t('beheer.editNamed', { name: group.name }) : t('beheer.groups.add')}>
      {!membersOnly && (
        <div className="row wrap">
          <Field id="group-name" label={t('beheer.name')}>
            <input id="group-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus />
          </Field>
          <Field id="group-department" label={t('beheer.groups.department')}>
            <select id="group-department" value={departmentId} onChange={(e) => setDepartmentId(e.target.value)} required>
              {departments.data?.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          </Field>
          <Field id="group-line" label={t('beheer.groups.line')}>
            <select id="group-line" value={line} onChange={(e) => setLine(Number(e.target.value) as 1 | 2 | 3)}>
              {([1, 2, 3] as const).map((n) => (
                <option key={n} value={n}>
                  {t('beheer.groups.lineN', { line: n })}
                </option>
              ))}
            </select>
          </Field>
          <Field id="group-assignment" label={t('beheer.groups.assignment')} hint={t('beheer.groups.assignmentHint')}>
            <select id="group-assignment" value={assignment} onChange={(e) => setAssignment(e.target.value as AssignmentMode)} aria-describedby="group-assignment-hint">
              {ASSIGNMENT_MODES.map((m) => (
                <option key={m} value={m}>
                  {t(`beheer.groups.assignmentModes.${m}`)}
                </option>
              ))}
            </select>
          </Field>
        </div>
      )}
      {!membersOnly && line >= 2 && (
        <fieldset className="checks group-handoff">
          <legend>{t('beheer.groups.handoff')}</legend>
          <p className="muted small group-handoff-intro">{t('beheer.groups.handoffHint')}</p>
          <Field id="group-pickup" label={t('beheer.groups.pickupTarget')} hint={t('beheer.groups.targetHint')}>
            <input id="group-pickup" type="number" inputMode="decimal" min={0.25} max={8760} step={0.25} value={pickup} onChange={(e) => setPickup(e.target.value)} aria-describedby="group-pickup-hint" />
          </Field>
          <Field id="group-return" label={t('beheer.groups.returnTarget')} hint={t('beheer.groups.targetHint')}>
            <input id="group-return" type="number" inputMode="decimal" min={0.25} max={8760} step={0.25} value={back} onChange={(e) => setBack(e.target.value)} aria-describedby="group-return-hint" />
          </Field>
          <Field id="group-calendar" label={t('beheer.groups.calendar')} hint={t('beheer.groups.calendarHint')}>
            <CalendarSelect id="group-calendar" value={calendarId} onChange={setCalendarId} empty={t('beheer.groups.departmentCalendar')} describedBy="group-calendar-hint" />
          </Field>
        </fieldset>
      )}
      {!membersOnly && <GroupSignatureField value={signatureTemplate} onChange={setSignatureTemplate} groupName={name} />}
      <fieldset className="checks">
        <legend>{t('beheer.groups.members')}</legend>
        {staff.length === 0 && <p className="muted small">{t('beheer.groups.noStaff')}</p>}
        {staff.map((u) => (
          <label key={u.id} className="check">
            <input
              type="checkbox"
              checked={members.includes(u.id)}
              onChange={(e) => setMembers(e.target.checked ? [...members, u.id] : members.filter((id) => id !== u.id))}
            />
            <span>{u.name}</span>
          </label>
        ))}
      </fieldset>
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

/** A target in business minutes as the value of the hours field ('' for none), and back. */
const hoursInput = (minutes: number | null) => (minutes === null ? '' : String(Math.round((minutes / 60) * 100) / 100))
const minutesOf = (hours: string) => {
  const n = Number(hours.replace(',', '.'))
  return hours.trim() === '' || !Number.isFinite(n) || n <= 0 ? null : Math.max(1, Math.round(n * 60))
}

/** A back office's handoff times in its list item: the targets in business hours and the calendar they run on. */
function HandoffTargets({ group }: { group: Group }) {
  const { t, i18n } = useTranslation()
  const calendars = useCalendars()
  const departments = useDepartments()
  const hours = (minutes: number) => {
    const h = Math.round((minutes / 60) * 100) / 100
    return t('beheer.groups.workHours', { count: h, hours: new Intl.NumberFormat(i18n.language).format(h) })
  }
  const calendarId = group.calendarId ?? departments.data?.find((d) => d.id === group.departmentId)?.calendarId ?? null
  const calendar = calendars.data?.find((c) => (calendarId ? c.id === calendarId : c.isDefault))
  const targets = [
    group.pickupTargetMinutes !== null && t('beheer.groups.pickupWithin', { time: hours(group.pickupTargetMinutes) }),
    group.returnTargetMinutes !== null && t('beheer.groups.returnWithin', { time: hours(group.returnTargetMinutes) }),
  ].filter(Boolean)
  return (
    <p className="small">
      {targets.length ? targets.join(', ') : t('beheer.groups.noTargets')}
      {calendar && <> · {t('beheer.groups.onCalendar', { name: calendar.name })}</>}
    </p>
  )
}
