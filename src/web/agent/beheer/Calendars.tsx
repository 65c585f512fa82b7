import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { TFunction } from 'i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { locale } from '../../ui/format.js'
import { beheerApi, type Calendar } from './beheerApi.js'
import { dayProblem, fieldErrors, OFFICE_HOURS, type OpenRange, WEEKDAYS, type Weekday, type WeeklyHours, weekSummary } from './calendarHours.js'
import { DeleteButton } from './DeleteButton.js'
import { ListAndEditor } from './ListAndEditor.js'
import type { SectionProps } from './sections.js'

const DEFAULT_ZONE = 'Europe/Amsterdam'
/** Times as text (HH:MM, 24:00 for the end of the day): a time field would show AM/PM in some browsers and knows no 24:00. */
const TIME_INPUT = { type: 'text', inputMode: 'numeric', pattern: '([01][0-9]|2[0-3]):[0-5][0-9]|24:00', maxLength: 5, size: 5, autoComplete: 'off' } as const
type Holidays = Calendar['holidays']
type ClosingDay = Calendar['closingDays'][number]

export const useCalendars = (enabled = true) =>
  useQuery({ queryKey: ['calendars'], queryFn: ({ signal }) => beheerApi.calendars(signal).then((r) => r.items), enabled, staleTime: 60_000 })

/** A choice of calendar for a group or department; the empty choice (null) follows the department's or the default. */
export function CalendarSelect({ id, value, onChange, empty, describedBy }: { id: string; value: string | null; onChange: (id: string | null) => void; empty: string; describedBy?: string }) {
  const calendars = useCalendars()
  return (
    <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} aria-describedby={describedBy}>
      <option value="">{empty}</option>
      {calendars.data?.map((c) => (
        <option key={c.id} value={c.id}>
          {c.name}
        </option>
      ))}
    </select>
  )
}

/** Business calendars: opening hours per weekday, public holidays and closing days, for the handoff times of back offices. */
export function Calendars({ me }: SectionProps) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const list = useCalendars()
  const isAdmin = me.user.role === 'admin'
  return (
    <ListAndEditor<Calendar>
      title={t('beheer.calendars.title')}
      intro={t('beheer.calendars.intro')}
      addLabel={t('beheer.calendars.add')}
      canAdd={isAdmin}
      emptyText={t('beheer.calendars.none')}
      list={list}
      editor={(calendar, done) => <CalendarEditor calendar={calendar} first={list.data?.length === 0} onDone={done} />}
      item={(c, { edit, notify }) => (
        <>
          <h2 className="admin-item-title">
            <span>{c.name}</span>
            {c.isDefault && <span className="badge calendar-default">{t('beheer.calendars.default')}</span>}
          </h2>
          <WeekText hours={c.hours} />
          <p className="muted small">
            {c.timeZone} · {holidaysText(c.holidays, t)} · {t('beheer.calendars.closingDayCount', { count: c.closingDays.length })}
          </p>
          <ClosedDays calendar={c} />
          {isAdmin && (
            <div className="row wrap">
              <button type="button" className="btn" onClick={() => edit(c)} aria-label={t('beheer.editNamed', { name: c.name })}>
                {t('beheer.edit')}
              </button>
              {!c.isDefault && (
                <DeleteButton
                  name={c.name}
                  onDelete={() => beheerApi.deleteCalendar(c.id)}
                  onDeleted={() => {
                    void queryClient.invalidateQueries({ queryKey: ['calendars'] })
                    notify(t('beheer.deleted', { name: c.name }))
                  }}
                />
              )}
            </div>
          )}
        </>
      )}
    />
  )
}

function holidaysText(h: Holidays, t: TFunction) {
  if (!h.dutchHolidays) return t('beheer.calendars.noHolidays')
  return [t('beheer.calendars.withHolidays'), h.goodFriday && t('beheer.calendars.holidayNames.goedeVrijdag'), t(`beheer.calendars.liberation.${h.liberationDay}`)].filter(Boolean).join(', ')
}

/** "ma t/m vr 08:30–17:00; za 10:00–14:00", or "Altijd gesloten". */
function WeekText({ hours }: { hours: WeeklyHours }) {
  const { t } = useTranslation()
  const parts = weekSummary(hours)
  if (parts.length === 0) return <p className="small">{t('beheer.calendars.alwaysClosed')}</p>
  return (
    <p className="small">
      {parts
        .map((p) => {
          const days = p.first === p.last ? t(`beheer.calendars.short.${p.first}`) : t('beheer.calendars.dayRange', { first: t(`beheer.calendars.short.${p.first}`), last: t(`beheer.calendars.short.${p.last}`) })
          return `${days} ${p.ranges.map((r) => `${r.from}–${r.to}`).join(', ')}`
        })
        .join('; ')}
    </p>
  )
}

