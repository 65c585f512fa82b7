import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNote } from '../../ui/ErrorNote.js'
import { Field } from '../../ui/Field.js'
import { relativeTime } from '../../ui/format.js'
import { Icon } from '../../ui/icons.js'
import { ApiError } from '../api.js'
import { AppLink } from '../AppLink.js'
import { NotFound } from '../NotFound.js'
import { LocalAdminEditor, LocalAdminHistory } from './LocalAdmins.js'
import { type Organisation, organisationsApi } from './organisationsApi.js'
import '../beheer/beheer.css'
import './organisations.css'

/**
 * One organisation for the desk: its members, e-mail domains, contact details, the desk's notes, its
 * tickets and who its local administrators are, with "Lokaal beheerder aanwijzen of vervangen" (on the
 * organisation's request, recorded with who asked) and the audit trail of those changes.
 */
export function OrganisationPage({ id }: { id: string }) {
  const { t } = useTranslation()
  const heading = useRef<HTMLHeadingElement>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [assigning, setAssigning] = useState(false)
  const organisation = useQuery({ queryKey: ['organisation', id], queryFn: ({ signal }) => organisationsApi.get(id, signal) })
  const loaded = !!organisation.data
  useEffect(() => {
    if (loaded) heading.current?.focus()
  }, [loaded])

  if (organisation.error instanceof ApiError && organisation.error.status === 404) return <NotFound />
  const o = organisation.data
  return (
    <article className="org-page" aria-labelledby="org-title">
      <p className="small">
        <AppLink href="/organisations">{t('organisations.back')}</AppLink>
      </p>
      <ErrorNote error={organisation.error} onRetry={() => void organisation.refetch()} />
      {o && (
        <>
          <h1 id="org-title" ref={heading} tabIndex={-1}>
            {o.name}
          </h1>
          <p role="status" className="admin-notice">
            {notice && <span className="notice">{notice}</span>}
          </p>
          {o.localAdministrators.length === 0 && (
            <p className="warn-note small" data-testid="no-local-admin">
              <strong>{t('customer.noLocalAdmin', { organisation: o.name })}</strong> {t('organisation.noLocalAdminHint')}
            </p>
          )}
          <div className="org-grid">
            <section className="panel" aria-labelledby="org-local-admins">
              <h2 id="org-local-admins">{t('organisation.localAdmins')}</h2>
              {o.localAdministrators.length ? (
                <ul className="small admin-wrap" data-testid="local-admins">
                  {o.localAdministrators.map((p) => (
                    <li key={p.id}>
                      {p.name} (<a href={`mailto:${p.email}`}>{p.email}</a>)
                    </li>
                  ))}
                </ul>
              ) : (
                <p className="small" data-testid="local-admins">
                  <strong>{t('beheer.organisations.noLocalAdmin')}</strong>
                </p>
              )}
              {assigning ? (
                <LocalAdminEditor
                  organisation={o}
                  onDone={(message) => {
                    setAssigning(false)
                    if (message) setNotice(message)
                  }}
                />
              ) : (
                <p>
                  <button type="button" className="btn" onClick={() => setAssigning(true)}>
                    {t('organisation.assign')}
                  </button>
                </p>
              )}
              <LocalAdminHistory organisationId={o.id} />
            </section>
            <Details organisation={o} onSaved={setNotice} />
            <Notes organisation={o} onSaved={setNotice} />
            <Members organisationId={o.id} />
            <Tickets organisationId={o.id} />
          </div>
        </>
      )}
    </article>
  )
}

