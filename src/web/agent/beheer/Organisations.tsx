import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { dateTime } from '../../ui/format.js'
import { beheerApi, type Organisation } from './beheerApi.js'
import { DeleteButton } from './DeleteButton.js'
import { ScreenHead } from './ScreenHead.js'

/** Organisations of customers: name, the e-mail domains that make someone a member, and who the members are. */
export function Organisations() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [q, setQ] = useState('')
  const [withoutLocalAdmin, setWithoutLocalAdmin] = useState(false)
  const [editing, setEditing] = useState<Organisation | 'new' | null>(null)
  const [adminsOf, setAdminsOf] = useState<string | null>(null)
  const [historyOf, setHistoryOf] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const list = useQuery({
    queryKey: ['organisations', 'beheer', q, withoutLocalAdmin],
    queryFn: ({ signal }) => beheerApi.organisations({ q: q.trim() || undefined, withoutLocalAdministrator: withoutLocalAdmin ? 'true' : undefined, limit: 200 }, signal),
    placeholderData: (previous) => previous,
  })

  return (
    <div className="beheer">
      <ScreenHead title={t('beheer.organisations.title')} notice={notice}>
        {editing === null && (
          <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
            {t('beheer.organisations.add')}
          </button>
        )}
      </ScreenHead>
      <p className="muted">{t('beheer.organisations.intro')}</p>
      {editing !== null && (
        <OrganisationEditor
          key={editing === 'new' ? 'new' : editing.id}
          organisation={editing === 'new' ? null : editing}
          onDone={(message) => {
            setEditing(null)
            setNotice(message)
          }}
        />
      )}
      <form className="row wrap admin-filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('beheer.organisations.title')}>
        <Field id="org-q" label={t('beheer.users.search')}>
          <input id="org-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </Field>
        <label className="check">
          <input type="checkbox" checked={withoutLocalAdmin} onChange={(e) => setWithoutLocalAdmin(e.target.checked)} />
          <span>{t('beheer.organisations.onlyWithout')}</span>
        </label>
      </form>
      {withoutLocalAdmin && !list.isPlaceholderData && !!list.data?.items.length && <Reminder organisations={list.data.items} onSent={setNotice} />}
      <ErrorNote error={list.error} onRetry={() => void list.refetch()} />
      {list.data?.items.length === 0 && <p className="empty">{t('beheer.organisations.none')}</p>}
      <ul className="admin-list" aria-label={t('beheer.organisations.title')}>
        {list.data?.items.map((o) => (
          <li key={o.id} className="panel">
            <h2 className="admin-item-title">{o.name}</h2>
            <p className="muted small admin-wrap">{o.domains.length ? o.domains.join(', ') : t('beheer.organisations.noDomains')}</p>
            <p className="small admin-wrap" data-testid="local-admins">
              {o.localAdministrators.length ? (
                t('beheer.organisations.localAdmins', { names: o.localAdministrators.map((p) => p.name).join(', ') })
              ) : (
                <strong>{t('beheer.organisations.noLocalAdmin')}</strong>
              )}
            </p>
            <Members organisationId={o.id} />
            {adminsOf === o.id && (
              <LocalAdminEditor
                organisation={o}
                onDone={(message) => {
                  setAdminsOf(null)
                  setNotice(message)
                  if (message) setHistoryOf(o.id)
                }}
              />
            )}
            {historyOf === o.id && <LocalAdminHistory organisationId={o.id} />}
            <div className="row wrap">
              <button type="button" className="btn" onClick={() => setEditing(o)} aria-label={t('beheer.editNamed', { name: o.name })}>
                {t('beheer.edit')}
              </button>
              {adminsOf !== o.id && (
                <button type="button" className="btn" onClick={() => setAdminsOf(o.id)} aria-label={t('beheer.organisations.changeLocalAdminsOf', { name: o.name })}>
                  {t('beheer.organisations.changeLocalAdmins')}
                </button>
              )}
              <button
                type="button"
                className="btn"
                aria-expanded={historyOf === o.id}
                onClick={() => setHistoryOf(historyOf === o.id ? null : o.id)}
                aria-label={t('beheer.organisations.historyOf', { name: o.name })}
              >
                {t('beheer.organisations.history')}
              </button>
              <DeleteButton
                name={o.name}
                onDelete={() => beheerApi.deleteOrganisation(o.id)}
                onDeleted={() => {
                  void queryClient.invalidateQueries({ queryKey: ['organisations'] })
                  setNotice(t('beheer.deleted', { name: o.name }))
                }}
              />
            </div>
          </li>
        ))}
      </ul>
    </div>
  )
}