/** The public holidays and closing days of this year and the next, as the server computes them; fetched when opened. */
function ClosedDays({ calendar }: { calendar: Calendar }) {
  const { t, i18n } = useTranslation()
  const [open, setOpen] = useState(false)
  const year = new Date().getFullYear()
  const years = [year, year + 1]
  const days = useQuery({
    queryKey: ['calendars', calendar.id, 'closed-days', years, calendar.updatedAt],
    queryFn: ({ signal }) => Promise.all(years.map((y) => beheerApi.closedDays(calendar.id, y, signal).then((r) => r.items))),
    enabled: open,
  })
  const format = new Intl.DateTimeFormat(locale(i18n.language), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })
  return (
    <details className="calendar-closed" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('beheer.calendars.closedDays', { first: years[0], last: years[1] })}</summary>
      <ErrorNote error={days.error} onRetry={() => void days.refetch()} />
      {days.isLoading && <p className="muted small">{t('common.loading')}</p>}
      {days.data && (
        <div className="calendar-years">
          {years.map((y, i) => (
            <section key={y} aria-labelledby={`closed-${calendar.id}-${y}`}>
              <h3 id={`closed-${calendar.id}-${y}`}>{y}</h3>
              {days.data[i].length === 0 ? (
                <p className="muted small">{t('beheer.calendars.noClosedDays')}</p>
              ) : (
                <ul className="small">
                  {days.data[i].map((d) => (
                    <li key={d.date}>
                      <span className="calendar-date">{format.format(new Date(`${d.date}T12:00:00Z`))}</span>{' '}
                      {d.kind === 'holiday' && d.key ? t(`beheer.calendars.holidayNames.${d.key}`, { defaultValue: d.name }) : d.name}
                      {d.kind === 'closing' && <span className="muted"> ({t('beheer.calendars.closingDay')})</span>}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ))}
        </div>
      )}
    </details>
  )
}

const zones = (): string[] => {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] }
  return intl.supportedValuesOf?.('timeZone') ?? [DEFAULT_ZONE]
}

function CalendarEditor({ calendar, first, onDone }: { calendar: Calendar | null; first: boolean; onDone: (message: string | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [name, setName] = useState(calendar?.name ?? '')
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? DEFAULT_ZONE)
  const [hours, setHours] = useState<WeeklyHours>(calendar?.hours ?? OFFICE_HOURS)
  const [holidays, setHolidays] = useState<Holidays>(calendar?.holidays ?? { dutchHolidays: true, goodFriday: false, liberationDay: 'lustrum' })
  const [closingDays, setClosingDays] = useState<ClosingDay[]>(calendar?.closingDays ?? [])
  const [isDefault, setIsDefault] = useState(calendar?.isDefault ?? first)
  // The first calendar is the default (the server makes it so), as is the default until another takes over.
  const fixedDefault = calendar ? calendar.isDefault : first
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const wrong = fieldErrors(error)
  const shown = new Set([...wrong].filter((f) => f === 'name' || f === 'timeZone' || f === 'closingDays' || /^hours\.[a-z]+$|^closingDays\.\d+\.date$/.test(f)))

  const setDay = (day: Weekday, ranges: OpenRange[]) => setHours({ ...hours, [day]: ranges })

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const body = { name, timeZone: timeZone.trim(), hours, holidays, closingDays: closingDays.map((c) => ({ date: c.date, label: c.label.trim() })) }
      const saved = calendar
        ? await beheerApi.updateCalendar(calendar.id, { ...body, ...(isDefault && !calendar.isDefault && { isDefault: true as const }) })
        : await beheerApi.createCalendar({ ...body, ...(isDefault && { isDefault: true }) })
      await queryClient.invalidateQueries({ queryKey: ['calendars'] })
      onDone(t('beheer.saved', { name: saved.name }))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  const errorOf = (field: string, text: string) =>
    wrong.has(field) ? (
      <p className="error-note field-error" id={`cal-${field.replace(/\./g, '-')}-error`}>
        {text}
      </p>
    ) : null

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-label={calendar ? t('beheer.editNamed', { name: calendar.name }) : t('beheer.calendars.add')}>
      {shown.size > 0 && (
        <p className="error-note" role="alert">
          {t('beheer.calendars.fixFields', { count: shown.size })}
        </p>
      )}
      <div className="row wrap">
        <Field id="cal-name" label={t('beheer.name')}>
          <input id="cal-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} autoFocus aria-invalid={wrong.has('name') || undefined} aria-describedby={wrong.has('name') ? 'cal-name-error' : undefined} />
          {errorOf('name', t('beheer.calendars.errors.name'))}
        </Field>
        <Field id="cal-zone" label={t('beheer.calendars.timeZone')} hint={t('beheer.calendars.timeZoneHint')}>
          <input
            id="cal-zone"
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            list="cal-zones"
            required
            maxLength={64}
            aria-invalid={wrong.has('timeZone') || undefined}
            aria-describedby={wrong.has('timeZone') ? 'cal-zone-hint cal-timeZone-error' : 'cal-zone-hint'}
          />
          <datalist id="cal-zones">
            {zones().map((z) => (
              <option key={z} value={z} />
            ))}
          </datalist>
          {errorOf('timeZone', t('beheer.calendars.errors.timeZone', { zone: timeZone }))}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={isDefault} disabled={fixedDefault} onChange={(e) => setIsDefault(e.target.checked)} aria-describedby="cal-default-hint" />
        <span>{t('beheer.calendars.makeDefault')}</span>
      </label>
      <p id="cal-default-hint" className="muted small">
        {calendar?.isDefault ? t('beheer.calendars.isDefaultHint') : first && !calendar ? t('beheer.calendars.firstIsDefault') : t('beheer.calendars.makeDefaultHint')}
      </p>

      <fieldset className="calendar-week">
        <legend>{t('beheer.calendars.hours')}</legend>
        <p className="muted small">{t('beheer.calendars.hoursHint')}</p>
        {WEEKDAYS.map((day) => (
          <DayHours key={day} day={day} ranges={hours[day]} onChange={(r) => setDay(day, r)} wrong={wrong.has(`hours.${day}`)} />
        ))}
      </fieldset>

      <fieldset className="checks">
        <legend>{t('beheer.calendars.holidays')}</legend>
        <label className="check">
          <input type="checkbox" checked={holidays.dutchHolidays} onChange={(e) => setHolidays({ ...holidays, dutchHolidays: e.target.checked })} />
          <span>{t('beheer.calendars.dutchHolidays')}</span>
        </label>
        <label className="check">
          <input type="checkbox" checked={holidays.goodFriday} disabled={!holidays.dutchHolidays} onChange={(e) => setHolidays({ ...holidays, goodFriday: e.target.checked })} />
          <span>{t('beheer.calendars.goodFriday')}</span>
        </label>
        <Field id="cal-liberation" label={t('beheer.calendars.liberationDay')}>
          <select id="cal-liberation" value={holidays.liberationDay} disabled={!holidays.dutchHolidays} onChange={(e) => setHolidays({ ...holidays, liberationDay: e.target.value as Holidays['liberationDay'] })}>
            {(['lustrum', 'yearly', 'never'] as const).map((v) => (
              <option key={v} value={v}>
                {t(`beheer.calendars.liberationOptions.${v}`)}
              </option>
            ))}
          </select>
        </Field>
      </fieldset>

      <fieldset className="calendar-closing" aria-describedby={wrong.has('closingDays') ? 'cal-closingDays-error' : undefined}>
        <legend>{t('beheer.calendars.closingDays')}</legend>
        <p className="muted small">{t('beheer.calendars.closingDaysHint')}</p>
        {closingDays.map((c, i) => (
          <div key={i} className="row wrap calendar-closing-day">
            <Field id={`cal-closing-${i}-date`} label={t('beheer.calendars.closingDate')}>
              <input
                id={`cal-closing-${i}-date`}
                type="date"
                value={c.date}
                required
                onChange={(e) => setClosingDays(closingDays.map((x, j) => (j === i ? { ...x, date: e.target.value } : x)))}
                aria-invalid={wrong.has(`closingDays.${i}.date`) || undefined}
                aria-describedby={wrong.has(`closingDays.${i}.date`) ? `cal-closingDays-${i}-date-error` : undefined}
              />
              {errorOf(`closingDays.${i}.date`, t('beheer.calendars.errors.date'))}
            </Field>
            <Field id={`cal-closing-${i}-label`} label={t('beheer.calendars.closingLabel')}>
              <input id={`cal-closing-${i}-label`} value={c.label} required maxLength={100} onChange={(e) => setClosingDays(closingDays.map((x, j) => (j === i ? { ...x, label: e.target.value } : x)))} />
            </Field>
            <button type="button" className="btn" onClick={() => setClosingDays(closingDays.filter((_, j) => j !== i))}>
              {t('beheer.calendars.remove')}
              <span className="visually-hidden"> {t('beheer.calendars.closingDayN', { n: i + 1 })}</span>
            </button>
          </div>
        ))}
        {errorOf('closingDays', t('beheer.calendars.errors.twice'))}
        <div>
          <button type="button" className="btn" onClick={() => setClosingDays([...closingDays, { date: '', label: '' }])}>
            {t('beheer.calendars.addClosingDay')}
          </button>
        </div>
      </fieldset>

      <ErrorNote error={shown.size === 0 ? error : null} />
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

/** One weekday's open stretches: from and to per stretch, add and remove; the server's 422 for this day beside it, in words. */
function DayHours({ day, ranges, onChange, wrong }: { day: Weekday; ranges: readonly OpenRange[]; onChange: (ranges: OpenRange[]) => void; wrong: boolean }) {
  const { t } = useTranslation()
  const dayName = t(`beheer.calendars.days.${day}`)
  const dayInText = t(`beheer.calendars.daysInText.${day}`)
  const errorId = `cal-hours-${day}-error`
  const problem = wrong ? dayProblem(ranges) : null
  const set = (i: number, patch: Partial<OpenRange>) => onChange(ranges.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  const add = () => {
    const last = ranges.at(-1)
    if (!last) return onChange([{ from: '08:30', to: '17:00' }])
    const start = Math.min(Number(last.to.slice(0, 2)) * 60 + Number(last.to.slice(3)), 23 * 60)
    const hhmm = (m: number) => (m >= 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`)
    onChange([...ranges, { from: hhmm(start), to: hhmm(start + 60) }])
  }
  return (
    <div className={`calendar-day${wrong ? ' calendar-day-wrong' : ''}`} role="group" aria-labelledby={`cal-day-${day}`} aria-describedby={wrong ? errorId : undefined}>
      <h3 id={`cal-day-${day}`} className="calendar-day-name">
        {dayName}
      </h3>
      <div className="calendar-ranges">
        {ranges.length === 0 && <p className="muted small">{t('beheer.calendars.closed')}</p>}
        {ranges.map((r, i) => (
          <div key={i} className="row wrap calendar-range">
            <label htmlFor={`cal-${day}-${i}-from`}>
              <span className="visually-hidden">{dayName} </span>
              {t('beheer.calendars.from')}
            </label>
            <input id={`cal-${day}-${i}-from`} {...TIME_INPUT} title={t('beheer.calendars.timeFormat')} value={r.from} required onChange={(e) => set(i, { from: e.target.value })} aria-invalid={wrong || undefined} aria-describedby={wrong ? errorId : undefined} />
            <label htmlFor={`cal-${day}-${i}-to`}>
              <span className="visually-hidden">{dayName} </span>
              {t('beheer.calendars.to')}
            </label>
            <input id={`cal-${day}-${i}-to`} {...TIME_INPUT} title={t('beheer.calendars.timeFormat')} value={r.to} required onChange={(e) => set(i, { to: e.target.value })} aria-invalid={wrong || undefined} aria-describedby={wrong ? errorId : undefined} />
            <button type="button" className="btn btn-small" onClick={() => onChange(ranges.filter((_, j) => j !== i))}>
              {t('beheer.calendars.remove')}
              <span className="visually-hidden"> {t('beheer.calendars.rangeOn', { from: r.from, to: r.to, day: dayInText })}</span>
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="btn btn-small" onClick={add}>
            {t('beheer.calendars.addRange')}
            <span className="visually-hidden"> {t('beheer.calendars.onDay', { day: dayInText })}</span>
          </button>
        </div>
        {wrong && (
          <p className="error-note field-error" id={errorId}>
            {problem?.kind === 'overlap'
              ? t('beheer.calendars.errors.overlap', { day: dayInText, first: `${problem.first.from}–${problem.first.to}`, second: `${problem.second.from}–${problem.second.to}` })
              : problem?.kind === 'backwards'
                ? t('beheer.calendars.errors.backwards', { day: dayInText, range: `${problem.range.from}–${problem.range.to}` })
                : t('beheer.calendars.errors.hours', { day: dayInText })}
          </p>
        )}
      </div>
    </div>
  )
}
