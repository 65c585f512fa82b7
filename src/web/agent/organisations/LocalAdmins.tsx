import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { dateTime } from '../../ui/format.js'
import { type Organisation, organisationsApi } from './organisationsApi.js'

/**
 * The desk assigns or replaces an organisation's local administrators on its request: the members to
 * choose from, who asked (for the audit trail) and an optional note. New ones get a mail from Loket.
 * Used on the organisation page of the workspace and in Beheer → Organisaties.
 */
export function LocalAdminEditor({ organisation, onDone }: { organisation: Organisation; onDone: (message: string | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const members = useQuery({
    queryKey: ['users', 'organisation', organisation.id, 'customers'],
    queryFn: ({ signal }) => organisationsApi.members(organisation.id, signal),
  })
  const [chosen, setChosen] = useState<string[]>(organisation.localAdministrators.map((p) => p.id))
  const [requestedBy, setRequestedBy] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const id = `la-${organisation.id}`

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      await organisationsApi.setLocalAdministrators(organisation.id, { userIds: chosen, requestedBy: requestedBy.trim(), ...(note.trim() && { note: note.trim() }) })
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ['organisations'] }),
        queryClient.invalidateQueries({ queryKey: ['organisation', organisation.id] }),
        queryClient.invalidateQueries({ queryKey: ['users', 'organisation', organisation.id] }),
        queryClient.invalidateQueries({ queryKey: ['local-admin-changes', organisation.id] }),
      ])
      onDone(t('beheer.organisations.localAdminsSaved', { name: organisation.name }))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-label={t('beheer.organisations.changeLocalAdminsOf', { name: organisation.name })}>
      <p className="muted small">{t('beheer.organisations.localAdminsIntro')}</p>
      <ErrorNote error={members.error} onRetry={() => void members.refetch()} />
      <fieldset className="checks">
        <legend>{t('beheer.organisations.localAdminsLegend')}</legend>
        {members.data?.items.length === 0 && <p className="muted small">{t('beheer.organisations.noMembers')}</p>}
        {members.data?.items.map((u) => (
          <label key={u.id} className="check">
            <input
              type="checkbox"
              disabled={!u.active}
              checked={chosen.includes(u.id)}
              onChange={(e) => setChosen(e.target.checked ? [...chosen, u.id] : chosen.filter((c) => c !== u.id))}
            />
            <span>
              {u.name} <span className="muted">({u.email}{u.active ? '' : `, ${t('beheer.users.statuses.inactive').toLowerCase()}`})</span>
            </span>
          </label>
        ))}
      </fieldset>
      <div className="row wrap">
        <Field id={`${id}-by`} label={t('beheer.organisations.requestedBy')} hint={t('beheer.organisations.requestedByHint')}>
          <input id={`${id}-by`} value={requestedBy} onChange={(e) => setRequestedBy(e.target.value)} required maxLength={200} aria-describedby={`${id}-by-hint`} autoFocus />
        </Field>
        <Field id={`${id}-note`} label={t('beheer.organisations.note')}>
          <input id={`${id}-note`} value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
        </Field>
      </div>
      <ErrorNote error={error} />
      <div className="row">
        <button type="submit" className="btn btn-primary" disabled={busy || !members.data}>
          {busy ? t('common.saving') : t('beheer.save')}
        </button>
        <button type="button" className="btn" onClick={() => onDone(null)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  )
}

/** The audit trail of an organisation's local administrators: who asked, which agent did it, when, before and after. */
export function LocalAdminHistory({ organisationId, headingLevel = 3 }: { organisationId: string; headingLevel?: 2 | 3 }) {
  const { t, i18n } = useTranslation()
  const history = useQuery({
    queryKey: ['local-admin-changes', organisationId],
    queryFn: ({ signal }) => organisationsApi.localAdminChanges(organisationId, signal),
  })
  const nobody = t('beheer.organisations.nobody')
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  const names = (people: { name: string }[]) => people.map((p) => p.name).join(', ') || nobody
  return (
    <section className="local-admin-history" aria-labelledby={`history-${organisationId}`}>
      <Heading id={`history-${organisationId}`} className="small">
        {t('beheer.organisations.history')}
      </Heading>
      <ErrorNote error={history.error} onRetry={() => void history.refetch()} />
      {history.data?.items.length === 0 && <p className="muted small">{t('beheer.organisations.noHistory')}</p>}
      <ul className="small admin-wrap">
        {history.data?.items.map((entry) => (
          <li key={entry.id}>
            {t('beheer.organisations.historyEntry', {
              at: dateTime(entry.at, i18n.language),
              agent: entry.agent?.name ?? 'Loket',
              before: names(entry.previous),
              after: names(entry.current),
              requestedBy: entry.requestedBy,
            })}
            {entry.note && ` ${t('beheer.organisations.historyNote', { note: entry.note })}`}
          </li>
        ))}
      </ul>
    </section>
  )
}