/** Domains (read here: changed by team leads and administrators in Beheer), and how to reach the organisation. */
function Details({ organisation: o, onSaved }: { organisation: Organisation; onSaved: (message: string) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState(false)
  const [email, setEmail] = useState(o.contactEmail ?? '')
  const [phone, setPhone] = useState(o.contactPhone ?? '')
  const [address, setAddress] = useState(o.address ?? '')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const saved = await organisationsApi.update(o.id, { contactEmail: email.trim() || null, contactPhone: phone.trim() || null, address: address.trim() || null })
      queryClient.setQueryData(['organisation', o.id], saved)
      void queryClient.invalidateQueries({ queryKey: ['organisations'] })
      setEditing(false)
      onSaved(t('organisation.detailsSaved'))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="panel" aria-labelledby="org-details">
      <h2 id="org-details">{t('organisation.details')}</h2>
      {!editing ? (
        <>
          <dl className="facts">
            <dt>{t('beheer.organisations.domains')}</dt>
            <dd>{o.domains.length ? o.domains.join(', ') : t('beheer.organisations.noDomains')}</dd>
            <dt>{t('organisation.email')}</dt>
            <dd>{o.contactEmail ? <a href={`mailto:${o.contactEmail}`}>{o.contactEmail}</a> : t('fields.empty')}</dd>
            <dt>{t('organisation.phone')}</dt>
            <dd>{o.contactPhone ? <a href={`tel:${o.contactPhone}`}>{o.contactPhone}</a> : t('fields.empty')}</dd>
            <dt>{t('organisation.address')}</dt>
            <dd>{o.address ? <p className="org-address">{o.address}</p> : t('fields.empty')}</dd>
          </dl>
          <p>
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              {t('organisation.editDetails')}
            </button>
          </p>
        </>
      ) : (
        <form onSubmit={(e) => void save(e)} aria-label={t('organisation.editDetails')}>
          <Field id="org-email" label={t('organisation.email')}>
            <input id="org-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} autoFocus />
          </Field>
          <Field id="org-phone" label={t('organisation.phone')}>
            <input id="org-phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} maxLength={50} />
          </Field>
          <Field id="org-address" label={t('organisation.address')}>
            <textarea id="org-address" value={address} onChange={(e) => setAddress(e.target.value)} maxLength={500} rows={3} />
          </Field>
          <ErrorNote error={error} />
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('common.saving') : t('beheer.save')}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}

/** The desk's own notes about the organisation: every staff member reads and writes them; its members never see them. */
function Notes({ organisation: o, onSaved }: { organisation: Organisation; onSaved: (message: string) => void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [editing, setEditing] = useState(false)
  const [notes, setNotes] = useState(o.notes ?? '')
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const save = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      const saved = await organisationsApi.update(o.id, { notes: notes.trim() || null })
      queryClient.setQueryData(['organisation', o.id], saved)
      setEditing(false)
      onSaved(t('organisation.notesSaved'))
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="panel" aria-labelledby="org-notes">
      <h2 id="org-notes">{t('organisation.notes')}</h2>
      <p className="muted small">{t('organisation.notesHint')}</p>
      {!editing ? (
        <>
          {o.notes ? <p className="org-notes">{o.notes}</p> : <p className="muted small">{t('organisation.noNotes')}</p>}
          <p>
            <button type="button" className="btn" onClick={() => setEditing(true)}>
              {t('organisation.editNotes')}
            </button>
          </p>
        </>
      ) : (
        <form onSubmit={(e) => void save(e)} aria-label={t('organisation.editNotes')}>
          <Field id="org-notes-text" label={t('organisation.notes')}>
            <textarea id="org-notes-text" value={notes} onChange={(e) => setNotes(e.target.value)} maxLength={10_000} rows={6} autoFocus />
          </Field>
          <ErrorNote error={error} />
          <div className="row">
            <button type="submit" className="btn btn-primary" disabled={busy}>
              {busy ? t('common.saving') : t('beheer.save')}
            </button>
            <button type="button" className="btn" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}

function Members({ organisationId }: { organisationId: string }) {
  const { t } = useTranslation()
  const members = useQuery({ queryKey: ['users', 'organisation', organisationId, 'customers'], queryFn: ({ signal }) => organisationsApi.members(organisationId, signal) })
  const items = members.data?.items ?? []
  return (
    <section className="panel" aria-labelledby="org-members">
      <h2 id="org-members">{members.data ? t('beheer.organisations.members', { count: items.length }) : t('organisation.membersTitle')}</h2>
      <ErrorNote error={members.error} onRetry={() => void members.refetch()} />
      {members.data && items.length === 0 && <p className="muted small">{t('beheer.organisations.noMembers')}</p>}
      {items.length > 0 && (
        <table className="org-members">
          <thead>
            <tr>
              <th scope="col">{t('beheer.name')}</th>
              <th scope="col">{t('customer.email')}</th>
              <th scope="col">{t('organisation.status')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td>
                  <a href={`mailto:${u.email}`}>{u.email}</a>
                </td>
                <td>
                  {[u.active ? t('beheer.users.statuses.active') : t('beheer.users.statuses.inactive'), u.localAdmin && t('organisation.localAdmin')].filter(Boolean).join(', ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {members.data?.nextCursor && <p className="muted small">{t('organisation.moreMembers')}</p>}
    </section>
  )
}

function Tickets({ organisationId }: { organisationId: string }) {
  const { t, i18n } = useTranslation()
  const tickets = useInfiniteQuery({
    queryKey: ['tickets', 'organisation', organisationId],
    queryFn: ({ pageParam, signal }) => organisationsApi.tickets(organisationId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
  const items = tickets.data?.pages.flatMap((p) => p.items) ?? []
  return (
    <section className="panel" aria-labelledby="org-tickets">
      <h2 id="org-tickets">{t('organisation.tickets')}</h2>
      <ErrorNote error={tickets.error} onRetry={() => void tickets.refetch()} />
      {tickets.isSuccess && items.length === 0 && <p className="muted small">{t('organisation.noTickets')}</p>}
      <ul className="org-tickets">
        {items.map((tk) => (
          <li key={tk.id}>
            <AppLink href={`/tickets/${tk.id}`}>
              <Icon name={tk.channel} label={t(`channel.${tk.channel}`)} /> <span className="mono">{tk.number}</span> {tk.subject}
            </AppLink>
            <div className="muted small">
              <span className={`badge status-${tk.status}`}>{t(`status.${tk.status}`)}</span> · {tk.requester.name} · {relativeTime(tk.updatedAt, i18n.language)}
            </div>
          </li>
        ))}
      </ul>
      {tickets.hasNextPage && (
        <p>
          <button type="button" className="btn" disabled={tickets.isFetchingNextPage} onClick={() => void tickets.fetchNextPage()}>
            {t('organisation.moreTickets')}
          </button>
        </p>
      )}
    </section>
  )
}
