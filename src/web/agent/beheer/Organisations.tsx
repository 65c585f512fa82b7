import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { beheerApi, type Organisation } from './beheerApi.js'
import { DeleteButton } from './DeleteButton.js'
import { LocalAdminEditor, LocalAdminHistory } from '../organisations/LocalAdmins.js'
import { AppLink } from '../AppLink.js'
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
            <h2 className="admin-item-title">
              <AppLink href={`/organisations/${o.id}`}>{o.name}</AppLink>
            </h2>
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