function Members({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation()
  const members = useQuery({ queryKey: ['users', 'organisation', organisationId], queryFn: ({ signal }) => beheerApi.users({ organisationId, limit: 50 }, signal) })
  if (!members.data) return null
  const names = members.data.items.map((u) => u.name)
  return (
    <p className="small admin-wrap">
      {t('beheer.organisations.members', { count: names.length })}
      {names.length > 0 && `: ${names.join(', ')}${members.data.nextCursor ? ', …' : ''}`}
    </p>
  )
}

/** The bulk reminder: every active member of the listed organisations without a local administrator gets a mail, after a confirmation. */
function Reminder({ organisations, onSent }: { organisations: Organisation[]; onSent: (message: string) => void }) {
  const { t } = useTranslation()
  const [asking, setAsking] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const send = async () => {
    setBusy(true)
    setError(null)
    try {
      const sent = await beheerApi.remindWithoutLocalAdmin(organisations.map((o) => o.id))
      setAsking(false)
      onSent(t('beheer.organisations.reminded', { count: sent.organisations, mailed: sent.mailed }))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="panel admin-editor">
      <p className="small">{t('beheer.organisations.reminderIntro')}</p>
      {!asking ? (
        <p>
          <button type="button" className="btn" onClick={() => setAsking(true)}>
            {t('beheer.organisations.remind', { count: organisations.length })}
          </button>
        </p>
      ) : (
        <div className="row wrap" role="group" aria-label={t('beheer.organisations.remindConfirm', { count: organisations.length })}>
          <span>{t('beheer.organisations.remindConfirm', { count: organisations.length })}</span>
          <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void send()}>
            {t('beheer.organisations.remindYes')}
          </button>
          <button type="button" className="btn" onClick={() => setAsking(false)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </div>
  )
}

/**
 * The desk assigns or replaces an organisation's local administrators on its request: the members to
 * choose from, who asked (for the audit trail) and an optional note. New ones get a mail from Loket.
 */
function LocalAdminEditor({ organisation, onDone }: { organisation: Organisation; onDone: (message: string | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const members = useQuery({
    queryKey: ['users', 'organisation', organisation.id, 'customers'],
    queryFn: ({ signal }) => beheerApi.users({ organisationId: organisation.id, role: 'customer', limit: 200 }, signal),
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
      await beheerApi.setLocalAdministrators(organisation.id, { userIds: chosen, requestedBy: requestedBy.trim(), ...(note.trim() && { note: note.trim() }) })
      await queryClient.invalidateQueries({ queryKey: ['organisations'] })
      await queryClient.invalidateQueries({ queryKey: ['audit', 'local-admins', organisation.id] })
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

interface PersonDetail {
  name?: string
}
const names = (value: unknown) => (Array.isArray(value) ? (value as PersonDetail[]).map((p) => p.name ?? '').filter(Boolean) : [])

/** The audit trail of an organisation's local administrators: who asked, which agent did it, when, before and after. */
function LocalAdminHistory({ organisationId }: { organisationId: string }) {
  const { t, i18n } = useTranslation()
  const history = useQuery({
    queryKey: ['audit', 'local-admins', organisationId],
    queryFn: ({ signal }) => beheerApi.localAdminHistory(organisationId, signal),
  })
  const nobody = t('beheer.organisations.nobody')
  return (
    <section className="local-admin-history" aria-labelledby={`history-${organisationId}`}>
      <h3 id={`history-${organisationId}`} className="small">
        {t('beheer.organisations.history')}
      </h3>
      <ErrorNote error={history.error} onRetry={() => void history.refetch()} />
      {history.data?.items.length === 0 && <p className="muted small">{t('beheer.organisations.noHistory')}</p>}
      <ul className="small admin-wrap">
        {history.data?.items.map((entry) => (
          <li key={entry.id}>
            {t('beheer.organisations.historyEntry', {
              at: dateTime(entry.at, i18n.language),
              agent: entry.actorName ?? 'Loket',
              before: names(entry.details.previous).join(', ') || nobody,
              after: names(entry.details.current).join(', ') || nobody,
              requestedBy: String(entry.details.requestedBy ?? ''),
            })}
            {typeof entry.details.note === 'string' && ` ${t('beheer.organisations.historyNote', { note: entry.details.note })}`}
          </li>
        ))}
      </ul>
    </section>
  )
}

function OrganisationEditor({ organisation, onDone }: { organisation: Organisation | null; onDone: (message: string | null) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [name, setName] = useState(organisation?.name ?? '')
  const [domains, setDomains] = useState(organisation?.domains.join(', ') ?? '')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const body = { name, domains: domains.split(/[\s,;]+/).filter(Boolean) }
      const saved = organisation ? await beheerApi.updateOrganisation(organisation.id, body) : await beheerApi.createOrganisation(body)
      await queryClient.invalidateQueries({ queryKey: ['organisations'] })
      onDone(t('beheer.saved', { name: saved.name }))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="panel admin-editor" onSubmit={(e) => void save(e)} aria-label={organisation ? t('beheer.editNamed', { name: organisation.name }) : t('beheer.organisations.add')}>
      <div className="row wrap">
        <Field id="org-name" label={t('beheer.name')}>
          <input id="org-name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} autoFocus />
        </Field>
        <Field id="org-domains" label={t('beheer.organisations.domains')} hint={t('beheer.organisations.domainsHint')}>
          <input id="org-domains" value={domains} onChange={(e) => setDomains(e.target.value)} aria-describedby="org-domains-hint" />
        </Field>
      </div>
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
